"""Server time of each public page on the data in the database: `manage.py time_pages [--runs N]`."""

import statistics
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from commitments.models import Alignment, Commitment, Member, ReviewStatus
from resolutions.frameworks import MEETING_SLUG
from resolutions.models import ActionItem

BUDGET_MS = 100.0


class Command(BaseCommand):
    help = "Prints the server time (median and best of N requests) and query count of every public page."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--budget-ms", type=float, default=BUDGET_MS)

    def handle(self, *args: Any, runs: int, budget_ms: float, **options: Any) -> None:
        alignment = Alignment.objects.filter(status=ReviewStatus.CONFIRMED).select_related("commitment__member").first()
        if alignment is None:
            raise CommandError("No confirmed alignment: load data first (`manage.py bootstrap`).")
        member = alignment.commitment.member
        item = ActionItem.objects.filter(addressee=ActionItem.Addressee.MEMBERS).order_by("pk").first()
        four = "&".join(f"m={code}" for code in Member.objects.order_by("code").values_list("code", flat=True)[:4])
        pages = [
            "/",
            "/?region=europe&sort=digital-democracy",
            "/members/",
            f"/members/{member.code}/",
            f"/action-items/{item.code if item else ''}/",
            f"/commitments/{alignment.commitment.ogp_id}/",
            "/search/?q=data",
            "/search/?q=access+information&era=civic-space&status=confirmed",
            f"/compare/?{four}",
            "/meetings/",
            f"/meetings/{MEETING_SLUG}/",
            "/call-to-action/",
            "/methodology/",
            "/about/",
        ]
        hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"]
        client = Client(HTTP_HOST=hosts[0] if hosts else "127.0.0.1")
        counts = {
            "members": Member.objects.count(),
            "commitments": Commitment.objects.count(),
        }
        self.stdout.write(f"{counts['members']} members, {counts['commitments']} commitments; {runs} requests each")
        self.stdout.write(f"{'page':<70} {'median ms':>10} {'best ms':>8} {'queries':>8}")
        slow = []
        for path in pages:
            captured: list[str] = []

            def count(
                execute: Any, sql: str, params: Any, many: bool, context: Any, captured: list[str] = captured
            ) -> Any:
                captured.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(path).content  # noqa: B018  (the whole body is rendered before the clock stops)
                times.append((time.perf_counter() - start) * 1000)
            median = statistics.median(times)
            self.stdout.write(f"{path:<70} {median:>10.1f} {min(times):>8.1f} {len(captured):>8}")
            if median >= budget_ms:
                slow.append(path)
        if slow:
            raise CommandError(f"over {budget_ms:.0f} ms: {', '.join(slow)}")
        self.stdout.write(f"every page under {budget_ms:.0f} ms")
