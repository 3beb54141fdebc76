"""The history of edits to the catalogue and the frameworks, as `commitments.editing` records them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditRecord(models.Model):
    """One edit of a row through a door of the application: who, when, through which door, what changed.

    Reviews keep their own history (`ReviewEvent`) and imports theirs (`ImportRun`); this is for the rest:
    members, plans, commitments, tags, the crosswalk, resolutions, eras and action items. `changes` maps
    each changed field to its value before and after (long texts cut), and outlives the row.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")

    class Door(models.TextChoices):
        ADMIN = "admin", _("Admin")
        API = "api", _("API")
        PAGE = "page", _("Web page")
        COMMAND = "command", _("Command")

    model = models.CharField(max_length=100, help_text=_("app_label.model"), verbose_name=_("model"))
    object_pk = models.CharField(max_length=40, verbose_name=_("object pk"))
    label = models.CharField(
        max_length=300, help_text=_("The row as it was named when edited."), verbose_name=_("label")
    )
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("action"))
    changes = models.JSONField(default=dict, blank=True, verbose_name=_("changes"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    door = models.CharField(max_length=10, choices=Door.choices, verbose_name=_("door"))
    at = models.DateTimeField(verbose_name=_("at"))

    class Meta:
        verbose_name = _("edit record")
        verbose_name_plural = _("edit records")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["model", "object_pk", "-at"], name="edit_record_lookup"),
            models.Index(fields=["-at"], name="edit_record_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.action} at {self.at:%Y-%m-%d %H:%M}"
