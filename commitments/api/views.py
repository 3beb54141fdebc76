"""Read-only endpoints over members, plans, commitments, alignments, evidence, scores and methodologies.

Reads come from the query modules (`commitments.queries`, `commitments.scoring.read`, `commitments.search`).
"""

from dataclasses import asdict
from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commitments import queries
from commitments.api import filters as api_filters
from commitments.api import serializers as s
from commitments.importer.exporter import ogp_rows
from commitments.models import Alignment, Member, PolicyArea
from commitments.scoring.methodology import CURRENT_VERSION, METHODOLOGIES, Methodology, get_methodology
from commitments.scoring.read import member_scores, score_history
from commitments.search import search_commitments
from ogp_tracker.api_support import (
    FilterBackend,
    LargeListCursorPagination,
    ListApiViewSet,
    PagePagination,
    ReadOnlyApiViewSet,
    conditional,
    refuse_nul_characters,
)
from ogp_tracker.downloads import csv_response
from resolutions.models import Era

BACKENDS = [FilterBackend, filters.OrderingFilter]
MAX_COMPARED = 4
IRM_CSV = [(column.field, column.field) for column in s.ASSESSMENT_COLUMNS]
VERSION = OpenApiParameter(
    "version", str, enum=list(METHODOLOGIES), description="Methodology version; the current one when omitted."
)


class MemberViewSet(ReadOnlyApiViewSet):
    """Members by OGP code, with nested plans and scores."""

    queryset = queries.api_members()
    serializer_class = s.MemberSerializer
    lookup_field = "code"
    pagination_class = PagePagination
    filterset_class = api_filters.MemberFilter
    filter_backends = BACKENDS
    ordering_fields = ["code", "name", "joined_year", "updated_at"]
    csv_columns = [(name, name) for name in ("code", "name", "kind", "region", "joined_year", "updated_at")]
    csv_filename = "members.csv"

    def get_object(self) -> Member:
        return queries.with_group_slugs([get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())])[0]

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        return None if page is None else queries.with_group_slugs(list(page))

    @extend_schema(responses=s.ActionPlanSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[], url_path="action-plans")
    def action_plans(self, request: Request, code: str) -> Response:
        member = self.get_object()
        plans = queries.api_action_plans().filter(member=member)
        self._last_modified = member.updated_at
        return Response(s.ActionPlanSerializer(plans, many=True).data)

    @extend_schema(parameters=[VERSION], responses=s.ScoreSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])
    def scores(self, request: Request, code: str) -> Response:
        """The member's current scores: each era in order, then overall."""
        member = self.get_object()
        scores = member_scores(member=member, version=_version(request)).select_related("member")
        return Response(s.ScoreSerializer(scores, many=True).data)

    @extend_schema(
        parameters=[
            VERSION,
            OpenApiParameter("resolution", str, description="Resolution slug (with `era`)."),
            OpenApiParameter("era", str, description="Era key; omitted: the overall score."),
        ],
        responses=s.ScoreHistorySerializer(many=True),
    )
    @action(detail=True, pagination_class=None, filter_backends=[], url_path="scores/history")
    def score_history(self, request: Request, code: str) -> Response:
        """Every value one score has had, oldest first, ending with the current one."""
        member = self.get_object()
        era = None
        if key := request.query_params.get("era"):
            eras = Era.objects.filter(key=key)
            if slug := request.query_params.get("resolution"):
                eras = eras.filter(resolution__slug=slug)
            era = eras.first()
            if era is None:
                raise exceptions.ValidationError({"era": [gettext("No era %(key)s.") % {"key": repr(key)}]})
        history = score_history(member=member, era=era, version=_version(request))
        return Response(s.ScoreHistorySerializer(history, many=True).data)

    def get_renderers(self) -> list[Any]:
        return super().get_renderers() if self.action in ("list", None) else [r() for r in self.renderer_classes]


def _version(request: Request) -> str:
    try:
        return get_methodology(request.query_params.get("version") or None).version
    except ValueError as exc:
        raise exceptions.ValidationError({"version": [str(exc)]}) from None


class ActionPlanViewSet(ReadOnlyApiViewSet):
    queryset = queries.api_action_plans()
    serializer_class = s.ActionPlanSerializer
    lookup_field = "ogp_id"
    pagination_class = PagePagination
    filterset_class = api_filters.ActionPlanFilter
    filter_backends = BACKENDS
    ordering_fields = ["ogp_id", "submitted_year", "end_year", "updated_at"]
    csv_columns = [
        ("ogp_id", "ogp_id"),
        ("member", "member__code"),
        ("number", "number"),
        ("submitted_year", "submitted_year"),
        ("end_year", "end_year"),
        ("multistakeholder_forum", "multistakeholder_forum"),
    ]
    csv_filename = "action_plans.csv"


