from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner systems: tokens, webhooks and snapshots")

    def ready(self) -> None:
        from partners import (
            receivers,  # noqa: F401 - connects the receivers that record webhook deliveries
            schema,  # noqa: F401 - registers the token scheme with the schema generator
        )
