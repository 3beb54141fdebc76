"""What the admin screens share."""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from commitments.followup import request_recompute

RECOMPUTE_PERMISSION = "commitments.recompute_scores"


def can_recompute_scores(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff and request.user.has_perm(RECOMPUTE_PERMISSION))


class RecomputesScoresAdmin(admin.ModelAdmin):
    """Edits here change scores: mark the members touched, before and after, for a recompute on commit."""

    def score_members(self, objs: Iterable[Any]) -> set[int]:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = self.score_members(type(obj).objects.filter(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        request_recompute(before | self.score_members([obj]))

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        request_recompute(self.score_members([form.instance]))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        members = self.score_members([obj])
        super().delete_model(request, obj)
        request_recompute(members)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        members = self.score_members(queryset)
        super().delete_queryset(request, queryset)
        request_recompute(members)
