"""The two OGP documents the product was created from, as data, and their idempotent loader."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from resolutions import framework_translations as translations
from resolutions.models import (
    ActionItem,
    AgendaItem,
    AgendaPoint,
    Attendance,
    Era,
    Meeting,
    NextStep,
    Resolution,
)

CALL_TO_ACTION_SLUG = "call-to-action-2019"
WORK_PLAN_SLUG = "digital-work-plan-2021"
MEETING_SLUG = "thematic-leadership-call-2021-02-11"

CALL_TO_ACTION_TITLE = (
    "OGP Steering Committee Call to Action: Collective Leadership to Protect Participation, "
    "Advance Inclusion, and Create Impact for Digital Democracy"
)
CALL_TO_ACTION_PREAMBLE = (
    "In the current global environment where democracy is being undermined by restricted space for civil "
    "society, erosion of citizens' trust, rising populism and polarization of communities, collective action "
    "is key to counter these threats. OGP needs to be at the cutting edge of policy solutions to deliver on "
    "its vision to promote open, inclusive, and responsive governments that deliver for all citizens."
)
CALL_TO_ACTION_TEXT = f"""{CALL_TO_ACTION_PREAMBLE}

In this era of closing civic space, we call on all OGP members to take the following actions:

- Strengthen the structure and deliberations of multi-stakeholder forums in line with the OGP \
Participation and Co-creation Standards;
- Consider commitments in OGP action plans that focus on defending democratic institutions and rights, \
especially the fundamental freedoms of association, assembly and expression; and
- Test out new co-creation models and enhance public involvement in the implementation phase of open \
government reforms.

In this era of continued exclusion and gender disparity, we call on all OGP members to take the following \
actions:

- Actively engage participants such as diverse women and non-binary groups and networks in \
multi-stakeholder forums and in co-creation processes;
- Consider commitments in OGP action plans that use open government to address a specific gap in \
women's, girl's and gender non-binary individual's services or policy needs; and,
- Work with experts to conduct gender-based analysis to assess how potential commitments will affect \
groups differently, and adopt changes as necessary to improve inclusivity.

In this era of digital opportunities for deepening democratic engagement, we call on all OGP members to:

- Work with fellow OGP members to tackle transnational online harms;
- Consider new commitments in OGP action plans that promote democratic rights and protect dialogue in the \
digital realm, including data rights and privacy, internet access and control, and
- Develop and promote open, ethical algorithms and artificial intelligence.

