"""The reviewers' workspace: a queue of suggested alignments, bulk decisions, a page to decide one, a page to
add one, and flags on decisions a reviewer disagrees with.

Every page is for logged-in users with ``commitments.review_alignment`` (Reviewers, Support Unit) and nobody
else: anonymous visitors are sent to log in; logged-in users without the permission get 403.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commitments.flags import flag_disagreement, may_flag
from commitments.models import Alignment, Commitment, Origin, ReviewStatus
from commitments.queries import changes_since, passage_parts, review_queue_alignments, reviewable_action_items
from commitments.reviews import (
    REVIEW_PERMISSION,
    StaleDecision,
    add_alignment,
    confirm_alignment,
    decide_alignments,
    edit_alignment,
    may_decide,
    reject_alignment,
    withdraw_alignment,
)
from commitments.roles import is_reviewer
from resolutions.models import ActionItem, Era
from resolutions.translation import localized

QUEUE_PAGE_SIZE = 25
QUEUE_CONTEXT_CHARS = 80
FILTERS = ("era", "item", "member", "origin")


def reviewers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Deny by default: log in first, then the review permission, or 403."""
    return login_required(permission_required(REVIEW_PERMISSION, raise_exception=True)(view))


class ReviewerLoginView(LoginView):
    """After logging in, a reviewer lands on the queue; anyone else on the home page. A safe `next` other than
    the home page still wins: the person asked to go there."""

    def get_default_redirect_url(self) -> str:
        if is_reviewer(self.request.user):
            return reverse("commitments:review_queue")
        return "/"

    def get_success_url(self) -> str:
        target = self.get_redirect_url()
        return target if target and target != "/" else self.get_default_redirect_url()


def _filters(source: Any) -> dict[str, str]:
    return {name: source.get(name, "").strip() for name in FILTERS}


def _queue_url(filters: dict[str, str]) -> str:
    query = urlencode({name: value for name, value in filters.items() if value})
    return reverse("commitments:review_queue") + (f"?{query}" if query else "")


@reviewers_only
def review_queue(request: HttpRequest) -> HttpResponse:
    filters = _filters(request.GET)
    alignments = review_queue_alignments(
        era_key=filters["era"], member_code=filters["member"], item_code=filters["item"], origin=filters["origin"]
    )
    page = Paginator(alignments, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for alignment in page:
        before, passage, after = passage_parts(
            alignment.commitment.review_text,
            alignment.passage_start,
            alignment.passage_end,
            context=QUEUE_CONTEXT_CHARS,
        )
        rows.append({"alignment": alignment, "before": before, "passage": passage, "after": after})
    eras = Era.objects.filter(action_items__evidence=ActionItem.Evidence.COMMITMENT).distinct().order_by("order")
    page_query = urlencode({name: value for name, value in filters.items() if value})
    return render(
        request,
        "commitments/review_queue.html",
        {
            "page": page,
            "rows": rows,
            "eras": eras,
            "items": reviewable_action_items(),
            "origins": Origin.choices,
            "filters": filters,
            "page_query": page_query,
            "bulk_form": BulkDecisionForm(),
        },
    )


class BulkDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ReviewStatus.CONFIRMED, gettext_lazy("Confirm")),
            (ReviewStatus.REJECTED, gettext_lazy("Reject")),
        ],
        widget=forms.RadioSelect,
        initial=ReviewStatus.CONFIRMED,
    )
    rationale = forms.CharField(label=gettext_lazy("Rationale"), max_length=2000)


def _parse_choices(values: list[str]) -> list[tuple[int, int]]:
    """Each selected row is sent as "alignment id:version seen"."""
    choices = []
    for value in values:
        pk, _sep, version = value.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            raise ValidationError(_("The selection could not be read; reload the queue and try again."))
        choices.append((int(pk), int(version)))
    return choices


