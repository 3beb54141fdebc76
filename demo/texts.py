"""Commitment texts written for the demo dataset: varied topics as in real action plans.

Each topic names the action items it clearly answers (most answer none), the OGP policy areas it would be
tagged with, and the sentence that shows the alignment. Texts are templates over {member} and {year}.
Some topics are traps: they *use* digital tools or serve women without answering the Call to Action.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    text: str
    institution: str
    policy_areas: tuple[str, ...]
    answers: tuple[str, ...] = ()
    passage: str = ""
    trap_for: tuple[str, ...] = ()
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


TOPICS: tuple[Topic, ...] = (
    Topic(
        "association-law",
        "Reform the registration of civil society organisations",
        "Civil society organisations in {member} report that registration can take more than a year and can be "
        "refused without reasons. The Ministry of Justice will draft, with the multi-stakeholder forum, "
        "amendments to the Law on Associations so that registration is a simple notification and any refusal "
        "can be appealed in court. The amendments protect the freedom of association guaranteed by the "
        "Constitution. A public register of decisions will be published each quarter from {year}.",
        "Ministry of Justice",
        ("Civic Space and Enabling Environment", "Freedom of Association", "Legislation"),
        answers=("cta2019-civic-space-2",),
        passage="The amendments protect the freedom of association guaranteed by the Constitution.",
        translations={
            "es": (
                "Reformar el registro de las organizaciones de la sociedad civil",
                "Las organizaciones de la sociedad civil de {member} señalan que su inscripción puede tardar más "
                "de un año. El Ministerio de Justicia elaborará, junto con el foro multiactor, reformas a la Ley "
                "de Asociaciones para que la inscripción sea una simple notificación. Las reformas protegen la "
                "libertad de asociación garantizada por la Constitución. Desde {year} se publicará un registro "
                "trimestral de decisiones.",
            ),
            "fr": (
                "Réformer l'enregistrement des organisations de la société civile",
                "Les organisations de la société civile de {member} signalent que leur enregistrement peut "
                "prendre plus d'un an. Le ministère de la Justice préparera, avec le forum multipartite, une "
                "révision de la loi sur les associations. La révision protège la liberté d'association garantie "
                "par la Constitution. Un registre public des décisions sera publié chaque trimestre dès {year}.",
            ),
        },
    ),
    Topic(
        "peaceful-assembly",
        "Guarantee the right to peaceful assembly",
        "Following the protests of {year}, the Ministry of Interior will review, with human rights "
        "organisations, the rules on policing of demonstrations. The review will bring the rules in line with "
        "international standards on the right of peaceful assembly, publish data on the use of force, and "
        "create an independent complaints channel for protesters.",
        "Ministry of Interior",
        ("Civic Space and Enabling Environment", "Freedom of Assembly", "Justice"),
        answers=("cta2019-civic-space-2",),
        passage="international standards on the right of peaceful assembly",
    ),
    Topic(
        "journalist-safety",
        "Protect journalists and freedom of expression",
        "Attacks on journalists in {member} often go unpunished. The government will set up, with press "
        "associations, a protection mechanism for journalists and media workers, publish statistics on "
        "investigations of attacks, and decriminalise defamation to protect freedom of expression.",
        "Office of the Prosecutor General",
        ("Civic Space and Enabling Environment", "Freedom of Expression", "Media & Telecommunications"),
        answers=("cta2019-civic-space-2",),
        passage="decriminalise defamation to protect freedom of expression",
        translations={
            "es": (
                "Proteger a periodistas y la libertad de expresión",
                "Las agresiones contra periodistas en {member} suelen quedar impunes. El gobierno creará, con "
                "las asociaciones de prensa, un mecanismo de protección para periodistas y publicará "
                "estadísticas sobre las investigaciones, con el fin de proteger la libertad de expresión.",
            ),
        },
    ),
    Topic(
        "gbv-services",
        "Open data and citizen oversight of services for survivors of gender-based violence",
        "Women and girls who survive violence in {member} face long waits for shelters and legal aid. The "
        "Ministry of Women's Affairs will publish open data on the availability and quality of these services "
        "by district, and women's organisations will monitor them through quarterly public hearings, to close "
        "the gap in services for women and girls identified in the {year} national survey.",
        "Ministry of Women's Affairs",
        ("Gender", "Gender-Based Violence", "Open Data", "Public Participation"),
        answers=("cta2019-gender-inclusion-2",),
        passage="to close the gap in services for women and girls",
        translations={
            "es": (
                "Datos abiertos y vigilancia ciudadana de los servicios para sobrevivientes de violencia de género",
                "Las mujeres y niñas sobrevivientes de violencia en {member} esperan meses para acceder a "
                "refugios y asistencia jurídica. El Ministerio de la Mujer publicará datos abiertos sobre estos "
                "servicios y las organizaciones de mujeres los vigilarán en audiencias públicas, para cerrar la "
                "brecha en los servicios para mujeres y niñas detectada en {year}.",
            ),
            "fr": (
                "Données ouvertes et contrôle citoyen des services aux survivantes de violences fondées sur le genre",
                "Les femmes et les filles survivantes de violences à {member} attendent longtemps un hébergement "
                "et une aide juridique. Le ministère de la Femme publiera des données ouvertes sur ces services "
                "et les associations de femmes les suivront lors d'auditions publiques, afin de combler l'écart "
                "dans les services pour les femmes et les filles constaté en {year}.",
            ),
        },
    ),
    Topic(
        "gender-pay-transparency",
        "Publish the gender pay gap of public bodies and close it",
        "Public bodies in {member} will publish, from {year}, the pay gap between women, men and non-binary "
        "staff, with an action plan agreed with unions and women's networks to address the gap in pay and "
        "promotion. Progress will be reviewed in an annual public report.",
        "Public Service Commission",
        ("Gender", "Economic Inclusion", "Inclusion"),
        answers=("cta2019-gender-inclusion-2",),
        passage="to address the gap in pay and promotion",
    ),
    Topic(
        "data-protection",
        "Adopt a personal data protection law with an independent authority",
        "{member} has no comprehensive rule on personal data. The Ministry of Digital Affairs will co-create "
        "with civil society a data protection law that sets out data rights and privacy for citizens, creates "
        "an independent data protection authority, and requires impact assessments before public bodies share "
        "personal data. The draft will be open for public comment in {year}.",
        "Ministry of Digital Affairs",
        ("Data Stewardship and Privacy", "Digital Governance", "Legislation"),
        answers=("cta2019-digital-democracy-2",),
        passage="a data protection law that sets out data rights and privacy for citizens",
        translations={
            "es": (
                "Aprobar una ley de protección de datos personales con una autoridad independiente",
                "{member} no cuenta con una norma integral sobre datos personales. Se elaborará con la sociedad "
                "civil una ley de protección de datos personales que garantice la privacidad y los derechos "
                "digitales de la ciudadanía y cree una autoridad independiente. El proyecto se someterá a "
                "consulta pública en {year}.",
            ),
            "fr": (
                "Adopter une loi sur la protection des données personnelles",
                "{member} ne dispose pas d'un cadre complet sur les données personnelles. Une loi sur la "
                "protection des données personnelles, garantissant la vie privée et les droits numériques des "
                "citoyens, sera co-construite avec la société civile et soumise à consultation en {year}.",
            ),
        },
    ),
    Topic(
        "internet-access",
        "Affordable internet access and no network shutdowns",
        "The telecommunications regulator will publish the coverage and price of broadband by region, set a "
        "target for affordable internet access in rural areas, and adopt, with civil society, a rule that "
        "network shutdowns and blocking of online platforms require a court order, to protect dialogue in the "
        "digital realm.",
        "Telecommunications Regulatory Authority",
        ("Digital Inclusion", "Online Civic Space", "Media & Telecommunications"),
        answers=("cta2019-digital-democracy-2",),
        passage="network shutdowns and blocking of online platforms require a court order",
    ),
    Topic(
        "online-harms",
        "Counter disinformation while protecting online civic space",
        "The government will agree with platforms, fact-checkers and civil society a transparent code on "
        "disinformation and online harms that protects freedom of expression online, publishes all takedown "
        "requests made by public bodies, and shares lessons with fellow OGP members facing the same "
        "transnational threats from {year}.",
        "Office of the Prime Minister",
        ("Disinformation/Misinformation", "Online Civic Space", "Freedom of Expression"),
        answers=("cta2019-digital-democracy-2",),
        passage="protects freedom of expression online, publishes all takedown requests",
    ),
    Topic(
        "algorithm-register",
        "A public register of algorithms used by government",
        "Public bodies in {member} increasingly use automated decision-making in welfare, policing and tax. "
        "The Digital Agency will create a public register of algorithms that explains each system, its data "
        "and its human oversight, and will adopt ethical standards for artificial intelligence in the public "
        "sector, tested with affected communities, by {year}.",
        "Digital Agency",
        ("Automated Decision-making", "Digital Governance", "Data Stewardship and Privacy"),
        answers=("cta2019-digital-democracy-3",),
        passage="create a public register of algorithms that explains each system",
        translations={
            "fr": (
                "Un registre public des algorithmes utilisés par l'administration",
                "Les administrations de {member} utilisent de plus en plus la décision automatisée. L'agence du "
                "numérique créera un registre public des algorithmes décrivant chaque système, ses données et "
                "son contrôle humain, et adoptera des principes éthiques pour l'intelligence artificielle dans "
                "le secteur public d'ici {year}.",
            ),
            "es": (
                "Registro público de algoritmos utilizados por el gobierno",
                "Las instituciones de {member} utilizan cada vez más la toma de decisiones automatizada. La "
                "Agencia Digital creará un registro público de algoritmos que explique cada sistema y adoptará "
                "estándares éticos para la inteligencia artificial en el sector público antes de {year}.",
            ),
        },
    ),
    Topic(
        "budget-transparency",
        "Publish a citizens' budget and open budget data",
        "The Ministry of Finance will publish the enacted budget, in-year reports and a citizens' budget in open "
        "formats within one month of approval, and hold public consultations on budget priorities with civil "
        "society before the {year} budget is drafted.",
        "Ministry of Finance",
        ("Fiscal Openness", "Open Data", "Public Participation"),
        translations={
            "es": (
                "Publicar un presupuesto ciudadano y datos presupuestarios abiertos",
                "El Ministerio de Hacienda publicará el presupuesto aprobado, los informes de ejecución y un "
                "presupuesto ciudadano en formatos abiertos, y realizará consultas públicas sobre las "
                "prioridades presupuestarias antes de elaborar el presupuesto de {year}.",
            ),
            "fr": (
                "Publier un budget citoyen et des données budgétaires ouvertes",
                "Le ministère des Finances publiera la loi de finances, les rapports d'exécution et un budget "
                "citoyen en format ouvert, et consultera la société civile sur les priorités avant le budget "
                "{year}.",
            ),
        },
    ),
    Topic(
        "beneficial-ownership",
        "A public register of beneficial owners of companies",
        "The Companies Registry will establish a central, public and free register of the beneficial owners of "
        "companies, in line with the Open Ownership principles, verify the data submitted, and link it to "
        "public procurement records by {year}.",
        "Companies Registry",
        ("Beneficial Ownership", "Anti-Corruption and Integrity"),
    ),
    Topic(
        "e-procurement",
        "Open contracting through a new e-procurement platform",
        "The Public Procurement Agency will launch an electronic procurement platform that publishes every "
        "stage of public contracts using the Open Contracting Data Standard, and train 500 officials to use the "
        "digital system by {year}.",
        "Public Procurement Agency",
        ("Open Contracting", "Anti-Corruption and Integrity", "Digital Governance"),
        trap_for=("cta2019-digital-democracy-2", "cta2019-digital-democracy-3"),
        translations={
            "es": (
                "Contrataciones abiertas mediante una nueva plataforma de compras electrónicas",
                "La Agencia de Compras Públicas pondrá en marcha una plataforma de contratación electrónica que "
                "publique cada etapa de los contratos con el Estándar de Datos de Contrataciones Abiertas, y "
                "capacitará a 500 funcionarios en el uso del sistema digital antes de {year}.",
            ),
        },
    ),
    Topic(
        "e-parliament",
        "An e-parliament portal for legislative transparency",
        "Parliament will launch an e-parliament portal that streams plenary sessions online, publishes "
        "draft laws and votes as open data, and lets citizens comment on bills through a digital platform "
        "from {year}.",
        "Parliament",
        ("Open Parliaments", "Digital Participation", "Legislation"),
        trap_for=("cta2019-digital-democracy-2", "cta2019-civic-space-3"),
        translations={
            "fr": (
                "Un portail e-parlement pour la transparence législative",
                "Le Parlement lancera un portail e-parlement qui diffusera les séances plénières en ligne, "
                "publiera les projets de loi et les votes en données ouvertes et permettra aux citoyens de "
                "commenter les textes sur une plateforme numérique dès {year}.",
            ),
        },
    ),
    Topic(
        "open-data-portal",
        "Relaunch the national open data portal",
        "The government will relaunch the national open data portal with 200 new high-value datasets, an API, "
        "and a user feedback channel, and will train data officers in every ministry by {year}.",
        "Digital Agency",
        ("Open Data", "Digital Governance"),
        trap_for=("cta2019-digital-democracy-2",),
    ),
    Topic(
        "right-to-information",
        "Strengthen the implementation of the access to information law",
        "The Information Commission will monitor how public bodies answer information requests, publish "
        "compliance rankings, and launch an online request system so that requests can be tracked by the "
        "public. Sanctions for unjustified refusals will be applied from {year}.",
        "Information Commission",
        ("Right To Information",),
        translations={
            "es": (
                "Fortalecer la implementación de la ley de acceso a la información",
                "El órgano garante supervisará las respuestas a las solicitudes de información, publicará "
                "rankings de cumplimiento y pondrá en marcha un sistema en línea para dar seguimiento a las "
                "solicitudes desde {year}.",
            ),
        },
    ),
    Topic(
        "maternal-health",
        "Expand maternal health services for women in rural areas",
        "The Ministry of Health will build twenty new maternity clinics for women in rural districts, recruit "
        "midwives, and provide free prenatal care by {year}.",
        "Ministry of Health",
        ("Health & Nutrition",),
        trap_for=("cta2019-gender-inclusion-2",),
        translations={
            "fr": (
                "Étendre les services de santé maternelle pour les femmes en zone rurale",
                "Le ministère de la Santé construira vingt nouvelles maternités pour les femmes en zone rurale, "
                "recrutera des sages-femmes et offrira des soins prénatals gratuits d'ici {year}.",
            ),
        },
    ),
    Topic(
        "extractives",
        "Disclose contracts and revenues in the extractive sector",
        "The Ministry of Mines will publish all mining and oil contracts, licences and payments to government, "
        "and report them to the Extractive Industries Transparency Initiative with civil society oversight "
        "from {year}.",
        "Ministry of Mines",
        ("Extractive Industries", "Fiscal Openness", "Anti-Corruption and Integrity"),
    ),
    Topic(
        "service-scorecards",
        "Citizen scorecards for local health and education services",
        "Local governments will run community scorecards in schools and clinics twice a year, publish the "
        "results, and agree with residents on corrective actions to improve service delivery by {year}.",
        "Ministry of Local Government",
        ("Public Service Delivery", "Public Participation", "Education"),
    ),
    Topic(
        "asset-declarations",
        "Publish the asset declarations of senior officials",
        "The Anti-Corruption Commission will publish the asset and interest declarations of ministers, members "
        "of parliament and senior officials in an open format, and verify a risk-based sample each year from "
        "{year}.",
        "Anti-Corruption Commission",
        ("Anti-Corruption and Integrity", "Asset Disclosure"),
    ),
    Topic(
        "digital-services",
        "A one-stop digital portal for public services",
        "The government will bring 300 administrative procedures online through a single digital services "
        "portal with electronic identity, reducing visits to offices and paperwork for citizens and businesses "
        "by {year}.",
        "Ministry of Digital Affairs",
        ("Digital Governance", "Public Service Delivery"),
        trap_for=("cta2019-digital-democracy-2", "cta2019-digital-democracy-3"),
        translations={
            "es": (
                "Un portal único de trámites digitales",
                "El gobierno llevará 300 trámites administrativos a un portal único de servicios digitales con "
                "identidad electrónica, reduciendo filas y papeleo para la ciudadanía antes de {year}.",
            ),
        },
    ),
    Topic(
        "lobbying",
        "A mandatory lobbying register",
        "A mandatory register of lobbyists and their meetings with ministers and senior officials will be "
        "created and published online, with sanctions for unregistered lobbying, from {year}.",
        "Ministry of Justice",
        ("Lobbying", "Anti-Corruption and Integrity"),
    ),
    Topic(
        "climate-data",
        "Open data on climate finance and environmental permits",
        "The Ministry of Environment will publish climate finance flows and environmental impact assessments as "
        "open data and consult affected communities before permits are granted from {year}.",
        "Ministry of Environment",
        ("Environment & Climate", "Open Data", "Public Participation"),
    ),
)

# How often each topic appears, relative to the others: as in real plans, few commitments answer the
# Call to Action directly.
TOPIC_WEIGHTS: dict[str, int] = {
    "association-law": 2,
    "peaceful-assembly": 1,
    "journalist-safety": 2,
    "gbv-services": 2,
    "gender-pay-transparency": 1,
    "data-protection": 2,
    "internet-access": 1,
    "online-harms": 1,
    "algorithm-register": 1,
    "budget-transparency": 6,
    "beneficial-ownership": 4,
    "e-procurement": 5,
    "e-parliament": 4,
    "open-data-portal": 5,
    "right-to-information": 5,
    "maternal-health": 3,
    "extractives": 3,
    "service-scorecards": 5,
    "asset-declarations": 4,
    "digital-services": 4,
    "lobbying": 3,
    "climate-data": 3,
}

PROCESS_EVIDENCE: dict[str, str] = {
    "cta2019-civic-space-1": "The multi-stakeholder forum adopted terms of reference with equal government and civil "
    "society seats, met {n} times during the cycle and published its minutes.",
    "cta2019-civic-space-3": "Civil society organisations co-monitored the implementation of {n} commitments "
    "through a public online tracker updated every quarter.",
    "cta2019-gender-inclusion-1": "Women's rights organisations and a non-binary network held {n} of the seats on "
    "the forum and led the co-creation workshops on inclusion.",
    "cta2019-gender-inclusion-3": "Gender experts reviewed all draft commitments with a gender-based analysis; {n} "
    "commitments were revised as a result.",
    "cta2019-digital-democracy-1": "Joined {n} peer exchanges with fellow OGP members on transnational online harms "
    "and disinformation.",
}
