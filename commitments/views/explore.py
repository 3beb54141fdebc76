"""Public pages to explore the evidence: an action item, a commitment, search, and compare. Anyone may read
them; they show only what the public catalogue holds (no review queue, no import files, no staff notes)."""

import html
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commitments.models import Alignment, Member, PolicyArea, ProcessEvidence, ReviewStatus
from commitments.queries import (
    action_item_with_era,
    confirmed_process_evidence,
    irm_assessment,
    members_for_filters,
    public_commitment,
    scored_resolution,
)
from commitments.scoring.methodology import CURRENT_VERSION
from commitments.scoring.read import current_scores, item_strengths, strong_examples
from commitments.search import filter_commitments, highlight, search_commitments
from ogp_tracker.downloads import csv_response
from resolutions.models import ActionItem
from resolutions.translation import localized

SEARCH_PAGE_SIZE = 20
COMPARE_MAX = 4
STRONGEST = 10


def param(request: HttpRequest, name: str) -> str:
    """A query parameter as text a database accepts: trimmed, without NUL characters (PostgreSQL refuses them)."""
    return request.GET.get(name, "").replace("\x00", "").strip()


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def csv_link(request: HttpRequest) -> str:
    """The current page's query string with `format=csv`: the download keeps the filters on screen."""
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "csv"
    return "?" + params.urlencode()


def action_item(request: HttpRequest, code: str) -> HttpResponseBase:
    """Public: what an action item asks, which members answered it and how well, its strongest commitments, and
    the members with nothing yet."""
    item = action_item_with_era(code)
    if item is None:
        raise Http404(_("No such action item."))
    answered: list[tuple[Member, float]] = []
    nothing: list[Member] = []
    strongest: list[Alignment] = []
    process: list[ProcessEvidence] = []
    if item.is_member_directed:
        strengths = {
            member_id: strength
            for (member_id, item_code), strength in item_strengths(
                list(
                    current_scores(resolution=item.resolution)
                    .filter(era=item.era)
                    .only("member_id", "era_id", "components")
                )
            ).items()
            if item_code == item.code
        }
        for member in members_for_filters():
            strength = strengths.get(member.pk, 0.0)
            if strength > 0:
                answered.append((member, strength))
            else:
                nothing.append(member)
        answered.sort(key=lambda pair: (-pair[1], pair[0].name))
        if item.evidence == ActionItem.Evidence.PROCESS:
            process = confirmed_process_evidence(action_item=item, limit=STRONGEST)
        else:
            strongest = strong_examples(action_items=[item], per_item=STRONGEST, minimum_q=0)[item.pk]
    if wants_csv(request):
        rows = [(m.code, m.name, round(s, 4)) for m, s in answered] + [(m.code, m.name, 0) for m in nothing]
        return csv_response(
            header=[_("member code"), _("member"), _("strength")], rows=rows, filename=f"{item.code}-members.csv"
        )
    return render(
        request,
        "commitments/action_item.html",
        {
            "item": item,
            "answered": answered,
            "nothing": nothing,
            "strongest": strongest,
            "process": process,
            "csv_link": csv_link(request),
        },
    )