We call on the OGP Support Unit to review all Partnership-wide recommendations and policy documents to \
ensure that they create an enabling framework to promote collective leadership on these issues.
"""

M = ActionItem.Addressee.MEMBERS
C = ActionItem.Evidence.COMMITMENT
P = ActionItem.Evidence.PROCESS


@dataclass(frozen=True)
class ItemSeed:
    code: str
    short_title: str
    text: str
    evidence: str
    addressee: str = M


@dataclass(frozen=True)
class EraSeed:
    key: str
    title: str
    description: str
    items: tuple[ItemSeed, ...] = ()


CALL_TO_ACTION_ERAS = (
    EraSeed(
        "civic-space",
        "Closing civic space",
        "In this era of closing civic space, we call on all OGP members to take the following actions.",
        (
            ItemSeed(
                "cta2019-civic-space-1",
                "Strengthen multi-stakeholder forums",
                "Strengthen the structure and deliberations of multi-stakeholder forums in line with the OGP "
                "Participation and Co-creation Standards",
                P,
            ),
            ItemSeed(
                "cta2019-civic-space-2",
                "Commitments defending democratic institutions and rights",
                "Consider commitments in OGP action plans that focus on defending democratic institutions and "
                "rights, especially the fundamental freedoms of association, assembly and expression",
                C,
            ),
            ItemSeed(
                "cta2019-civic-space-3",
                "New co-creation models and public involvement in implementation",
                "Test out new co-creation models and enhance public involvement in the implementation phase of "
                "open government reforms.",
                P,
            ),
        ),
    ),
    EraSeed(
        "gender-inclusion",
        "Continued exclusion and gender disparity",
        "In this era of continued exclusion and gender disparity, we call on all OGP members to take the "
        "following actions.",
        (
            ItemSeed(
                "cta2019-gender-inclusion-1",
                "Engage women and non-binary groups in forums and co-creation",
                "Actively engage participants such as diverse women and non-binary groups and networks in "
                "multi-stakeholder forums and in co-creation processes",
                P,
            ),
            ItemSeed(
                "cta2019-gender-inclusion-2",
                "Commitments closing a gender gap in services or policy",
                "Consider commitments in OGP action plans that use open government to address a specific gap in "
                "women's, girl's and gender non-binary individual's services or policy needs",
                C,
            ),
            ItemSeed(
                "cta2019-gender-inclusion-3",
                "Gender-based analysis of potential commitments",
                "Work with experts to conduct gender-based analysis to assess how potential commitments will "
                "affect groups differently, and adopt changes as necessary to improve inclusivity.",
                P,
            ),
        ),
    ),
    EraSeed(
        "digital-democracy",
        "Digital opportunities for deepening democratic engagement",
        "In this era of digital opportunities for deepening democratic engagement, we call on all OGP members "
        "to take the following actions.",
        (
            ItemSeed(
                "cta2019-digital-democracy-1",
                "Work with fellow members on transnational online harms",
                "Work with fellow OGP members to tackle transnational online harms",
                P,
            ),
            ItemSeed(
                "cta2019-digital-democracy-2",
                "Commitments on democratic rights in the digital realm",
                "Consider new commitments in OGP action plans that promote democratic rights and protect dialogue "
                "in the digital realm, including data rights and privacy, internet access and control",
                C,
            ),
            ItemSeed(
                "cta2019-digital-democracy-3",
                "Open, ethical algorithms and artificial intelligence",
                "Develop and promote open, ethical algorithms and artificial intelligence.",
                C,
            ),
        ),
    ),
)

SUPPORT_UNIT_ITEM = ItemSeed(
    "cta2019-support-unit-1",
    "Review Partnership-wide recommendations and policy documents",
    "Review all Partnership-wide recommendations and policy documents to ensure that they create an enabling "
    "framework to promote collective leadership on these issues.",
    ActionItem.Evidence.NONE,
    ActionItem.Addressee.SUPPORT_UNIT,
)

WORK_PLAN_STREAMS = (
    EraSeed(
        "digital-tools-for-openness",
        "Use of digital technologies to promote transparent, accountable, and participatory approaches",
        "Stream i) of the 2021 digital work plan.",
    ),
    EraSeed(
        "government-use-of-digital",
        "Accountability of the use of digital technologies by government",
        "Stream ii) of the 2021 digital work plan.",
    ),
    EraSeed(
        "political-communication",
        "Accountability of digital technologies used for political communication",
        "Stream iii) of the 2021 digital work plan.",
    ),
    EraSeed(
        "civic-space-online",
        "Promoting safeguards for civic space online, against the misuse and abuse of digital technologies",
        "Stream iv) of the 2021 digital work plan.",
    ),
)

WORK_PLAN_TEXT = (
    "The Support Unit (SU) shared an overview of the revised strategy for advancing digital governance as a "
    "key theme for OGP in 2021, with four primary streams of work: i) use of digital technologies to promote "
    "transparent, accountable, and participatory approaches, ii) accountability of the use of digital "
    "technologies by government, iii) accountability of digital technologies used for political "
    "communication, and iv) promoting safeguards for civic space online, against the misuse and abuse of "
    "digital technologies."
)

ATTENDANCE: tuple[tuple[str, str, str, str], ...] = (
    # role, government, person, position
    (Attendance.Role.ATTENDEE, "Government of Argentina", "Carolina Cornejo", ""),
    (Attendance.Role.ATTENDEE, "Government of Argentina", "Nicole Grunbaum", ""),
    (Attendance.Role.ATTENDEE, "Government of Kenya", "Patita Tingoi", ""),
    (Attendance.Role.ATTENDEE, "Government of Romania", "Larisa Panait", ""),
    (Attendance.Role.ATTENDEE, "Government of Romania", "Robert Lazaroiu", ""),
    (Attendance.Role.ATTENDEE, "Government of Romania", "Constantin Carnega", ""),
    (Attendance.Role.ATTENDEE, "", "Helen Darbishire", ""),
    (Attendance.Role.ATTENDEE, "", "Robin Hodess", ""),
    (Attendance.Role.ATTENDEE, "", "Steph Muchai", ""),
    (Attendance.Role.ATTENDEE, "", "Jean Scrimgeour", ""),
    (Attendance.Role.ATTENDEE, "", "Anabel Cruz", ""),
    (Attendance.Role.ATTENDEE, "", "Oluseun Onigbinde", ""),
    (Attendance.Role.GUEST, "", "Maria Baron", "Lead Civil Society Co-Chair"),
    (Attendance.Role.APOLOGY, "Government of France", "", ""),
    (Attendance.Role.APOLOGY, "Government of Indonesia", "", ""),
    (Attendance.Role.APOLOGY, "", "Zuzana Wienk", ""),
)


@dataclass(frozen=True)
class AgendaSeed:
    number: str
    title: str
    reference_material: str
    summary: str
    questions: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


AGENDA = (
    AgendaSeed(
        "I",
        "Advancing the 2021 digital work plan",
        "2021 draft digital work plan; Upcoming SC Events",
        WORK_PLAN_TEXT
        + "\n\nThematic Leadership (TLS) members were encouraged to provide input on specific activities being "
        "undertaken, including recent discussions on data privacy and digital platforms, and ideas on how these "
        "can be further supported, as well as any gaps that could be identified and any strong links to OGP "
        "work.\n\nTLS members were also invited to join conversations with Co-Chair Maria Baron around the "
        "digital governance pillar of the Korea-Baron Co-Chair priorities, to further the work plan and streams "
        "of work raised in the Civil Society Steering Committee meetings and consider ways to coordinate and "
        "streamline efforts.",
        suggestions=(
            "Consider the role of open data in these work streams, building on the use and openness of digital "
            "technologies, and emphasizing the quality of data in addition to availability.",
            "Build on the resources developed so far by the SU during the Open Response + Open Recovery (OR+OR) "
            "campaign, like the guide to Taking the OGP Co-Creating Process Online.",
            "Consider adding digital inclusion as a focus within the work plan.",
            "Be clear on the value add of the OGP platform, and connect with partners that are already working "
            "in these topics, including local chapters and groups that can share their experiences and "
            "challenges.",
            "Clarify what is meant by participation and accountability; currently too vague.",
            "Consider focusing on a single topic rather than broadly approaching several.",
            "Consider how to bring in OGP Leaders working on digital, such as New Zealand and its experience on "
            "algorithms transparency.",
        ),
        next_steps=("The SU will integrate feedback into the work ongoing digital work plan for 2021.",),
    ),
    AgendaSeed(
        "II",
        "Overview of 2021 global events and the role of OGP",
        "Memo on maximizing global summits; slides 16-17",
        "In follow up to the December 2020 SC meeting, the SU provided a brief recap of main global summits and "
        "events taking place in 2021, followed by a discussion on the individual and collective activities that "
        "TLS members are planning this year in relation to these and other events.",
        questions=(
            "What linkages are there between SC members' work across governments/organizations that can help "
            "strengthen OGP's global positioning?",
            'What would OGP\'s role of "connection tissue" between global events look like? What would be most '
            "helpful to SC members?",
        ),
        suggestions=(
            "The SU should develop a clear and cohesive narrative for the Partnership leading into the next year.",
            "The SC will consider opportunities for synergies, like connecting with the Italian government on the "
            "intersection of digital governance and open government at the upcoming G20.",
            "Consider how to allow countries to connect what they worked on last year with their focuses this year.",
            "Discuss how TLS can connect with OECD on open government work.",
            "Review how TLS can contribute to strategy and engagement around other global opportunities "
            "throughout the year, including UNGASS and COP26.",
            "Connect with events gathering the community, such as Open Data Day and other global and regional "
            "fora, such as OAS.",
            "Consider other thematic dives, such as gender and inclusion, and how they can connect with local members.",
        ),
    ),
    AgendaSeed(
        "III",
        "AOB: Update on Leaders Network",
        "Leaders Network",
        "Following the launch of the Leaders Network (Mexico, New Zealand, Kaduna State, Buenos Aires, and "
        "Latvia) in November 2020, the SU has initiated conversations with the government and civil society "
        "representatives to identify linkages between the reforms they are advancing and other OGP activities, "
        "and brainstorm ideas on how to share and give more visibility to their efforts. An upcoming "
        "opportunity for engagement is Open Gov Week, and other upcoming events such as Generation Equality and "
        "International Women's Day.",
        next_steps=(
            "The SU will develop strategies for all Leaders to engage in OGP and partner-led events throughout the "
            "year where those intersect with the areas of expertise of the group.",
            "The SU will provide periodic updates on Leaders' Network activities and consider opportunities to "
            "invite Leaders to join TLS discussions.",
        ),
    ),
)


# OGP code, name, kind, region, first year participating: the members the meeting names as Leaders.
def _sync(model: type, lookup: dict[str, object], values: dict[str, object]) -> object:
    """Create the row or bring it to `values`, saving only when something differs."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)  # type: ignore[attr-defined]
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save(update_fields=changed)
    return obj


