import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from commitments.models import ActionPlan, Commitment
from commitments.roles import ensure_roles
from commitments.seeds import load_member_groups
from commitments.suggestions.crosswalk import load_crosswalk
from resolutions.frameworks import load_frameworks


class Command(BaseCommand):
    help = (
        "Make a migrated database ready to use: roles, the seed frameworks, a demo dataset when there are no "
        "action plans yet, scores, and (on the embedded SQLite default) a local administrator. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo-members", type=int, default=60)
        parser.add_argument("--demo-commitments-per-plan", type=int, default=12)
        parser.add_argument("--no-demo", action="store_true", help="Never load the demo dataset.")
        parser.add_argument("--no-admin", action="store_true", help="Never create the local administrator.")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_roles()
        counts = {**load_frameworks(), **load_member_groups()}
        counts.pop("changed")  # every score is recomputed below
        self.stdout.write("Frameworks: " + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()))
        links = load_crosswalk()
        self.stdout.write("Crosswalk: " + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in links.items()))
        if options["no_demo"] or ActionPlan.objects.exists():
            self.stdout.write(f"Data: {Commitment.objects.count()} commitments already here; no demo loaded.")
        else:
            call_command(
                "load_demo",
                members=options["demo_members"],
                commitments_per_plan=options["demo_commitments_per_plan"],
                stdout=self.stdout,
            )
            call_command("suggest_alignments", stdout=self.stdout)
            _refresh_planner_statistics()
        call_command("recompute_scores", sync=True, stdout=self.stdout)
        embedded = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        if embedded and not options["no_admin"]:
            self._ensure_local_admin()

    def _ensure_local_admin(self) -> None:
        """A local administrator with a generated password, shown once; never a fixed password."""
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Administrator: already exists (reset with `manage.py changepassword admin`).")
            return
        password = secrets.token_urlsafe(18)
        User.objects.create_superuser("admin", "admin@localhost", password)
        self.stdout.write(
            self.style.WARNING(
                f"Administrator created. Log in at /admin/ as admin / {password}\n"
                "This password is shown only once: note it now."
            )
        )


def _refresh_planner_statistics() -> None:
    """After a bulk load, PostgreSQL's planner still believes the tables are empty until autovacuum gets to
    them, and picks sequential scans for lists of fifty rows: ANALYZE now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
