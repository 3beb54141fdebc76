"""The rules that read a commitment like a reviewer: incidental mentions, weak-only evidence, tools, vocabulary."""

from commitments.suggestions.suggest import SUGGESTION_THRESHOLD
from commitments.suggestions.text import WEAK_ONLY_CAP, rule_signals

DIGITAL_RIGHTS = "cta2019-digital-democracy-2"
ALGORITHMS = "cta2019-digital-democracy-3"
CIVIC_SPACE = "cta2019-civic-space-2"
GENDER = "cta2019-gender-inclusion-2"


def score(code: str, text: str, title: str = "") -> float:
    return rule_signals(title=title, full_text=text)[code].score


# --- incidental mentions ----------------------------------------------------------------------------------


def test_women_named_beside_other_groups_is_broad_inclusion_not_a_gender_commitment():
    alone = "Parliament will publish each bill and hold hearings that ensure the participation of women."
    listed = (
        "Parliament will publish each bill and hold hearings that ensure the participation of women, youth and "
        "persons with disabilities."
    )
    assert score(GENDER, alone) >= SUGGESTION_THRESHOLD
    assert score(GENDER, listed) < SUGGESTION_THRESHOLD


def test_incidental_inclusion_mentions_in_spanish_and_french_do_not_suggest_gender():
    listed_es = (
        "Las consultas ciudadanas asegurarán la participación de las mujeres, jóvenes y personas con discapacidad."
    )
    template_es = (
        "¿El compromiso de transparencia contribuye a reducir brechas de género, inclusión o diversidad? "
        "Sí, género e inclusión."
    )
    listed_fr = (
        "La consultation citoyenne assurera la participation des femmes, des jeunes et des personnes handicapées."
    )
    for text in (listed_es, template_es, listed_fr):
        assert score(GENDER, text) < SUGGESTION_THRESHOLD
    assert score(GENDER, "Las consultas ciudadanas asegurarán la participación de las mujeres.") >= 0.5
    assert score(GENDER, "La consultation citoyenne assurera la participation des femmes.") >= 0.5


def test_a_specific_gender_cue_is_not_made_incidental_by_the_groups_beside_it():
    text = "A plan against gender-based violence will be published, with services for young women with disabilities."
    assert score(GENDER, text) >= SUGGESTION_THRESHOLD
    gesi = "A gender equality and social inclusion strategy will be published and monitored with civil society."
    assert score(GENDER, gesi) >= SUGGESTION_THRESHOLD


def test_the_passage_is_the_paragraph_with_the_real_case_not_the_incidental_one():
    incidental = (
        "Hearings will ensure the participation of women, youth and persons with disabilities, and women's "
        "representation among older persons."
    )
    real = "The statistics office will publish gender statistics."
    text = f"{incidental}\n{real}"
    signal = rule_signals(title="", full_text=text)[GENDER]
    assert text[signal.passage_start : signal.passage_end] == real


def test_privacy_as_a_safeguard_clause_is_not_a_data_protection_reform():
    safeguard = "Contracts will be published in open formats while ensuring privacy and data protection."
    reform = "Public registers will be reviewed to strengthen privacy and data protection."
    assert score(DIGITAL_RIGHTS, safeguard) < SUGGESTION_THRESHOLD
    assert score(DIGITAL_RIGHTS, reform) >= SUGGESTION_THRESHOLD
    in_line = "The personal data protection framework will be reviewed in line with international standards."
    assert score(DIGITAL_RIGHTS, in_line) >= SUGGESTION_THRESHOLD
    existing = "The forms will say how personal data is handled, in line with existing rules."
    assert score(DIGITAL_RIGHTS, existing) < SUGGESTION_THRESHOLD
    assert (
        score(DIGITAL_RIGHTS, "Los datos se publicarán respetando la privacidad y los datos personales.")
        < SUGGESTION_THRESHOLD
    )


def test_a_freedom_cited_as_a_principle_or_sdg_target_is_not_civic_space():
    cited = "The commitment contributes to SDG target 16.10 on press freedom and fundamental freedoms."
    acted = "The government will guarantee press freedom and fundamental freedoms."
    assert score(CIVIC_SPACE, cited) < SUGGESTION_THRESHOLD
    assert score(CIVIC_SPACE, acted) >= SUGGESTION_THRESHOLD


