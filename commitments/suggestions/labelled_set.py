"""Build the labelled evaluation set: commitments shaped like real ones, written by code, never copied.

Real commitments are long, cover several subjects and are mostly about something else; the era signal often
sits in one paragraph of many, or is absent despite tempting words. This builder composes each text from
paragraphs on the common subjects (legislation, parliaments, participation, fiscal openness, anti-corruption),
hard negatives (digital tools, NGOs as participants, women or data named in passing, broad inclusion) and,
for the few positives, one paragraph phrased the way governments write such reforms, with a one-line reason
per label. Class balance follows OGP's export: about 5% civic space, 3% gender, 2% digital.

The split is fixed by a hash of the id: ``dev`` for tuning, ``test`` read once to report.
"""

import hashlib
import json
import math
import random
from pathlib import Path

from commitments.suggestions.crosswalk import ALGORITHMS_ITEM, CIVIC_SPACE_ITEM, DIGITAL_RIGHTS_ITEM, GENDER_ITEM

SIZE = 800
SHARES = {CIVIC_SPACE_ITEM: 0.05, GENDER_ITEM: 0.03, DIGITAL_RIGHTS_ITEM: 0.018, ALGORITHMS_ITEM: 0.007}
LANGUAGES = ("en", "en", "es", "fr")
MEMBERS = ("ALB", "ARM", "CHL", "COL", "CIV", "FRA", "GHA", "MEX", "MAR", "PHL", "SEN", "UKR", "URY", "TUN", "KEN")

BACKGROUND = {
    "en": [
        "The Ministry of Finance will publish the citizens' budget, in-year execution reports and the audited "
        "accounts in open formats, and hold pre-budget hearings in every region.",
        "Parliament will publish committee agendas, minutes and the voting record of each member, and adopt "
        "rules on lobbying contacts with legislators.",
        "A register of beneficial owners of companies bidding for public contracts will be created and linked "
        "to the procurement system, with sanctions for false declarations.",
        "The anti-corruption agency will verify asset declarations of senior officials and publish its findings, "
        "with a risk-based method agreed with the supreme audit institution.",
        "Municipalities will hold participatory budgeting cycles and report back on how proposals were funded, "
        "with a monitoring committee drawn from residents and local organisations.",
        "The access to information law will be amended to shorten response deadlines, narrow exemptions and "
        "give the information commissioner binding powers.",
        "Extractive companies will disclose payments to government, and licences and contracts will be published "
        "following the EITI standard.",
        "Public consultation rules will require draft regulations to be published for at least thirty days, with "
        "a report on comments received and how they were addressed.",
        "A multi-stakeholder forum of government and civil society organisations will monitor the action plan "
        "and meet every quarter; minutes will be published.",
        "Health facilities will publish waiting times and stock levels of essential medicines, and patients will "
        "be able to file complaints that are tracked to resolution.",
    ],
    "es": [
        "El Ministerio de Hacienda publicará el presupuesto ciudadano, los informes de ejecución trimestral y los "
        "estados auditados en formatos abiertos, y realizará audiencias regionales.",
        "El Congreso publicará las agendas de las comisiones, las actas y el registro de votaciones de cada "
        "legislador, y adoptará reglas sobre el cabildeo.",
        "Se creará un registro de beneficiarios finales de las empresas que participan en compras públicas, "
        "con sanciones por declaraciones falsas.",
        "La Contraloría verificará las declaraciones patrimoniales de altos funcionarios y publicará sus "
        "hallazgos con una metodología basada en riesgos.",
        "Los municipios realizarán presupuestos participativos y rendirán cuentas sobre los proyectos "
        "financiados, con un comité de seguimiento vecinal.",
        "Se reformará la ley de acceso a la información pública para reducir plazos de respuesta y fortalecer "
        "al órgano garante.",
        "Los reglamentos en preparación se someterán a consulta pública durante treinta días, con un informe "
        "sobre los comentarios recibidos.",
        "Una mesa multiactor de gobierno y organizaciones de la sociedad civil dará seguimiento al plan de acción "
        "y se reunirá cada trimestre.",
    ],
    "fr": [
        "Le ministère des Finances publiera le budget citoyen, les rapports d'exécution trimestriels et les "
        "comptes audités en formats ouverts, et tiendra des audiences régionales.",
        "L'Assemblée nationale publiera l'ordre du jour des commissions, les comptes rendus et les votes de "
        "chaque député, et encadrera les activités de lobbying.",
        "Un registre des bénéficiaires effectifs des entreprises soumissionnaires aux marchés publics sera créé, "
        "avec des sanctions en cas de fausse déclaration.",
        "L'autorité de lutte contre la corruption vérifiera les déclarations de patrimoine des hauts "
        "responsables et publiera ses conclusions.",
        "Les communes organiseront des budgets participatifs et rendront compte des projets financés, avec un "
        "comité de suivi composé d'habitants.",
        "La loi sur l'accès à l'information sera révisée pour réduire les délais de réponse et renforcer les "
        "pouvoirs de la commission d'accès.",
        "Les projets de textes réglementaires seront soumis à consultation publique pendant trente jours, avec "
        "un rapport sur les contributions reçues.",
        "Un comité de pilotage réunissant l'administration et les organisations de la société civile assurera "
        "le suivi du plan d'action chaque trimestre.",
    ],
}

