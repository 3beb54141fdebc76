import io

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Member, RecomputeRun, Score
from tests.factories import make_commitment, make_member


@pytest.mark.django_db
def test_recompute_scores_sync_scores_every_member_here(call_to_action):
    out = io.StringIO()

    call_command("recompute_scores", "--sync", "--version", "v1", stdout=out)

    assert "5 members" in out.getvalue()
    assert Score.objects.filter(methodology_version="v1").count() == 5 * 4
    assert RecomputeRun.objects.get().status == "done"


@pytest.mark.django_db
def test_recompute_scores_for_one_member(call_to_action):
    member = make_member(code="EXL")

    call_command("recompute_scores", "--member", "EXL", "--sync", stdout=io.StringIO())

    assert Score.objects.filter(member=member).count() == 4
    assert Score.objects.exclude(member=member).count() == 0


@pytest.mark.django_db
def test_recompute_scores_refuses_an_unknown_version_or_member(call_to_action):
    with pytest.raises(CommandError, match="Unknown methodology version"):
        call_command("recompute_scores", "--version", "v9")
    with pytest.raises(CommandError, match="No member"):
        call_command("recompute_scores", "--member", "NOPE")


@pytest.mark.django_db
def test_bench_scores_prints_its_figures_and_removes_what_it_generated(call_to_action):
    out = io.StringIO()

    call_command("bench_scores", "--members", "20", "--commitments", "60", "--workers", "1", stdout=out)

    printed = out.getvalue()
    for figure in ("Bare SQL aggregate (floor", "ratio to floor", "Incremental recompute", "Peak Python memory"):
        assert figure in printed
    # Each first computation really is one: every generated member's four scores are written again.
    (first,) = [line for line in printed.splitlines() if line.startswith("Full recompute, first")]
    assert "best of 3" in first and "80 scores" in first
    assert "nothing changed, 0 written; best of 3" in printed
    assert not Member.objects.filter(code__startswith="BX").exists()


@pytest.mark.django_db
def test_bench_scores_refuses_a_database_holding_real_data(call_to_action):
    make_commitment()

    with pytest.raises(CommandError, match="did not make"):
        call_command("bench_scores", "--members", "20", "--commitments", "60", stdout=io.StringIO())
