"""Named reads of the frameworks, for pages and the API."""

from django.db.models import Prefetch, QuerySet

from resolutions.models import ActionItem, Era, Resolution


def resolutions_with_items() -> QuerySet[Resolution]:
    """Resolutions with their eras, each era's action items, and the asks that belong to no era."""
    return Resolution.objects.prefetch_related(
        Prefetch("eras", queryset=Era.objects.prefetch_related("action_items")),
        Prefetch("action_items", queryset=ActionItem.objects.filter(era__isnull=True), to_attr="general_items"),
    )