# Tempting words that do not make the case: tools, NGOs as participants, passing mentions, broad inclusion.
HARD_NEGATIVES = {
    "en": [
        "Citizens will follow the hearings through a new portal, a livestream and a mobile app, and submit "
        "e-petitions online.",
        "The procurement agency will move all tenders to the e-procurement platform and publish a dashboard.",
        "NGOs and civil society organisations will be invited to the working group drafting the regulation.",
        "The forms will include a notice on how personal data is handled, in line with existing rules.",
        "Special attention will be paid to the participation of youth and persons with disabilities.",
        "Data will be disaggregated where possible, including by sex and age.",
        "Journalists will be invited to the launch event of the report.",
        "The ministry will digitalise its archives and offer online services through a one-stop shop.",
        "Exemptions will protect the privacy of third parties and personal data, and the data protection "
        "officer will be consulted on each disclosure of records containing personal data.",
        "The action plan observes the principle of gender equality and women's representation in the forum.",
        "Freedom of expression and press freedom are cited as reasons for better access to records.",
        "Consultations will reach women, youth, older persons and persons with disabilities in every region.",
        "Does the commitment help close gaps of gender, inclusion or diversity? Yes, gender and inclusion.",
        "Staff of the ministry of women's affairs and of the chamber of commerce will sit on the steering group.",
        "Free legal aid will be extended to victims of crime, including victims of domestic and gender-based "
        "violence, and to asylum seekers, with a case management system for all legal aid offices.",
        "Journalists and bloggers will be invited to promote the new parliamentary app to their audiences; "
        "journalists will also receive a press kit.",
        "The records system will be built while ensuring privacy, security and compliance with data protection rules.",
        "The commitment is aligned with the national data protection act, the open data policy and the digital "
        "strategy.",
        "A chatbot based on artificial intelligence will help citizens find bills and comment on them in the "
        "virtual parliament.",
        "Animal welfare associations and other non-profit organisations will be able to take part in inspections, "
        "as NGOs already do in other sectors.",
        "The commitment contributes to SDG target 16.10 on public access to information and fundamental freedoms.",
        "Data on beneficiaries will be disaggregated by sex, age, disability and region.",
        "The public service broadcaster will air plenary sessions live and the parliament's channel will publish "
        "the recordings.",
    ],
    "es": [
        "La ciudadanía podrá seguir las sesiones a través de un portal, transmisión en vivo y una aplicación "
        "móvil, y presentar peticiones en línea.",
        "Todas las licitaciones pasarán a la plataforma de contratación electrónica con un tablero público.",
        "Se invitará a organizaciones no gubernamentales a la mesa técnica que redactará el reglamento.",
        "Se prestará especial atención a la participación de jóvenes y personas con discapacidad.",
        "Los formularios informarán sobre el tratamiento de datos conforme a la normativa vigente.",
        "Las consultas llegarán a mujeres, jóvenes, personas mayores y personas con discapacidad de cada región.",
        "¿El compromiso contribuye a reducir brechas de género, inclusión o diversidad? Sí, género e inclusión.",
        "El sistema se desarrollará respetando la protección de datos personales y la normativa vigente.",
        "Un chatbot basado en inteligencia artificial orientará a la ciudadanía en el congreso virtual.",
        "El compromiso contribuye al ODS 16, meta 16.10, sobre acceso a la información y libertades fundamentales.",
    ],
    "fr": [
        "Les citoyens suivront les séances via un portail, une retransmission en direct et une application "
        "mobile, et pourront déposer des pétitions en ligne.",
        "Toutes les procédures passeront par la plateforme des marchés publics électroniques.",
        "Des organisations non gouvernementales seront invitées au groupe de travail chargé du texte.",
        "Une attention particulière sera portée à la participation des jeunes et des personnes handicapées.",
        "La dématérialisation des démarches en ligne sera achevée via un guichet unique.",
        "Les consultations associeront les femmes, les jeunes, les personnes âgées et les personnes handicapées.",
        "Le système sera conçu dans le respect de la vie privée et de la protection des données personnelles.",
        "Un agent conversationnel fondé sur l'intelligence artificielle guidera les usagers du portail.",
        "L'engagement contribue à la cible 16.10 des ODD sur l'accès à l'information et les libertés fondamentales.",
    ],
}

