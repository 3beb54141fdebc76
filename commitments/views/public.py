"""Public pages of members and their scores, and the methodology. Anyone may read them; nothing here needs a
login."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from commitments.models import Member, MemberGroup
from commitments.queries import members_with_scores, scored_resolution
from commitments.scoring.explain import explain_scores
from commitments.scoring.methodology import CURRENT_VERSION, METHODOLOGIES, get_methodology
from commitments.scoring.read import member_scores, score_history

MEMBERS_PAGE_SIZE = 50
MEMBER_SORTS = {"score": (F("overall").desc(nulls_last=True), "name"), "name": ("name",), "code": ("code",)}


def member_list(request: HttpRequest) -> HttpResponse:
    """Public: every member with its overall and era scores, filtered and sorted."""
    resolution = scored_resolution()
    if resolution is None:
        raise Http404(_("No framework is loaded."))
    version = CURRENT_VERSION
    filters = {name: request.GET.get(name, "").strip() for name in ("region", "kind", "group", "q")}
    sort = request.GET.get("sort", "score")
    members = members_with_scores(
        resolution=resolution,
        version=version,
        region=filters["region"],
        kind=filters["kind"],
        group=filters["group"],
        query=filters["q"],
    ).order_by(*MEMBER_SORTS.get(sort, MEMBER_SORTS["score"]))
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    eras = list(resolution.eras.all())
    rows = [
        (member, [next((s for s in member.era_scores if s.era_id == era.pk), None) for era in eras])  # type: ignore[attr-defined]
        for member in page
    ]
    query_string = urlencode({name: value for name, value in filters.items() if value})
    return render(
        request,
        "commitments/member_list.html",
        {
            "resolution": resolution,
            "eras": eras,
            "rows": rows,
            "page": page,
            "filters": filters,
            "sort": sort,
            "query_string": query_string,
            "regions": Member.Region.choices,
            "kinds": Member.Kind.choices,
            "groups": MemberGroup.objects.all(),
            "version": version,
        },
    )


def member_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Public: a member's scores with every piece of evidence behind them, enough to recompute them by hand."""
    member = get_object_or_404(Member.objects.prefetch_related("groups"), code__iexact=code)
    resolution = scored_resolution()
    if resolution is None:
        raise Http404(_("No framework is loaded."))
    version = request.GET.get("version", "")
    methodology = get_methodology(version if version in METHODOLOGIES else None)
    scores = list(member_scores(member=member, version=methodology.version).filter(resolution=resolution))
    explained = explain_scores(member=member, scores=scores, methodology=methodology)
    return render(
        request,
        "commitments/member_detail.html",
        {
            "member": member,
            "resolution": resolution,
            "methodology": methodology,
            "overall": next((s for s in scores if s.era_id is None), None),
            "eras": explained,
            "plans": member.action_plans.annotate(commitment_count=Count("commitments")).order_by("number"),
            "history": score_history(member=member, era=None, resolution=resolution, version=methodology.version)[-12:],
        },
    )


def methodology(request: HttpRequest) -> HttpResponse:
    """Public: the current methodology, with its weights read from where the scores read them."""
    return render(request, "commitments/methodology.html", {"methodology": get_methodology()})
