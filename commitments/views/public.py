"""Public pages of members and their scores, and the methodology. Anyone may read them; nothing here needs a
login."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from commitments.charts import HISTORY_POINTS, history_chart
from commitments.models import Member, MemberGroup, ScoreFields
from commitments.models.irm import COMPLETION, POTENTIAL_FOR_RESULTS, POTENTIAL_IMPACT
from commitments.queries import call_to_action, member_plans_with_commitments, members_with_scores, scored_resolution
from commitments.scoring.explain import explain_scores
from commitments.scoring.methodology import CURRENT_VERSION, METHODOLOGIES, get_methodology
from commitments.scoring.read import member_scores, score_snapshots, strong_examples
from commitments.views.dashboard import era_titles
from commitments.views.explore import csv_link, param, wants_csv
from ogp_tracker.downloads import csv_response
from resolutions.frameworks import CALL_TO_ACTION_SLUG

MEMBERS_PAGE_SIZE = 50
MEMBER_SORTS = {"score": (F("overall").desc(nulls_last=True), "name"), "name": ("name",), "code": ("code",)}


def member_list(request: HttpRequest) -> HttpResponseBase:
    """Public: every member with its overall and era scores, filtered and sorted."""
    resolution = scored_resolution()
    if resolution is None:
        raise Http404(_("No framework is loaded."))
    version = CURRENT_VERSION
    filters = {name: param(request, name) for name in ("region", "kind", "group", "q")}
    sort = request.GET.get("sort", "score")
    members = members_with_scores(
        resolution=resolution,
        version=version,
        region=filters["region"],
        kind=filters["kind"],
        group=filters["group"],
        query=filters["q"],
    ).order_by(*MEMBER_SORTS.get(sort, MEMBER_SORTS["score"]))
    eras = list(resolution.eras.all())
    if wants_csv(request):
        return csv_response(
            header=[_("member code"), _("member"), _("region"), _("kind"), _("overall"), *era_titles(eras)],
            rows=(
                [m.code, m.name, m.get_region_display(), m.get_kind_display(), m.overall,  # type: ignore[attr-defined]
                 *[next((s.value for s in m.era_scores if s.era_id == e.pk), None) for e in eras]]  # type: ignore[attr-defined]
                for m in members
            ),
            filename="members.csv",
        )  # fmt: skip
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
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
            "csv_link": csv_link(request),
        },
    )


def member_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    """Public: a member's scores with every piece of evidence behind them, enough to recompute them by hand; its
    gaps with strong examples from peers; its score history; its action plans and their commitments."""
    member = get_object_or_404(Member.objects.prefetch_related("groups"), code__iexact=code)
    version = request.GET.get("version", "")
    methodology = get_methodology(version if version in METHODOLOGIES else None)
    scores = list(
        member_scores(member=member, version=methodology.version).filter(resolution__slug=CALL_TO_ACTION_SLUG)
    )
    # The scores bring their resolution along; only an unscored member needs it read on its own.
    resolution = scores[0].resolution if scores else call_to_action()
    if resolution is None:
        raise Http404(_("No framework is loaded."))
    plans = list(member_plans_with_commitments(member))
    commitments = [commitment for plan in plans for commitment in plan.commitments.all()]
    explained = explain_scores(member=member, scores=scores, methodology=methodology, commitments=commitments)
    overall = next((s for s in scores if s.era_id is None), None)
    gap_items = [item.action_item for era in explained for item in era.items if item.strength == 0]
    examples = strong_examples(action_items=gap_items, exclude_member=member, version=methodology.version)
    gaps = [(item, examples.get(item.pk, [])) for item in gap_items]
    history: list[ScoreFields] = [*score_snapshots(member=member, resolution=resolution, version=methodology.version)]
    history = [*history[-(HISTORY_POINTS - 1) :], *([overall] if overall else [])]
    if wants_csv(request):
        return csv_response(
            header=[_("action plan"), _("OGP id"), _("number"), _("title"), _("link")],
            rows=(
                (plan.ogp_id, c.ogp_id, c.number, c.title, request.build_absolute_uri(f"/commitments/{c.ogp_id}/"))
                for plan in plans
                for c in plan.commitments.all()
            ),
            filename=f"{member.code}-commitments.csv",
        )
    return render(
        request,
        "commitments/member_detail.html",
        {
            "member": member,
            "resolution": resolution,
            "methodology": methodology,
            "overall": overall,
            "eras": explained,
            "gaps": gaps,
            "plans": plans,
            "history": history,
            "chart": history_chart(history),
            "csv_link": csv_link(request),
        },
    )


def methodology(request: HttpRequest) -> HttpResponse:
    """Public: the current methodology, with its weights read from where the scores read them."""
    methodology = get_methodology()
    grades = {
        name: [(dict(choices).get(code, code), value) for code, value in getattr(methodology, name)]
        for name, choices in (
            ("potential_impact", POTENTIAL_IMPACT),
            ("potential_for_results", POTENTIAL_FOR_RESULTS),
            ("completion", COMPLETION),
        )
    }
    return render(request, "commitments/methodology.html", {"methodology": methodology, "grades": grades})


def about(request: HttpRequest) -> HttpResponse:
    """Public: what the tracker is, where its data comes from, and who runs it."""
    return render(request, "about.html")
