"""A deterministic demo dataset: OGP's real members with action plans and commitments written for the demo.

The same seed always gives the same rows. Everything is inserted in bulk, so a large dataset loads fast.
"""

import csv
import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils.text import slugify

from commitments.importer.format import REGION_LABELS
from commitments.models import (
    NO_DATA,
    NOT_APPLICABLE,
    NOT_REVIEWED,
    ActionPlan,
    Alignment,
    Commitment,
    CommitmentPolicyArea,
    DatePrecision,
    Member,
    Origin,
    PolicyArea,
    ProcessEvidence,
    ReviewEvent,
    ReviewStatus,
)
from commitments.models.review import alignment_subject
from commitments.roles import REVIEWERS, ensure_roles
from commitments.search import detect_language
from commitments.seeds import LEADERS_NETWORK
from demo.texts import PROCESS_EVIDENCE, TOPIC_WEIGHTS, TOPICS, Topic
from resolutions.models import ActionItem

MEMBERS_CSV = Path(__file__).resolve().parent / "data" / "members.csv"
REGIONS = {label: code for code, label in REGION_LABELS.items()}
SPANISH = {"ARG", "ARBA", "CHL", "COL", "CONR", "CRI", "DOM", "ECU", "ESP", "ESMD", "GTM", "HND", "MEX", "MXJL",
           "PAN", "PELL", "PER", "PRY", "SLV", "URY", "COBO", "ARME"}  # fmt: skip
FRENCH = {"BFA", "CIV", "FRA", "FRPA", "MAR", "SEN", "TUN", "SYC", "CAQC"}
LAST_PLAN_YEAR = 2023
BATCH = 2000
DEMO_REVIEWER = "demo.reviewer"
DECISION_DAY = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)


class DemoDataExists(Exception):
    pass


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str
    kind: str
    region: str
    joined_year: int


@dataclass
class DemoReport:
    members: int = 0
    action_plans: int = 0
    commitments: int = 0
    alignments: int = 0
    process_evidence: int = 0


def read_members() -> list[MemberRow]:
    with MEMBERS_CSV.open(encoding="utf-8") as handle:
        return [
            MemberRow(
                row["code"], row["name"], row["kind"], REGIONS[row["region"]], int(row["first_year_participating"])
            )
            for row in csv.DictReader(handle)
        ]


def choose_members(count: int) -> list[MemberRow]:
    """The Leaders Network first, so even a small demo shows it, then the rest by code."""
    leaders = {code for code, *_ in LEADERS_NETWORK}
    rows = read_members()
    return sorted(rows, key=lambda row: (row.code not in leaders, row.code))[:count]


def _irm(rng: random.Random, plan: ActionPlan) -> dict[str, str]:
    """An IRM assessment with the gaps real data has: older plans rated on potential impact, newer ones on
    potential for results; recent plans not yet reviewed at end of term; some plain 'no data'."""
    newer = plan.submitted_year >= 2020
    ended = plan.end_year <= 2022
    gap = rng.random()
    values: dict[str, str] = {
        "specificity": rng.choice(["low", "medium", "medium", "high", "high", "none"]),
        "verifiable": rng.choice(["yes"] * 9 + ["no"]),
        "value_access_to_information": rng.choice(["yes", "no"]),
        "value_civic_participation": rng.choice(["yes", "no"]),
        "value_public_accountability": rng.choice(["yes", "no", "no"]),
        "value_technology": rng.choice(["yes", "no", "no"]),
    }
    if newer:
        values["potential_impact"] = NOT_APPLICABLE
        values["potential_for_results"] = rng.choice(["unclear", "modest", "modest", "substantial"])
    else:
        values["potential_impact"] = rng.choice(["none", "minor", "moderate", "moderate", "transformative"])
        values["potential_for_results"] = NOT_APPLICABLE
    values["completion_midterm"] = (
        NOT_APPLICABLE if newer else rng.choice(["not_started", "limited", "limited", "substantial", "complete"])
    )
    values["completion_end_of_term"] = (
        rng.choice(["not_started", "limited", "substantial", "substantial", "complete", "complete", "withdrawn"])
        if ended
        else NOT_REVIEWED
    )
    values["early_results"] = (
        rng.choice(["no_notable_results", "moderate", "significant"]) if newer and ended else NOT_APPLICABLE
    )
    values["dioG_overall"] = (
        rng.choice(["did_not_change", "marginal", "marginal", "major", "outstanding"])
        if ended and not newer
        else NOT_APPLICABLE
    )
    values["starred_progress"] = rng.choice(["yes"] + ["no"] * 6) if not newer else NOT_APPLICABLE
    if gap < 0.10:  # the IRM has no data on this commitment at all
        values = dict.fromkeys(values, NO_DATA)
    elif gap < 0.16:
        values["completion_end_of_term"] = NOT_REVIEWED
        values["completion_midterm"] = NOT_REVIEWED
    return values


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