@require_POST
@reviewers_only
def bulk_decide(request: HttpRequest) -> HttpResponse:
    """Confirm or reject the selected suggestions with one rationale; the stale ones are refused and listed."""
    back = _queue_url(_filters(request.POST))
    form = BulkDecisionForm(request.POST)
    try:
        choices = _parse_choices(request.POST.getlist("selected"))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(back)
    if not choices:
        messages.error(request, _("Select at least one suggestion."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    outcome = decide_alignments(
        choices=choices,
        user=request.user,
        status=form.cleaned_data["decision"],
        rationale=form.cleaned_data["rationale"],
    )
    if outcome.decided:
        verb = _("confirmed") if form.cleaned_data["decision"] == ReviewStatus.CONFIRMED else _("rejected")
        messages.success(
            request,
            _("%(count)s %(verb)s; their members' scores will be recomputed shortly.")
            % {"count": len(outcome.decided), "verb": verb},
        )
    for pk, reason in outcome.refused:
        messages.error(request, _("Not decided: alignment %(pk)s. %(reason)s") % {"pk": pk, "reason": reason})
    return redirect(back)


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
    action_item = forms.ModelChoiceField(
        label=gettext_lazy("Action item"),
        queryset=ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ),
        required=False,
        help_text=gettext_lazy("Only for an edit: move the alignment to another action item."),
    )


class FlagForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Why you disagree"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


def _decide_one(request: HttpRequest, alignment: Alignment, data: dict[str, Any]) -> None:
    common = {"alignment": alignment, "user": request.user, "version": data["version"], "rationale": data["rationale"]}
    passage = {"passage_start": data["passage_start"], "passage_end": data["passage_end"]}
    if data["decision"] == "confirm":
        confirm_alignment(**common, **passage)
    elif data["decision"] == "reject":
        reject_alignment(**common, **passage)
    elif data["decision"] == "withdraw":
        withdraw_alignment(**common)
    else:
        edit_alignment(**common, **passage, action_item=data["action_item"])


def _alignment(pk: int) -> Alignment:
    return get_object_or_404(
        Alignment.objects.select_related("commitment__member", "action_item__era", "decided_by"), pk=pk
    )


def _detail(
    request: HttpRequest,
    alignment: Alignment,
    form: DecisionForm,
    *,
    status: int = 200,
    conflict: list[Any] | None = None,
    seen_version: int | None = None,
    flag_form: FlagForm | None = None,
) -> HttpResponse:
    before, passage, after = passage_parts(
        alignment.commitment.review_text, alignment.passage_start, alignment.passage_end
    )
    return render(
        request,
        "commitments/review_detail.html",
        {
            "alignment": alignment,
            "commitment": alignment.commitment,
            "before": before,
            "passage": passage,
            "after": after,
            "form": form,
            "flag_form": flag_form or FlagForm(initial={"version": alignment.version}),
            "conflict": conflict,
            "seen_version": seen_version,
            "history": alignment.history.select_related("actor"),
            "may_decide": may_decide(request.user, status=alignment.status, decided_by_id=alignment.decided_by_id),
            "may_flag": may_flag(request.user, alignment),
        },
        status=status,
    )


@reviewers_only
def review_alignment(request: HttpRequest, pk: int) -> HttpResponse:
    alignment = _alignment(pk)
    initial = {
        "passage_start": alignment.passage_start,
        "passage_end": alignment.passage_end,
        "version": alignment.version,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if not (request.method == "POST" and form.is_valid()):
        return _detail(request, alignment, form)
    data = form.cleaned_data
    try:
        _decide_one(request, alignment, data)
    except StaleDecision as exc:
        return _conflict(request, exc, form=DecisionForm({**request.POST.dict()}, initial=initial))
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return _detail(request, alignment, form, status=403)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _detail(request, alignment, form)
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


def _conflict(request: HttpRequest, exc: StaleDecision, *, form: DecisionForm) -> HttpResponse:
    """The conflict answer: what changed since the reviewer opened the page, the alignment as it is now, and
    their words kept in a form that now names the current version, for a deliberate second decision."""
    current = _alignment(exc.current.pk)
    # The reviewer's decision and words are kept; the version and the passage are those of the current state,
    # so saving again never silently undoes the change they have just been shown.
    form.data = {
        **form.data,
        "version": current.version,
        "passage_start": "" if current.passage_start is None else current.passage_start,
        "passage_end": "" if current.passage_end is None else current.passage_end,
    }
    form.is_valid()
    messages.error(request, str(exc))
    return _detail(
        request,
        current,
        form,
        status=409,
        conflict=changes_since(current, exc.seen_version),
        seen_version=exc.seen_version,
    )


@require_POST
@reviewers_only
def flag_alignment(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer flags a decision another reviewer made, for the Support Unit."""
    alignment = _alignment(pk)
    flag_form = FlagForm(request.POST)
    form = DecisionForm(initial={"version": alignment.version})
    if not flag_form.is_valid():
        return _detail(request, alignment, form, flag_form=flag_form)
    try:
        flag_disagreement(
            alignment=alignment,
            user=request.user,
            version=flag_form.cleaned_data["version"],
            reason=flag_form.cleaned_data["reason"],
        )
    except StaleDecision as exc:
        return _conflict(request, exc, form=form)
    except PermissionDenied as exc:
        flag_form.add_error(None, str(exc))
        return _detail(request, alignment, form, flag_form=flag_form, status=403)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            flag_form.add_error(field if field in flag_form.fields else None, errors)
        return _detail(request, alignment, form, flag_form=flag_form)
    messages.success(
        request, _("Flagged for the Support Unit: %(subject)s.") % {"subject": alignment.commitment.ogp_id}
    )
    return redirect("commitments:review_alignment", pk=alignment.pk)


class AddAlignmentForm(forms.Form):
    action_item = forms.ModelChoiceField(
        label=gettext_lazy("Action item"),
        queryset=ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ),
    )
    rationale = forms.CharField(label=gettext_lazy("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    passage_start = forms.IntegerField(label=gettext_lazy("Passage start"), min_value=0)
    passage_end = forms.IntegerField(label=gettext_lazy("Passage end"), min_value=0)


@reviewers_only
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
