import dataclasses
import datetime
import json
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from commitments.followup import request_recompute
from commitments.models import (
    NO_DATA,
    NOT_REVIEWED,
    Member,
    Origin,
    PendingRecompute,
    ProcessEvidence,
    RecomputeRun,
    ReviewStatus,
    Score,
    ScoreSnapshot,
)
from commitments.scoring import runs as scoring
from commitments.scoring.compute import recompute_members
from commitments.scoring.methodology import METHODOLOGIES, METHODOLOGY_V1, get_methodology
from commitments.scoring.read import member_scores, score_history
from commitments.scoring.runs import ensure_current_methodology_scored, run_full_recompute_in_process
from resolutions.models import ActionItem, Era
from tests.conftest import missing_service
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member


def item(code: str) -> ActionItem:
    return ActionItem.objects.get(code=code)


def confirmed_evidence(member, action_plan, code: str, status: str = ReviewStatus.CONFIRMED) -> ProcessEvidence:
    return ProcessEvidence.objects.create(
        member=member,
        action_plan=action_plan,
        action_item=item(code),
        description="Forum met monthly with civil society.",
        status=status,
        origin=Origin.REVIEWER,
        decided_at=timezone.now() if status != ReviewStatus.SUGGESTED else None,
    )


def score(member, era_key: str | None, version: str = "v1") -> Score:
    if era_key is None:
        return Score.objects.get(member=member, era__isnull=True, methodology_version=version)
    return Score.objects.get(member=member, era__key=era_key, methodology_version=version)


@pytest.fixture
def exampleland(call_to_action):
    """The worked example of docs/methodology.md, row for row."""
    member = make_member(code="EXL", name="Exampleland")
    plan = make_action_plan(member, number=2, submitted_year=2019, end_year=2021)
    old_plan = make_action_plan(member, number=1, submitted_year=2016, end_year=2018)
    ex1 = make_commitment(plan, ogp_id="EX0001", potential_impact="moderate", completion_end_of_term="substantial")
    ex2 = make_commitment(
        plan,
        ogp_id="EX0002",
        potential_impact=NOT_REVIEWED,
        potential_for_results="modest",
        completion_end_of_term="withdrawn",
        completion_midterm="limited",
    )
    ex3 = make_commitment(plan, ogp_id="EX0003", potential_impact="transformative")
    ex4 = make_commitment(plan, ogp_id="EX0004", potential_impact="transformative", completion_end_of_term="complete")
    ex5 = make_commitment(
        old_plan, ogp_id="EX0005", potential_impact="transformative", completion_end_of_term="complete"
    )
    make_alignment(ex1, item("cta2019-digital-democracy-2"), ReviewStatus.CONFIRMED)
    make_alignment(ex2, item("cta2019-digital-democracy-2"), ReviewStatus.CONFIRMED)
    make_alignment(ex3, item("cta2019-digital-democracy-3"), ReviewStatus.CONFIRMED)
    make_alignment(ex4, item("cta2019-digital-democracy-3"), ReviewStatus.SUGGESTED)
    make_alignment(ex4, item("cta2019-gender-inclusion-2"), ReviewStatus.REJECTED)
    make_alignment(ex5, item("cta2019-digital-democracy-3"), ReviewStatus.CONFIRMED)
    confirmed_evidence(member, plan, "cta2019-civic-space-1")
    confirmed_evidence(member, plan, "cta2019-digital-democracy-1", status=ReviewStatus.SUGGESTED)
    return member


def test_the_worked_example_of_the_methodology_document_reproduces_to_the_decimal(exampleland):
    recompute_members(member_ids=[exampleland.pk])

    digital = score(exampleland, "digital-democracy")
    assert digital.value == Decimal("56.94")
    assert digital.coverage == Decimal("0.6667")
    assert digital.uncertainty == Decimal("0.3333")
    assert digital.evidence_count == 3
    assert digital.components["items"]["cta2019-digital-democracy-2"] == {
        "strength": 0.8333,
        "evidence": 2,
        "unassessed": 0,
        "commitments": ["EX0001", "EX0002"],
        "process_evidence": [],
    }
    assert digital.components["items"]["cta2019-digital-democracy-3"]["strength"] == 0.875
    assert digital.components["items"]["cta2019-digital-democracy-3"]["commitments"] == ["EX0003"]
    assert "cta2019-digital-democracy-1" not in digital.components["items"]  # no evidence: strength 0
    assert score(exampleland, "civic-space").value == Decimal("33.33")
    assert score(exampleland, "gender-inclusion").value == Decimal("0.00")
    overall = score(exampleland, None)
    assert overall.value == Decimal("30.09")
    assert overall.coverage == Decimal("0.3333")
    assert overall.uncertainty == Decimal("0.2500")
    assert overall.evidence_count == 4


