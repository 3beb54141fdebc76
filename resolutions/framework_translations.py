"""Spanish and French translations of the seed frameworks, loaded beside their English source.

Keyed as the seeds are: resolutions by slug, eras by resolution slug and key, action items by code. Each
entry names the translated fields of `resolutions.translation.TRANSLATED_FIELDS`; a missing one is shown in
English.
"""

# The seeds' slugs (resolutions.frameworks imports this module; tests hold the two in step).
CALL_TO_ACTION_SLUG = "call-to-action-2019"
WORK_PLAN_SLUG = "digital-work-plan-2021"

Texts = dict[str, dict[str, str]]  # language -> field -> text

_PREAMBLE_ES = (
    "En el contexto mundial actual, en el que la democracia se ve socavada por la restricción del espacio de la "
    "sociedad civil, la erosión de la confianza ciudadana, el auge del populismo y la polarización de las "
    "comunidades, la acción colectiva es clave para contrarrestar estas amenazas. OGP debe estar a la vanguardia "
    "de las soluciones de política pública para cumplir su visión de promover gobiernos abiertos, inclusivos y "
    "receptivos que respondan a toda la ciudadanía."
)
_PREAMBLE_FR = (
    "Dans le contexte mondial actuel, où la démocratie est fragilisée par la restriction de l'espace de la "
    "société civile, l'érosion de la confiance des citoyens, la montée du populisme et la polarisation des "
    "communautés, l'action collective est essentielle pour contrer ces menaces. L'OGP doit être à la pointe des "
    "solutions politiques pour réaliser sa vision : promouvoir des gouvernements ouverts, inclusifs et à "
    "l'écoute, au service de tous les citoyens."
)

_TEXT_ES = f"""{_PREAMBLE_ES}

En esta era de cierre del espacio cívico, hacemos un llamado a todos los miembros de OGP a tomar las \
siguientes acciones:

- Fortalecer la estructura y las deliberaciones de los foros multiactor, en línea con los Estándares de \
Participación y Cocreación de OGP;
- Considerar compromisos en los planes de acción de OGP que se centren en defender las instituciones y los \
derechos democráticos, especialmente las libertades fundamentales de asociación, reunión y expresión; y
- Poner a prueba nuevos modelos de cocreación y ampliar la participación pública en la fase de implementación \
de las reformas de gobierno abierto.

En esta era de exclusión persistente y disparidad de género, hacemos un llamado a todos los miembros de OGP a \
tomar las siguientes acciones:

- Involucrar activamente a participantes como grupos y redes diversos de mujeres y personas no binarias en los \
foros multiactor y en los procesos de cocreación;
- Considerar compromisos en los planes de acción de OGP que usen el gobierno abierto para atender una brecha \
específica en los servicios o las necesidades de política pública de mujeres, niñas y personas de género no \
binario; y
- Trabajar con especialistas para realizar análisis de género que evalúen cómo los posibles compromisos \
afectarán de manera diferente a distintos grupos, y adoptar los cambios necesarios para mejorar la inclusión.

En esta era de oportunidades digitales para profundizar la participación democrática, hacemos un llamado a \
todos los miembros de OGP a:

- Trabajar con otros miembros de OGP para hacer frente a los daños en línea de carácter transnacional;
- Considerar nuevos compromisos en los planes de acción de OGP que promuevan los derechos democráticos y \
protejan el diálogo en el ámbito digital, incluidos los derechos sobre los datos y la privacidad, y el acceso \
a internet y su control; y
- Desarrollar y promover algoritmos e inteligencia artificial abiertos y éticos.

Hacemos un llamado a la Unidad de Apoyo de OGP a revisar todas las recomendaciones y los documentos de \
política de la Alianza, para asegurar que creen un marco propicio que promueva el liderazgo colectivo en \
estos temas.
"""

