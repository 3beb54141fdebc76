"""OGP's file format never changes with the interface language: labels come from the format module only."""

from pathlib import Path

import pytest
from django.utils import translation

from commitments.importer.apply import import_ogp
from commitments.importer.exporter import csv_chunks, export_ogp
from commitments.models import Commitment

SAMPLE = Path(__file__).parent / "data" / "ogp_export_sample.csv"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_importing_and_exporting_in_another_language_gives_the_same_file(tmp_path: Path, language: str) -> None:
    with translation.override(language):
        report = import_ogp(path=SAMPLE, dry_run=False)
        translated = tmp_path / f"{language}.csv"
        export_ogp(path=translated)
        streamed = "".join(csv_chunks())
    assert report.ok, report.problems
    albania = Commitment.objects.select_related("action_plan__member").get(ogp_id="AL0002")
    assert albania.early_results == "nr" and albania.value_technology == "na"

    english = tmp_path / "en.csv"
    export_ogp(path=english)
    assert translated.read_bytes() == english.read_bytes()
    assert streamed == "".join(csv_chunks())

    # And the file written in another language imports back to exactly what it was read from.
    with translation.override(language):
        again = import_ogp(path=translated, dry_run=False)
    assert (again.commitments.created, again.commitments.updated, again.commitments.unchanged) == (0, 0, 7)
