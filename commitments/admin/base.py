"""What the admin screens share: writes go through the domain functions, never through `Model.save()`."""

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

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


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the application (runs, queues, logs): seen in the admin by those `may_view`
    admits (nobody unless a subclass says), never added, changed or deleted there."""

    def may_view(self, request: HttpRequest) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_view(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StartsRunsAdmin(ViewOnlyAdmin):
    """A view-only list of runs with one button, a POST to `<list>/start/`, that starts the next run for those
    `may_view` admits; the change list's template shows the button when `can_start` is set."""

    refused = gettext_lazy("You may not start this.")

    def start(self, request: HttpRequest) -> str:
        """Starts a run (in a transaction) and says so."""
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(require_POST(self.start_view))
        opts = self.model._meta
        return [path("start/", view, name=f"{opts.app_label}_{opts.model_name}_start"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_start": self.may_view(request)}
        return super().changelist_view(request, extra_context)

    def start_view(self, request: HttpRequest) -> HttpResponse:
        if not self.may_view(request):
            return HttpResponseForbidden(self.refused)
        with transaction.atomic():
            said = self.start(request)
        self.message_user(request, said, messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
