import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_bench_import_drains_the_suggestions_the_import_marked_and_costs_each_signal(call_to_action, capsys):
    call_command("bench_import", rows=100)
    out = capsys.readouterr().out
    assert "Suggesting (suggest_pending, 500 per chunk" in out
    assert "100 of 100 marked commitments x 4 items" in out
    assert "Per commitment: vocabulary rules" in out and "trained models" in out
