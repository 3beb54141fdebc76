"""The reviewers' pages: a queue of suggested alignments, a page to decide one, and a page to add one.

For logged-in users with ``commitments.review_alignment`` (Reviewers, Support Unit). Anonymous visitors are
sent to log in; logged-in users without the permission get 403.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import Alignment, Commitment
from commitments.queries import review_queue_alignments
from commitments.reviews import (
    REVIEW_PERMISSION,
    StaleDecision,
    add_alignment,
    confirm_alignment,
    edit_alignment,
    may_decide,
    reject_alignment,
    withdraw_alignment,
)
from resolutions.models import ActionItem, Era
from resolutions.translation import localized

QUEUE_PAGE_SIZE = 25


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    era_key = request.GET.get("era", "")
    member_code = request.GET.get("member", "").strip()
    page = Paginator(review_queue_alignments(era_key=era_key, member_code=member_code), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    eras = Era.objects.filter(action_items__evidence=ActionItem.Evidence.COMMITMENT).distinct().order_by("order")
    return render(
        request,
        "commitments/review_queue.html",
        {"page": page, "eras": eras, "era_key": era_key, "member_code": member_code},
    )


class ActionItemChoiceField(forms.ModelChoiceField):
    """Action items named in the visitor's language."""

    def label_from_instance(self, obj: ActionItem) -> str:
        return f"{obj.code}: {localized(obj, 'short_title')}"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("confirm", gettext_lazy("Confirm")),
            ("reject", gettext_lazy("Reject")),
            ("edit", gettext_lazy("Edit only")),
            ("withdraw", gettext_lazy("Withdraw")),
        ],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    rationale = forms.CharField(label=gettext_lazy("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    passage_start = forms.IntegerField(label=gettext_lazy("Passage start"), required=False, min_value=0)
    passage_end = forms.IntegerField(label=gettext_lazy("Passage end"), required=False, min_value=0)
    action_item = ActionItemChoiceField(
        label=gettext_lazy("Action item"),
        queryset=ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ),
        required=False,
        help_text=gettext_lazy("Only for an edit: move the alignment to another action item."),
    )


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def review_alignment(request: HttpRequest, pk: int) -> HttpResponse:
    alignment = get_object_or_404(
        Alignment.objects.select_related("commitment__member", "action_item__era", "decided_by"), pk=pk
    )
    initial = {
        "passage_start": alignment.passage_start,
        "passage_end": alignment.passage_end,
        "version": alignment.version,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "alignment": alignment,
            "user": request.user,
            "version": data["version"],
            "rationale": data["rationale"],
        }
        passage = {"passage_start": data["passage_start"], "passage_end": data["passage_end"]}
        try:
            if data["decision"] == "confirm":
                confirm_alignment(**common, **passage)
            elif data["decision"] == "reject":
                reject_alignment(**common, **passage)
            elif data["decision"] == "withdraw":
                withdraw_alignment(**common)
            else:
                edit_alignment(**common, **passage, action_item=data["action_item"])
        except StaleDecision as exc:
            # The conflict answer: the alignment as it is now, the reviewer's words kept, nothing saved.
            alignment = exc.current  # type: ignore[assignment]
            form = DecisionForm({**request.POST.dict(), "version": alignment.version}, initial=initial)
            form.is_valid()
            messages.error(request, str(exc))
            status = 409
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            verb = {"confirm": _("Confirmed"), "reject": _("Rejected"), "withdraw": _("Withdrawn")}.get(
                data["decision"], _("Saved")
            )
            messages.success(
                request,
                _("%(verb)s: %(ogp_id)s against %(item)s. %(member)s's scores will be recomputed shortly.")
                % {
                    "verb": verb,
                    "ogp_id": alignment.commitment.ogp_id,
                    "item": localized(alignment.action_item, "short_title"),
                    "member": alignment.commitment.member.name,
                },
            )
            return redirect("commitments:review_queue")
    text = alignment.commitment.review_text
    start, end = alignment.passage_start, alignment.passage_end
    parts = (text[:start], text[start:end], text[end:]) if start is not None and end is not None else (text, "", "")
    return render(
        request,
        "commitments/review_detail.html",
        {
            "alignment": alignment,
            "commitment": alignment.commitment,
            "before": parts[0],
            "passage": parts[1],
            "after": parts[2],
            "form": form,
            "history": alignment.history.select_related("actor"),
            "may_decide": may_decide(request.user, status=alignment.status, decided_by_id=alignment.decided_by_id),
        },
        status=status,
    )


class AddAlignmentForm(forms.Form):
    action_item = ActionItemChoiceField(
        label=gettext_lazy("Action item"),
        queryset=ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ),
    )
    rationale = forms.CharField(label=gettext_lazy("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    passage_start = forms.IntegerField(label=gettext_lazy("Passage start"), min_value=0)
    passage_end = forms.IntegerField(label=gettext_lazy("Passage end"), min_value=0)


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def add_commitment_alignment(request: HttpRequest, ogp_id: str) -> HttpResponse:
    """A reviewer records an alignment the suggester missed; it is confirmed by them."""
    commitment = get_object_or_404(Commitment.objects.select_related("member"), ogp_id=ogp_id)
    form = AddAlignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alignment = add_alignment(commitment=commitment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("commitments:review_alignment", pk=alignment.pk)
    return render(request, "commitments/review_add.html", {"commitment": commitment, "form": form})
