from django import forms
from django.contrib import admin

from joinedup.core.errors import DomainError

from .models import Membership, Organisation
from .services import validate_role_for_organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("role"):
            try:
                validate_role_for_organisation(role=cleaned["role"], organisation=cleaned["organisation"])
            except DomainError as exc:
                self.add_error("role", exc.message)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
