"""The existing pages in Spanish and French: interface strings from the catalogues, framework texts from the
database, choice labels translated, and English where a framework text has no translation."""

from html import unescape

import pytest
from django.test import Client

from commitments.models import ReviewStatus
from commitments.scoring.compute import recompute_members
from resolutions.models import ActionItem, Era
from tests.factories import make_action_plan, make_alignment, make_commitment, make_member

pytestmark = pytest.mark.django_db

ES = {
    "chrome": "Cola de revisión",
    "era": "Oportunidades digitales para profundizar la participación democrática",
    "item_title": "Compromisos sobre derechos democráticos en el ámbito digital",
    "item_text": "Desarrollar y promover algoritmos e inteligencia artificial abiertos y éticos.",
    "region": "Américas",
}
FR = {
    "chrome": "File de relecture",
    "era": "Possibilités numériques pour approfondir la participation démocratique",
    "item_title": "Engagements sur les droits démocratiques dans l'espace numérique",
    "item_text": "Développer et promouvoir des algorithmes et une intelligence artificielle ouverts et éthiques.",
    "region": "Amériques",
}
WORDS = {"es": ES, "fr": FR}


@pytest.fixture
def member(call_to_action):
    member = make_member(code="STR", name="Strongland", region="americas")
    commitment = make_commitment(make_action_plan(member, submitted_year=2019, end_year=2021), ogp_id="STR0001")
    item = ActionItem.objects.get(code="cta2019-digital-democracy-2")
    make_alignment(commitment, item, status=ReviewStatus.CONFIRMED, excerpt="data", rationale="Law.")
    make_alignment(make_commitment(ogp_id="STR0002"), item, status=ReviewStatus.SUGGESTED)
    recompute_members(member_ids=[member.pk])
    return member


def html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_call_to_action_reads_in_the_visitors_language(call_to_action, language):
    page = html(Client(HTTP_ACCEPT_LANGUAGE=language), "/call-to-action/")
    assert WORDS[language]["item_text"] in page
    assert WORDS[language]["era"].lower() in page
    assert "Develop and promote open, ethical algorithms" not in page


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_member_pages_read_in_the_visitors_language(member, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    listing = html(client, "/members/")
    assert WORDS[language]["region"] in listing
    detail = html(client, "/members/STR/")
    assert WORDS[language]["era"] in detail
    assert WORDS[language]["item_title"] in detail
    assert "Commitments on democratic rights in the digital realm" not in detail


@pytest.mark.parametrize(("language", "heading"), [("es", "La fórmula"), ("fr", "La formule")])
def test_the_methodology_reads_in_the_visitors_language(call_to_action, language, heading):
    assert f"<h2>{heading}</h2>" in html(Client(HTTP_ACCEPT_LANGUAGE=language), "/methodology/")


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_review_pages_read_in_the_reviewers_language(member, reviewer_client, language):
    reviewer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    queue = html(reviewer_client, "/review/")
    assert WORDS[language]["chrome"] in queue
    assert WORDS[language]["item_title"] in queue
    suggestion = member.action_plans.get().commitments.get(ogp_id="STR0001")  # confirmed one has a page too
    detail = html(reviewer_client, f"/review/{suggestion.alignments.get().pk}/")
    assert WORDS[language]["era"] in detail
    assert {"es": "Confirmada", "fr": "Confirmé"}[language] in detail


def test_the_review_message_names_the_item_in_the_reviewers_language(member, reviewer_client):
    reviewer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    alignment = ActionItem.objects.get(code="cta2019-digital-democracy-2").alignments.get(status="suggested")
    response = reviewer_client.post(
        f"/review/{alignment.pk}/",
        {"decision": "reject", "rationale": "Non.", "passage_start": "", "passage_end": "", "version": 1},
        follow=True,
    )
    assert f"Rejeté : STR0002 pour « {FR['item_title']} »" in unescape(response.content.decode())


def test_a_framework_text_without_a_translation_shows_in_english(member):
    Era.objects.filter(key="digital-democracy").update(title_es="")
    page = html(Client(HTTP_ACCEPT_LANGUAGE="es"), "/members/STR/")
    assert "Digital opportunities for deepening democratic engagement" in page
    assert ES["item_title"] in page


@pytest.mark.parametrize(
    ("language", "grades"),
    [("en", ["Moderate", "Not Started"]), ("es", ["Moderado", "No iniciado"]), ("fr", ["Modéré", "Non commencé"])],
)
def test_the_methodology_names_its_grades_in_the_visitors_language(language, grades):
    page = unescape(Client(HTTP_ACCEPT_LANGUAGE=language).get("/methodology/").content.decode())
    for grade in grades:
        assert f"<td>{grade}</td>" in page
    assert "<td>notstarted</td>" not in page and "<td>moderate</td>" not in page
