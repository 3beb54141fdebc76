import pytest
from django.contrib.auth.models import User

from commitments.models import (
    Alignment,
    CommitmentPolicyArea,
    Origin,
    PolicyArea,
    PolicyAreaCrosswalk,
    ReviewEvent,
    ReviewStatus,
    SuggestionModel,
)
from commitments.suggestions.model import MIN_DECISIONS, load_classifiers, train_suggestion_models
from commitments.suggestions.suggest import MODEL_SHARE, SUGGESTION_THRESHOLD, suggest_alignments
from commitments.suggestions.text import LONG_BODY, model_text, rule_signals
from resolutions.models import ActionItem
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

DIGITAL_RIGHTS = "cta2019-digital-democracy-2"
ALGORITHMS = "cta2019-digital-democracy-3"
CIVIC_SPACE = "cta2019-civic-space-2"
GENDER = "cta2019-gender-inclusion-2"

PRIVACY_TEXT = (
    "The Ministry will prepare the budget calendar. It will adopt a personal data protection law, with an "
    "independent authority, after a public consultation with civil society."
)


def scores(title: str, text: str) -> dict[str, float]:
    return {code: signal.score for code, signal in rule_signals(title=title, full_text=text).items()}


def test_a_commitment_that_uses_digital_tools_is_not_suggested_as_governing_them():
    found = scores(
        "E-parliament portal",
        "Parliament will launch an e-parliament portal to livestream sessions and publish votes online, "
        "and move petitions to online services.",
    )
    assert found[DIGITAL_RIGHTS] < SUGGESTION_THRESHOLD
    assert found[ALGORITHMS] < SUGGESTION_THRESHOLD


def test_e_procurement_in_spanish_and_french_is_not_digital_governance():
    assert scores("", "Sistema de contratación electrónica y portal de compras en línea.")[DIGITAL_RIGHTS] < 0.5
    assert scores("", "Dématérialisation des marchés publics électroniques via un portail.")[DIGITAL_RIGHTS] < 0.5


def test_governing_digital_technology_is_suggested_in_three_languages():
    assert scores("", "Adopt a data protection law and protect privacy online.")[DIGITAL_RIGHTS] >= 0.5
    assert scores("", "Crear un registro público de algoritmos e inteligencia artificial.")[ALGORITHMS] >= 0.5
    assert scores("", "Réviser la loi sur la protection des données personnelles.")[DIGITAL_RIGHTS] >= 0.5


def test_accents_and_hyphens_are_folded_and_words_match_at_boundaries():
    assert scores("", "Garantizar la LIBERTAD DE ASOCIACIÓN de las organizaciones.")[CIVIC_SPACE] >= 0.5
    assert scores("", "Garantizar la libertad de asociacionismo deportivo.")[CIVIC_SPACE] == 0
    assert scores("", "Le ministère publiera des données.")[GENDER] == 0


def test_women_s_health_services_without_open_government_are_not_suggested():
    found = scores("Women's health clinics", "Build women's health clinics and train midwives in rural districts.")
    assert found[GENDER] < SUGGESTION_THRESHOLD


def test_the_passage_is_the_paragraph_that_made_the_case_as_offsets_into_the_full_text():
    text = (
        "Context. The Ministry will publish the budget calendar and hold hearings.\n\n"
        + PRIVACY_TEXT
        + "\nMilestones: publish the calendar; hold two hearings."
    )
    signal = rule_signals(title="Data", full_text=text)[DIGITAL_RIGHTS]
    assert text[signal.passage_start : signal.passage_end] == PRIVACY_TEXT


def test_offsets_survive_accented_characters_before_the_passage():
    text = "Élaboración participativa.\nSe garantizará la libertad de expresión y la protección de periodistas."
    signal = rule_signals(title="", full_text=text)[CIVIC_SPACE]
    assert text[signal.passage_start : signal.passage_end] == (
        "Se garantizará la libertad de expresión y la protección de periodistas."
    )


FILLER = (
    "The ministry will publish the budget, its execution reports and audit findings in open formats, hold "
    "quarterly hearings with citizens and report on progress to the multi-stakeholder forum. "
) * 8