def _load_eras(resolution: Resolution, eras: tuple[EraSeed, ...], term: str) -> None:
    for era_order, era_seed in enumerate(eras, start=1):
        era = _sync(
            Era,
            {"resolution": resolution, "key": era_seed.key},
            {
                "title": era_seed.title,
                "description": era_seed.description,
                "order": era_order,
                "term": term,
                **translations.translated_values(translations.ERAS.get((resolution.slug, era_seed.key))),
            },
        )
        for item_order, item in enumerate(era_seed.items, start=1):
            _sync(ActionItem, {"code": item.code}, _item_values(item, resolution, era, item_order))


def _item_values(item: ItemSeed, resolution: Resolution, era: object, order: int) -> dict[str, object]:
    return {
        "resolution": resolution,
        "era": era,
        "short_title": item.short_title,
        "text": item.text,
        "addressee": item.addressee,
        "evidence": item.evidence,
        "order": order,
        **translations.translated_values(translations.ACTION_ITEMS.get(item.code)),
    }


def _load_meeting(work_plan: Resolution) -> Meeting:
    meeting = _sync(
        Meeting,
        {"slug": MEETING_SLUG},
        {
            "resolution": work_plan,
            "body": "Thematic Leadership Subcommittee",
            "title": "Thematic Leadership Monthly Call",
            "held_on": datetime.date(2021, 2, 11),
            "time_description": "08:00 - 9:30 EDT",
            "summary": "Advancing the 2021 digital work plan; 2021 global events and the role of OGP; "
            "an update on the Leaders Network.",
        },
    )
    assert isinstance(meeting, Meeting)
    for order, (role, government, person, position) in enumerate(ATTENDANCE, start=1):
        _sync(
            Attendance,
            {"meeting": meeting, "role": role, "government": government, "person": person},
            {"position": position, "order": order},
        )
    step_order = 0
    for order, agenda in enumerate(AGENDA, start=1):
        agenda_item = _sync(
            AgendaItem,
            {"meeting": meeting, "order": order},
            {
                "number": agenda.number,
                "title": agenda.title,
                "summary": agenda.summary,
                "reference_material": agenda.reference_material,
            },
        )
        for kind, texts in (
            (AgendaPoint.Kind.QUESTION, agenda.questions),
            (AgendaPoint.Kind.SUGGESTION, agenda.suggestions),
        ):
            for point_order, text in enumerate(texts, start=1):
                _sync(
                    AgendaPoint,
                    {"agenda_item": agenda_item, "kind": kind, "order": point_order},
                    {"text": text},
                )
        for text in agenda.next_steps:
            step_order += 1
            # Status and due date belong to the Support Unit once loaded: only the seed's words are kept in step.
            _sync(
                NextStep,
                {"meeting": meeting, "order": step_order},
                {"agenda_item": agenda_item, "text": text, "owner": "Support Unit"},
            )
    return meeting


