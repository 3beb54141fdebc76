from collections import Counter

from django.core.management import call_command

from commitments.suggestions.evaluation import Counts, load_labelled_set


def test_the_labelled_set_is_large_multilingual_and_mostly_negative():
    records = load_labelled_set()
    assert len(records) >= 150
    assert set(Counter(record.language for record in records)) == {"en", "es", "fr"}
    assert sum(not record.labels for record in records) > len(records) / 2
    assert {record.split for record in records} == {"dev", "test"}
    assert len({record.id for record in records}) == len(records)


def test_precision_recall_and_f1_follow_their_definitions():
    counts = Counts(true_positives=6, false_positives=2, false_negatives=4)
    assert counts.precision == 0.75
    assert counts.recall == 0.6
    assert round(counts.f1, 4) == round(2 * 0.75 * 0.6 / 1.35, 4)


def test_the_evaluation_command_prints_figures_per_era(capsys):
    call_command("evaluate_suggestions", "--no-model")
    out = capsys.readouterr().out
    for heading in ("rules, dev", "rules, test", "bootstrap 95% intervals"):
        assert heading in out
    for era in ("civic-space", "gender-inclusion", "digital-democracy"):
        assert f"  {era} " in out


def test_the_labelled_set_is_the_builder_s_output_shaped_like_real_commitments():
    import statistics

    from commitments.suggestions.labelled_set import SHARES, build

    built = build()
    records = load_labelled_set()
    assert [record.id for record in records] == [row["id"] for row in built]
    assert [record.full_text for record in records] == [row["full_text"] for row in built]
    assert len(records) >= 400
    lengths = [len(record.full_text) for record in records]
    assert 2400 < statistics.median(lengths) < 3200  # real commitments: about 2,600
    assert sum(length > 8000 for length in lengths) >= len(records) / 20  # and a long tail
    assert max(lengths) > 20000
    for code, share in SHARES.items():
        assert abs(sum(code in record.labels for record in records) / len(records) - share) < 0.01
    assert all(set(record.reasons) == set(record.labels) for record in records)
    assert all(record.reasons[code].strip() for record in records for code in record.labels)
    assert sum("\n\n" in record.full_text for record in records) == len(records)