def _date(rng: random.Random, year: int) -> tuple[str, datetime.date | None, str]:
    """A date written in one of the shapes real exports carry; parsed only when unambiguous."""
    month = rng.randint(1, 12)
    shape = rng.random()
    if shape < 0.3:
        day = rng.randint(13, 28)  # day above 12: day-first is unambiguous
        return f"{day}/{month}/{year}", datetime.date(year, month, day), DatePrecision.DAY
    if shape < 0.55:
        return f"{MONTHS[month - 1]} {year}", datetime.date(year, month, 1), DatePrecision.MONTH
    if shape < 0.7:
        quarter = (month - 1) // 3 + 1
        return f"Quarter {quarter} {year}", datetime.date(year, 3 * quarter - 2, 1), DatePrecision.QUARTER
    if shape < 0.85:
        return str(year), datetime.date(year, 1, 1), DatePrecision.YEAR
    if shape < 0.93:
        return f"{month}/{rng.randint(1, 12)}/{year}", None, DatePrecision.NONE  # month or day first? not guessed
    return rng.choice(["Permanent activity", "In progress", "NA"]), None, DatePrecision.NONE


def _language(code: str, rng: random.Random) -> str:
    if code in SPANISH and rng.random() < 0.7:
        return "es"
    if code in FRENCH and rng.random() < 0.7:
        return "fr"
    return "en"


def _texts(topic: Topic, language: str, member: str, year: int) -> tuple[str, str, str]:
    """Title, full text and the passage that shows the alignment (empty when it is not in that language)."""
    if language in topic.translations:
        title, text = topic.translations[language]
        return title, text.format(member=member, year=year), ""
    return topic.title, topic.text.format(member=member, year=year), topic.passage


def _clear_demo_data() -> None:
    """`--replace` wipes the demo's own rows, decisions and their history included: a developer's reset,
    never a door of the product, where decisions are withdrawn, not deleted."""
    ReviewEvent.objects.all().delete()
    Alignment.objects.all().delete()
    Commitment.objects.all().delete()
    ProcessEvidence.objects.all().delete()
    ActionPlan.objects.all().delete()


