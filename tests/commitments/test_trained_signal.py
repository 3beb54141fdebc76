"""The trained signal: weak labels from tags and decisions, a cross-validated threshold, the gate, and where it is
used; and suggesting as chunks fanned out over Celery."""

import pickle
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from commitments.models import (
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    PendingSuggestion,
    PolicyArea,
    ReviewStatus,
    SuggestionModel,
)
from commitments.suggestions.crosswalk import load_crosswalk
from commitments.suggestions.model import (
    load_classifiers,
    suggestible_items,
    train_suggestion_models,
    training_labels,
)
from commitments.suggestions.suggest import SUGGESTION_THRESHOLD, suggest_alignments, suggest_marked
from commitments.tasks import retrain_suggestion_model, suggest_pending_alignments
from ogp_tracker.celery import app as celery_app
from resolutions.frameworks import load_frameworks
from resolutions.models import ActionItem
from tests.commitments.test_tasks import wait_for
from tests.factories import make_action_plan, make_alignment, make_commitment

DIGITAL_RIGHTS = "cta2019-digital-democracy-2"
# No vocabulary cue: the rules cannot find these, a model trained on them can.
QUIET_POSITIVE = "Case {n}: adopt safeguards for citizens' records kept by ministries, with a supervisory office."
# The rules find these easily.
LOUD_POSITIVE = "Case {n}: adopt a personal data protection law with an independent data protection authority."
NEGATIVE = "Case {n}: resurface rural roads and publish the contracts."
PLAIN = "Resurface rural roads and publish the contracts."


class ConstantClassifier:
    """Says the same probability for every text."""

    def __init__(self, probability: float) -> None:
        self.probability = probability

    def predict_proba(self, texts: Sequence[str]) -> Any:
        return np.array([[1 - self.probability, self.probability] for _ in texts])


def _tag(commitment: Commitment, name: str) -> None:
    area = PolicyArea.objects.get(name=name)
    CommitmentPolicyArea.objects.create(commitment=commitment, policy_area=area)


def _tagged_cases(count: int, positive: str) -> list[Commitment]:
    """Half tagged Data Stewardship and Privacy (digital rights), half tagged Public Participation only."""
    plan = make_action_plan()
    made = []
    for n in range(count):
        is_positive = n % 2 == 0
        commitment = make_commitment(plan, full_text=(positive if is_positive else NEGATIVE).format(n=n))
        _tag(commitment, "Data Stewardship and Privacy" if is_positive else "Public Participation")
        made.append(commitment)
    return made


def _stored(probability: float, *, threshold: float, active: bool) -> SuggestionModel:
    return SuggestionModel.objects.create(
        action_item=ActionItem.objects.get(code=DIGITAL_RIGHTS),
        version=1,
        trained_at=timezone.now(),
        positives=10,
        negatives=10,
        threshold=threshold,
        active=active,
        payload=pickle.dumps(ConstantClassifier(probability)),
    )


def _suggested_for(commitment: Commitment) -> set[str]:
    return set(
        Alignment.objects.filter(commitment=commitment, status=ReviewStatus.SUGGESTED).values_list(
            "action_item__code", flat=True
        )
    )


# --- training -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tags_alone_train_a_model_and_untagged_commitments_are_not_examples(call_to_action, capsys):
    load_crosswalk()
    _tagged_cases(60, QUIET_POSITIVE)
    for n in range(15):  # untagged: nothing says what they are about, so they are neither positive nor negative
        make_commitment(full_text=QUIET_POSITIVE.format(n=100 + n))
        make_commitment(full_text=NEGATIVE.format(n=200 + n))

    report = train_suggestion_models()

    training = report.trained[DIGITAL_RIGHTS]
    assert (training.tag_positives, training.tag_negatives) == (30, 30)
    assert (training.decision_positives, training.decision_negatives) == (0, 0)
    row = SuggestionModel.objects.get(action_item__code=DIGITAL_RIGHTS)
    assert (row.tag_positives, row.tag_negatives, row.positives, row.negatives) == (30, 30, 30, 30)
    # The rules see no cue in these texts; the model learned them, beat the rules on the held-out part, and is used.
    assert row.rules_f1 == 0.0 and row.model_f1 > 0.9 and row.active
    assert row.threshold != 0.5 and 0 < row.threshold < 1  # chosen by cross-validation
    assert 0 < row.held_out < 60
    assert set(load_classifiers()) == {row.action_item_id}

    call_command("train_suggestion_model")
    out = capsys.readouterr().out
    assert f"trained {DIGITAL_RIGHTS}: tags 30+/30-, decisions 0+/0-; threshold " in out
    assert f"model F1 {row.model_f1:.2f}, rules F1 0.00: active" in out