@extend_schema_view(
    search=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description='Words, "phrases", or, -word; at least one character that is not a space.',
                pattern="^[^\\x00]*[^\\s\\x00][^\\x00]*$",
            )
        ],
        responses=s.SearchResultSerializer(many=True),
    ),
    export=extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}),
)
class CommitmentViewSet(ReadOnlyApiViewSet):
    """Commitments by OGP id, with their IRM assessment and policy areas; search; OGP's export format."""

    queryset = queries.api_commitments()
    serializer_class = s.CommitmentSerializer
    lookup_field = "ogp_id"
    pagination_class = LargeListCursorPagination
    filterset_class = api_filters.CommitmentFilter
    filter_backends = BACKENDS
    ordering_fields = ["ogp_id", "start_date", "end_date", "updated_at"]
    ordering = ["ogp_id"]
    csv_columns = [
        ("ogp_id", "ogp_id"),
        ("member", "member__code"),
        ("action_plan", "action_plan__ogp_id"),
        ("number", "number"),
        ("title", "title"),
        ("lead_institution", "lead_institution"),
        ("start_date", "start_date"),
        ("end_date", "end_date"),
        *IRM_CSV,
        ("updated_at", "updated_at"),
    ]
    csv_filename = "commitments.csv"

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        return None if page is None else queries.with_policy_areas(list(page))

    def get_object(self) -> Any:
        return queries.with_policy_areas([super().get_object()])[0]

    @action(detail=False, pagination_class=PagePagination, filter_backends=[FilterBackend])
    def search(self, request: Request) -> Response:
        """Full-text search, best first, each with a highlighted snippet; the list's filters apply too."""
        query = request.query_params.get("q", "").strip()
        if not query:
            raise exceptions.ValidationError({"q": [gettext("Give the words to search for.")]})
        results = search_commitments(query=query, commitments=self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(results)
        context = {**self.get_serializer_context(), "query": query}
        return self.get_paginated_response(s.SearchResultSerializer(page, many=True, context=context).data)

    @action(detail=False, filter_backends=[])
    def export(self, request: Request) -> HttpResponseBase:
        """Every commitment in OGP's own file format (CSV), streamed; importing it back changes nothing."""
        rows = ogp_rows()
        return csv_response(header=next(rows), rows=rows, filename="ogp_commitments.csv", escape=False)

    @extend_schema(responses=s.AlignmentDetailSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])
    def alignments(self, request: Request, ogp_id: str) -> Response:
        """The commitment's alignments, each with its review history."""
        commitment = self.get_object()
        alignments = queries.api_alignments(with_history=True).filter(commitment=commitment)
        return Response(s.AlignmentDetailSerializer(alignments, many=True).data)

    def get_renderers(self) -> list[Any]:
        return super().get_renderers() if self.action in ("list", None) else [r() for r in self.renderer_classes]


class AlignmentViewSet(ReadOnlyApiViewSet):
    """Alignments; the detail `/api/v1/alignments/{commitment}.{action_item}/` carries the review history."""

    queryset = queries.api_alignments()
    serializer_class = s.AlignmentSerializer
    pagination_class = LargeListCursorPagination
    filterset_class = api_filters.AlignmentFilter
    filter_backends = BACKENDS
    ordering_fields = ["updated_at", "decided_at", "confidence"]
    ordering = ["pk"]
    lookup_url_kwarg = "pair"
    lookup_value_regex = r"[-\w]+\.[-\w]+"
    csv_columns = [
        ("commitment", "commitment__ogp_id"),
        ("action_item", "action_item__code"),
        ("status", "status"),
        ("origin", "origin"),
        ("confidence", "confidence"),
        ("decided_at", "decided_at"),
        ("version", "version"),
        ("updated_at", "updated_at"),
    ]
    csv_filename = "alignments.csv"

    def get_object(self) -> Alignment:
        ogp_id, _, code = self.kwargs["pair"].partition(".")
        found = queries.api_alignments(with_history=True).filter(commitment__ogp_id=ogp_id, action_item__code=code)
        alignment = found.first()
        if alignment is None:
            raise Http404
        return alignment

    def get_serializer_class(self) -> Any:
        return s.AlignmentDetailSerializer if self.action == "retrieve" else s.AlignmentSerializer


