"""What the partner endpoints read and answer: explicit fields, objects named by OGP's ids and codes."""

from typing import Any

from rest_framework import serializers

from commitments.importer.report import localized_report
from commitments.importer.runs import run_progress
from commitments.models import Alignment, ImportRun, ReviewStatus
from partners.models import Delivery, Event, Snapshot, Webhook

API_ROOT = "/api/v1/"

DECISIONS = {
    "confirm": ReviewStatus.CONFIRMED,
    "reject": ReviewStatus.REJECTED,
    "withdraw": ReviewStatus.WITHDRAWN,
}


class TextField(serializers.CharField):
    """Text sent as text: a number or a boolean where the schema asks for a string is refused, not converted."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class AlignmentRefSerializer(serializers.Serializer):
    commitment = TextField(max_length=12, trim_whitespace=False, help_text="The commitment's OGP id, e.g. AL0002.")
    action_item = TextField(max_length=60, trim_whitespace=False, help_text="The action item's code.")
    version = serializers.IntegerField(min_value=1, help_text="The alignment's version the decision was made on.")


class DecisionSerializer(AlignmentRefSerializer):
    decision = serializers.ChoiceField(choices=[*DECISIONS, "edit"])
    rationale = TextField(max_length=5000, help_text="Why; required.")
    passage_start = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    passage_end = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    new_action_item = TextField(
        max_length=60, required=False, help_text="With `edit`: move the alignment to this action item."
    )


class BulkDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=list(DECISIONS))
    rationale = TextField(max_length=5000)
    alignments = serializers.ListField(child=AlignmentRefSerializer(), allow_empty=False, min_length=1, max_length=500)


class AlignmentStateSerializer(serializers.ModelSerializer):
    commitment = serializers.CharField(source="commitment.ogp_id")
    action_item = serializers.CharField(source="action_item.code")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = Alignment
        fields = [
            "commitment",
            "action_item",
            "status",
            "origin",
            "version",
            "rationale",
            "passage_start",
            "passage_end",
            "excerpt",
            "decided_by",
            "decided_at",
        ]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="OGP's commitment export, as CSV (UTF-8) or XLSX.")


class ImportRunSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()
    confirm_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "file_name",
            "sha256",
            "size",
            "dry_run",
            "status",
            "rows_total",
            "created",
            "updated",
            "unchanged",
            "created_at",
            "started_at",
            "finished_at",
            "progress",
            "report",
            "confirm_url",
        ]

    def get_progress(self, run: ImportRun) -> dict[str, Any]:
        return run_progress(run=run)

    def get_report(self, run: ImportRun) -> dict[str, Any] | None:
        """The same report the admin shows: tallies, and every problem by row, column and value."""
        # Its messages in the request's language (docs/translations.md).
        return localized_report(run.report) if run.is_finished else None

    def get_confirm_url(self, run: ImportRun) -> str | None:
        if run.dry_run and run.status == ImportRun.Status.SUCCEEDED and run.file:
            return f"{API_ROOT}imports/{run.pk}/confirm/"
        return None


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Event.choices), allow_empty=False, min_length=1
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]


class NewWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: keep it to check signatures.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    webhook = serializers.IntegerField(source="webhook_id", read_only=True)
    event_id = serializers.UUIDField(source="event_uid", read_only=True)
    redelivery_of = serializers.UUIDField(source="redelivery_of.uid", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook",
            "event",
            "event_id",
            "status",
            "attempts",
            "last_attempt_at",
            "next_attempt_at",
            "response_status",
            "error",
            "redelivery_of",
            "created_at",
            "payload",
        ]


class SnapshotSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = ["id", "status", "created_at", "finished_at", "size", "sha256", "counts", "download_url"]

    def get_download_url(self, snapshot: Snapshot) -> str | None:
        if snapshot.status != Snapshot.Status.READY:
            return None
        return f"{API_ROOT}snapshots/{snapshot.pk}/download/"
