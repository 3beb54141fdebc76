import datetime
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


@pytest.mark.django_db
def test_a_real_import_marks_its_follow_up_work_in_its_own_transaction(call_to_action):
    from commitments.models import Commitment, PendingRecompute, PendingSuggestion

    report = import_ogp(path=SAMPLE, dry_run=False)  # no commit here: markers must already be written

    assert set(PendingSuggestion.objects.values_list("commitment_id", flat=True)) == set(
        Commitment.objects.values_list("pk", flat=True)
    )
    assert set(PendingRecompute.objects.values_list("member_id", flat=True)) == set(report.touched_member_ids)
    assert report.touched_member_ids

    PendingSuggestion.objects.all().delete()
    PendingRecompute.objects.all().delete()
    import_ogp(path=SAMPLE, dry_run=False)  # the same file again changes nothing and asks for nothing
    assert not PendingSuggestion.objects.exists()
    assert not PendingRecompute.objects.exists()


@pytest.mark.django_db
def test_an_import_run_that_dies_before_recording_its_outcome_leaves_nothing_written(
    call_to_action, settings, tmp_path, monkeypatch
):
    from commitments.importer.runs import claim_run, execute_run
    from commitments.models import Commitment, ImportRun, PendingRecompute
    from tests.commitments.test_tasks import stored_run

    settings.MEDIA_ROOT = tmp_path
    run = claim_run(run_id=stored_run(dry_run=False).pk, stale_after=datetime.timedelta(minutes=5))
    assert run is not None

    def die(*args, **kwargs):
        raise SystemExit("the worker stops here")

    monkeypatch.setattr(ImportRun, "save", die)  # the outcome is never recorded
    with pytest.raises(SystemExit):
        execute_run(run=run, path=SAMPLE)

    assert not Commitment.objects.exists()  # the import and its outcome commit together, or neither
    assert not PendingRecompute.objects.exists()
