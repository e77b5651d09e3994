from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from briefs.models import Brief, Engagement, StakeholderPosition


class BriefInline(admin.StackedInline):
    model = Brief
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ["key", "title", "kind", "starts_at", "counterpart", "surface"]
    list_filter = ["kind", "surface", "starts_at"]
    search_fields = ["key", "title", "counterpart"]
    list_select_related = ["surface"]
    filter_horizontal = ["attendees", "tags"]
    raw_id_fields = ["decisions"]
    inlines = [BriefInline]
    date_hierarchy = "starts_at"


@admin.register(Brief)
class BriefAdmin(SimpleHistoryAdmin):
    list_display = ["engagement", "objective"]
    search_fields = ["engagement__title", "objective", "one_thing"]
    list_select_related = ["engagement"]
    raw_id_fields = ["engagement"]


@admin.register(StakeholderPosition)
class StakeholderPositionAdmin(SimpleHistoryAdmin):
    list_display = ["person", "stance", "recorded_on", "engagement", "source"]
    list_filter = ["stance", "recorded_on"]
    search_fields = ["person__name", "position", "source"]
    list_select_related = ["person", "engagement"]
    raw_id_fields = ["person", "engagement"]
