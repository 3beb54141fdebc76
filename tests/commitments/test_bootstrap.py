import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from commitments.management.commands.bootstrap import Command
from commitments.models import ActionPlan, Commitment
from resolutions.models import Resolution

pytestmark = pytest.mark.django_db


def run_bootstrap(**options) -> str:
    out = io.StringIO()
    call_command("bootstrap", demo_members=3, demo_commitments_per_plan=2, stdout=out, **options)
    return out.getvalue()


def test_it_loads_frameworks_roles_and_a_demo_dataset_into_an_empty_database():
    run_bootstrap()
    assert Resolution.objects.count() == 2
    assert set(Group.objects.values_list("name", flat=True)) == {"Reviewers", "Support Unit", "Partners"}
    assert Commitment.objects.exists()


def test_running_it_again_loads_no_second_demo():
    run_bootstrap()
    plans = ActionPlan.objects.count()
    output = run_bootstrap()
    assert ActionPlan.objects.count() == plans
    assert "no demo loaded" in output


def test_the_local_administrator_gets_a_generated_password_shown_once():
    command = Command(stdout=io.StringIO())
    command._ensure_local_admin()
    first = command.stdout.getvalue()
    password = re.search(r"as admin / (\S+)", first)
    assert password is not None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password.group(1))
    assert len(password.group(1)) >= 20

    again = Command(stdout=io.StringIO())
    again._ensure_local_admin()
    assert password.group(1) not in again.stdout.getvalue()
    assert User.objects.filter(is_superuser=True).count() == 1


def test_two_databases_never_share_an_administrator_password():
    passwords = []
    for _ in range(2):
        User.objects.filter(username="admin").delete()
        command = Command(stdout=io.StringIO())
        command._ensure_local_admin()
        passwords.append(re.search(r"as admin / (\S+)", command.stdout.getvalue()).group(1))  # type: ignore[union-attr]
    assert passwords[0] != passwords[1]