def long_text(*paragraphs: str) -> str:
    text = "\n".join([FILLER, *paragraphs, FILLER])
    assert len(text) > LONG_BODY
    return text


def test_a_single_passing_mention_in_a_long_body_is_weak_and_the_same_cue_in_the_title_is_strong():
    body = long_text("Staff will be trained on data protection when handling requests.")
    assert scores("Open budget hearings", body)[DIGITAL_RIGHTS] < SUGGESTION_THRESHOLD
    assert scores("A data protection law", body)[DIGITAL_RIGHTS] >= SUGGESTION_THRESHOLD


def test_a_cue_in_the_title_counts_as_said_twice():
    assert scores("Support for journalists", long_text())[CIVIC_SPACE] >= SUGGESTION_THRESHOLD
    assert scores("Open budget hearings", long_text("Support for journalists."))[CIVIC_SPACE] < SUGGESTION_THRESHOLD


def test_a_cue_repeated_in_its_paragraph_is_stronger_than_said_once():
    once = scores("", "The government will protect journalists who report on local councils.")[CIVIC_SPACE]
    twice = scores(
        "", "The government will protect journalists; journalists who report on local councils get a hotline."
    )[CIVIC_SPACE]
    assert twice > once


def test_a_second_paragraph_adds_a_fading_share():
    one = scores("", "Protect journalists.\nPublish the budget.")[CIVIC_SPACE]
    two = scores("", "Protect journalists.\nPublish the budget.\nTrain journalists in safety.")[CIVIC_SPACE]
    assert one < two < 1 - (1 - one) ** 2


def test_digital_tool_traps_do_not_lower_a_strong_governing_cue():
    found = scores("", "Adopt a data protection law with an independent authority, consulted through the portal.")
    assert found[DIGITAL_RIGHTS] >= SUGGESTION_THRESHOLD
    weak = scores("", "Citizens will report broadband gaps through the portal.")
    assert weak[DIGITAL_RIGHTS] < scores("", "Citizens will report broadband gaps.")[DIGITAL_RIGHTS]


def test_the_enabling_environment_for_civil_society_is_civic_space_in_three_languages():
    assert (
        scores("Not-for-profit status for civil society", "Amend the law on non-profit organisations.")[CIVIC_SPACE]
        >= SUGGESTION_THRESHOLD
    )
    assert (
        scores("", "Reformar la ley de asociaciones y el financiamiento de la sociedad civil.")[CIVIC_SPACE]
        >= SUGGESTION_THRESHOLD
    )
    assert scores("", "Réviser le cadre de la vie associative et du bénévolat.")[CIVIC_SPACE] >= SUGGESTION_THRESHOLD
    assert scores("", "Adopt a new media law ensuring media pluralism.")[CIVIC_SPACE] >= SUGGESTION_THRESHOLD
    assert scores("", "NGOs will be invited to the working group.")[CIVIC_SPACE] < SUGGESTION_THRESHOLD


@pytest.mark.django_db
def test_it_suggests_an_alignment_with_confidence_passage_and_a_history_event(call_to_action):
    commitment = make_commitment(full_text=PRIVACY_TEXT)
    report = suggest_alignments()
    alignment = Alignment.objects.get(commitment=commitment)
    assert report.created == 1
    assert alignment.action_item.code == DIGITAL_RIGHTS
    assert alignment.status == ReviewStatus.SUGGESTED
    assert alignment.origin == Origin.CLASSIFIER
    assert alignment.confidence is not None and alignment.confidence >= SUGGESTION_THRESHOLD
    assert alignment.excerpt == PRIVACY_TEXT[alignment.passage_start : alignment.passage_end]
    assert alignment.text_hash == commitment.text_hash
    assert list(alignment.history.values_list("from_status", "to_status")) == [("", "suggested")]


@pytest.mark.django_db
def test_process_items_are_never_suggested_from_text(call_to_action):
    make_commitment(full_text="Strengthen the multi-stakeholder forum and co-creation with women's groups.")
    suggest_alignments()
    codes = set(Alignment.objects.values_list("action_item__code", flat=True))
    assert not codes & {"cta2019-civic-space-1", "cta2019-civic-space-3", "cta2019-gender-inclusion-1"}


