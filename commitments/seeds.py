"""Member data the seed documents state: the Leaders Network named in the February 2021 subcommittee call."""

import datetime

from django.db import transaction

from commitments.models import Member, MemberGroup

LEADERS_NETWORK_SLUG = "leaders-network"
LEADERS_NETWORK = (
    ("MEX", "Mexico", "national", "americas", 2011),
    ("NZL", "New Zealand", "national", "asia_pacific", 2013),
    ("NGKD", "Kaduna State, Nigeria", "local", "africa_middle_east", 2018),
    ("ARBA", "Buenos Aires, Argentina", "local", "americas", 2016),
    ("LVA", "Latvia", "national", "europe", 2011),
)


@transaction.atomic
def load_member_groups() -> dict[str, int]:
    """The Leaders Network and its five members (created when missing); running it again changes nothing."""
    group, _ = MemberGroup.objects.update_or_create(
        slug=LEADERS_NETWORK_SLUG,
        defaults={
            "name": "Leaders Network",
            "description": "OGP members recognised as leaders in open government, launched in November 2020.",
            "launched_on": datetime.date(2020, 11, 1),
        },
    )
    for code, name, kind, region, year in LEADERS_NETWORK:
        member, _ = Member.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "region": region, "joined_year": year}
        )
        member.groups.add(group)
    return {"member_groups": MemberGroup.objects.count()}
