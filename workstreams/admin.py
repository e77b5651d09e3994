from typing import Any

from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from workstreams.models import Commitment, StatusUpdate, Workstream
from workstreams.services import apply_state_rules


class WorkstreamAdminForm(forms.ModelForm):
    """The admin obeys the same state rules as the status map (workstreams.services)."""

    class Meta:
        model = Workstream
        fields = "__all__"  # noqa: DJ007

    def _post_clean(self) -> None:
        super()._post_clean()
        for name, message in apply_state_rules(self.instance, today=timezone.localdate()).items():
            self.add_error(name if name in self.fields else None, message)


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Workstream)
class WorkstreamAdmin(SimpleHistoryAdmin):
    form = WorkstreamAdminForm
    list_display = ["key", "name", "surface", "owner", "state", "escalation", "next_decision_on"]
    list_filter = ["state", "escalation", "surface"]
    search_fields = ["key", "name", "blocker"]
    list_select_related = ["surface", "owner"]
    raw_id_fields = ["owner", "next_decision", "blocked_by_decision"]
    filter_horizontal = ["tags"]
    inlines = [StatusUpdateInline]

    def save_model(self, request: Any, obj: Workstream, form: Any, change: bool) -> None:
        if change:
            obj.version += 1  # an edit open in the status map is then refused as stale
        super().save_model(request, obj, form, change)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["workstream", "posted_on", "author", "state"]
    list_filter = ["state", "posted_on"]
    search_fields = ["note", "workstream__name", "workstream__key"]
    list_select_related = ["workstream", "author"]
    raw_id_fields = ["workstream", "author"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["key", "description", "owner", "promised_to", "due_on", "done_on", "recommitted_count"]
    list_filter = ["due_on", "done_on"]
    search_fields = ["key", "description"]
    list_select_related = ["owner", "promised_to"]
    raw_id_fields = ["workstream", "owner", "promised_to", "decision", "occurrence", "engagement"]