@pytest.mark.django_db
def test_a_model_that_does_not_beat_the_rules_is_stored_inactive_and_never_loaded(call_to_action, capsys):
    load_crosswalk()
    _tagged_cases(60, LOUD_POSITIVE)

    training = train_suggestion_models().trained[DIGITAL_RIGHTS]

    row = SuggestionModel.objects.get(action_item__code=DIGITAL_RIGHTS)
    assert row.rules_f1 == 1.0 and not row.active and not training.active
    assert load_classifiers() == {}
    call_command("train_suggestion_model")
    assert "rules F1 1.00: inactive, rules kept" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_reviewer_s_decision_overrides_the_tags_of_the_same_commitment(call_to_action, reviewer: User):
    load_crosswalk()
    tagged_positive, tagged_negative = _tagged_cases(2, QUIET_POSITIVE)
    item = ActionItem.objects.get(code=DIGITAL_RIGHTS)
    make_alignment(tagged_positive, item, status=ReviewStatus.REJECTED, decided_by=reviewer)
    make_alignment(tagged_negative, item, status=ReviewStatus.CONFIRMED, decided_by=reviewer)
    untagged = make_commitment(full_text=PLAIN)
    make_alignment(untagged, item, status=ReviewStatus.CONFIRMED, decided_by=reviewer)

    labels, counts = training_labels(suggestible_items())

    assert labels[item.pk] == {tagged_positive.pk: 0, tagged_negative.pk: 1, untagged.pk: 1}
    training = counts[item.pk]
    assert (training.tag_positives, training.tag_negatives) == (0, 0)
    assert (training.decision_positives, training.decision_negatives) == (2, 1)


@pytest.mark.django_db
def test_weak_labels_follow_the_crosswalk_era_links_and_strong_item_links_only(call_to_action):
    load_crosswalk()
    plan = make_action_plan()
    by_tag = {}
    for name in ("Digital Governance", "Gender", "Youth", "Public Participation"):
        by_tag[name] = make_commitment(plan, full_text=PLAIN)
        _tag(by_tag[name], name)
    labels, _ = training_labels(suggestible_items())
    codes = {item.pk: item.code for item in suggestible_items()}
    positives = {codes[item_id]: {pk for pk, label in found.items() if label} for item_id, found in labels.items()}
    assert by_tag["Digital Governance"].pk in positives[DIGITAL_RIGHTS]  # an era link
    assert by_tag["Digital Governance"].pk in positives["cta2019-digital-democracy-3"]
    assert positives["cta2019-gender-inclusion-2"] == {by_tag["Gender"].pk}  # Youth (0.5) asks for a gap in the text
    assert by_tag["Public Participation"].pk not in set().union(*positives.values())  # a process item


@pytest.mark.django_db
def test_retraining_marks_only_the_commitments_without_tags_again(call_to_action):
    load_crosswalk()
    _tagged_cases(60, QUIET_POSITIVE)
    untagged = make_commitment(full_text=PLAIN)
    assert retrain_suggestion_model() == "1 commitments marked for suggestions"
    assert list(PendingSuggestion.objects.values_list("commitment_id", flat=True)) == [untagged.pk]


# --- suggesting -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_inactive_model_is_never_used_and_an_active_one_is(call_to_action):
    commitment = make_commitment(full_text=PLAIN)
    stored = _stored(0.9, threshold=0.3, active=False)
    suggest_alignments()
    assert _suggested_for(commitment) == set()

    SuggestionModel.objects.filter(pk=stored.pk).update(active=True)
    suggest_alignments()
    assert _suggested_for(commitment) == {DIGITAL_RIGHTS}
    alignment = Alignment.objects.get(commitment=commitment)
    assert (alignment.origin, alignment.passage_start) == ("classifier", None)


