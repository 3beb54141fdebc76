"""What every endpoint under /api/v1/ shares: the one error shape, read-only by default, throttling,
pagination, CSV downloads of lists, and conditional requests (ETag, Last-Modified, 304).

Apps build their viewsets on `ReadOnlyApiViewSet` and register them in `ogp_tracker.api`.
"""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max, QuerySet
from django.http import Http404, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, renderers, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from ogp_tracker import api_cache
from ogp_tracker.api_access import FilterBackend, LargeListCursorPagination, PagePagination
from ogp_tracker.downloads import csv_response

__all__ = ["FilterBackend", "LargeListCursorPagination", "PagePagination"]

CSV_CHUNK_ROWS = 2000

# --- errors ------------------------------------------------------------------------------------------------


def refuse_nul_characters(request: Request) -> None:
    """A NUL character in a query parameter answers 400: PostgreSQL cannot compare text holding one, and the
    schema allows every other character."""
    bad = sorted({name for name, values in request.query_params.lists() if any("\x00" in v for v in values)})
    if bad:
        raise exceptions.ValidationError({name: [gettext("Null characters are not allowed.")] for name in bad})


@extend_schema_field(
    {
        "type": "string",
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
        "description": "A web address, or empty.",
        "example": "https://www.opengovpartnership.org/",
    }
)
class WebAddressField(serializers.CharField):
    """OGP's file and the seed frameworks leave many addresses blank: a URI or the empty string, nothing else."""


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, (dict, list)) else _flatten(item) for item in detail]
    return str(detail)


def _field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Each field at fault with its messages; a nested field is named by its path (`alignments.1.version`),
    so `fields` keeps one shape however deep the request's body goes."""
    if isinstance(detail, dict):
        items: list[tuple[str, Any]] = [(str(key), value) for key, value in detail.items()]
    elif isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        items = [(str(index), item) for index, item in enumerate(detail) if item]
    else:
        messages = detail if isinstance(detail, list) else [detail]
        return {prefix: [str(message) for message in messages]}
    fields: dict[str, list[str]] = {}
    for key, value in items:
        fields.update(_field_errors(value, f"{prefix}.{key}" if prefix else key))
    return fields


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers `{"code", "message", "fields"}`: `fields` names each field at fault, else is {}."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):  # a domain function refused the input
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        code, message = "invalid", gettext("The request is not valid; see fields.")
        if isinstance(exc.detail, dict):
            fields = _field_errors(exc.detail)
            non_field = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, None)
            if non_field:
                message = " ".join(non_field)
        else:
            message = " ".join(_flatten(exc.detail)) or message
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = str(exc.detail)
    response.data = {"code": str(code), "message": message, "fields": fields}
    return response


# --- formats -----------------------------------------------------------------------------------------------


class CSVRenderer(renderers.BaseRenderer):
    """Announces text/csv for `?format=csv` and `Accept: text/csv`; lists stream it themselves
    (`ReadOnlyApiViewSet.list`), anything else answers 406 in this format."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, dict) and "code" in data:
            return f"code,message\r\n{data['code']},{data['message']}\r\n".encode()
        return b""


class ListApiViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A read-only list: JSON (and CSV for lists, same filters), ETag and Last-Modified, 304 when unchanged.

    `csv_columns` are (header, lookup) pairs read with `values_list`, streamed in chunks, so memory stays
    flat whatever the number of rows. `last_modified_field` is the timestamp a list and a detail are dated
    by (None: ETag only).
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """A method the endpoint does not have answers 405 before anything else is asked (not 401 for a
        TRACE without credentials, nor 404 for a format the method would never reach)."""
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method or "")
        refuse_nul_characters(request)
        if request.query_params.get(api_settings.URL_FORMAT_OVERRIDE or "format", None) == "":
            raise exceptions.ValidationError({"format": [gettext("Name a format (json or csv), or leave it out.")]})
        super().initial(request, *args, **kwargs)
        # Access and throttling are settled: a page cached under the data's current generation answers now,
        # in place of the handler (`api_cache`). Streamed CSV is never cached.
        self._page_key = None
        if getattr(request.accepted_renderer, "format", None) != "csv":
            self._page_key = api_cache.page_key(request, self)
        hit = api_cache.cached_page(self._page_key) if self._page_key else None
        if hit is not None:
            setattr(self, method, lambda *args, **kwargs: hit)

    def handle_exception(self, exc: Exception) -> Response:
        """Errors answer in JSON, their one documented shape, even when the list was asked for as CSV."""
        response = super().handle_exception(exc)
        if (
            getattr(self.request, "accepted_renderer", None) is not None
            and self.request.accepted_renderer.format == "csv"
        ):
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = "application/json"
        return response

    csv_columns: Sequence[tuple[str, str]] = ()
    csv_filename = "export.csv"
    last_modified_field: str | None = "updated_at"

    def get_renderers(self) -> list[renderers.BaseRenderer]:
        found = [renderer() for renderer in self.renderer_classes]
        if self.csv_columns and getattr(self, "action", None) == "list":
            found.append(CSVRenderer())
        return found

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if getattr(request.accepted_renderer, "format", None) == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            if self.paginator is not None and ({"page", "page_size", "cursor"} & set(request.query_params)):
                # The CSV holds every row, but paging parameters are checked as the JSON list checks them.
                self.paginator.paginate_queryset(queryset, request, view=self)
            return self.csv_download(queryset)
        response = super().list(request, *args, **kwargs)
        self._last_modified = self._latest(self.filter_queryset(self.get_queryset()))
        return response

    def csv_download(self, queryset: QuerySet[Any]) -> HttpResponseBase:
        lookups = [lookup for _, lookup in self.csv_columns]
        rows = queryset.values_list(*lookups).iterator(chunk_size=CSV_CHUNK_ROWS)
        return csv_response(header=[header for header, _ in self.csv_columns], rows=rows, filename=self.csv_filename)

    def _latest(self, queryset: QuerySet[Any]) -> Any:
        if not self.last_modified_field:
            return None
        return queryset.order_by().aggregate(latest=Max(self.last_modified_field))["latest"]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response = conditional(request, response, getattr(self, "_last_modified", None))
        key = getattr(self, "_page_key", None)
        if key:
            api_cache.keep_page(key, response)
        return response


class ReadOnlyApiViewSet(ListApiViewSet):
    """A read-only list with details; a detail is dated by its own `last_modified_field` when it has one."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        field = self.last_modified_field
        self._last_modified = getattr(instance, field, None) if field and "__" not in field else None
        return Response(self.get_serializer(instance).data)


def conditional(request: Request, response: Any, last_modified: Any = None) -> Any:
    """A strong ETag over the rendered body and Last-Modified when known; 304 when the client has them."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    if getattr(response, "api_cached", False):  # a cached page keeps the headers it was made with
        moment = response.get("Last-Modified")
        last = int(parse_http_date(moment)) if moment else None
        return get_conditional_response(request, etag=response["ETag"], last_modified=last, response=response)
    response.render()
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    timestamp = last_modified.timestamp() if last_modified is not None else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Accept"]))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=int(timestamp) if timestamp else None, response=response
    )
