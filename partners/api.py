"""The API's writes and partner resources: alignment decisions, imports, webhooks and snapshots.

Every write calls the domain function the admin and the pages call (`commitments.reviews`,
`commitments.importer.runs`, `partners.webhooks`, `partners.snapshots`). Who may use what is stated per view;
anything not opened here is closed.
"""

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.formats import number_format
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from commitments import reviews
from commitments.importer.format import max_file_bytes
from commitments.importer.runs import confirm_preview, is_confirmable, preview_upload
from commitments.models import Alignment, ImportRun, Origin
from partners import snapshots, webhooks
from partners.auth import CanDecide, CanImport, IsPartner, IsSupportUnit, error_body, partner_token
from partners.models import Delivery, Snapshot, Webhook
from partners.schema import CONFLICT, FILE, UNAUTHENTICATED, error
from partners.serializers import (
    DECISIONS,
    AlignmentStateSerializer,
    BulkDecisionSerializer,
    DecisionSerializer,
    DeliverySerializer,
    ImportRunSerializer,
    ImportUploadSerializer,
    NewWebhookSerializer,
    SnapshotSerializer,
    WebhookSerializer,
)
from partners.tokens import is_partner
from resolutions.models import ActionItem


def _origin(request: Request) -> str:
    """Decisions of a partner account are the partner system's, with a token or not; review history shows it,
    and who."""
    if partner_token(request) is not None or is_partner(request.user):
        return Origin.PARTNER
    return Origin.REVIEWER


