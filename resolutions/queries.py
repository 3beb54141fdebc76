"""Named reads of the frameworks, for pages and the API."""

from django.db.models import Count, Prefetch, Q, QuerySet

from resolutions.models import ActionItem, AgendaItem, Attendance, Era, Meeting, NextStep, Resolution


def resolutions_with_items() -> QuerySet[Resolution]:
    """Resolutions with their eras, each era's action items, and the asks that belong to no era."""
    return Resolution.objects.prefetch_related(
        Prefetch("eras", queryset=Era.objects.prefetch_related("action_items")),
        Prefetch("action_items", queryset=ActionItem.objects.filter(era__isnull=True), to_attr="general_items"),
    )


def meetings_with_counts() -> QuerySet[Meeting]:
    """Every meeting, newest first, with how many took part and how many next steps are still open."""
    return Meeting.objects.annotate(
        attendee_count=Count("attendance", filter=~Q(attendance__role=Attendance.Role.APOLOGY), distinct=True),
        open_steps=Count(
            "next_steps",
            filter=Q(next_steps__status__in=[NextStep.Status.OPEN, NextStep.Status.IN_PROGRESS]),
            distinct=True,
        ),
    ).order_by("-held_on", "title")


def meeting_in_full(slug: str) -> Meeting | None:
    """One meeting with who came, its agenda with suggestions and questions, and its next steps."""
    return (
        Meeting.objects.select_related("resolution")
        .prefetch_related(
            "attendance",
            Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("points")),
            Prefetch("next_steps", queryset=NextStep.objects.select_related("agenda_item")),
        )
        .filter(slug=slug)
        .first()
    )
