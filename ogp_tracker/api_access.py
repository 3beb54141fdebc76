"""Who may call the API and how often (read-only unless a view says otherwise, throttled reads), how
lists are paged and filtered.

Kept apart from `api_support` because REST framework imports these while it loads its own views.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, permissions, throttling
from rest_framework.request import Request


class ReadOnly(permissions.BasePermission):
    """The default: anyone may read (GET, HEAD, OPTIONS); every other method is refused unless a view says
    otherwise with permission classes of its own."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS


class _SettingsRateThrottle(throttling.SimpleRateThrottle):
    """Reads its rate from settings.API_THROTTLE_RATES when asked, so a changed setting takes effect."""

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope or "")


class AnonymousReadThrottle(_SettingsRateThrottle, throttling.AnonRateThrottle):
    scope = "anon"


class UserReadThrottle(_SettingsRateThrottle, throttling.UserRateThrottle):
    """Signed-in clients, by account; anonymous ones are left to `AnonymousReadThrottle`."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


# --- pagination --------------------------------------------------------------------------------------------


class PagePagination(pagination.PageNumberPagination):
    """Small lists: `?page=` and `?page_size=` (at most 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LargeListCursorPagination(pagination.CursorPagination):
    """Large lists: opaque `?cursor=` links that stay stable while rows are added; `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "pk"


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the list's filters: building a filter set of
    forty filters costs more than the rest of a page."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)
