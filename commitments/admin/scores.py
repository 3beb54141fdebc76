"""Admin of scores and recomputes."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.admin.base import StartsRunsAdmin, ViewOnlyAdmin, can_recompute_scores
from commitments.followup import request_full_recompute
from commitments.models import (
    EditRecord,
    PendingRecompute,
    PendingSuggestion,
    RecomputeRun,
    Score,
    ScoreSnapshot,
)


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["member", "resolution", "era", "methodology_version", "value", "coverage", "computed_at"]
    list_filter = ["methodology_version", "era"]
    list_select_related = ["member", "resolution", "era"]
    search_fields = ["member__name", "member__code"]


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(admin.ModelAdmin):
    list_display = ["member", "era", "methodology_version", "value", "computed_at", "superseded_at"]
    list_filter = ["methodology_version", "era"]
    list_select_related = ["member", "era"]
    date_hierarchy = "computed_at"


class ReadOnlyForRecomputersAdmin(ViewOnlyAdmin):
    def may_view(self, request: HttpRequest) -> bool:
        return can_recompute_scores(request)


@admin.register(RecomputeRun)
class RecomputeRunAdmin(StartsRunsAdmin, ReadOnlyForRecomputersAdmin):
    """Staff allowed to recompute see every run's progress here, and start a full recompute."""

    list_display = [
        "created_at",
        "kind",
        "methodology_version",
        "status",
        "members_done",
        "members_total",
        "scores_written",
        "started_at",
        "finished_at",
        "requested_by",
    ]
    list_filter = ["kind", "status", "methodology_version"]
    list_select_related = ["requested_by"]

    refused = gettext_lazy("You may not recompute scores.")

    def start(self, request: HttpRequest) -> str:
        run = request_full_recompute(requested_by_id=request.user.pk)
        return _("Full recompute %(run)s of %(version)s queued.") % {"run": run.pk, "version": run.methodology_version}


@admin.register(PendingRecompute)
class PendingRecomputeAdmin(ReadOnlyForRecomputersAdmin):
    """Members whose scores wait for the next recompute: an empty list means scores are up to date."""

    list_display = ["member", "requested_at"]
    list_select_related = ["member"]


@admin.register(PendingSuggestion)
class PendingSuggestionAdmin(ReadOnlyForRecomputersAdmin):
    """Commitments whose suggestions wait to be worked out again: an empty list means they are current."""

    list_display = ["commitment", "requested_at"]
    list_select_related = ["commitment"]


@admin.register(EditRecord)
class EditRecordAdmin(admin.ModelAdmin):
    """The history of edits to the catalogue and frameworks, through every door: readable, never edited."""

    list_display = ["at", "label", "model", "action", "door", "actor"]
    list_filter = ["action", "door", "model"]
    list_select_related = ["actor"]
    search_fields = ["label", "object_pk"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