@transaction.atomic
def load_demo(*, members: int, commitments_per_plan: int, seed: int = 2019, replace: bool = False) -> DemoReport:
    """Create members, action plans, commitments, policy-area tags, alignments in every review state and
    process evidence; deterministic for a given seed. Refuses to add to a database that has commitments,
    unless `replace` is set, which deletes all action plans, commitments and evidence first."""
    if Commitment.objects.exists() or ActionPlan.objects.exists():
        if not replace:
            raise DemoDataExists("the database already holds action plans; pass replace=True to start again")
        _clear_demo_data()
    rng = random.Random(seed)
    ensure_roles()
    reviewer, created = User.objects.get_or_create(username=DEMO_REVIEWER, defaults={"first_name": "Demo reviewer"})
    if created:
        reviewer.set_unusable_password()
        reviewer.save()
        reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    items = {item.code: item for item in ActionItem.objects.filter(addressee=ActionItem.Addressee.MEMBERS)}
    report = DemoReport()

    member_rows = choose_members(members)
    existing = Member.objects.in_bulk([row.code for row in member_rows], field_name="code")
    Member.objects.bulk_create(
        [
            Member(code=row.code, name=row.name, kind=row.kind, region=row.region, joined_year=row.joined_year)
            for row in member_rows
            if row.code not in existing
        ]
    )
    member_objs = Member.objects.in_bulk([row.code for row in member_rows], field_name="code")
    report.members = len(member_objs)

    plans: list[ActionPlan] = []
    for row in member_rows:
        member = member_objs[row.code]
        year = max(row.joined_year, 2011) + 1
        number = 1
        while year <= LAST_PLAN_YEAR:
            duration = 2 if year < 2020 or rng.random() < 0.6 else 4
            plans.append(
                ActionPlan(
                    ogp_id=f"AP_{row.code}{number:02d}",
                    member=member,
                    number=number,
                    submitted_year=year,
                    end_year=year + duration,
                    duration_years=duration,
                    multistakeholder_forum=rng.choice(["yes", "yes", "no", "unknown"]),
                )
            )
            number += 1
            year += duration
    ActionPlan.objects.bulk_create(plans, batch_size=BATCH)
    report.action_plans = len(plans)

    policy_areas = {
        name: PolicyArea.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
        for name in sorted({area for topic in TOPICS for area in topic.policy_areas})
    }
    topics = list(TOPICS)
    weights = [TOPIC_WEIGHTS[topic.key] for topic in topics]
    sequence: dict[str, int] = {}
    pending: list[tuple[Commitment, Topic, str]] = []

    def flush() -> None:
        Commitment.objects.bulk_create([commitment for commitment, _, _ in pending], batch_size=BATCH)
        _tags_and_alignments(rng, pending, policy_areas, items, reviewer, report)
        report.commitments += len(pending)
        pending.clear()

    for plan in plans:
        member = plan.member
        for _ in range(commitments_per_plan):
            topic = rng.choices(topics, weights)[0]
            sequence[member.code] = sequence.get(member.code, 0) + 1
            number = sequence[member.code]
            title, text, passage = _texts(topic, _language(member.code, rng), member.name, plan.end_year)
            start_raw, start, start_precision = _date(rng, plan.submitted_year)
            end_raw, end, end_precision = _date(rng, plan.end_year)
            commitment = Commitment(
                ogp_id=f"{member.code}{number:04d}",
                action_plan=plan,
                member=member,
                number=str(number),
                theme="NA" if rng.random() < 0.4 else topic.key.replace("-", " ").title(),
                title=title,
                short_title=title[:60],
                full_text=text,
                language=detect_language(title, text),
                lead_institution=topic.institution,
                supporting_institutions=rng.choice(["NA", "N/A", "Unclear", "Civil society organisations"]),
                url=f"https://www.opengovpartnership.org/members/{slugify(member.name)}/commitments/"
                f"{member.code}{number:04d}/",
                start_date_raw=start_raw,
                start_date=start,
                start_date_precision=start_precision,
                end_date_raw=end_raw,
                end_date=end,
                end_date_precision=end_precision,
                **_irm(rng, plan),
            )
            pending.append((commitment, topic, passage))
            if len(pending) >= BATCH:
                flush()
    if pending:
        flush()
    _process_evidence(rng, plans, items, reviewer, report)
    return report


def _decision(rng: random.Random, confirm_share: float) -> str:
    roll = rng.random()
    if roll < confirm_share:
        return ReviewStatus.CONFIRMED
    if roll < confirm_share + 0.3:
        return ReviewStatus.SUGGESTED
    return ReviewStatus.REJECTED


def _tags_and_alignments(
    rng: random.Random,
    batch: list[tuple[Commitment, Topic, str]],
    policy_areas: dict[str, PolicyArea],
    items: dict[str, ActionItem],
    reviewer: User,
    report: DemoReport,
) -> None:
    tags: list[CommitmentPolicyArea] = []
    alignments: list[Alignment] = []
    for commitment, topic, passage in batch:
        for area in topic.policy_areas:
            value = CommitmentPolicyArea.Value.YES if rng.random() > 0.05 else CommitmentPolicyArea.Value.NO_DATA
            tags.append(CommitmentPolicyArea(commitment=commitment, policy_area=policy_areas[area], value=value))
        for code in topic.answers:
            status = _decision(rng, confirm_share=0.55)
            alignments.append(_alignment(rng, commitment, items[code], status, passage, trap=False, reviewer=reviewer))
        for code in topic.trap_for:
            if rng.random() < 0.35:
                status = ReviewStatus.REJECTED if rng.random() < 0.5 else ReviewStatus.SUGGESTED
                alignments.append(_alignment(rng, commitment, items[code], status, "", trap=True, reviewer=reviewer))
    CommitmentPolicyArea.objects.bulk_create(tags, batch_size=BATCH)
    Alignment.objects.bulk_create(alignments, batch_size=BATCH)
    ReviewEvent.objects.bulk_create(
        [event for alignment in alignments for event in _history(alignment)], batch_size=BATCH
    )
    report.alignments += len(alignments)


