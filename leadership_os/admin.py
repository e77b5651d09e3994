from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leadership_os.models import KeyCounter, Person, Surface, Tag

admin.site.site_header = "Leadership OS administration"
admin.site.site_title = "Leadership OS admin"


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "organization", "affiliation", "user"]
    list_filter = ["affiliation"]
    search_fields = ["name", "title", "organization", "key", "email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Surface)
class SurfaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key"]
    search_fields = ["name", "key"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(KeyCounter)
class KeyCounterAdmin(admin.ModelAdmin):
    list_display = ["prefix", "last"]
