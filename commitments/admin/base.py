"""What the admin screens share: writes go through the domain functions, never through `Model.save()`."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import ProtectedError, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from commitments import editing
from commitments.models import (
    Alignment,
    EditRecord,
    PendingRecompute,
    PendingSuggestion,
    ProcessEvidence,
    Score,
    ScoreSnapshot,
)

FOLLOW_THEIR_SUBJECT = (Alignment, ProcessEvidence, Score, ScoreSnapshot, PendingRecompute, PendingSuggestion)

RECOMPUTE_PERMISSION = "commitments.recompute_scores"


def can_recompute_scores(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff and request.user.has_perm(RECOMPUTE_PERMISSION))


class DomainWritesAdmin(admin.ModelAdmin):
    """Saves, deletions and inline rows go through `commitments.editing`, which records the edit and marks the
    follow-up work (score recomputes, suggestions) in the same transaction, as every other door does."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        editing.save_row(obj=obj, actor=request.user, door=EditRecord.Door.ADMIN)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool) -> None:
        rows = formset.save(commit=False)  # type: ignore[attr-defined]
        for obj in formset.deleted_objects:  # type: ignore[attr-defined]
            editing.delete_row(obj=obj, actor=request.user, door=EditRecord.Door.ADMIN)
        for obj in rows:
            editing.save_row(obj=obj, actor=request.user, door=EditRecord.Door.ADMIN)
        formset.save_m2m()  # type: ignore[attr-defined]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], Any]:
        """What deleting asks permission for: not the rows that follow their subject (scores, markers, and
        alignments and evidence under review, which `keep_decisions` protects when they hold a decision)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed - {str(m._meta.verbose_name) for m in FOLLOW_THEIR_SUBJECT}, protected

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        editing.delete_row(obj=obj, actor=request.user, door=EditRecord.Door.ADMIN)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        try:
            editing.delete_rows(rows=list(queryset), actor=request.user, door=EditRecord.Door.ADMIN)
        except ProtectedError as exc:
            # The confirmation page lists what protects the rows; this covers a decision made meanwhile.
            self.message_user(request, _("Nothing was deleted: %(reason)s") % {"reason": exc.args[0]}, messages.ERROR)
