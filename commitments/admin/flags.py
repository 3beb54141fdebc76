"""Disagreement flags, seen and resolved by the Support Unit (``commitments.adjudicate_alignment`` and
``commitments.view_disagreementflag``). Reviewers raise them on the review pages; nobody edits or deletes one
here: the only write is the resolve action, through `commitments.flags`."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import CharField
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.flags import resolve_flag
from commitments.models import DisagreementFlag

FLAG_FIELDS = (
    "subject",
    "alignment_link",
    "alignment_version",
    "decision_status",
    "decided_by",
    "raised_by",
    "raised_at",
    "reason",
    "status",
    "resolved_by",
    "resolved_at",
    "resolution",
)


class ResolutionActionForm(ActionForm):
    resolution = CharField(required=False, label=gettext_lazy("Resolution"))


@admin.register(DisagreementFlag)
class DisagreementFlagAdmin(admin.ModelAdmin):
    action_form = ResolutionActionForm
    list_display = ["subject", "status", "decision_status", "decided_by", "raised_by", "raised_at", "resolved_at"]
    list_filter = ["status"]
    list_select_related = ["decided_by", "raised_by"]
    search_fields = ["subject", "reason"]
    readonly_fields = FLAG_FIELDS
    fields = FLAG_FIELDS
    actions = ["resolve_selected"]

    @admin.display(description=gettext_lazy("Alignment"))
    def alignment_link(self, obj: DisagreementFlag) -> str:
        if obj.alignment_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:commitments_alignment_change", args=[obj.alignment_id]), obj.subject
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_adjudicate_permission(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.has_adjudicate_permission(request) and super().has_view_permission(request, obj)

    def has_adjudicate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("commitments.adjudicate_alignment")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(
        description=gettext_lazy("Resolve selected flags with the resolution note"), permissions=["adjudicate"]
    )
    def resolve_selected(self, request: HttpRequest, queryset: QuerySet[DisagreementFlag]) -> None:
        note = request.POST.get("resolution", "")
        done = 0
        for flag in queryset:
            try:
                resolve_flag(flag=flag, user=request.user, resolution=note)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                reason = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(
                    request, _("Not resolved: %(flag)s: %(reason)s") % {"flag": flag, "reason": reason}, messages.ERROR
                )
        if done:
            self.message_user(request, _("%(count)s resolved.") % {"count": done}, messages.SUCCESS)
