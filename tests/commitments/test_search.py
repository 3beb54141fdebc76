"""Full-text search over commitments: the language of each text picks its dictionary, and the index serves it."""

import pytest
from django.db import connection

from commitments.models import Commitment
from commitments.search import detect_language, highlight, search_commitments
from tests.conftest import missing_service
from tests.factories import make_commitment

SPANISH = (
    "El Ministerio de Justicia elaborará con las organizaciones de la sociedad civil una ley de protección de "
    "datos personales, que crea una autoridad independiente para los ciudadanos y las ciudadanas."
)
FRENCH = (
    "Le ministère publiera les données budgétaires et créera une autorité indépendante pour la protection des "
    "données personnelles, en lien avec la société civile et les associations du territoire."
)
ENGLISH = (
    "The Ministry of Justice will draft with civil society a personal data protection law, and create an "
    "independent authority to protect the privacy of citizens in the digital realm."
)


def test_the_language_of_a_text_is_told_from_its_function_words():
    assert detect_language("Ley de protección de datos", SPANISH) == "es"
    assert detect_language("Protection des données", FRENCH) == "fr"
    assert detect_language("Data protection", ENGLISH) == "en"
    assert detect_language("e-Parliament") == ""  # too little to tell


@pytest.mark.django_db
def test_a_search_finds_words_in_the_language_they_are_written_in_ranked_with_the_match_highlighted():
    spanish = make_commitment(title="Ley de datos personales", full_text=SPANISH, language="es")
    english = make_commitment(title="Data protection law", full_text=ENGLISH, language="en")
    make_commitment(title="Open budget", full_text="Publish the budget <b>in</b> open formats.", language="en")

    found = list(search_commitments(query="independent authority"))
    assert found == [english]
    assert "<mark>" in highlight(found[0], "independent authority")
    assert list(search_commitments(query="privacy citizens")) == [english]
    assert list(search_commitments(query="protección datos")) == [spanish]
    assert list(search_commitments(query="")) == []


@pytest.mark.django_db
def test_on_postgresql_words_match_in_their_own_language_whatever_their_ending(call_to_action):
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL's full-text search needs PostgreSQL (set DATABASE_URL)")
    spanish = make_commitment(title="Ley de datos personales", full_text=SPANISH, language="es")
    english = make_commitment(title="Data protection law", full_text=ENGLISH, language="en")
    assert list(search_commitments(query="protecting privacies")) == [english]  # stems: protect, privaci
    assert list(search_commitments(query="autoridades independientes")) == [spanish]
    assert list(search_commitments(query='"data protection" -budget')) == [english]


@pytest.mark.django_db
def test_a_snippet_is_escaped_text_with_only_the_highlight_as_markup():
    text = "Publish the budget & the audit <script>alert(1)</script> openly, for R&D."
    commitment = make_commitment(title="Budget", full_text=text, language="en")
    (found,) = search_commitments(query="publish")
    snippet = highlight(found, "publish")
    assert "<script>" not in snippet
    assert "<mark>Publish</mark> the budget &amp; the audit" in snippet
    assert Commitment.objects.get(pk=commitment.pk).full_text == text


@pytest.mark.django_db
def test_on_postgresql_the_search_reads_the_stored_vectors_index_for_each_dictionary(call_to_action):
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL's full-text search needs PostgreSQL (set DATABASE_URL)")
    make_commitment(full_text=ENGLISH, language="en")
    sql, params = search_commitments(query="data protection").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count("Bitmap Index Scan on commitment_search_vector") == 4, plan  # one per dictionary
    assert "to_tsvector" not in plan  # no text is parsed again to match or to recheck


@pytest.mark.django_db
def test_on_postgresql_the_stored_vector_follows_the_text_and_its_language(call_to_action):
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL's full-text search needs PostgreSQL (set DATABASE_URL)")
    commitment = make_commitment(title="Ley", full_text="Proteger los datos personales de las personas.", language="es")
    assert [c.pk for c in search_commitments(query="dato")] == [commitment.pk]  # Spanish stemming
    Commitment.objects.filter(pk=commitment.pk).update(full_text="Publish the budgets.", language="en")
    assert [c.pk for c in search_commitments(query="budget")] == [commitment.pk]
    assert list(search_commitments(query="dato")) == []
