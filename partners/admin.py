"""The Support Unit's side of partner systems: issue and revoke tokens (a key is shown once), follow webhook
deliveries and send one again, build snapshots. Each page is for holders of the permission it names."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, Model, QuerySet, URLField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.admin.base import StartsRunsAdmin
from partners import snapshots, targets, webhooks
from partners.models import PARTNERS, Delivery, Event, PartnerToken, Scope, Snapshot, Webhook
from partners.tokens import ISSUE_PERMISSION, issue_token, revoke_token

SNAPSHOT_PERMISSION = "partners.build_snapshot"


def _can_issue(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff and request.user.has_perm(ISSUE_PERMISSION))


class SupportUnitOnlyAdmin(admin.ModelAdmin):
    """Visible and usable only by staff who may issue partner tokens (the Support Unit)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _can_issue(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _can_issue(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _can_issue(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _label(model: type[Model], name: str) -> Any:
    """A form field declared here is labelled as the admin labels the model field: its translated name."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return capfirst(field.verbose_name)


def _partners() -> QuerySet[User]:
    return User.objects.filter(groups__name=PARTNERS, is_active=True).order_by("username")


class IssueTokenForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_label(PartnerToken, "user"), help_text=gettext_lazy("A partner account.")
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, label=_label(PartnerToken, "scopes")
    )
    expires_at = forms.DateTimeField(
        required=False, label=_label(PartnerToken, "expires_at"), help_text=gettext_lazy("Empty: a year from now.")
    )

    class Meta:
        model = PartnerToken
        fields = ["user", "name", "scopes", "expires_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = _partners()  # type: ignore[attr-defined]

    def clean_expires_at(self) -> Any:
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(_("The expiry must lie in the future."))
        return expires_at


@admin.register(PartnerToken)
class PartnerTokenAdmin(SupportUnitOnlyAdmin):
    form = IssueTokenForm
    list_display = ["name", "prefix", "user", "scopes", "expires_at", "last_used_at", "state", "created_by"]
    list_filter = ["revoked_at"]
    list_select_related = ["user", "created_by"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "scopes",
        "expires_at",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("state"))
    def state(self, token: PartnerToken) -> str:
        if token.is_revoked:
            return "revoked"
        return "expired" if token.is_expired else "active"

    def save_model(self, request: HttpRequest, obj: PartnerToken, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied
        data = form.cleaned_data
        try:
            issued = issue_token(
                user=data["user"],
                name=data["name"],
                scopes=data["scopes"],
                issued_by=request.user,  # type: ignore[arg-type]
                expires_at=data.get("expires_at"),
            )
        except ValidationError as exc:
            raise PermissionDenied("; ".join(exc.messages)) from exc
        obj.pk = issued.token.pk
        self.message_user(
            request,
            _("Token “%(name)s” issued. Copy the key now; it is shown only this once: %(key)s")
            % {"name": issued.token.name, "key": issued.key},
            messages.WARNING,
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return super().log_addition(request, PartnerToken.objects.get(pk=obj.pk), message)

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: str | None = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:partners_partnertoken_changelist"))

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerToken]) -> None:
        with transaction.atomic():
            for token in queryset:
                revoke_token(token=token, revoked_by=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("%(count)s token(s) revoked.") % {"count": queryset.count()}, messages.SUCCESS)


class WebhookForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_label(Webhook, "owner"), help_text=gettext_lazy("A partner account.")
    )
    url = forms.URLField(max_length=500, assume_scheme="https", label=_label(Webhook, "url"))
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, label=_label(Webhook, "events")
    )

    class Meta:
        model = Webhook
        fields = ["owner", "url", "events"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = _partners()  # type: ignore[attr-defined]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            targets.check_url(url)
        except targets.TargetRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


@admin.register(Webhook)
class WebhookAdmin(SupportUnitOnlyAdmin):
    form = WebhookForm
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    list_display = ["url", "owner", "events", "is_active", "created_at"]
    list_select_related = ["owner"]
    list_filter = ["is_active"]
    actions = ["switch_off"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["owner", "url", "events", "is_active", "created_at"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Webhook, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied
        data = form.cleaned_data
        try:
            webhook = webhooks.register_webhook(owner=data["owner"], url=data["url"], events=data["events"])
        except ValidationError as exc:
            raise PermissionDenied("; ".join(exc.messages)) from exc
        obj.pk = webhook.pk
        self.message_user(
            request,
            _("Webhook registered. Its signing secret, shown only this once: %(secret)s") % {"secret": webhook.secret},
            messages.WARNING,
        )

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: str | None = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:partners_webhook_changelist"))

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return super().log_addition(request, Webhook.objects.get(pk=obj.pk), message)

    @admin.action(description=gettext_lazy("Switch off the selected webhooks"))
    def switch_off(self, request: HttpRequest, queryset: QuerySet[Webhook]) -> None:
        switched = queryset.update(is_active=False)
        self.message_user(request, _("%(count)s webhook(s) switched off.") % {"count": switched}, messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(SupportUnitOnlyAdmin):
    """The delivery log: every event sent to every webhook, with its attempts and what the last one got."""

    list_display = ["created_at", "event", "webhook", "status", "attempts", "response_status", "next_attempt_at"]
    list_filter = ["status", "event"]
    list_select_related = ["webhook"]
    search_fields = ["uid", "event_uid", "webhook__url"]
    actions = ["send_again"]
    readonly_fields = [
        "uid",
        "webhook",
        "event",
        "event_uid",
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Send the selected deliveries again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        from partners.tasks import deliver_webhook

        with transaction.atomic():
            for delivery in queryset:
                deliver_webhook.delay(webhooks.redeliver(delivery=delivery).pk)
        self.message_user(
            request, _("%(count)s delivery(ies) queued again.") % {"count": queryset.count()}, messages.SUCCESS
        )


@admin.register(Snapshot)
class SnapshotAdmin(StartsRunsAdmin):
    list_display = ["created_at", "status", "size", "sha256", "finished_at", "requested_by"]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    readonly_fields = [
        "file",
        "status",
        "size",
        "sha256",
        "counts",
        "error",
        "requested_by",
        "created_at",
        "finished_at",
    ]

    refused = gettext_lazy("You may not build snapshots.")

    def may_view(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and request.user.has_perm(SNAPSHOT_PERMISSION))

    def start(self, request: HttpRequest) -> str:
        from partners.tasks import build_snapshot

        snapshot = snapshots.request_snapshot(requested_by=request.user)  # type: ignore[arg-type]
        build_snapshot.delay(snapshot.pk)
        return _("Snapshot %(snapshot)s queued.") % {"snapshot": snapshot.pk}
