import pytest

from ogp_tracker.celery import app, ping
from resolutions.models import Resolution


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_over_redis_reads_the_committed_database(celery_worker_process, call_to_action):
    result = ping.delay()
    assert result.get(timeout=30) == {"resolutions": Resolution.objects.count(), "members": 5}


def test_the_celery_app_acknowledges_late_and_serialises_json_only():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_soft_time_limit < conf.task_time_limit
