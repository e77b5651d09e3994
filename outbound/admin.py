from django.contrib import admin

from outbound.models import ActionLink, DecisionFeedToken, Delivery, Preference


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "subject", "day", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["user__username", "to", "subject", "email_subject"]
    readonly_fields = ["created_at", "updated_at", "sent_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest", "commitments", "updates", "weekly", "weekdays", "send_at"]


@admin.register(ActionLink)
class ActionLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "action", "subject_key", "created_at", "expires_at", "used_at"]
    exclude = ["token"]


@admin.register(DecisionFeedToken)
class DecisionFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]
