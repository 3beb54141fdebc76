"""The roles of the product and what each may do; everyone else only reads public pages.

Partner accounts (the *Partners* group, created by a migration of `partners`) reach the product only through
the API, with tokens whose scopes choose among their permissions."""

from django.contrib.auth.models import AbstractUser, AnonymousUser, Group, Permission
from django.db import transaction

REVIEWERS = "Reviewers"
SUPPORT_UNIT = "Support Unit"
PARTNERS = "Partners"

REVIEWER_PERMISSIONS = [
    "commitments.review_alignment",
    "commitments.view_alignment",
    "commitments.view_processevidence",
]
SUPPORT_UNIT_PERMISSIONS = [
    *REVIEWER_PERMISSIONS,
    "commitments.adjudicate_alignment",
    "commitments.import_ogp_data",
    "commitments.recompute_scores",
    *(
        f"{app}.{verb}_{model}"
        for app, models in {
            "resolutions": [
                "resolution",
                "era",
                "actionitem",
                "meeting",
                "attendance",
                "agendaitem",
                "agendapoint",
                "nextstep",
            ],
            "commitments": [
                "membergroup",
                "member",
                "actionplan",
                "commitment",
                "policyarea",
                "commitmentpolicyarea",
                "policyareacrosswalk",
                "alignment",
                "processevidence",
            ],
        }.items()
        for model in models
        for verb in ("view", "add", "change", "delete")
    ),
    "commitments.view_reviewevent",
    "commitments.view_disagreementflag",
    "commitments.view_editrecord",
    "commitments.view_score",
    "commitments.view_scoresnapshot",
    "partners.issue_partnertoken",
    "partners.view_partnertoken",
    "partners.add_partnertoken",
    "partners.view_webhook",
    "partners.add_webhook",
    "partners.view_delivery",
    "partners.build_snapshot",
    "partners.view_snapshot",
]
PARTNER_PERMISSIONS = ["commitments.review_alignment", "commitments.import_ogp_data"]


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


@transaction.atomic
def ensure_roles() -> None:
    """Create the role groups with exactly their permissions; safe to run any number of times."""
    roles = (
        (REVIEWERS, REVIEWER_PERMISSIONS),
        (SUPPORT_UNIT, SUPPORT_UNIT_PERMISSIONS),
        (PARTNERS, PARTNER_PERMISSIONS),
    )
    for group_name, names in roles:
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(_permissions(names))


def is_reviewer(user: AbstractUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("commitments.review_alignment"))


def is_support_unit(user: AbstractUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm("commitments.adjudicate_alignment"))