@pytest.mark.django_db
def test_running_twice_changes_nothing(call_to_action):
    make_commitment(full_text=PRIVACY_TEXT)
    suggest_alignments()
    again = suggest_alignments()
    assert (again.created, again.updated, again.withdrawn) == (0, 0, 0)
    assert ReviewEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_rejected_suggestion_is_not_suggested_again_unless_the_text_changes(call_to_action):
    commitment = make_commitment(full_text=PRIVACY_TEXT)
    suggest_alignments()
    alignment = Alignment.objects.get()
    alignment.status = ReviewStatus.REJECTED
    alignment.decided_at = alignment.updated_at
    alignment.save()

    suggest_alignments()
    alignment.refresh_from_db()
    assert alignment.status == ReviewStatus.REJECTED

    commitment.full_text = PRIVACY_TEXT + " The law will also cover data rights of children."
    commitment.save()
    report = suggest_alignments(commitment_ids=[commitment.pk])
    alignment.refresh_from_db()
    assert report.resuggested == 1
    assert alignment.status == ReviewStatus.SUGGESTED
    assert alignment.decided_at is None
    assert list(alignment.history.values_list("to_status", flat=True)) == ["suggested", "suggested"]


@pytest.mark.django_db
def test_confirmed_and_reviewer_made_alignments_are_never_touched(call_to_action):
    commitment = make_commitment(full_text="Publish the budget.")
    confirmed = make_alignment(
        commitment, ActionItem.objects.get(code=DIGITAL_RIGHTS), status=ReviewStatus.CONFIRMED, confidence=0.1
    )
    by_hand = make_alignment(commitment, ActionItem.objects.get(code=GENDER), origin=Origin.REVIEWER, confidence=None)
    suggest_alignments()
    confirmed.refresh_from_db()
    by_hand.refresh_from_db()
    assert (confirmed.status, confirmed.confidence) == (ReviewStatus.CONFIRMED, 0.1)
    assert by_hand.confidence is None


@pytest.mark.django_db
def test_a_suggestion_falling_below_the_threshold_is_withdrawn_with_its_history_and_one_above_is_updated(
    call_to_action,
):
    commitment = make_commitment(full_text=PRIVACY_TEXT)
    other = make_commitment(full_text=PRIVACY_TEXT)
    suggest_alignments()
    commitment.full_text = "Publish the budget in open formats."
    commitment.save()
    other.full_text = "Adopt a data protection law. Protect privacy and data rights online."
    other.save()
    report = suggest_alignments()
    assert report.withdrawn == 1
    assert report.updated == 1
    stale = Alignment.objects.get(commitment=commitment)
    assert (stale.status, stale.decided_by, stale.version) == (ReviewStatus.WITHDRAWN, None, 2)
    assert list(stale.history.values_list("from_status", "to_status")) == [
        ("", "suggested"),
        ("suggested", "withdrawn"),
    ]
    assert not Alignment.objects.filter(status=ReviewStatus.SUGGESTED, commitment=commitment).exists()
    assert Alignment.objects.get(commitment=other).excerpt == (
        "Adopt a data protection law. Protect privacy and data rights online."
    )


@pytest.mark.django_db
def test_member_filter_limits_the_run(call_to_action):
    alb = make_action_plan(make_member(code="ALB"))
    make_commitment(alb, full_text=PRIVACY_TEXT)
    make_commitment(full_text=PRIVACY_TEXT)
    report = suggest_alignments(member_code="ALB")
    assert report.commitments == 1
    assert Alignment.objects.get().commitment.member.code == "ALB"


