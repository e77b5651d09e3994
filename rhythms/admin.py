from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rhythms.models import FeedToken, Occurrence, Ritual


@admin.register(Ritual)
class RitualAdmin(SimpleHistoryAdmin):
    list_display = ["key", "name", "kind", "rrule", "owner", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["key", "name", "purpose"]
    list_select_related = ["owner"]
    filter_horizontal = ["attendees"]
    raw_id_fields = ["owner"]


@admin.register(Occurrence)
class OccurrenceAdmin(SimpleHistoryAdmin):
    list_display = ["ritual", "scheduled_for", "starts_at", "status"]
    list_filter = ["status", "ritual"]
    search_fields = ["ritual__name", "notes"]
    list_select_related = ["ritual"]
    raw_id_fields = ["ritual"]
    filter_horizontal = ["decisions_informed", "blockers_surfaced"]
    date_hierarchy = "starts_at"


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["token"]
