from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from context_repo.models import ContextEntry, StartHereStep


@admin.register(ContextEntry)
class ContextEntryAdmin(SimpleHistoryAdmin):
    list_display = ["key", "title", "kind", "status", "surface", "dated_on", "source"]
    list_filter = ["kind", "status", "surface"]
    search_fields = ["title", "body", "source"]
    list_select_related = ["surface"]
    filter_horizontal = ["tags", "decisions", "workstreams"]
    raw_id_fields = ["author"]
    date_hierarchy = "dated_on"


@admin.register(StartHereStep)
class StartHereStepAdmin(SimpleHistoryAdmin):
    list_display = ["position", "entry", "decision", "why"]
    raw_id_fields = ["entry", "decision"]
