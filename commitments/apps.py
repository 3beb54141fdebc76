from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Members, commitments and scores")

    def ready(self) -> None:
        from commitments import tasks  # noqa: F401 - connects the receiver that enqueues requested work
        from commitments.fields import read_json_as_text
        from ogp_tracker.api_cache import watch_writes

        connection_created.connect(read_json_as_text, dispatch_uid="commitments.read_json_as_text")
        connection_created.connect(watch_writes, dispatch_uid="commitments.watch_writes")