def test_suggested_and_rejected_alignments_never_count(call_to_action):
    member = make_member()
    commitment = make_commitment(make_action_plan(member), potential_impact="transformative")
    make_alignment(commitment, item("cta2019-digital-democracy-2"), ReviewStatus.SUGGESTED)
    make_alignment(commitment, item("cta2019-digital-democracy-3"), ReviewStatus.REJECTED)

    recompute_members(member_ids=[member.pk])

    assert score(member, "digital-democracy").value == Decimal("0.00")
    assert score(member, "digital-democracy").evidence_count == 0


def test_a_plan_that_ended_before_the_adoption_year_is_out_of_scope_and_one_ending_in_it_is_in(call_to_action):
    member = make_member()
    ended_2018 = make_action_plan(member, number=1, submitted_year=2016, end_year=2018)
    ended_2019 = make_action_plan(member, number=2, submitted_year=2017, end_year=2019)
    make_alignment(make_commitment(ended_2018), item("cta2019-digital-democracy-2"), ReviewStatus.CONFIRMED)
    make_alignment(make_commitment(ended_2019), item("cta2019-digital-democracy-3"), ReviewStatus.CONFIRMED)
    confirmed_evidence(member, ended_2018, "cta2019-civic-space-1")

    recompute_members(member_ids=[member.pk])

    components = score(member, "digital-democracy").components["items"]
    assert "cta2019-digital-democracy-2" not in components  # out of scope: no counted evidence
    assert components["cta2019-digital-democracy-3"]["evidence"] == 1
    assert score(member, "civic-space").value == Decimal("0.00")


def test_process_evidence_recorded_without_a_plan_counts_one(call_to_action):
    member = make_member()
    confirmed_evidence(member, None, "cta2019-gender-inclusion-3")

    recompute_members(member_ids=[member.pk])

    assert score(member, "gender-inclusion").value == Decimal("33.33")
    assert score(member, "gender-inclusion").components["items"]["cta2019-gender-inclusion-3"]["strength"] == 1.0


def test_a_fully_unassessed_commitment_has_quality_three_quarters_and_full_uncertainty(call_to_action):
    member = make_member()
    commitment = make_commitment(make_action_plan(member))
    assert commitment.potential_impact == NO_DATA
    make_alignment(commitment, item("cta2019-civic-space-2"), ReviewStatus.CONFIRMED)

    recompute_members(member_ids=[member.pk])

    civic = score(member, "civic-space")
    assert civic.components["items"]["cta2019-civic-space-2"]["strength"] == 0.75
    assert civic.value == Decimal("25.00")
    assert civic.uncertainty == Decimal("1.0000")


def test_a_member_without_evidence_scores_zero_in_every_era_and_overall(call_to_action):
    member = make_member()

    recompute_members(member_ids=[member.pk])

    scores = Score.objects.filter(member=member)
    assert sorted((s.era.key if s.era else "overall", s.value) for s in scores) == [
        ("civic-space", Decimal("0.00")),
        ("digital-democracy", Decimal("0.00")),
        ("gender-inclusion", Decimal("0.00")),
        ("overall", Decimal("0.00")),
    ]


def test_recomputing_unchanged_scores_writes_no_row_and_no_snapshot(exampleland):
    recompute_members(member_ids=[exampleland.pk])
    first_computed = score(exampleland, "digital-democracy").computed_at

    outcome = recompute_members(member_ids=[exampleland.pk])

    assert (outcome.scores_written, outcome.snapshots_written) == (0, 0)
    assert not ScoreSnapshot.objects.filter(member=exampleland).exists()
    assert Score.objects.filter(member=exampleland).count() == 4
    assert score(exampleland, "digital-democracy").computed_at == first_computed


def test_reference_lists_are_in_order_whatever_order_the_evidence_was_recorded_in(call_to_action):
    member = make_member(code="ORD")
    plan = make_action_plan(member, number=1, submitted_year=2019, end_year=2021)
    for ogp_id in ("ORD0003", "ORD0001", "ORD0002"):
        make_alignment(make_commitment(plan, ogp_id=ogp_id), item("cta2019-civic-space-1"), ReviewStatus.CONFIRMED)
    evidence = [confirmed_evidence(member, plan, "cta2019-civic-space-1") for _ in range(3)]

    recompute_members(member_ids=[member.pk])

    detail = score(member, "civic-space").components["items"]["cta2019-civic-space-1"]
    assert detail["commitments"] == ["ORD0001", "ORD0002", "ORD0003"]
    assert detail["process_evidence"] == sorted(e.pk for e in evidence)
    assert list(score(member, None).components["eras"]) == list(
        Era.objects.filter(resolution=call_to_action).order_by("order").values_list("key", flat=True)
    )