_TEXT_FR = f"""{_PREAMBLE_FR}

En cette ère de rétrécissement de l'espace civique, nous appelons tous les membres de l'OGP à prendre les \
mesures suivantes :

- Renforcer la structure et les délibérations des forums multipartites, conformément aux Normes de \
participation et de co-création de l'OGP ;
- Envisager, dans les plans d'action OGP, des engagements visant à défendre les institutions et les droits \
démocratiques, en particulier les libertés fondamentales d'association, de réunion et d'expression ; et
- Expérimenter de nouveaux modèles de co-création et renforcer la participation du public à la phase de mise \
en œuvre des réformes de gouvernement ouvert.

En cette ère d'exclusion persistante et d'inégalités entre les genres, nous appelons tous les membres de \
l'OGP à prendre les mesures suivantes :

- Associer activement des participants tels que des groupes et réseaux divers de femmes et de personnes non \
binaires aux forums multipartites et aux processus de co-création ;
- Envisager, dans les plans d'action OGP, des engagements qui utilisent le gouvernement ouvert pour combler \
une lacune précise dans les services ou les besoins en matière de politiques publiques des femmes, des filles \
et des personnes non binaires ; et
- Travailler avec des experts pour mener une analyse fondée sur le genre afin d'évaluer comment les \
engagements envisagés toucheront différemment les groupes, et adopter les changements nécessaires pour \
améliorer l'inclusion.

En cette ère de possibilités numériques pour approfondir la participation démocratique, nous appelons tous \
les membres de l'OGP à :

- Travailler avec d'autres membres de l'OGP pour lutter contre les préjudices en ligne transnationaux ;
- Envisager, dans les plans d'action OGP, de nouveaux engagements qui promeuvent les droits démocratiques et \
protègent le dialogue dans l'espace numérique, y compris les droits sur les données et la vie privée, \
l'accès à internet et son contrôle ; et
- Développer et promouvoir des algorithmes et une intelligence artificielle ouverts et éthiques.

Nous appelons l'Unité d'appui de l'OGP à examiner l'ensemble des recommandations et des documents \
d'orientation du Partenariat afin de garantir qu'ils créent un cadre favorable au leadership collectif sur \
ces questions.
"""

_WORK_PLAN_TEXT_ES = (
    "La Unidad de Apoyo (UA) presentó un resumen de la estrategia revisada para avanzar en la gobernanza digital "
    "como tema clave de OGP en 2021, con cuatro líneas de trabajo principales: i) uso de las tecnologías "
    "digitales para promover enfoques transparentes, responsables y participativos, ii) rendición de cuentas "
    "sobre el uso de las tecnologías digitales por parte del gobierno, iii) rendición de cuentas de las "
    "tecnologías digitales usadas para la comunicación política, y iv) promoción de salvaguardas para el "
    "espacio cívico en línea frente al mal uso y el abuso de las tecnologías digitales."
)
_WORK_PLAN_TEXT_FR = (
    "L'Unité d'appui (UA) a présenté une vue d'ensemble de la stratégie révisée visant à faire progresser la "
    "gouvernance numérique, thème clé de l'OGP en 2021, autour de quatre axes de travail principaux : i) "
    "l'utilisation des technologies numériques pour promouvoir des approches transparentes, responsables et "
    "participatives, ii) la redevabilité quant à l'utilisation des technologies numériques par les pouvoirs "
    "publics, iii) la redevabilité des technologies numériques utilisées pour la communication politique, et iv) "
    "la promotion de garde-fous pour l'espace civique en ligne, contre le mauvais usage et l'abus des "
    "technologies numériques."
)

RESOLUTIONS: dict[str, Texts] = {
    CALL_TO_ACTION_SLUG: {
        "es": {
            "title": "Llamado a la acción del Comité Directivo de OGP: liderazgo colectivo para proteger la "
            "participación, avanzar en la inclusión y generar impacto para la democracia digital",
            "preamble": _PREAMBLE_ES,
            "text": _TEXT_ES,
        },
        "fr": {
            "title": "Appel à l'action du Comité directeur de l'OGP : un leadership collectif pour protéger la "
            "participation, faire progresser l'inclusion et produire un impact pour la démocratie numérique",
            "preamble": _PREAMBLE_FR,
            "text": _TEXT_FR,
        },
    },
    WORK_PLAN_SLUG: {
        "es": {"title": "Plan de trabajo digital 2021", "text": _WORK_PLAN_TEXT_ES},
        "fr": {"title": "Plan de travail numérique 2021", "text": _WORK_PLAN_TEXT_FR},
    },
}

