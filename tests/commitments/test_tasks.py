import pytest
from django.core.management import call_command

from commitments.models import Alignment
from commitments.tasks import request_suggestions, retrain_suggestion_model, suggest_alignments_for
from tests.factories import make_commitment

TEXT = "Adopt a personal data protection law with an independent authority."


@pytest.mark.django_db
def test_requesting_suggestions_runs_them_after_commit(call_to_action, django_capture_on_commit_callbacks):
    commitment = make_commitment(full_text=TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        request_suggestions([commitment.pk, commitment.pk])
    assert Alignment.objects.filter(commitment=commitment).count() == 1


@pytest.mark.django_db
def test_retraining_without_enough_decisions_trains_nothing(call_to_action):
    assert retrain_suggestion_model.delay().get() == "no model trained"


@pytest.mark.django_db
def test_the_command_suggests_for_one_member(call_to_action, capsys):
    commitment = make_commitment(full_text=TEXT)
    call_command("suggest_alignments", "--member", commitment.member.code)
    assert "1 commitments: 1 suggested" in capsys.readouterr().out


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_suggests_alignments(celery_worker_process, transactional_db):
    from resolutions.frameworks import load_frameworks

    load_frameworks()
    commitment = make_commitment(full_text=TEXT)
    result = suggest_alignments_for.delay([commitment.pk]).get(timeout=60)
    assert result.startswith("1 commitments: 1 suggested")
    assert Alignment.objects.filter(commitment=commitment).exists()