def framework_state() -> list[tuple[object, ...]]:
    """Every resolution, era and action item as values: what scores are over, to tell whether it changed."""
    return [
        *Resolution.objects.order_by("pk").values_list("pk", "adopted_on", "slug"),
        *Era.objects.order_by("pk").values_list("pk", "resolution_id", "key", "order"),
        *ActionItem.objects.order_by("pk").values_list("pk", "era_id", "code", "addressee", "evidence", "order"),
    ]


@transaction.atomic
def load_frameworks() -> dict[str, int]:
    """Load both seed documents; running it again changes nothing. `changed` says whether what scores are
    over (resolutions, eras, action items) changed."""
    before = framework_state()
    call = _sync(
        Resolution,
        {"slug": CALL_TO_ACTION_SLUG},
        {
            "title": CALL_TO_ACTION_TITLE,
            "kind": Resolution.Kind.CALL_TO_ACTION,
            "issuing_body": "OGP Steering Committee",
            "adopted_on": datetime.date(2019, 5, 29),
            "source_url": "https://www.opengovpartnership.org/documents/call-to-action/",
            "preamble": CALL_TO_ACTION_PREAMBLE,
            "text": CALL_TO_ACTION_TEXT,
            **translations.translated_values(translations.RESOLUTIONS.get(CALL_TO_ACTION_SLUG)),
        },
    )
    assert isinstance(call, Resolution)
    _load_eras(call, CALL_TO_ACTION_ERAS, Era.Term.ERA)
    _sync(
        ActionItem,
        {"code": SUPPORT_UNIT_ITEM.code},
        _item_values(SUPPORT_UNIT_ITEM, call, None, len(CALL_TO_ACTION_ERAS) + 1),
    )
    work_plan = _sync(
        Resolution,
        {"slug": WORK_PLAN_SLUG},
        {
            "title": "2021 digital work plan",
            "kind": Resolution.Kind.WORK_PLAN,
            "issuing_body": "OGP Support Unit, with the Thematic Leadership Subcommittee",
            "adopted_on": datetime.date(2021, 2, 11),
            "source_url": "",
            "preamble": "",
            "text": WORK_PLAN_TEXT,
            **translations.translated_values(translations.RESOLUTIONS.get(WORK_PLAN_SLUG)),
        },
    )
    assert isinstance(work_plan, Resolution)
    _load_eras(work_plan, WORK_PLAN_STREAMS, Era.Term.STREAM)
    _load_meeting(work_plan)
    return {
        "resolutions": Resolution.objects.count(),
        "eras": Era.objects.count(),
        "action_items": ActionItem.objects.count(),
        "meetings": Meeting.objects.count(),
        "changed": int(framework_state() != before),
    }
