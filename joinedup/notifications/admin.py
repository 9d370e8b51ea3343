from django.contrib import admin

from .models import Notification, NotificationAddress


@admin.register(NotificationAddress)
class NotificationAddressAdmin(admin.ModelAdmin):
    list_display = ["organisation", "email"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the record of what was sent is written by the services alone."""

    list_display = ["created_at", "referral", "event", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "event", "recipient"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
