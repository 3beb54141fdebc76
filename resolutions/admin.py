"""Admin of the frameworks and the meetings that follow them up.

Resolutions, eras and action items are saved through `commitments.editing` (`DomainWritesAdmin`): what they
say is what scores are over, so an edit records its history and queues a full recompute.
"""

from django.contrib import admin

from commitments.admin.base import DomainWritesAdmin
from resolutions.models import (
    ActionItem,
    AgendaItem,
    AgendaPoint,
    Attendance,
    Era,
    Meeting,
    NextStep,
    Resolution,
)


class EraInline(admin.TabularInline):
    model = Era
    extra = 0


class ActionItemInline(admin.StackedInline):
    model = ActionItem
    extra = 0
    fields = [
        "code",
        "era",
        "short_title",
        "short_title_es",
        "short_title_fr",
        "text",
        "text_es",
        "text_fr",
        "addressee",
        "evidence",
        "order",
    ]


@admin.register(Resolution)
class ResolutionAdmin(DomainWritesAdmin):
    list_display = ["title", "kind", "issuing_body", "adopted_on"]
    list_filter = ["kind"]
    search_fields = ["title", "text"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EraInline, ActionItemInline]


@admin.register(Era)
class EraAdmin(DomainWritesAdmin):
    list_display = ["title", "key", "term", "resolution", "order"]
    list_filter = ["resolution", "term"]
    list_select_related = ["resolution"]


@admin.register(ActionItem)
class ActionItemAdmin(DomainWritesAdmin):
    list_display = ["code", "short_title", "era", "addressee", "evidence"]
    list_filter = ["resolution", "era", "addressee", "evidence"]
    list_select_related = ["era"]
    search_fields = ["code", "text", "short_title"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


class NextStepInline(admin.TabularInline):
    model = NextStep
    extra = 0
    fields = ["order", "agenda_item", "text", "owner", "due_on", "status", "notes"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "held_on"]
    list_filter = ["body"]
    date_hierarchy = "held_on"
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AttendanceInline, AgendaItemInline, NextStepInline]


class AgendaPointInline(admin.TabularInline):
    model = AgendaPoint
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting"]
    list_select_related = ["meeting"]
    inlines = [AgendaPointInline]


@admin.register(NextStep)
class NextStepAdmin(admin.ModelAdmin):
    """Where the Support Unit follows up what meetings asked of it."""

    list_display = ["text", "owner", "meeting", "due_on", "status"]
    list_filter = ["status", "owner", "meeting"]
    list_editable = ["status", "due_on"]
    list_select_related = ["meeting"]
    search_fields = ["text", "owner", "notes"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "role"]
    list_filter = ["role", "meeting"]
    list_select_related = ["meeting"]


@admin.register(AgendaPoint)
class AgendaPointAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "agenda_item"]
    list_filter = ["kind"]
    list_select_related = ["agenda_item"]
