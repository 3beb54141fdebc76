import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_bench_import_suggests_in_chunk_tasks_and_costs_each_signal_alone(call_to_action, capsys):
    call_command("bench_import", commitments=100)
    out = capsys.readouterr().out
    assert "Suggesting (suggest_pending_alignments: 1 chunk tasks of up to 500" in out
    assert "100 of 100 marked commitments x 4 items" in out
    assert "Per commitment, each signal alone over 100 commitments: vocabulary rules" in out
    assert "policy-area tags" in out and "trained model" in out
