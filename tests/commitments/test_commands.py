import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

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


@pytest.mark.django_db(transaction=True)  # committed, so that the workers' own connections see the data
def test_bench_scores_prints_its_figures_and_removes_what_it_generated(call_to_action):
    out = io.StringIO()

    call_command("bench_scores", "--members", "20", "--commitments", "60", "--chunk-size", "6", stdout=out)

    printed = out.getvalue()
    for figure in ("Bare SQL aggregate (floor", "Incremental recompute", "Peak Python memory"):
        assert figure in printed
    recomputes = [line for line in printed.splitlines() if line.startswith("Full recompute")]
    workers = 2 if connection.vendor == "postgresql" else 1  # SQLite takes one writer at a time
    assert len(recomputes) == 1 + workers  # the first computation, then nothing changed on one worker and on two
    for line in recomputes:
        assert "best of 3" in line
        assert re.search(r"ratio to the floor timed just before each run [\d.]+, [\d.]+, [\d.]+: median [\d.]+$", line)
    # Each first computation really is one: the 20 generated members' four scores are written again, by
    # the workers sharing the chunks (the frameworks' 5 members keep theirs).
    assert f"first, {workers} worker" in recomputes[0] and "25 members in 5 chunks, 80 scores" in recomputes[0]
    assert all("nothing changed, 0 written" in line for line in recomputes[1:])
    assert not Member.objects.filter(code__startswith="BX").exists()


@pytest.mark.django_db
def test_bench_scores_refuses_a_database_holding_real_data(call_to_action):
    make_commitment()

    with pytest.raises(CommandError, match="did not make"):
        call_command("bench_scores", "--members", "20", "--commitments", "60", stdout=io.StringIO())
