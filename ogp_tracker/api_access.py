"""Who may call the API and how often (read-only unless a view says otherwise, throttled reads), how
lists are paged and filtered.

Kept apart from `api_support` because REST framework imports these while it loads its own views.
"""

import datetime
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination, permissions, throttling
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


class _WholeNumberPageSize:
    """`?page_size=` must be a whole number, as the schema says: anything else answers 400 rather than being
    quietly replaced by the default (0 and sizes past the maximum still take the default and the maximum)."""

    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.getlist(self.page_size_query_param)
        if any(not value.strip().lstrip("-").isdigit() for value in raw):
            raise exceptions.ValidationError({self.page_size_query_param: [gettext("A whole number is required.")]})
        return super().get_page_size(request)  # type: ignore[misc]


class PagePagination(_WholeNumberPageSize, pagination.PageNumberPagination):
    """Small lists: `?page=` and `?page_size=` (at most 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LargeListCursorPagination(_WholeNumberPageSize, pagination.CursorPagination):
    """Large lists: opaque `?cursor=` links that stay stable while rows are added; `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "pk"

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        """A cursor whose position is not a value of the ordering field (one made up, or taken from a list
        ordered otherwise) is refused like any other invalid cursor, before it reaches the database."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            name = self.ordering[0].lstrip("-")
            meta = self._model._meta
            try:
                field = meta.pk if name == "pk" else meta.get_field(name)
            except FieldDoesNotExist:
                return cursor
            try:
                field.to_python(cursor.position)
            except DjangoValidationError as exc:
                raise exceptions.NotFound(self.invalid_cursor_message) from exc
        return cursor


class UtcDateTimeField(django_filters.fields.IsoDateTimeField):
    """A moment is compared in UTC: an offset PostgreSQL cannot store (`+23:36`) is converted first, and a
    moment outside the calendar once converted is refused as invalid rather than failing in the database."""

    def to_python(self, value: Any) -> Any:
        moment = super().to_python(value)
        if moment is None or moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the list's filters: building a filter set of
    forty filters costs more than the rest of a page."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        _refuse_empty_values(request, filterset_class.base_filters)
        return super().filter_queryset(request, queryset, view)


def _refuse_empty_values(request: Request, filters: dict[str, Any]) -> None:
    """A filter named with nothing after `=` is refused unless it takes free text: `?updated_since=` is not a
    date and `?kind=` not a kind, as the schema says, so they answer 400 rather than being ignored."""
    empty = [
        name
        for name, found in filters.items()
        if not isinstance(found, django_filters.CharFilter)
        and name in request.query_params
        and any(value.strip() == "" for value in request.query_params.getlist(name))
    ]
    if empty:
        raise exceptions.ValidationError({name: [gettext("A value is required.")] for name in empty})
