from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from ogp_tracker.downloads import csv_response
from resolutions.frameworks import CALL_TO_ACTION_SLUG, WORK_PLAN_SLUG
from resolutions.models import Meeting
from resolutions.queries import meeting_in_full, meetings_with_counts, resolutions_with_items


def home(request: HttpRequest) -> HttpResponse:
    """Public: the Call to Action in full with its eras and action items, and the work that followed it."""
    resolutions = {resolution.slug: resolution for resolution in resolutions_with_items()}
    context = {
        "call": resolutions.get(CALL_TO_ACTION_SLUG),
        "work_plan": resolutions.get(WORK_PLAN_SLUG),
        "meetings": Meeting.objects.order_by("-held_on")[:5],
    }
    return render(request, "resolutions/home.html", context)


def meeting_list(request: HttpRequest) -> HttpResponseBase:
    """Public: every subcommittee call, newest first (CSV with `?format=csv`)."""
    meetings = meetings_with_counts()
    if request.GET.get("format") == "csv":
        return csv_response(
            header=[_("date"), _("body"), _("title"), _("people present"), _("open next steps"), _("link")],
            rows=(
                (m.held_on, m.body, m.title, m.attendee_count, m.open_steps,  # type: ignore[attr-defined]
                 request.build_absolute_uri(f"/meetings/{m.slug}/"))
                for m in meetings
            ),
            filename="meetings.csv",
        )  # fmt: skip
    return render(request, "resolutions/meeting_list.html", {"meetings": meetings})


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Public: a call's attendees, guests and apologies, its agenda with suggestions and questions, and its next
    steps with owner, due date and status (the next steps as CSV with `?format=csv`)."""
    meeting = meeting_in_full(slug)
    if meeting is None:
        raise Http404(_("No such meeting."))
    steps = list(meeting.next_steps.all())
    if request.GET.get("format") == "csv":
        return csv_response(
            header=[_("next step"), _("agenda item"), _("owner"), _("due"), _("status"), _("notes")],
            rows=(
                (
                    s.text,
                    s.agenda_item.title if s.agenda_item else "",
                    s.owner,
                    s.due_on,
                    s.get_status_display(),
                    s.notes,
                )
                for s in steps
            ),
            filename=f"{meeting.slug}-next-steps.csv",
        )
    attendance = list(meeting.attendance.all())
    return render(
        request,
        "resolutions/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": [a for a in attendance if a.role == a.Role.ATTENDEE],
            "guests": [a for a in attendance if a.role == a.Role.GUEST],
            "apologies": [a for a in attendance if a.role == a.Role.APOLOGY],
            "agenda": list(meeting.agenda_items.all()),
            "steps": steps,
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """Public: liveness for load balancers and compose health checks; says only whether the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