def _alignment(
    rng: random.Random,
    commitment: Commitment,
    item: ActionItem,
    status: str,
    passage: str,
    *,
    trap: bool,
    reviewer: User,
) -> Alignment:
    start = commitment.full_text.find(passage) if passage else -1
    if start < 0:  # a translated text: point at its first sentence
        start, end = 0, min(len(commitment.full_text), commitment.full_text.find(". ") + 1 or 160)
    else:
        end = start + len(passage)
    decided = status != ReviewStatus.SUGGESTED
    rationale = ""
    if status == ReviewStatus.CONFIRMED:
        rationale = "The passage commits the government to exactly what this action item asks."
    elif status == ReviewStatus.REJECTED:
        rationale = (
            "Uses digital tools for a service; it does not govern digital technology."
            if trap
            else "Related in topic, but the commitment does not address what the action item asks."
        )
    return Alignment(
        commitment=commitment,
        action_item=item,
        status=status,
        origin=Origin.CLASSIFIER,
        confidence=round(rng.uniform(0.35, 0.6) if trap else rng.uniform(0.6, 0.97), 3),
        passage_start=start,
        passage_end=end,
        excerpt=commitment.full_text[start:end],
        rationale=rationale,
        text_hash=commitment.text_hash,
        decided_by=reviewer if decided else None,
        decided_at=DECISION_DAY + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 200)) if decided else None,
    )


def _history(alignment: Alignment) -> list[ReviewEvent]:
    subject = alignment_subject(ogp_id=alignment.commitment.ogp_id, item_code=alignment.action_item.code)
    events = [
        ReviewEvent(
            alignment=alignment,
            subject=subject,
            origin=Origin.CLASSIFIER,
            from_status="",
            to_status=ReviewStatus.SUGGESTED,
            confidence=alignment.confidence,
            passage_start=alignment.passage_start,
            passage_end=alignment.passage_end,
            excerpt=alignment.excerpt,
            at=DECISION_DAY - datetime.timedelta(days=30),
        )
    ]
    if alignment.decided_at:
        events.append(
            ReviewEvent(
                alignment=alignment,
                subject=subject,
                actor=alignment.decided_by,
                origin=Origin.REVIEWER,
                from_status=ReviewStatus.SUGGESTED,
                to_status=alignment.status,
                confidence=alignment.confidence,
                passage_start=alignment.passage_start,
                passage_end=alignment.passage_end,
                excerpt=alignment.excerpt,
                rationale=alignment.rationale,
                at=alignment.decided_at,
            )
        )
    return events


def _process_evidence(
    rng: random.Random, plans: list[ActionPlan], items: dict[str, ActionItem], reviewer: User, report: DemoReport
) -> None:
    evidence: list[ProcessEvidence] = []
    for plan in plans:
        if plan.end_year < 2019:
            continue
        for code, template in PROCESS_EVIDENCE.items():
            if rng.random() > 0.3:
                continue
            status = _decision(rng, confirm_share=0.6)
            decided = status != ReviewStatus.SUGGESTED
            evidence.append(
                ProcessEvidence(
                    member=plan.member,
                    action_plan=plan,
                    action_item=items[code],
                    description=template.format(n=rng.randint(2, 9)),
                    source_url=f"https://www.opengovpartnership.org/documents/{plan.ogp_id.lower()}-irm-report/",
                    status=status,
                    origin=Origin.REVIEWER if decided else Origin.CLASSIFIER,
                    rationale="Stated in the IRM report for this cycle." if decided else "",
                    decided_by=reviewer if decided else None,
                    decided_at=DECISION_DAY + datetime.timedelta(days=rng.randint(0, 200)) if decided else None,
                )
            )
    ProcessEvidence.objects.bulk_create(evidence, batch_size=BATCH)
    report.process_evidence = len(evidence)
