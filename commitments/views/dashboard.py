"""The home page: the Call to Action at a glance, a members × eras heat map, partnership-wide figures, and what
changed recently. Public: anyone may read it; it shows only published scores and decisions."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from commitments.models import Member, MemberGroup
from commitments.queries import filtered_members, recent_changes, scored_resolution
from commitments.scoring.methodology import CURRENT_VERSION
from commitments.scoring.read import current_scores, item_strengths
from commitments.views.explore import csv_link, param, wants_csv
from ogp_tracker.downloads import csv_response
from resolutions.models import ActionItem, Era
from resolutions.translation import localized

BANDS = 5  # heat-map colour bands of 20 points each


def band(value: Decimal | None) -> str:
    """The heat-map class of a score: `heat-0` (below 20) to `heat-4` (80 and above), `heat-none` unscored."""
    if value is None:
        return "heat-none"
    return f"heat-{min(int(value) // (100 // BANDS), BANDS - 1)}"


def dashboard(request: HttpRequest) -> HttpResponseBase:
    resolution = scored_resolution(with_items=True)
    if resolution is None:
        return render(request, "commitments/dashboard.html", {"call": None})
    eras = list(resolution.eras.all())
    filters = {name: param(request, name) for name in ("region", "kind", "group")}
    sort_keys = ["name", "region", "overall", *[era.key for era in eras]]
    sort = request.GET.get("sort", "overall")
    sort = sort if sort in sort_keys else "overall"
    descending = request.GET.get("dir", "desc" if sort not in ("name", "region") else "asc") == "desc"

    scores = list(current_scores(resolution=resolution).only("member_id", "era_id", "value", "components"))
    values = {(score.member_id, score.era_id): score.value for score in scores}
    rows: list[dict[str, Any]] = []
    for member in filtered_members(**filters):
        rows.append(
            {
                "member": member,
                "overall": values.get((member.pk, None)),
                "eras": [(era, values.get((member.pk, era.pk))) for era in eras],
            }
        )

    def key(row: dict[str, Any]) -> Any:
        if sort == "name":
            return row["member"].name
        if sort == "region":
            return (row["member"].get_region_display(), row["member"].name)
        value = row["overall"] if sort == "overall" else {e.key: v for e, v in row["eras"]}.get(sort)
        # unscored members last whichever the direction
        return ((value is not None) == descending, value or 0)

    rows.sort(key=key, reverse=descending)
    for row in rows:
        row["overall_band"] = band(row["overall"])
        row["eras"] = [(era, value, band(value)) for era, value in row["eras"]]

    if wants_csv(request):
        return csv_response(
            header=[_("member code"), _("member"), _("region"), _("overall"), *era_titles(eras)],
            rows=(
                [r["member"].code, r["member"].name, r["member"].get_region_display(), r["overall"],
                 *[value for _era, value, _band in r["eras"]]]
                for r in rows
            ),
            filename="members-by-era.csv",
        )  # fmt: skip

    strengths = item_strengths(scores)
    scored_members = {score.member_id for score in scores if score.era_id is None}
    answering = []
    for era in eras:
        for item in era.action_items.all():
            if item.addressee == ActionItem.Addressee.MEMBERS:
                count = sum(1 for (_m, code), s in strengths.items() if code == item.code and s > 0)
                answering.append((item, count, _percent(count, len(scored_members))))
    overall_values = [score.value for score in scores if score.era_id is None]
    distribution = []
    for n in range(BANDS):
        low, high = n * 100 // BANDS, (n + 1) * 100 // BANDS
        count = sum(1 for v in overall_values if low <= v < high or (n == BANDS - 1 and v == 100))
        distribution.append((low, high, count, _percent(count, len(overall_values)), f"heat-{n}"))

    columns = [("name", _("Member")), ("region", _("Region")), ("overall", _("Overall"))]
    columns += list(zip([era.key for era in eras], era_titles(eras), strict=True))
    headers = []
    for column, label in columns:
        active = column == sort
        next_dir = "asc" if active and descending else "desc"
        if not active:
            next_dir = "asc" if column in ("name", "region") else "desc"
        params = {**{k: v for k, v in filters.items() if v}, "sort": column, "dir": next_dir}
        headers.append(
            {
                "key": column,
                "label": label,
                "query": "&".join(f"{k}={v}" for k, v in params.items()),
                "aria_sort": ("descending" if descending else "ascending") if active else "",
            }
        )
    return render(
        request,
        "commitments/dashboard.html",
        {
            "call": resolution,
            "eras": eras,
            "rows": rows,
            "headers": headers,
            "filters": filters,
            "regions": Member.Region.choices,
            "kinds": Member.Kind.choices,
            "groups": MemberGroup.objects.all(),
            "answering": answering,
            "scored_count": len(scored_members),
            "distribution": distribution,
            "recent": recent_changes(),
            "version": CURRENT_VERSION,
            "csv_link": csv_link(request),
        },
    )


def era_titles(eras: list[Era]) -> list[str]:
    return [localized(era, "title") for era in eras]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