@pytest.mark.django_db
def test_a_policy_area_tag_alone_makes_an_import_suggestion_through_the_crosswalk(call_to_action):
    commitment = make_commitment(full_text="Publish the budget in open formats.")
    area = PolicyArea.objects.create(name="Gender", slug="gender")
    PolicyAreaCrosswalk.objects.create(policy_area=area, action_item=ActionItem.objects.get(code=GENDER), weight=1)
    CommitmentPolicyArea.objects.create(commitment=commitment, policy_area=area)
    suggest_alignments()
    alignment = Alignment.objects.get()
    assert (alignment.action_item.code, alignment.origin, alignment.status) == (GENDER, "import", "suggested")
    assert alignment.passage_start is None


@pytest.mark.django_db
def test_a_tag_marked_no_data_or_a_weak_crosswalk_alone_suggests_nothing(call_to_action):
    commitment = make_commitment(full_text="Publish the budget in open formats.")
    strong = PolicyArea.objects.create(name="Gender", slug="gender")
    weak = PolicyArea.objects.create(name="Youth", slug="youth")
    item = ActionItem.objects.get(code=GENDER)
    PolicyAreaCrosswalk.objects.create(policy_area=strong, action_item=item, weight=1)
    PolicyAreaCrosswalk.objects.create(policy_area=weak, action_item=item, weight=0.5)
    CommitmentPolicyArea.objects.create(commitment=commitment, policy_area=strong, value="nd")
    CommitmentPolicyArea.objects.create(commitment=commitment, policy_area=weak)
    suggest_alignments()
    assert not Alignment.objects.exists()


@pytest.mark.django_db
def test_an_era_crosswalk_points_at_each_commitment_item_of_the_era(call_to_action):
    commitment = make_commitment(full_text="Modernise the tax administration.")
    area = PolicyArea.objects.create(name="Digital Governance", slug="digital-governance")
    era = ActionItem.objects.get(code=DIGITAL_RIGHTS).era
    PolicyAreaCrosswalk.objects.create(policy_area=area, era=era, weight=1)
    CommitmentPolicyArea.objects.create(commitment=commitment, policy_area=area)
    suggest_alignments()
    assert set(Alignment.objects.values_list("action_item__code", flat=True)) == {DIGITAL_RIGHTS, ALGORITHMS}


def _decided_cases(count: int, *, item: ActionItem, reviewer: User) -> None:
    plan = make_action_plan()
    for n in range(count):
        positive = n % 2 == 0
        text = (
            f"Case {n}: adopt safeguards for citizens' personal information held by ministries."
            if positive
            else f"Case {n}: resurface rural roads and publish the contracts."
        )
        make_alignment(
            make_commitment(plan, full_text=text),
            item,
            status=ReviewStatus.CONFIRMED if positive else ReviewStatus.REJECTED,
            decided_by=reviewer,
        )


@pytest.mark.django_db
def test_a_model_is_trained_only_once_reviewers_have_decided_enough_cases(call_to_action, reviewer):
    item = ActionItem.objects.get(code=DIGITAL_RIGHTS)
    _decided_cases(MIN_DECISIONS - 2, item=item, reviewer=reviewer)
    assert DIGITAL_RIGHTS in train_suggestion_models().skipped
    _decided_cases(2, item=item, reviewer=reviewer)
    report = train_suggestion_models()
    assert report.trained[DIGITAL_RIGHTS] == (MIN_DECISIONS // 2, MIN_DECISIONS // 2)
    assert SuggestionModel.objects.get(action_item=item).version == 1


@pytest.mark.django_db
def test_the_trained_model_is_blended_into_the_confidence(call_to_action, reviewer):
    item = ActionItem.objects.get(code=DIGITAL_RIGHTS)
    _decided_cases(30, item=item, reviewer=reviewer)
    commitment = make_commitment(title="Data", full_text=PRIVACY_TEXT)
    train_suggestion_models()
    suggest_alignments(commitment_ids=[commitment.pk])
    rule = rule_signals(title="Data", full_text=PRIVACY_TEXT)[DIGITAL_RIGHTS].score
    probability = load_classifiers()[item.pk].predict_proba([model_text(title="Data", full_text=PRIVACY_TEXT)])[0][1]
    stored = Alignment.objects.get(commitment=commitment, action_item=item).confidence
    assert stored == round((1 - MODEL_SHARE) * rule + MODEL_SHARE * probability, 3)
