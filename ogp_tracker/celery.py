import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_tracker.settings")

app = Celery("ogp_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="ogp_tracker.ping")
def ping() -> dict[str, int]:
    """Round trip through the broker and the database, for health checks and tests."""
    from commitments.models import Member
    from resolutions.models import Resolution

    return {"resolutions": Resolution.objects.count(), "members": Member.objects.count()}
