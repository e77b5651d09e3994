from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition


class OptionInline(admin.StackedInline):
    model = Option
    extra = 0


class StakeholderInline(admin.TabularInline):
    model = DecisionStakeholder
    extra = 0
    raw_id_fields = ["person"]


class ReopenConditionInline(admin.TabularInline):
    model = ReopenCondition
    extra = 0


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["key", "title", "status", "surface", "decider", "needed_by", "decided_on"]
    list_filter = ["status", "surface", "decided_on"]
    search_fields = ["key", "title", "question"]
    list_select_related = ["surface", "decider"]
    raw_id_fields = ["driver", "decider", "supersedes", "created_by"]
    filter_horizontal = ["tags"]
    inlines = [OptionInline, StakeholderInline, ReopenConditionInline]
    date_hierarchy = "opened_on"