def _alignment(commitment: str, action_item: str) -> Alignment:
    found = (
        Alignment.objects.select_related("commitment", "action_item")
        .filter(commitment__ogp_id=commitment, action_item__code=action_item)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _conflict(exc: reviews.StaleDecision) -> Response:
    body = error_body("stale_decision", str(exc))
    body["current"] = AlignmentStateSerializer(exc.current).data
    return Response(body, status=status.HTTP_409_CONFLICT)


class RefusedSerializer(serializers.Serializer):
    commitment = serializers.CharField()
    action_item = serializers.CharField()
    version = serializers.IntegerField()
    reason = serializers.CharField()


BULK_OUTCOME = inline_serializer(
    "BulkDecisionOutcome",
    {"decided": AlignmentStateSerializer(many=True), "refused": RefusedSerializer(many=True)},
)


class AlignmentDecisionViewSet(viewsets.GenericViewSet):
    """Confirm, reject, withdraw or edit alignments, naming the version each decision was made on.

    Partner tokens with the `decide` scope; reviewers and the Support Unit in a session. A decision on a
    version someone changed since answers 409 with the alignment as it is now, and writes nothing.
    """

    permission_classes = [CanDecide]
    serializer_class = DecisionSerializer

    @extend_schema(
        request=DecisionSerializer,
        responses={
            201: AlignmentStateSerializer,
            400: error("A field is missing or wrong, or the passage does not fit the text."),
            401: UNAUTHENTICATED,
            403: error("The token lacks the decide scope, or the decision changes someone else's."),
            404: error("No alignment between this commitment and action item."),
            409: OpenApiResponse(CONFLICT, description="Changed since that version; nothing was written."),
        },
    )
    def create(self, request: Request) -> Response:
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        alignment = _alignment(data["commitment"], data["action_item"])
        common: dict[str, Any] = {
            "alignment": alignment,
            "user": request.user,
            "version": data["version"],
            "rationale": data["rationale"],
            "origin": _origin(request),
        }
        passage = {"passage_start": data.get("passage_start"), "passage_end": data.get("passage_end")}
        try:
            if data["decision"] == "confirm":
                decided = reviews.confirm_alignment(**common, **passage)
            elif data["decision"] == "reject":
                decided = reviews.reject_alignment(**common, **passage)
            elif data["decision"] == "withdraw":
                decided = reviews.withdraw_alignment(**common)
            else:
                moved_to = None
                if data.get("new_action_item"):
                    moved_to = ActionItem.objects.filter(code=data["new_action_item"]).first()
                    if moved_to is None:
                        raise serializers.ValidationError(
                            {"new_action_item": [gettext("No action item has this code.")]}
                        )
                decided = reviews.edit_alignment(**common, **passage, action_item=moved_to)
        except reviews.StaleDecision as exc:
            return _conflict(exc)
        return Response(AlignmentStateSerializer(decided).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkDecisionSerializer,
        responses={200: BULK_OUTCOME, 400: error("A field is missing or wrong."), 401: UNAUTHENTICATED},
    )
    @action(detail=False, methods=["post"], serializer_class=BulkDecisionSerializer)
    def bulk(self, request: Request) -> Response:
        """Decide many alignments with one rationale; each is decided or refused on its own."""
        given = BulkDecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        refs = data["alignments"]
        found = {
            (row.commitment.ogp_id, row.action_item.code): row
            for row in Alignment.objects.select_related("commitment", "action_item").filter(
                commitment__ogp_id__in={ref["commitment"] for ref in refs},
                action_item__code__in={ref["action_item"] for ref in refs},
            )
        }
        refused: list[dict[str, Any]] = []
        choices: list[tuple[int, int]] = []
        for ref in refs:
            row = found.get((ref["commitment"], ref["action_item"]))
            if row is None:
                refused.append({**ref, "reason": "No such alignment."})
            else:
                choices.append((row.pk, ref["version"]))
        outcome = reviews.decide_alignments(
            choices=choices,
            user=request.user,
            status=DECISIONS[data["decision"]],
            rationale=data["rationale"],
            origin=_origin(request),
        )
        by_pk = {row.pk: row for row in found.values()}
        for pk, reason in outcome.refused:
            row = by_pk[pk]
            version = next(seen for chosen, seen in choices if chosen == pk)
            refused.append(
                {"commitment": row.commitment.ogp_id, "action_item": row.action_item.code, "version": version,
                 "reason": reason}
            )  # fmt: skip
        return Response(
            {"decided": AlignmentStateSerializer(outcome.decided, many=True).data, "refused": refused},
            status=status.HTTP_200_OK,
        )


@extend_schema_view(
    list=extend_schema(responses={200: ImportRunSerializer(many=True), 401: UNAUTHENTICATED}),
    retrieve=extend_schema(responses={200: ImportRunSerializer, 401: UNAUTHENTICATED}),
)
class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Upload an OGP export: a dry run first, with the admin's report; confirm it to import.

    Partner tokens with the `import` scope (their own runs); the Support Unit in a session (every run).
    """

    permission_classes = [CanImport]
    serializer_class = ImportRunSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[ImportRun]:
        runs = ImportRun.objects.order_by("-created_at", "-pk")
        if partner_token(self.request) is not None:
            runs = runs.filter(uploaded_by_id=self.request.user.pk)
        return runs

    def _started(self, run: ImportRun) -> Response:
        run.refresh_from_db()
        return Response(
            ImportRunSerializer(run).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/imports/{run.pk}/"},
        )

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            202: ImportRunSerializer,
            400: error("No file, or one over the size limit."),
            401: UNAUTHENTICATED,
        },
    )
    def create(self, request: Request) -> Response:
        given = ImportUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        if upload.size and upload.size > max_file_bytes():
            most = number_format(max_file_bytes(), force_grouping=True)
            raise serializers.ValidationError(
                {"file": [gettext("The largest accepted file is %(most)s bytes.") % {"most": most}]}
            )
        run = preview_upload(upload=upload, uploaded_by_id=request.user.pk)
        return self._started(run)

    @extend_schema(
        request=None,
        responses={
            202: ImportRunSerializer,
            401: UNAUTHENTICATED,
            409: error("Not a dry run that succeeded (`not_confirmable`)."),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Import the file of a successful dry run, as the admin's confirm does."""
        preview = self.get_object()
        if not is_confirmable(preview):
            return Response(
                error_body("not_confirmable", gettext("Only a dry run that succeeded can be confirmed.")),
                status=status.HTTP_409_CONFLICT,
            )
        return self._started(confirm_preview(preview=preview, confirmed_by_id=request.user.pk))


@extend_schema_view(
    list=extend_schema(responses={200: WebhookSerializer(many=True), 401: UNAUTHENTICATED}),
    retrieve=extend_schema(responses={200: WebhookSerializer, 401: UNAUTHENTICATED}),
    partial_update=extend_schema(responses={200: WebhookSerializer, 401: UNAUTHENTICATED}),
    update=extend_schema(responses={200: WebhookSerializer, 401: UNAUTHENTICATED}),
    destroy=extend_schema(responses={204: None, 401: UNAUTHENTICATED}),
)
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A partner's webhooks: register a URL (its secret is shown once), change or remove it.

    Partner accounts only, with any of their tokens; each sees only its own.
    """

    permission_classes = [IsPartner]
    serializer_class = WebhookSerializer

    def get_queryset(self) -> QuerySet[Webhook]:
        return Webhook.objects.filter(owner_id=self.request.user.pk)

    @extend_schema(
        request=WebhookSerializer,
        responses={
            201: NewWebhookSerializer,
            400: error("Not an http(s) URL, or one that resolves to a private address."),
            401: UNAUTHENTICATED,
        },
    )
    def create(self, request: Request) -> Response:
        given = WebhookSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        webhook = webhooks.register_webhook(
            owner=request.user,  # type: ignore[arg-type]
            url=given.validated_data["url"],
            events=given.validated_data["events"],
        )
        return Response(NewWebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        url = serializer.validated_data.get("url")
        if url is not None:
            try:
                webhooks.targets.check_url(url)
            except webhooks.targets.TargetRefused as exc:
                raise serializers.ValidationError({"url": [str(exc)]}) from exc
        serializer.save()


@extend_schema_view(
    list=extend_schema(responses={200: DeliverySerializer(many=True), 401: UNAUTHENTICATED}),
    retrieve=extend_schema(responses={200: DeliverySerializer, 401: UNAUTHENTICATED}),
)
class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The delivery log of a partner's webhooks, newest first; any delivery can be sent again.

    Partner accounts only, with any of their tokens; each sees only its own webhooks' deliveries.
    """

    permission_classes = [IsPartner]
    serializer_class = DeliverySerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet[Delivery]:
        return Delivery.objects.filter(webhook__owner_id=self.request.user.pk).select_related("redelivery_of")

    @extend_schema(request=None, responses={202: DeliverySerializer, 401: UNAUTHENTICATED})
    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, uid: str | None = None) -> Response:
        from partners.tasks import deliver_webhook

        with transaction.atomic():
            copy = webhooks.redeliver(delivery=self.get_object())
            deliver_webhook.delay(copy.pk)
        copy.refresh_from_db()
        return Response(DeliverySerializer(copy).data, status=status.HTTP_202_ACCEPTED)


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Dated archives of everything public: anyone lists and downloads them; the Support Unit starts one."""

    serializer_class = SnapshotSerializer
    queryset = Snapshot.objects.order_by("-created_at", "-pk")

    def get_permissions(self) -> list[Any]:
        if self.action == "create":
            return [IsSupportUnit()]
        return [AllowAny()]

    @extend_schema(request=None, responses={202: SnapshotSerializer, 401: UNAUTHENTICATED})
    def create(self, request: Request) -> Response:
        from partners.tasks import build_snapshot

        with transaction.atomic():
            snapshot = snapshots.request_snapshot(requested_by=request.user)  # type: ignore[arg-type]
            build_snapshot.delay(snapshot.pk)
        snapshot.refresh_from_db()
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): FILE})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        snapshot = get_object_or_404(Snapshot, pk=pk, status=Snapshot.Status.READY)
        return _file(snapshot)

    @extend_schema(responses={(200, "application/zip"): FILE, 404: error("No snapshot is ready yet.")})
    @action(detail=False, methods=["get"])
    def latest(self, request: Request) -> FileResponse:
        """The newest ready archive, as a file."""
        snapshot = snapshots.latest_snapshot()
        if snapshot is None:
            raise Http404
        return _file(snapshot)


def _file(snapshot: Snapshot) -> FileResponse:
    response = FileResponse(
        snapshot.file.open("rb"), as_attachment=True, filename=Path(snapshot.file.name or "snapshot.zip").name
    )
    response["X-Snapshot-SHA256"] = snapshot.sha256
    return response