ERAS: dict[tuple[str, str], Texts] = {
    (CALL_TO_ACTION_SLUG, "civic-space"): {
        "es": {
            "title": "Cierre del espacio cívico",
            "description": "En esta era de cierre del espacio cívico, hacemos un llamado a todos los miembros de "
            "OGP a tomar las siguientes acciones.",
        },
        "fr": {
            "title": "Rétrécissement de l'espace civique",
            "description": "En cette ère de rétrécissement de l'espace civique, nous appelons tous les membres "
            "de l'OGP à prendre les mesures suivantes.",
        },
    },
    (CALL_TO_ACTION_SLUG, "gender-inclusion"): {
        "es": {
            "title": "Exclusión persistente y disparidad de género",
            "description": "En esta era de exclusión persistente y disparidad de género, hacemos un llamado a "
            "todos los miembros de OGP a tomar las siguientes acciones.",
        },
        "fr": {
            "title": "Exclusion persistante et inégalités entre les genres",
            "description": "En cette ère d'exclusion persistante et d'inégalités entre les genres, nous appelons "
            "tous les membres de l'OGP à prendre les mesures suivantes.",
        },
    },
    (CALL_TO_ACTION_SLUG, "digital-democracy"): {
        "es": {
            "title": "Oportunidades digitales para profundizar la participación democrática",
            "description": "En esta era de oportunidades digitales para profundizar la participación "
            "democrática, hacemos un llamado a todos los miembros de OGP a tomar las siguientes acciones.",
        },
        "fr": {
            "title": "Possibilités numériques pour approfondir la participation démocratique",
            "description": "En cette ère de possibilités numériques pour approfondir la participation "
            "démocratique, nous appelons tous les membres de l'OGP à prendre les mesures suivantes.",
        },
    },
    (WORK_PLAN_SLUG, "digital-tools-for-openness"): {
        "es": {
            "title": "Uso de las tecnologías digitales para promover enfoques transparentes, responsables y "
            "participativos",
            "description": "Línea i) del plan de trabajo digital 2021.",
        },
        "fr": {
            "title": "Utilisation des technologies numériques pour promouvoir des approches transparentes, "
            "responsables et participatives",
            "description": "Axe i) du plan de travail numérique 2021.",
        },
    },
    (WORK_PLAN_SLUG, "government-use-of-digital"): {
        "es": {
            "title": "Rendición de cuentas sobre el uso de las tecnologías digitales por parte del gobierno",
            "description": "Línea ii) del plan de trabajo digital 2021.",
        },
        "fr": {
            "title": "Redevabilité quant à l'utilisation des technologies numériques par les pouvoirs publics",
            "description": "Axe ii) du plan de travail numérique 2021.",
        },
    },
    (WORK_PLAN_SLUG, "political-communication"): {
        "es": {
            "title": "Rendición de cuentas de las tecnologías digitales usadas para la comunicación política",
            "description": "Línea iii) del plan de trabajo digital 2021.",
        },
        "fr": {
            "title": "Redevabilité des technologies numériques utilisées pour la communication politique",
            "description": "Axe iii) du plan de travail numérique 2021.",
        },
    },
    (WORK_PLAN_SLUG, "civic-space-online"): {
        "es": {
            "title": "Promoción de salvaguardas para el espacio cívico en línea, frente al mal uso y el abuso de "
            "las tecnologías digitales",
            "description": "Línea iv) del plan de trabajo digital 2021.",
        },
        "fr": {
            "title": "Promotion de garde-fous pour l'espace civique en ligne, contre le mauvais usage et l'abus "
            "des technologies numériques",
            "description": "Axe iv) du plan de travail numérique 2021.",
        },
    },
}

ACTION_ITEMS: dict[str, Texts] = {
    "cta2019-civic-space-1": {
        "es": {
            "short_title": "Fortalecer los foros multiactor",
            "text": "Fortalecer la estructura y las deliberaciones de los foros multiactor, en línea con los "
            "Estándares de Participación y Cocreación de OGP",
        },
        "fr": {
            "short_title": "Renforcer les forums multipartites",
            "text": "Renforcer la structure et les délibérations des forums multipartites, conformément aux "
            "Normes de participation et de co-création de l'OGP",
        },
    },
    "cta2019-civic-space-2": {
        "es": {
            "short_title": "Compromisos que defiendan las instituciones y los derechos democráticos",
            "text": "Considerar compromisos en los planes de acción de OGP que se centren en defender las "
            "instituciones y los derechos democráticos, especialmente las libertades fundamentales de "
            "asociación, reunión y expresión",
        },
        "fr": {
            "short_title": "Engagements défendant les institutions et les droits démocratiques",
            "text": "Envisager, dans les plans d'action OGP, des engagements visant à défendre les institutions "
            "et les droits démocratiques, en particulier les libertés fondamentales d'association, de réunion "
            "et d'expression",
        },
    },
    "cta2019-civic-space-3": {
        "es": {
            "short_title": "Nuevos modelos de cocreación y participación pública en la implementación",
            "text": "Poner a prueba nuevos modelos de cocreación y ampliar la participación pública en la fase "
            "de implementación de las reformas de gobierno abierto.",
        },
        "fr": {
            "short_title": "Nouveaux modèles de co-création et participation du public à la mise en œuvre",
            "text": "Expérimenter de nouveaux modèles de co-création et renforcer la participation du public à "
            "la phase de mise en œuvre des réformes de gouvernement ouvert.",
        },
    },
    "cta2019-gender-inclusion-1": {
        "es": {
            "short_title": "Involucrar a mujeres y grupos no binarios en los foros y la cocreación",
            "text": "Involucrar activamente a participantes como grupos y redes diversos de mujeres y personas no "
            "binarias en los foros multiactor y en los procesos de cocreación",
        },
        "fr": {
            "short_title": "Associer les femmes et les groupes non binaires aux forums et à la co-création",
            "text": "Associer activement des participants tels que des groupes et réseaux divers de femmes et de "
            "personnes non binaires aux forums multipartites et aux processus de co-création",
        },
    },
    "cta2019-gender-inclusion-2": {
        "es": {
            "short_title": "Compromisos que cierren una brecha de género en servicios o políticas",
            "text": "Considerar compromisos en los planes de acción de OGP que usen el gobierno abierto para "
            "atender una brecha específica en los servicios o las necesidades de política pública de mujeres, "
            "niñas y personas de género no binario",
        },
        "fr": {
            "short_title": "Engagements comblant un écart entre les genres dans les services ou les politiques",
            "text": "Envisager, dans les plans d'action OGP, des engagements qui utilisent le gouvernement "
            "ouvert pour combler une lacune précise dans les services ou les besoins en matière de politiques "
            "publiques des femmes, des filles et des personnes non binaires",
        },
    },
    "cta2019-gender-inclusion-3": {
        "es": {
            "short_title": "Análisis de género de los posibles compromisos",
            "text": "Trabajar con especialistas para realizar análisis de género que evalúen cómo los posibles "
            "compromisos afectarán de manera diferente a distintos grupos, y adoptar los cambios necesarios para "
            "mejorar la inclusión.",
        },
        "fr": {
            "short_title": "Analyse fondée sur le genre des engagements envisagés",
            "text": "Travailler avec des experts pour mener une analyse fondée sur le genre afin d'évaluer "
            "comment les engagements envisagés toucheront différemment les groupes, et adopter les changements "
            "nécessaires pour améliorer l'inclusion.",
        },
    },
    "cta2019-digital-democracy-1": {
        "es": {
            "short_title": "Trabajar con otros miembros contra los daños en línea transnacionales",
            "text": "Trabajar con otros miembros de OGP para hacer frente a los daños en línea de carácter "
            "transnacional",
        },
        "fr": {
            "short_title": "Travailler avec d'autres membres contre les préjudices en ligne transnationaux",
            "text": "Travailler avec d'autres membres de l'OGP pour lutter contre les préjudices en ligne "
            "transnationaux",
        },
    },
    "cta2019-digital-democracy-2": {
        "es": {
            "short_title": "Compromisos sobre derechos democráticos en el ámbito digital",
            "text": "Considerar nuevos compromisos en los planes de acción de OGP que promuevan los derechos "
            "democráticos y protejan el diálogo en el ámbito digital, incluidos los derechos sobre los datos y "
            "la privacidad, y el acceso a internet y su control",
        },
        "fr": {
            "short_title": "Engagements sur les droits démocratiques dans l'espace numérique",
            "text": "Envisager, dans les plans d'action OGP, de nouveaux engagements qui promeuvent les droits "
            "démocratiques et protègent le dialogue dans l'espace numérique, y compris les droits sur les "
            "données et la vie privée, l'accès à internet et son contrôle",
        },
    },
    "cta2019-digital-democracy-3": {
        "es": {
            "short_title": "Algoritmos e inteligencia artificial abiertos y éticos",
            "text": "Desarrollar y promover algoritmos e inteligencia artificial abiertos y éticos.",
        },
        "fr": {
            "short_title": "Algorithmes et intelligence artificielle ouverts et éthiques",
            "text": "Développer et promouvoir des algorithmes et une intelligence artificielle ouverts et éthiques.",
        },
    },
    "cta2019-support-unit-1": {
        "es": {
            "short_title": "Revisar las recomendaciones y los documentos de política de la Alianza",
            "text": "Revisar todas las recomendaciones y los documentos de política de la Alianza, para asegurar "
            "que creen un marco propicio que promueva el liderazgo colectivo en estos temas.",
        },
        "fr": {
            "short_title": "Examiner les recommandations et les documents d'orientation du Partenariat",
            "text": "Examiner l'ensemble des recommandations et des documents d'orientation du Partenariat afin "
            "de garantir qu'ils créent un cadre favorable au leadership collectif sur ces questions.",
        },
    },
}


def translated_values(texts: Texts | None) -> dict[str, str]:
    """A seed entry as model field values: {"es": {"title": ...}} -> {"title_es": ...}."""
    return {f"{field}_{language}": text for language, fields in (texts or {}).items() for field, text in fields.items()}