def test_components_are_kept_as_written_and_the_same_content_spelled_otherwise_is_not_a_change(exampleland):
    recompute_members(member_ids=[exampleland.pk])
    digital = score(exampleland, "digital-democracy")
    items = digital.components["items"]
    if connection.vendor == "postgresql":  # as converted from JSONB: its own key order
        items = {code: dict(reversed(detail.items())) for code, detail in items.items()}
    respelled = json.dumps({"items": items}, indent=1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commitments_score SET components = %s WHERE id = %s", [respelled, digital.pk])
        cursor.execute("SELECT CAST(components AS TEXT) FROM commitments_score WHERE id = %s", [digital.pk])
        assert cursor.fetchone()[0] == respelled  # the text as written, not a normalised form

    assert recompute_members(member_ids=[exampleland.pk]).scores_written == 0
    assert not ScoreSnapshot.objects.filter(member=exampleland).exists()
    assert score(exampleland, "digital-democracy").components == digital.components


def test_a_json_text_field_reads_back_what_was_saved(exampleland):
    recompute_members(member_ids=[exampleland.pk])
    overall = score(exampleland, None)
    for value in ("123", {"eras": {"x": [1, "2", None]}}, [1.5, "\u00e9"]):
        overall.components = value
        overall.save(update_fields=["components"])
        assert score(exampleland, None).components == value


def test_a_changed_score_writes_one_snapshot_and_history_keeps_the_old_value(exampleland):
    recompute_members(member_ids=[exampleland.pk])
    first = score(exampleland, "digital-democracy")
    make_alignment(
        make_commitment(exampleland.action_plans.get(number=2), potential_impact="minor"),
        item("cta2019-digital-democracy-1"),
        ReviewStatus.CONFIRMED,
    )

    outcome = recompute_members(member_ids=[exampleland.pk])

    # The digital era and the overall score changed; the others were not touched.
    assert (outcome.scores_written, outcome.snapshots_written) == (2, 2)
    current = score(exampleland, "digital-democracy")
    (snapshot,) = ScoreSnapshot.objects.filter(member=exampleland, era__key="digital-democracy")
    assert (snapshot.value, snapshot.computed_at, snapshot.superseded_at) == (
        Decimal("56.94"),
        first.computed_at,
        current.computed_at,
    )
    assert snapshot.components == first.components
    history = score_history(member=exampleland, era=first.era)
    assert [entry.value for entry in history] == [Decimal("56.94"), current.value]
    assert current.value != Decimal("56.94")


def test_a_burst_of_edits_in_one_transaction_makes_one_recompute(exampleland, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            request_recompute([exampleland.pk])

    runs = RecomputeRun.objects.filter(kind=RecomputeRun.Kind.MEMBERS)
    assert [(run.members_total, run.members_done, run.status) for run in runs] == [(1, 1, "done")]
    assert not PendingRecompute.objects.exists()
    assert score(exampleland, "digital-democracy").value == Decimal("56.94")


def test_a_recompute_after_edits_left_running_by_a_lost_worker_is_shown_failed_by_the_next_one(exampleland, settings):
    settings.CELERY_TASK_TIME_LIMIT = 360
    lost, current = (
        RecomputeRun.objects.create(
            kind=RecomputeRun.Kind.MEMBERS,
            methodology_version="v1",
            status=RecomputeRun.Status.RUNNING,
            members_total=1,
            started_at=timezone.now() - datetime.timedelta(seconds=seconds),
        )
        for seconds in (361, 30)
    )
    PendingRecompute.objects.create(member=exampleland, requested_at=timezone.now())

    run = scoring.drain_pending_recomputes()

    lost.refresh_from_db()
    current.refresh_from_db()
    assert (lost.status, lost.error) == ("failed", scoring.LOST_DRAIN) and lost.finished_at is not None
    assert current.status == "running"  # within the time limit: maybe still at work
    assert run is not None and (run.status, run.members_done) == ("done", 1)
    assert score(exampleland, "digital-democracy").value == Decimal("56.94")


def test_a_full_recompute_runs_in_chunks_and_scores_each_member_once(call_to_action):
    members = [make_member() for _ in range(5)]
    make_alignment(make_commitment(make_action_plan(members[2])), item("cta2019-civic-space-2"), ReviewStatus.CONFIRMED)
    all_members = len(members) + 5  # the Leaders Network members come with the frameworks

    run = run_full_recompute_in_process(chunk_size=3)
    again = run_full_recompute_in_process(chunk_size=4)

    assert (run.status, run.chunks_total, run.members_done, run.members_total) == ("done", 4, all_members, all_members)
    assert again.scores_written == 0
    assert Score.objects.count() == all_members * 4
    assert score(members[2], "civic-space").value == Decimal("25.00")


def test_only_registered_methodology_versions_are_accepted_and_other_versions_are_left_alone(exampleland):
    assert get_methodology().version in METHODOLOGIES
    with pytest.raises(ValueError, match="Unknown methodology version"):
        recompute_members(member_ids=[exampleland.pk], version="v0")
    recompute_members(member_ids=[exampleland.pk])
    Score.objects.filter(member=exampleland).update(methodology_version="v0")
    era = Era.objects.get(key="civic-space")

    recompute_members(member_ids=[exampleland.pk])

    assert Score.objects.get(member=exampleland, era=era, methodology_version="v0").value == Decimal("33.33")
    assert Score.objects.filter(member=exampleland, methodology_version="v1").count() == 4


def test_a_newly_deployed_methodology_version_gets_one_full_recompute(
    call_to_action, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ensure_current_methodology_scored()
        again = ensure_current_methodology_scored()

    assert first is not None
    assert again is None
    first.refresh_from_db()
    assert (first.kind, first.methodology_version, first.status) == ("full", "v1", "done")
    assert Score.objects.filter(methodology_version="v1").count() == 5 * 4


def test_member_scores_and_history_read_back_in_order(exampleland):
    recompute_members(member_ids=[exampleland.pk])

    keys = [score.era.key if score.era else "overall" for score in member_scores(member=exampleland)]
    history = score_history(member=exampleland, era=None)

    assert keys == ["civic-space", "gender-inclusion", "digital-democracy", "overall"]
    assert [entry.value for entry in history] == [Decimal("30.09")]  # a score never replaced is its own history


def test_an_edit_keeps_every_live_methodology_version_up_to_date(
    exampleland, monkeypatch, django_capture_on_commit_callbacks
):
    # An older version still registered, whose scores exist: it must not go stale after an edit.
    older = dataclasses.replace(METHODOLOGY_V1, version="v0", unassessed=0.0)
    monkeypatch.setitem(scoring.METHODOLOGIES, "v0", older)
    recompute_members(member_ids=[exampleland.pk], version="v0")
    recompute_members(member_ids=[exampleland.pk])
    before = {version: score(exampleland, "digital-democracy", version).value for version in ("v0", "v1")}
    assert scoring.live_versions() == ["v1", "v0"]

    plan = exampleland.action_plans.get(number=2)
    make_alignment(make_commitment(plan, potential_impact="minor"), item("cta2019-digital-democracy-1"), "confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute([exampleland.pk])

    (run,) = RecomputeRun.objects.filter(kind=RecomputeRun.Kind.MEMBERS)
    assert (run.methodology_version, run.members_done, run.scores_written) == ("v1, v0", 1, 4)
    for version in ("v0", "v1"):
        assert score(exampleland, "digital-democracy", version).value > before[version]
        assert recompute_members(member_ids=[exampleland.pk], version=version).scores_written == 0
    # The two versions weigh an unassessed component differently, and their scores say so.
    assert score(exampleland, "digital-democracy", "v0").value < score(exampleland, "digital-democracy", "v1").value


def test_a_registered_version_without_scores_is_not_computed_by_edits(exampleland, monkeypatch):
    monkeypatch.setitem(scoring.METHODOLOGIES, "v0", dataclasses.replace(METHODOLOGY_V1, version="v0"))

    assert scoring.live_versions() == ["v1"]


def wait_for_a_lock_wait(timeout: float = 10.0) -> None:
    """Until another session of this database waits for a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("No session waited for a lock.")


@pytest.mark.django_db(transaction=True)
def test_a_member_deleted_while_its_recompute_commits_leaves_no_scores_behind(call_to_action):
    if connection.vendor != "postgresql":
        missing_service("recomputes and deletions run at once only on PostgreSQL (set DATABASE_URL)")
    member = make_member(code="GON", name="Goneland")
    plan = make_action_plan(member, number=2, submitted_year=2019, end_year=2021)
    # Withdrawn: a confirmed alignment would protect the member from deletion (`keep_decisions`).
    make_alignment(make_commitment(plan, potential_impact="moderate"), item("cta2019-digital-democracy-2"), "withdrawn")
    computed, release = threading.Event(), threading.Event()

    def recompute() -> None:
        try:
            with transaction.atomic():
                recompute_members(member_ids=[member.pk])
                computed.set()
                release.wait(10)
        finally:
            connection.close()

    def delete() -> None:
        try:
            Member.objects.get(pk=member.pk).delete()
        finally:
            connection.close()

    recomputing = threading.Thread(target=recompute)
    recomputing.start()
    assert computed.wait(10)
    # The deletion finds no committed score to cascade to, then waits for the recompute's lock on the member.
    deleting = threading.Thread(target=delete)
    deleting.start()
    try:
        wait_for_a_lock_wait()
    finally:
        release.set()
        recomputing.join(10)
        deleting.join(10)

    assert not Member.objects.filter(pk=member.pk).exists()
    assert not Score.objects.filter(member_id=member.pk).exists()
