from django.db import migrations, models

CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "": "simple"}
MARKERS = {
    "en": frozenset({"the", "and", "of", "to", "in", "will", "for", "with", "on", "by", "this", "that", "be"}),
    "es": frozenset({"de", "la", "el", "los", "las", "y", "en", "para", "con", "que", "por", "del", "se", "una"}),
    "fr": frozenset({"le", "la", "les", "des", "et", "du", "pour", "une", "sur", "dans", "par", "est", "au"}),
}


def detect(text):
    """A frozen copy of `commitments.search.detect_language` as it was when this migration was written."""
    import re

    words = re.findall(r"[^\W\d_]+", text[:4000].lower())
    counts = {language: sum(word in markers for word in words) for language, markers in MARKERS.items()}
    best, second = sorted(counts.values(), reverse=True)[:2]
    if best < 3 or best < 1.3 * second:
        return ""
    return max(counts, key=lambda language: counts[language])


def detect_languages(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    batch = []
    for commitment in Commitment.objects.only("pk", "title", "full_text").iterator(chunk_size=2000):
        commitment.language = detect(f"{commitment.title} {commitment.full_text}")
        batch.append(commitment)
        if len(batch) == 2000:
            Commitment.objects.bulk_update(batch, ["language"])
            batch = []
    Commitment.objects.bulk_update(batch, ["language"])


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, config in CONFIGS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS commitment_search_{config} ON commitments_commitment USING GIN "
            f"(to_tsvector('{config}'::regconfig, (COALESCE(title, '') || ' ' || COALESCE(full_text, '')))) "
            f"WHERE language = '{language}'"
        )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS commitment_search_{config}")


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0010_edit_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="The language of the text (en, es, fr; blank when unclear): picks the search dictionary.",
                max_length=2,
            ),
        ),
        migrations.RunPython(detect_languages, migrations.RunPython.noop),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