class ProcessEvidenceViewSet(ListApiViewSet):
    """Process evidence: what members did in a plan cycle that answers a process action item (list only)."""

    queryset = queries.api_process_evidence()
    serializer_class = s.ProcessEvidenceSerializer
    pagination_class = LargeListCursorPagination
    filterset_class = api_filters.ProcessEvidenceFilter
    filter_backends = BACKENDS
    ordering_fields = ["updated_at", "decided_at"]
    ordering = ["pk"]
    csv_columns = [
        ("member", "member__code"),
        ("action_plan", "action_plan__ogp_id"),
        ("action_item", "action_item__code"),
        ("status", "status"),
        ("origin", "origin"),
        ("description", "description"),
        ("decided_at", "decided_at"),
    ]
    csv_filename = "process_evidence.csv"


class ScoreViewSet(ListApiViewSet):
    """Current scores of every member (list only; a member's own: `/api/v1/members/{code}/scores/`)."""

    queryset = queries.api_scores()
    serializer_class = s.ScoreSerializer
    pagination_class = LargeListCursorPagination
    filterset_class = api_filters.ScoreFilter
    filter_backends = BACKENDS
    ordering_fields = ["value", "computed_at", "coverage"]
    ordering = ["pk"]
    last_modified_field = "computed_at"
    csv_columns = [
        ("member", "member__code"),
        ("resolution", "resolution__slug"),
        ("era", "era__key"),
        ("methodology_version", "methodology_version"),
        ("value", "value"),
        ("coverage", "coverage"),
        ("uncertainty", "uncertainty"),
        ("evidence_count", "evidence_count"),
        ("computed_at", "computed_at"),
    ]
    csv_filename = "scores.csv"


class PolicyAreaViewSet(ReadOnlyApiViewSet):
    """OGP's policy-area tags, by slug."""

    queryset = PolicyArea.objects.order_by("name")
    serializer_class = s.PolicyAreaSerializer
    lookup_field = "slug"
    pagination_class = PagePagination
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["name", "slug"]
    last_modified_field = None
    csv_columns = [("slug", "slug"), ("name", "name")]
    csv_filename = "policy_areas.csv"


def _methodology(methodology: Methodology) -> dict[str, Any]:
    values = asdict(methodology)
    for grades in ("potential_impact", "potential_for_results", "completion"):
        values[grades] = dict(values[grades])
    return {**values, "current": methodology.version == CURRENT_VERSION}


class MethodologyViewSet(viewsets.ViewSet):
    """The methodology versions scores are computed with; the weights of each."""

    lookup_field = "version"
    serializer_class = s.MethodologySerializer

    @extend_schema(responses=s.MethodologySerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response([_methodology(m) for m in METHODOLOGIES.values()])

    @extend_schema(
        parameters=[OpenApiParameter("version", str, OpenApiParameter.PATH, description="e.g. v1")],
        responses=s.MethodologySerializer,
    )
    def retrieve(self, request: Request, version: str) -> Response:
        if version not in METHODOLOGIES:
            raise Http404
        return Response(_methodology(METHODOLOGIES[version]))

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        return conditional(request, super().finalize_response(request, response, *args, **kwargs))


class ComparisonView(APIView):
    """Up to four members side by side: each member with its current scores."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        refuse_nul_characters(request)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("members", str, required=True, description="2 to 4 member codes, comma-separated."),
            VERSION,
        ],
        responses=s.ComparisonSerializer,
    )
    def get(self, request: Request) -> Response:
        codes = list(dict.fromkeys(c.strip().upper() for c in request.query_params.get("members", "").split(",")))
        codes = [code for code in codes if code]
        if not 1 <= len(codes) <= MAX_COMPARED:
            raise exceptions.ValidationError(
                {"members": [gettext("Give 1 to %(most)s member codes.") % {"most": MAX_COMPARED}]}
            )
        version = _version(request)
        found = queries.compared_members(codes, version=version)
        queries.with_group_slugs([member for member, _ in found])
        missing = sorted(set(codes) - {member.code for member, _ in found})
        if missing:
            raise exceptions.ValidationError(
                {"members": [gettext("Unknown member code(s): %(codes)s.") % {"codes": ", ".join(missing)}]}
            )
        data = {"methodology_version": version, "members": [{"member": m, "scores": sc} for m, sc in found]}
        return Response(s.ComparisonSerializer(data).data)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        return conditional(request, super().finalize_response(request, response, *args, **kwargs))
