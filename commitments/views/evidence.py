"""Process evidence for the reviewers: what a member did for a process action item (a forum, co-creation, a
gender analysis, work with fellow members), entered with its source and decided like an alignment.

For reviewers only (``commitments.review_alignment``); anonymous visitors log in, others get 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import ActionPlan, Member, ProcessEvidence, ReviewStatus
from commitments.queries import process_action_items, process_evidence_for_review
from commitments.reviews import StaleDecision, add_process_evidence, decide_process_evidence, may_decide
from commitments.views.review import reviewers_only

PAGE_SIZE = 25


class EvidenceForm(forms.Form):
    member = forms.ModelChoiceField(label=gettext_lazy("Member"), queryset=Member.objects.order_by("name"))
    action_item = forms.ModelChoiceField(label=gettext_lazy("Process action item"), queryset=process_action_items())
    action_plan = forms.ModelChoiceField(
        label=gettext_lazy("Action plan (optional)"),
        queryset=ActionPlan.objects.select_related("member").order_by("member__name", "number"),
        required=False,
    )
    description = forms.CharField(
        label=gettext_lazy("What the member did"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    source_url = forms.URLField(label=gettext_lazy("Source link"), max_length=500, assume_scheme="https")


class EvidenceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ReviewStatus.CONFIRMED, gettext_lazy("Confirm")),
            (ReviewStatus.REJECTED, gettext_lazy("Reject")),
            (ReviewStatus.WITHDRAWN, gettext_lazy("Withdraw")),
        ],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    rationale = forms.CharField(label=gettext_lazy("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))


@reviewers_only
def evidence_list(request: HttpRequest) -> HttpResponse:
    """The process evidence entered so far, and the form to enter more."""
    form = EvidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = add_process_evidence(
                member_id=data["member"].pk,
                action_item=data["action_item"],
                action_plan_id=data["action_plan"].pk if data["action_plan"] else None,
                user=request.user,
                description=data["description"],
                source_url=data["source_url"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Recorded; it now waits for a decision."))
            return redirect("commitments:review_evidence", pk=evidence.pk)
    page = Paginator(process_evidence_for_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "commitments/review_evidence_list.html", {"form": form, "page": page})


@reviewers_only
def review_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(
        ProcessEvidence.objects.select_related("member", "action_item__era", "action_plan", "decided_by"), pk=pk
    )
    form = EvidenceDecisionForm(request.POST or None, initial={"version": evidence.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decide_process_evidence(
                evidence=evidence,
                user=request.user,
                version=data["version"],
                status=data["decision"],
                rationale=data["rationale"],
            )
        except StaleDecision as exc:
            evidence = exc.current  # type: ignore[assignment]
            form = EvidenceDecisionForm({**request.POST.dict(), "version": evidence.version})
            form.is_valid()
            messages.error(request, str(exc))
            status = 409
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Decision saved; the member's scores will be recomputed shortly."))
            return redirect("commitments:evidence_list")
    return render(
        request,
        "commitments/review_evidence_detail.html",
        {
            "evidence": evidence,
            "form": form,
            "history": evidence.history.select_related("actor"),
            "may_decide": may_decide(request.user, status=evidence.status, decided_by_id=evidence.decided_by_id),
        },
        status=status,
    )
