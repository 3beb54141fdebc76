"""Read-only API over what was asked: resolutions, eras, action items, and meetings with their follow-up."""

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from rest_framework import filters, serializers

from ogp_tracker.api_access import SinceFilter
from ogp_tracker.api_support import FilterBackend, PagePagination, ReadOnlyApiViewSet, WebAddressField
from resolutions.models import ActionItem, AgendaItem, Attendance, Era, Meeting, NextStep, Resolution

# --- serializers -------------------------------------------------------------------------------------------


def slug_of(slug_field: str, **options: Any) -> Any:
    """A related object named by its OGP id, code or slug, never its database key."""
    return serializers.SlugRelatedField(slug_field=slug_field, read_only=True, **options)


class EraSerializer(serializers.ModelSerializer[Era]):
    resolution = slug_of("slug")

    class Meta:
        model = Era
        fields = ["resolution", "key", "term", "title", "description", "order"]


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    resolution = slug_of("slug")
    era: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True
    )

    class Meta:
        model = ActionItem
        fields = ["code", "resolution", "era", "short_title", "text", "addressee", "evidence", "order"]


class ResolutionSerializer(serializers.ModelSerializer[Resolution]):
    eras = EraSerializer(many=True, read_only=True)
    source_url = WebAddressField(read_only=True)

    class Meta:
        model = Resolution
        fields = ["slug", "title", "kind", "issuing_body", "adopted_on", "source_url", "preamble", "text"]
        fields += ["eras", "updated_at"]


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    class Meta:
        model = Attendance
        fields = ["role", "government", "person", "position", "order"]


class AgendaPointSerializer(serializers.Serializer[object]):
    kind = serializers.CharField()
    text = serializers.CharField()
    order = serializers.IntegerField()


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    points = AgendaPointSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "summary", "reference_material", "order", "points"]


class NextStepSerializer(serializers.ModelSerializer[NextStep]):
    agenda_item: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )

    class Meta:
        model = NextStep
        fields = ["order", "text", "owner", "due_on", "status", "notes", "agenda_item", "updated_at"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    resolution: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Meeting
        fields = ["slug", "resolution", "body", "title", "held_on", "time_description", "summary", "updated_at"]


class MeetingDetailSerializer(MeetingSerializer):
    attendance = AttendanceSerializer(many=True, read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    next_steps = NextStepSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attendance", "agenda", "next_steps"]


# --- filters -----------------------------------------------------------------------------------------------


class EraFilter(django_filters.FilterSet):
    resolution = django_filters.CharFilter(field_name="resolution__slug")
    term = django_filters.ChoiceFilter(choices=Era.Term.choices)

    class Meta:
        model = Era
        fields = ["resolution", "term"]


class ActionItemFilter(django_filters.FilterSet):
    resolution = django_filters.CharFilter(field_name="resolution__slug")
    era = django_filters.CharFilter(field_name="era__key")
    addressee = django_filters.ChoiceFilter(choices=ActionItem.Addressee.choices)
    evidence = django_filters.ChoiceFilter(choices=ActionItem.Evidence.choices)

    class Meta:
        model = ActionItem
        fields = ["resolution", "era", "addressee", "evidence"]


class ResolutionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Resolution.Kind.choices)
    adopted_after = django_filters.DateFilter(field_name="adopted_on", lookup_expr="gte")
    adopted_before = django_filters.DateFilter(field_name="adopted_on", lookup_expr="lte")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Resolution
        fields = ["kind"]


class MeetingFilter(django_filters.FilterSet):
    resolution = django_filters.CharFilter(field_name="resolution__slug")
    body = django_filters.CharFilter(lookup_expr="icontains")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Meeting
        fields = ["resolution"]


# --- views -------------------------------------------------------------------------------------------------


class ResolutionViewSet(ReadOnlyApiViewSet):
    """Resolutions (Call to Action, work plans) with their eras, by slug."""

    queryset = Resolution.objects.prefetch_related("eras").order_by("adopted_on", "slug")
    serializer_class = ResolutionSerializer
    lookup_field = "slug"
    pagination_class = PagePagination
    filterset_class = ResolutionFilter
    filter_backends = [FilterBackend, filters.OrderingFilter]
    ordering_fields = ["adopted_on", "slug", "updated_at"]
    csv_columns = [("slug", "slug"), ("title", "title"), ("kind", "kind"), ("adopted_on", "adopted_on")]
    csv_filename = "resolutions.csv"


class EraViewSet(ReadOnlyApiViewSet):
    """Eras (pillars, streams) of every resolution. Detail: `/api/v1/eras/{resolution}.{key}/`."""

    queryset = Era.objects.select_related("resolution").order_by("resolution__adopted_on", "resolution_id", "order")
    serializer_class = EraSerializer
    pagination_class = PagePagination
    filterset_class = EraFilter
    filter_backends = [FilterBackend, filters.OrderingFilter]
    ordering_fields = ["order", "key"]
    lookup_value_regex = r"[-\w]+\.[-\w]+"
    lookup_url_kwarg = "resolution_key"
    last_modified_field = "resolution__updated_at"
    csv_columns = [("resolution", "resolution__slug"), ("key", "key"), ("term", "term"), ("title", "title")]
    csv_filename = "eras.csv"

    def get_object(self) -> Era:
        slug, _, key = self.kwargs["resolution_key"].partition(".")
        era = self.get_queryset().filter(resolution__slug=slug, key=key).first()
        if era is None:
            from django.http import Http404

            raise Http404
        return era


class ActionItemViewSet(ReadOnlyApiViewSet):
    """Action items by their stable code."""

    queryset = ActionItem.objects.select_related("resolution", "era").order_by(
        "resolution__adopted_on", "resolution_id", "era__order", "order", "code"
    )
    serializer_class = ActionItemSerializer
    lookup_field = "code"
    pagination_class = PagePagination
    filterset_class = ActionItemFilter
    filter_backends = [FilterBackend, filters.OrderingFilter]
    ordering_fields = ["code", "order"]
    last_modified_field = "resolution__updated_at"
    csv_columns = [
        ("code", "code"),
        ("resolution", "resolution__slug"),
        ("era", "era__key"),
        ("short_title", "short_title"),
        ("addressee", "addressee"),
        ("evidence", "evidence"),
    ]
    csv_filename = "action_items.csv"


class MeetingViewSet(ReadOnlyApiViewSet):
    """Meetings; the detail carries attendance, the agenda with its points, and next steps."""

    queryset = Meeting.objects.select_related("resolution").order_by("-held_on", "slug")
    serializer_class = MeetingSerializer
    lookup_field = "slug"
    pagination_class = PagePagination
    filterset_class = MeetingFilter
    filter_backends = [FilterBackend, filters.OrderingFilter]
    ordering_fields = ["held_on", "updated_at", "slug"]
    csv_columns = [("slug", "slug"), ("body", "body"), ("title", "title"), ("held_on", "held_on")]
    csv_filename = "meetings.csv"

    def get_queryset(self) -> QuerySet[Meeting]:
        if self.action != "retrieve":
            return self.queryset
        return self.queryset.prefetch_related(
            "attendance",
            "next_steps__agenda_item",
            Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("points")),
        )

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer
