from pathlib import Path

import pytest

from commitments.importer.apply import import_ogp
from commitments.models import Alignment, CommitmentPolicyArea, ReviewStatus
from commitments.suggestions.crosswalk import load_crosswalk

SAMPLE = Path(__file__).parent / "data" / "ogp_export_sample.csv"


@pytest.mark.django_db
def test_an_import_turns_policy_area_tags_into_suggestions_never_confirmations(
    call_to_action, django_capture_on_commit_callbacks
):
    load_crosswalk()
    with django_capture_on_commit_callbacks(execute=True):
        report = import_ogp(path=SAMPLE, dry_run=False)
    assert report.ok
    tagged = CommitmentPolicyArea.objects.filter(value="yes", policy_area__crosswalk__isnull=False)
    assert tagged.exists()
    alignments = Alignment.objects.filter(commitment__in=tagged.values("commitment"))
    assert alignments.exists()
    assert set(Alignment.objects.values_list("status", flat=True)) == {ReviewStatus.SUGGESTED}
    origins = set(alignments.values_list("origin", flat=True))
    assert origins <= {"import", "classifier"} and "import" in origins  # a tag alone suggests, as an import
    assert all(0 < (alignment.confidence or 0) <= 1 for alignment in alignments)


@pytest.mark.django_db
def test_a_dry_run_suggests_nothing(call_to_action, django_capture_on_commit_callbacks):
    load_crosswalk()
    with django_capture_on_commit_callbacks(execute=True):
        import_ogp(path=SAMPLE, dry_run=True)
    assert not Alignment.objects.exists()