# (title, paragraph, reason) per item and language, phrased the way such reforms are written.
POSITIVES = {
    CIVIC_SPACE_ITEM: {
        "en": [
            (
                "Not-for-profit law reform",
                "The Ministry of Justice will revise the law on non-profit organisations "
                "with civil society, simplifying registration and removing disproportionate reporting duties.",
                "reforms the law governing non-profit organisations",
            ),
            (
                "Safety of journalists",
                "A national mechanism for the protection of journalists and human rights "
                "defenders will be set up, with a rapid response protocol and public statistics on attacks.",
                "protects journalists and human rights defenders",
            ),
            (
                "Media ownership transparency",
                "A public media ownership register will be created and the media law "
                "amended to guarantee media pluralism and the independence of the public broadcaster.",
                "media law, ownership and pluralism",
            ),
            (
                "Funding for civil society",
                "Public funding of civil society will follow transparent calls, with a "
                "council for civil society development and a law on volunteering.",
                "funding and enabling environment for civil society",
            ),
            (
                "Public benefit organisations",
                "Registration of public benefit organisations will be cut to one "
                "step and their reporting burden reduced, after a review with the sector.",
                "registration regime for civil society organisations",
            ),
            (
                "Right to peaceful assembly",
                "Police guidelines on peaceful assembly will be revised so that "
                "notification, not authorisation, is required for demonstrations.",
                "freedom of assembly",
            ),
            (
                "Charities and volunteering",
                "The charities act will be revised with the sector to simplify registration and tax relief, and a "
                "national strategy for volunteering will be adopted.",
                "law on charities and volunteering",
            ),
            (
                "Public associations",
                "The law on public associations will be amended so that registration takes ten days and a refusal "
                "can be appealed in court.",
                "registration regime for associations",
            ),
            (
                "Community organisations in local councils",
                "Municipalities will accredit neighbourhood groups, community organisations and NGOs and give them "
                "seats on local development councils.",
                "recognition and a voice for civil society organisations",
            ),
            (
                "Whistleblowers",
                "A law will protect people who report wrongdoing to the media or to civil society organisations from "
                "retaliation, with a reporting channel in every institution.",
                "protects people who speak out publicly",
            ),
            (
                "NGO accounts",
                "Non-governmental organisations receiving public grants will publish their financial statements in "
                "the NGO register, and the grants database will show the results of funded projects.",
                "rules for NGOs and their public funding",
            ),
        ],
        "es": [
            (
                "Ley de asociaciones",
                "Se reformará la ley de asociaciones y se creará un fondo de financiamiento de "
                "la sociedad civil con convocatorias públicas.",
                "marco legal y financiamiento de asociaciones",
            ),
            (
                "Protección de periodistas",
                "Se fortalecerá el mecanismo de protección de periodistas y personas defensoras de derechos humanos.",
                "protección de periodistas y defensores",
            ),
            (
                "Libertad de expresión",
                "Se despenalizará la difamación y se adoptará una ley de medios que garantice "
                "el pluralismo informativo.",
                "ley de medios y libertad de expresión",
            ),
            (
                "Ley de fundaciones",
                "Se reformará la ley de fundaciones y asociaciones para simplificar su registro, y se creará un "
                "fondo concursable para el fortalecimiento de las organizaciones de la sociedad civil.",
                "marco legal y financiamiento de fundaciones y asociaciones",
            ),
            (
                "Organizaciones comunitarias",
                "Se simplificará el reconocimiento legal de las juntas vecinales y organizaciones comunitarias, con "
                "apoyo técnico de los municipios.",
                "reconocimiento legal de organizaciones comunitarias",
            ),
        ],
        "fr": [
            (
                "Vie associative",
                "La loi sur les associations sera révisée pour simplifier leur création et le "
                "financement des associations sera rendu transparent.",
                "cadre légal des associations",
            ),
            (
                "Sécurité des journalistes",
                "Un dispositif de protection des journalistes et des défenseurs des droits sera mis en place.",
                "protection des journalistes",
            ),
            (
                "Liberté de réunion",
                "Le régime des manifestations sera révisé pour garantir le droit de réunion pacifique, sur simple "
                "déclaration préalable.",
                "liberté de réunion",
            ),
        ],
    },
    GENDER_ITEM: {
        "en": [
            (
                "Gender budget statement",
                "The budget will include a gender budget statement showing how spending "
                "closes the gender gap, reviewed with women's organisations.",
                "gender budgeting for women's needs",
            ),
            (
                "Anti-harassment protocol",
                "A protocol against sexual harassment in public service will be adopted, "
                "with a confidential channel for women and non-binary staff.",
                "harassment protocol for women",
            ),
            (
                "Women in procurement",
                "A share of public contracts will be reserved for women-led businesses and "
                "cooperatives, with published figures by sex of owner.",
                "economic needs of women",
            ),
            (
                "Ending gender-based violence",
                "Data on gender-based violence and femicide will be published and "
                "services for survivors co-designed with women's groups.",
                "gender-based violence",
            ),
            (
                "Women's participation in lawmaking",
                "Parliament will hold hearings with women's organisations on each bill and report how the "
                "participation of women in lawmaking changed the texts.",
                "women's participation in lawmaking",
            ),
            (
                "Gender-responsive budgeting",
                "Each ministry will tag its spending with a gender marker and a gender budget statement will be "
                "published with the annual budget.",
                "gender budget statement",
            ),
            (
                "Equal pay transparency",
                "Public employers will publish their gender pay gap, and an equal pay audit will be published every "
                "year.",
                "equal pay for women",
            ),
            (
                "LGBTQIA+ people in public services",
                "Public services will record complaints of discrimination based on sexual orientation and gender "
                "identity, and LGBTQIA+ organisations will review the results.",
                "needs of LGBTQIA+ and non-binary people",
            ),
        ],
        "es": [
            (
                "Presupuesto con perspectiva de género",
                "Se publicará un presupuesto con perspectiva de género y "
                "se medirá la brecha de género en el acceso a los servicios.",
                "presupuesto con perspectiva de género",
            ),
            (
                "Violencia contra las mujeres",
                "Se abrirán datos sobre violencia contra las mujeres y feminicidios.",
                "violencia contra las mujeres",
            ),
            (
                "Presupuesto sensible al género",
                "Hacienda publicará cada año un anexo de presupuesto sensible al género, con el gasto etiquetado "
                "para cerrar brechas entre mujeres y hombres.",
                "presupuesto sensible al género",
            ),
            (
                "Participación política de las mujeres",
                "El Congreso creará una bancada femenina y publicará datos sobre la participación política de las "
                "mujeres y la violencia política.",
                "participación política de las mujeres",
            ),
            (
                "Protocolo contra el acoso",
                "Se adoptará un protocolo contra el hostigamiento sexual en la administración pública, con un canal "
                "confidencial para mujeres y personas no binarias.",
                "protocolo contra el acoso sexual",
            ),
        ],
        "fr": [
            (
                "Égalité femmes-hommes",
                "Une budgétisation sensible au genre sera introduite et les violences faites "
                "aux femmes feront l'objet de données ouvertes.",
                "budgétisation sensible au genre",
            ),
            (
                "Budget sensible au genre",
                "Un document budgétaire sensible au genre sera annexé à la loi de finances et présentera les "
                "dépenses en faveur de l'égalité entre les femmes et les hommes.",
                "budget sensible au genre",
            ),
            (
                "Violences sexistes et sexuelles",
                "Les données sur les violences sexistes et sexuelles et les féminicides seront publiées, et les "
                "associations de femmes associées à leur suivi.",
                "violences sexistes et sexuelles",
            ),
        ],
    },
    DIGITAL_RIGHTS_ITEM: {
        "en": [
            (
                "Data protection bill",
                "A data protection bill will be tabled, creating an independent data "
                "protection authority and rights over personal data.",
                "data-protection law",
            ),
            (
                "Children online",
                "An online safety code will oblige platforms to assess risks to children and "
                "limit the profiling of minors.",
                "governs platforms and profiling",
            ),
            (
                "Countering disinformation",
                "A code of practice on disinformation for online platforms will be "
                "agreed, with transparency of online political advertising.",
                "disinformation and platforms",
            ),
            (
                "Privacy act reform",
                "The privacy act will be modernised, giving people rights to access and correct personal "
                "information, and a privacy commissioner will get enforcement powers.",
                "privacy law without the word digital",
            ),
            (
                "Digital inclusion",
                "Public libraries will run digital literacy courses and the connectivity gap in rural areas will be "
                "mapped and closed.",
                "digital inclusion",
            ),
        ],
        "es": [
            (
                "Ley de protección de datos",
                "Se aprobará una ley de protección de datos personales con una autoridad independiente.",
                "ley de protección de datos",
            ),
            (
                "Alfabetización mediática",
                "Se impulsará un programa de alfabetización mediática y verificación de hechos frente a la "
                "desinformación.",
                "desinformación",
            ),
        ],
        "fr": [
            (
                "Protection des données",
                "La loi sur la protection des données à caractère personnel sera révisée "
                "et la vie privée en ligne mieux protégée.",
                "loi sur la protection des données",
            ),
            (
                "Inclusion numérique",
                "Un plan d'inclusion numérique financera des médiateurs pour réduire la fracture numérique.",
                "inclusion numérique",
            ),
        ],
    },
    ALGORITHMS_ITEM: {
        "en": [
            (
                "Algorithm register",
                "A public register of algorithms used in automated decision-making by "
                "agencies will be published with impact assessments.",
                "algorithmic transparency",
            ),
        ],
        "es": [
            (
                "Registro de algoritmos",
                "Se creará un registro público de algoritmos e inteligencia artificial usados por el Estado.",
                "transparencia algorítmica",
            ),
        ],
        "fr": [
            (
                "Registre des algorithmes",
                "Un registre public des algorithmes utilisés par l'administration sera publié.",
                "transparence des algorithmes",
            ),
        ],
    },
}