@pytest.mark.django_db
def test_a_model_speaks_only_for_commitments_without_tags(call_to_action):
    load_crosswalk()
    untagged = make_commitment(full_text=PLAIN)
    tagged = make_commitment(full_text=PLAIN)
    _tag(tagged, "Public Participation")  # a tag that points at no commitment item
    _stored(0.9, threshold=0.3, active=True)
    suggest_alignments()
    assert _suggested_for(untagged) == {DIGITAL_RIGHTS}
    assert _suggested_for(tagged) == set()  # rules and tags only: neither says digital


@pytest.mark.django_db
def test_the_probability_is_read_against_the_model_s_own_threshold_not_a_half(call_to_action):
    below_half = make_commitment(full_text=PLAIN)
    stored = _stored(0.3, threshold=0.2, active=True)
    suggest_alignments()
    confidence = Alignment.objects.get(commitment=below_half).confidence
    # 0.3 is above the model's threshold 0.2: [0.2, 1] maps onto [0.5, 1].
    assert confidence == round(SUGGESTION_THRESHOLD + (1 - SUGGESTION_THRESHOLD) * (0.3 - 0.2) / 0.8, 3)

    SuggestionModel.objects.filter(pk=stored.pk).update(threshold=0.4)
    suggest_alignments()
    assert _suggested_for(below_half) == set()  # withdrawn: 0.3 is under this model's threshold


# --- fanned out over Celery ------------------------------------------------------------------------------------


def _marked(count: int) -> list[Commitment]:
    plan = make_action_plan()
    made = [
        make_commitment(plan, full_text="Adopt a personal data protection law with an independent authority.")
        for _ in range(count)
    ]
    now = timezone.now()
    PendingSuggestion.objects.bulk_create([PendingSuggestion(commitment=c, requested_at=now) for c in made])
    return made


@pytest.mark.django_db
def test_suggesting_in_process_runs_every_chunk(call_to_action):
    made = _marked(5)
    assert suggest_pending_alignments.apply(kwargs={"chunk_size": 2}).get() == 3
    assert Alignment.objects.filter(commitment__in=made).count() == 5
    assert not PendingSuggestion.objects.exists()


@pytest.mark.django_db
def test_a_chunk_delivered_twice_does_its_work_once_and_only_for_marked_commitments(call_to_action):
    *chunk, other_chunk = _marked(4)
    unmarked = make_commitment(full_text="Adopt a personal data protection law with an independent authority.")
    ids = [commitment.pk for commitment in chunk] + [unmarked.pk]
    assert suggest_marked(ids).commitments == 3
    assert suggest_marked(ids).commitments == 0
    assert not Alignment.objects.filter(commitment=unmarked).exists()
    # another chunk's commitment is left to its own task, still marked
    assert list(PendingSuggestion.objects.values_list("commitment_id", flat=True)) == [other_chunk.pk]


def test_the_plan_publishes_one_chunk_task_per_chunk(broker_queue, transactional_db):
    load_frameworks()
    made = _marked(5)
    assert suggest_pending_alignments.run(chunk_size=2) == 3
    assert broker_queue.task_names() == ["commitments.suggest_alignment_chunk"] * 3
    assert PendingSuggestion.objects.count() == 5  # the markers stay until each chunk has committed
    assert not Alignment.objects.filter(commitment__in=made).exists()


@pytest.mark.celery_worker
def test_a_real_worker_suggests_for_every_chunk(celery_worker_process, transactional_db):
    load_frameworks()
    made = _marked(7)
    planned = celery_app.send_task("commitments.suggest_pending_alignments", kwargs={"chunk_size": 2})
    assert planned.get(timeout=60) == 4
    wait_for(lambda: Alignment.objects.filter(commitment__in=made).count() == 7)
    wait_for(lambda: not PendingSuggestion.objects.exists())


@pytest.mark.django_db
def test_the_admin_shows_the_gate_figures_and_lets_nobody_edit_them(admin_client, call_to_action):
    row = _stored(0.9, threshold=0.237, active=False)
    SuggestionModel.objects.filter(pk=row.pk).update(model_f1=0.41, rules_f1=0.66, held_out_positives=6)
    url = f"/admin/commitments/suggestionmodel/{row.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    for shown in (b"0.41", b"0.66", b"0.237", b"Held out positives"):
        assert shown in page.content
    assert b'name="model_f1"' not in page.content and b'name="active"' not in page.content
    admin_client.post(url, {"model_f1": "0.99", "active": "on"})
    row.refresh_from_db()
    assert (row.model_f1, row.active) == (0.41, False)
