from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from imports.models import ImportBatch, ImportedLink, ImportedRecord


class ImportedLinkInline(admin.TabularInline):
    model = ImportedLink
    extra = 0
    raw_id_fields = ["target"]


@admin.register(ImportedRecord)
class ImportedRecordAdmin(SimpleHistoryAdmin):
    list_display = ["source", "path", "original_id", "decision", "imported_on"]
    list_filter = ["source"]
    search_fields = ["path", "decision__title"]
    raw_id_fields = ["decision"]
    inlines = [ImportedLinkInline]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["source", "created_by", "created_at", "applied_at"]
    exclude = ["files"]