def highlight_passages(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """The text escaped, with each span (start, end offsets, overlapping ones merged) in `<mark>`."""
    merged: list[list[int]] = []
    clamped = sorted((max(0, s), min(len(text), e)) for s, e in spans)
    for start, end in (span for span in clamped if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, position = [], 0
    for start, end in merged:
        pieces.append(html.escape(text[position:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    pieces.append(html.escape(text[position:]))
    return mark_safe("".join(pieces))


def commitment(request: HttpRequest, ogp_id: str) -> HttpResponse:
    """Public: a commitment's full text with its confirmed passages highlighted, its IRM assessment, its policy
    areas, and its alignments with their review trail; a link to OGP's own page."""
    found = public_commitment(ogp_id)
    if found is None:
        raise Http404(_("No such commitment."))
    alignments = list(found.alignments.all())
    spans = [
        (a.passage_start, a.passage_end)
        for a in alignments
        if a.status == ReviewStatus.CONFIRMED and a.passage_start is not None and a.passage_end is not None
    ]
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": found,
            "text": highlight_passages(found.review_text, spans),
            "assessment": irm_assessment(found),
            "policy_areas": list(found.policy_area_values.all()),
            "alignments": alignments,
        },
    )


SEARCH_FILTERS = ("q", "member", "era", "item", "area", "status")


def search(request: HttpRequest) -> HttpResponseBase:
    """Public: full text over commitments, with filters, ranked, matches highlighted."""
    filters = {name: param(request, name) for name in SEARCH_FILTERS}
    if filters["status"] not in {"", *ReviewStatus.values}:
        filters["status"] = ""
    base = filter_commitments(**{name: filters[name] for name in SEARCH_FILTERS if name != "q"})
    searched = bool(filters["q"]) or any(filters[name] for name in SEARCH_FILTERS if name != "q")
    results = search_commitments(query=filters["q"], commitments=base) if filters["q"] else base.order_by("ogp_id")
    if wants_csv(request):
        return csv_response(
            header=[_("OGP id"), _("member"), _("title"), _("link")],
            rows=(
                (c.ogp_id, c.member.code, c.title, request.build_absolute_uri(f"/commitments/{c.ogp_id}/"))
                for c in results.defer("full_text").iterator(chunk_size=500)
            ),
            filename="commitments.csv",
        )
    page = Paginator(results if searched else results.none(), SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    hits = [(c, highlight(c, filters["q"]) if filters["q"] else None) for c in page]
    resolution = scored_resolution(with_items=True)
    query_string = urlencode({name: value for name, value in filters.items() if value})
    return render(
        request,
        "commitments/search.html",
        {
            "filters": filters,
            "searched": searched,
            "page": page,
            "hits": hits,
            "eras": list(resolution.eras.all()) if resolution else [],
            "members": members_for_filters(),
            "areas": PolicyArea.objects.only("slug", "name"),
            "statuses": [(v, label) for v, label in ReviewStatus.choices if v != ReviewStatus.WITHDRAWN],
            "query_string": query_string,
            "csv_link": csv_link(request),
        },
    )


def compare(request: HttpRequest) -> HttpResponseBase:
    """Public: up to four members side by side, era by era and item by item; the URL (`?m=MEX&m=NZL`) is the
    comparison, so it can be shared."""
    codes = [c.replace("\x00", "").strip().upper() for c in request.GET.getlist("m") if c.strip()][:COMPARE_MAX]
    resolution = scored_resolution(with_items=True)
    if resolution is None:
        raise Http404(_("No framework is loaded."))
    everyone = list(members_for_filters())
    by_code = {member.code: member for member in everyone}
    chosen = [by_code[code] for code in dict.fromkeys(codes) if code in by_code]
    scores = list(current_scores(resolution=resolution, member_ids=[m.pk for m in chosen])) if chosen else []
    strengths = item_strengths(scores)
    values = {(s.member_id, s.era_id): s for s in scores}
    eras: list[dict[str, Any]] = []
    for era in resolution.eras.all():
        items = [i for i in era.action_items.all() if i.addressee == ActionItem.Addressee.MEMBERS]
        eras.append(
            {
                "era": era,
                "scores": [values.get((m.pk, era.pk)) for m in chosen],
                "items": [(i, [strengths.get((m.pk, i.code), 0.0) for m in chosen]) for i in items],
            }
        )
    overall = [values.get((m.pk, None)) for m in chosen]
    if wants_csv(request):
        rows: list[list[Any]] = [[_("overall"), "", *[s.value if s else "" for s in overall]]]
        for block in eras:
            title = localized(block["era"], "title")
            rows.append([title, "", *[s.value if s else "" for s in block["scores"]]])
            rows.extend([title, localized(i, "short_title"), *[round(v, 4) for v in vs]] for i, vs in block["items"])
        return csv_response(
            header=[_("era"), _("action item"), *[m.code for m in chosen]], rows=rows, filename="compare.csv"
        )
    slots = [*[m.code for m in chosen], *[""] * (COMPARE_MAX - len(chosen))]
    return render(
        request,
        "commitments/compare.html",
        {
            "chosen": chosen,
            "members": everyone,
            "slots": slots,
            "eras": eras,
            "overall": overall,
            "version": CURRENT_VERSION,
            "csv_link": csv_link(request),
        },
    )
