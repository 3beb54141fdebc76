"""Public pages of members and their scores, and the reviewers' pages: a queue of suggested alignments and a
page to decide one.

The member and methodology pages are public. The review pages are for logged-in users with
``commitments.review_alignment`` (Reviewers, Support Unit).
Anonymous visitors are sent to log in; logged-in users without the permission get 403.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from commitments.explanations import explain_scores
from commitments.models import Alignment, Commitment, Member, MemberGroup, ReviewStatus, Score
from commitments.reviews import (
    REVIEW_PERMISSION,
    add_alignment,
    confirm_alignment,
    edit_alignment,
    may_decide,
    reject_alignment,
)
from commitments.scoring import CURRENT_VERSION, METHODOLOGIES, get_methodology, member_scores, score_history
from resolutions.frameworks import CALL_TO_ACTION_SLUG
from resolutions.models import ActionItem, Era, Resolution

QUEUE_PAGE_SIZE = 25


def review_queue_alignments(*, era_key: str = "", member_code: str = "") -> QuerySet[Alignment]:
    """Suggested alignments, most confident first, with what the queue shows."""
    alignments = (
        Alignment.objects.filter(status=ReviewStatus.SUGGESTED)
        .select_related("commitment__member", "action_item__era")
        .order_by("-confidence", "pk")
    )
    if era_key:
        alignments = alignments.filter(action_item__era__key=era_key)
    if member_code:
        alignments = alignments.filter(commitment__member__code=member_code.upper())
    return alignments


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


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "Confirm"), ("reject", "Reject"), ("edit", "Edit only")])
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    passage_start = forms.IntegerField(required=False, min_value=0)
    passage_end = forms.IntegerField(required=False, min_value=0)
    action_item = forms.ModelChoiceField(
        queryset=ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        ),
        required=False,
        help_text="Only for an edit: move the alignment to another action item.",
    )


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def review_alignment(request: HttpRequest, pk: int) -> HttpResponse:
    alignment = get_object_or_404(
        Alignment.objects.select_related("commitment__member", "action_item__era", "decided_by"), pk=pk
    )
    initial = {"passage_start": alignment.passage_start, "passage_end": alignment.passage_end}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "alignment": alignment,
            "user": request.user,
            "rationale": data["rationale"],
            "passage_start": data["passage_start"],
            "passage_end": data["passage_end"],
        }
        try:
            if data["decision"] == "confirm":
                confirm_alignment(**common)
            elif data["decision"] == "reject":
                reject_alignment(**common)
            else:
                edit_alignment(**common, action_item=data["action_item"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            verb = {"confirm": "Confirmed", "reject": "Rejected"}.get(data["decision"], "Saved")
            messages.success(
                request, f"{verb}: {alignment.commitment.ogp_id} against {alignment.action_item.short_title}."
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
    )


class AddAlignmentForm(forms.Form):
    action_item = forms.ModelChoiceField(
        queryset=ActionItem.objects.filter(
            addressee=ActionItem.Addressee.MEMBERS, evidence=ActionItem.Evidence.COMMITMENT
        )
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    passage_start = forms.IntegerField(min_value=0)
    passage_end = forms.IntegerField(min_value=0)


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


# --- Public pages: members and their scores. Anyone may read them; nothing here needs a login. ---

MEMBERS_PAGE_SIZE = 50
MEMBER_SORTS = {"score": (F("overall").desc(nulls_last=True), "name"), "name": ("name",), "code": ("code",)}


def scored_resolution() -> Resolution | None:
    """The resolution the public pages score members on: the Call to Action."""
    return Resolution.objects.filter(slug=CALL_TO_ACTION_SLUG).prefetch_related("eras").first()


def members_with_scores(
    *, resolution: Resolution, version: str, region: str = "", kind: str = "", group: str = "", query: str = ""
) -> QuerySet[Member]:
    """Members with their overall score annotated and their era scores prefetched, for the members list."""
    overall = Score.objects.filter(
        member=OuterRef("pk"), resolution=resolution, era__isnull=True, methodology_version=version
    )
    members = Member.objects.annotate(
        overall=Subquery(overall.values("value")[:1]),
        overall_coverage=Subquery(overall.values("coverage")[:1]),
    ).prefetch_related(
        "groups",
        Prefetch(
            "scores",
            queryset=Score.objects.filter(resolution=resolution, methodology_version=version, era__isnull=False),
            to_attr="era_scores",
        ),
    )
    if region:
        members = members.filter(region=region)
    if kind:
        members = members.filter(kind=kind)
    if group:
        members = members.filter(groups__slug=group)
    if query:
        members = members.filter(Q(name__icontains=query) | Q(code__iexact=query))
    return members


def member_list(request: HttpRequest) -> HttpResponse:
    """Public: every member with its overall and era scores, filtered and sorted."""
    resolution = scored_resolution()
    if resolution is None:
        raise Http404("No framework is loaded.")
    version = CURRENT_VERSION
    filters = {name: request.GET.get(name, "").strip() for name in ("region", "kind", "group", "q")}
    sort = request.GET.get("sort", "score")
    members = members_with_scores(
        resolution=resolution,
        version=version,
        region=filters["region"],
        kind=filters["kind"],
        group=filters["group"],
        query=filters["q"],
    ).order_by(*MEMBER_SORTS.get(sort, MEMBER_SORTS["score"]))
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    eras = list(resolution.eras.all())
    rows = [
        (member, [next((s for s in member.era_scores if s.era_id == era.pk), None) for era in eras])  # type: ignore[attr-defined]
        for member in page
    ]
    query_string = urlencode({name: value for name, value in filters.items() if value})
    return render(
        request,
        "commitments/member_list.html",
        {
            "resolution": resolution,
            "eras": eras,
            "rows": rows,
            "page": page,
            "filters": filters,
            "sort": sort,
            "query_string": query_string,
            "regions": Member.Region.choices,
            "kinds": Member.Kind.choices,
            "groups": MemberGroup.objects.all(),
            "version": version,
        },
    )


def member_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Public: a member's scores with every piece of evidence behind them, enough to recompute them by hand."""
    member = get_object_or_404(Member.objects.prefetch_related("groups"), code=code.upper())
    resolution = scored_resolution()
    if resolution is None:
        raise Http404("No framework is loaded.")
    version = request.GET.get("version", "")
    methodology = get_methodology(version if version in METHODOLOGIES else None)
    scores = list(member_scores(member=member, version=methodology.version).filter(resolution=resolution))
    explained = explain_scores(member=member, scores=scores, methodology=methodology)
    return render(
        request,
        "commitments/member_detail.html",
        {
            "member": member,
            "resolution": resolution,
            "methodology": methodology,
            "overall": next((s for s in scores if s.era_id is None), None),
            "eras": explained,
            "plans": member.action_plans.annotate(commitment_count=Count("commitments")).order_by("number"),
            "history": score_history(member=member, era=None, resolution=resolution, version=methodology.version)[-12:],
        },
    )


def methodology(request: HttpRequest) -> HttpResponse:
    """Public: the current methodology, with its weights read from where the scores read them."""
    return render(request, "commitments/methodology.html", {"methodology": get_methodology()})