GENERIC_TITLES = {
    "en": ["Open government reforms", "Strengthening accountability", "Transparent institutions", "Open state"],
    "es": ["Estado abierto", "Fortalecimiento institucional", "Transparencia y rendición de cuentas"],
    "fr": ["Gouvernement ouvert", "Redevabilité des institutions", "Transparence de l'action publique"],
}


def split_of(record_id: str) -> str:
    return "test" if int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2 else "dev"


# Real lengths: a median of about 2,600 characters and a long tail past 25,000 (log-normal, drawn apart from
# the composition so the same commitments carry the same labels whatever the lengths).
MEDIAN_CHARS = 2600
LENGTH_SPREAD = 0.9
MAX_CHARS = 30_000


def _lengthen(milestones: list[str], body: list[str], language: str, rng: random.Random) -> None:
    """More milestones until the text reaches a length drawn as real commitments' lengths fall."""
    target = min(MAX_CHARS, int(rng.lognormvariate(math.log(MEDIAN_CHARS), LENGTH_SPREAD)))
    size = sum(len(part) + 2 for part in [*body, *milestones])
    while size < target:
        milestone = f"{len(milestones) + 1}. {rng.choice(BACKGROUND[language])}"
        milestones.append(milestone)
        size += len(milestone) + 2


def build(size: int = SIZE, seed: int = 2026) -> list[dict[str, object]]:
    rng = random.Random(seed)
    wanted = [code for code, share in SHARES.items() for _ in range(max(1, round(share * size)))]
    labels_at = dict(zip(rng.sample(range(size), len(wanted)), wanted, strict=True))
    records: list[dict[str, object]] = []
    for n in range(size):
        language = rng.choice(LANGUAGES)
        body = rng.sample(BACKGROUND[language], rng.randint(3, len(BACKGROUND[language])))
        if rng.random() < 0.45:
            body.insert(rng.randrange(len(body) + 1), rng.choice(HARD_NEGATIVES[language]))
        title = rng.choice(GENERIC_TITLES[language])
        labels: list[str] = []
        reasons: dict[str, str] = {}
        code = labels_at.get(n)
        if code is not None:
            options = POSITIVES[code].get(language) or POSITIVES[code]["en"]
            own_title, paragraph, reason = rng.choice(options)
            body.insert(rng.randrange(len(body) + 1), paragraph)
            if rng.random() < 0.5:
                title = own_title
            labels, reasons = [code], {code: reason}
        # Long texts: paragraphs repeat with milestones, as action plans do.
        milestones = [f"{k + 1}. {rng.choice(BACKGROUND[language])}" for k in range(rng.randint(2, 9))]
        record_id = f"G{n:04d}"
        _lengthen(milestones, body, language, random.Random(f"{seed}-{record_id}"))
        records.append(
            {
                "id": record_id,
                "member": rng.choice(MEMBERS),
                "language": language,
                "split": split_of(record_id),
                "title": title,
                "full_text": "\n\n".join([*body, *milestones]),
                "labels": labels,
                "reasons": reasons,
            }
        )
    return records


def write(path: Path, records: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
