"""Read-only admin: establishments are changed through the services (pages, API, import)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Establishment


@admin.register(Establishment)
class EstablishmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "establishment_type", "tax_code", "commune", "province", "sector"]
    list_filter = ["establishment_type", "sector"]
    search_fields = ["name", "tax_code", "search_text"]
    list_select_related = ["establishment_type", "commune", "province", "sector"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
