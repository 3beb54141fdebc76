from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from resolutions.frameworks import CALL_TO_ACTION_SLUG, WORK_PLAN_SLUG
from resolutions.models import Meeting
from resolutions.queries import resolutions_with_items


def home(request: HttpRequest) -> HttpResponse:
    """Public: the Call to Action with its eras and action items, and the work that followed it."""
    resolutions = {resolution.slug: resolution for resolution in resolutions_with_items()}
    context = {
        "call": resolutions.get(CALL_TO_ACTION_SLUG),
        "work_plan": resolutions.get(WORK_PLAN_SLUG),
        "meetings": Meeting.objects.order_by("-held_on")[:5],
    }
    return render(request, "resolutions/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Public: liveness for load balancers and compose health checks; says only whether the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
