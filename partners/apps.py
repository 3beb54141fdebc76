from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partner systems: tokens, webhooks and snapshots"

    def ready(self) -> None:
        from partners import (
            receivers,  # noqa: F401 - connects the receivers that record webhook deliveries
            schema,  # noqa: F401 - registers the token scheme with the schema generator
        )