def test_a_phrase_never_matches_across_the_end_of_a_sentence():
    across = "Comments were received from civil society. Development partners will fund the hearings."
    assert score(CIVIC_SPACE, across) < SUGGESTION_THRESHOLD
    assert score(CIVIC_SPACE, "A council for civil society development will be set up.") >= SUGGESTION_THRESHOLD


# --- weak-only evidence -----------------------------------------------------------------------------------


def test_weak_cues_alone_never_make_a_suggestion_however_often_they_repeat():
    text = (
        "Journalists and journalists' associations will promote the new app; NGOs and other NGOs will share it.\n"
        "Journalists will receive a press kit."
    )
    assert 0 < score(CIVIC_SPACE, text) <= WEAK_ONLY_CAP < SUGGESTION_THRESHOLD
    assert score(CIVIC_SPACE, "Text.", title="Support for journalists") >= SUGGESTION_THRESHOLD


# --- digital tools --------------------------------------------------------------------------------------------


def test_ai_used_as_a_tool_is_not_governing_algorithms():
    tool = "A chatbot based on artificial intelligence will answer citizens' questions in the virtual parliament."
    assert score(ALGORITHMS, tool) < SUGGESTION_THRESHOLD
    assert score(ALGORITHMS, "Un chatbot basado en inteligencia artificial orientará a la ciudadanía.") < 0.5
    governing = "A public register of algorithms used by agencies will be published on the portal."
    assert score(ALGORITHMS, governing) >= SUGGESTION_THRESHOLD


# --- vocabulary as governments write it -------------------------------------------------------------------


def test_a_gender_budget_statement_suggests_gender_in_three_languages():
    assert score(GENDER, "A gender budget statement will be published with the annual budget.") >= 0.5
    assert score(GENDER, "Hacienda publicará un presupuesto sensible al género cada año.") >= 0.5
    assert score(GENDER, "Un budget sensible au genre sera publié avec la loi de finances.") >= 0.5


def test_women_s_needs_as_governments_phrase_them_suggest_gender():
    assert score(GENDER, "Public employers will publish their gender pay gap and equal pay audits.") >= 0.5
    assert score(GENDER, "El Congreso publicará datos sobre la participación política de las mujeres.") >= 0.5
    assert score(GENDER, "Les données sur les violences sexistes et sexuelles seront publiées.") >= 0.5
    assert score(GENDER, "Services will publish complaints of discrimination by gender identity.") >= 0.5


def test_a_data_protection_or_privacy_law_suggests_digital_rights_without_the_word_digital():
    assert score(DIGITAL_RIGHTS, "The privacy act will be amended and a privacy commissioner created.") >= 0.5
    assert score(DIGITAL_RIGHTS, "Se presentará el proyecto de ley de datos personales.") >= 0.5
    assert score(DIGITAL_RIGHTS, "La loi informatique et libertés sera révisée.") >= 0.5


def test_laws_on_charities_associations_and_assembly_suggest_civic_space():
    assert score(CIVIC_SPACE, "The charities act will be revised to simplify registration.") >= 0.5
    assert score(CIVIC_SPACE, "Se reformará la ley de fundaciones para simplificar su registro.") >= 0.5
    assert score(CIVIC_SPACE, "Le droit de réunion sera garanti par une simple déclaration.") >= 0.5


def test_the_labelled_set_carries_the_hard_cases_and_positives_as_governments_write_them():
    from commitments.suggestions.evaluation import load_labelled_set

    records = load_labelled_set()
    negatives = [record.full_text for record in records if GENDER not in record.labels]
    assert any("women, youth, older persons" in text for text in negatives)
    assert any("while ensuring privacy" in text for text in negatives)
    reasons = {record.reasons[code] for record in records for code in record.labels}
    assert {
        "participación política de las mujeres",
        "presupuesto sensible al género",
        "budget sensible au genre",
    } <= reasons
    assert "privacy law without the word digital" in reasons
