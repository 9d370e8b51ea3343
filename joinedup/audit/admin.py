from django.contrib import admin

from .models import AuditEvent, AuditVerb, verb_label


class VerbFilter(admin.SimpleListFilter):
    """The verbs to filter by, from the registry (the column has no choices)."""

    title = "verb"
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        return AuditVerb.choices

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "organisation", "verb_shown", "target_type", "target_id", "channel"]
    list_filter = [VerbFilter, "channel"]
    search_fields = ["target_id", "person_id"]

    @admin.display(description="verb", ordering="verb")
    def verb_shown(self, obj: AuditEvent) -> str:
        return verb_label(obj.verb)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
