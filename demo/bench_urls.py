"""The floor `bench_api` compares the API with: the same rows as each list's first page, as a bare JsonResponse."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from commitments.models import Commitment, Member, Score

PAGE = 50


COMMITMENT_FIELDS = [
    field.name
    for field in Commitment._meta.concrete_fields
    if field.name not in ("id", "member", "action_plan", "extra", "created_at")
]


def bare_commitments(request: HttpRequest) -> JsonResponse:
    """The same rows and columns the API's first page shows (all but the policy-area tags)."""
    rows = Commitment.objects.order_by("ogp_id").values("member__code", "action_plan__ogp_id", *COMMITMENT_FIELDS)
    return JsonResponse({"results": list(rows[:PAGE])})


def bare_members(request: HttpRequest) -> JsonResponse:
    rows = Member.objects.order_by("code").values("code", "name", "kind", "region", "joined_year", "updated_at")
    return JsonResponse({"results": list(rows[:PAGE])})


def bare_scores(request: HttpRequest) -> JsonResponse:
    rows = Score.objects.order_by("pk").values(
        "member__code", "era__key", "methodology_version", "value", "coverage", "components", "computed_at"
    )[:PAGE]
    return JsonResponse({"results": list(rows)})


urlpatterns = [
    path("bench/commitments/", bare_commitments),
    path("bench/members/", bare_members),
    path("bench/scores/", bare_scores),
    path("", include("ogp_tracker.urls")),
]
