import pytest
from django.db import IntegrityError, transaction

from commitments.models import NO_DATA, Alignment, Commitment, ReviewStatus
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member


@pytest.mark.django_db
def test_an_ogp_commitment_id_is_unique():
    plan = make_action_plan()
    make_commitment(plan, ogp_id="AL0002")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_commitment(plan, ogp_id="AL0002")


@pytest.mark.django_db
def test_irm_fields_default_to_no_data_not_zero():
    commitment = make_commitment()
    assert commitment.potential_impact == NO_DATA
    assert commitment.completion_end_of_term == NO_DATA


@pytest.mark.django_db
def test_one_alignment_per_commitment_and_action_item(call_to_action):
    commitment = make_commitment()
    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    make_alignment(commitment, item)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_alignment(commitment, item, status=ReviewStatus.CONFIRMED)


@pytest.mark.django_db
def test_a_decided_alignment_must_carry_its_decision_time(call_to_action):
    commitment = make_commitment()
    item = ActionItem.objects.get(code="cta2019-civic-space-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alignment.objects.create(
            commitment=commitment, action_item=item, status=ReviewStatus.CONFIRMED, origin="reviewer"
        )


@pytest.mark.django_db
def test_an_action_plan_cannot_end_before_it_starts():
    member = make_member()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action_plan(member, submitted_year=2020, end_year=2018)


@pytest.mark.django_db
def test_commitment_string_names_its_ogp_id():
    commitment = make_commitment(ogp_id="PNG0012", short_title="Open budgets")
    assert str(Commitment.objects.get(pk=commitment.pk)) == "PNG0012: Open budgets"
