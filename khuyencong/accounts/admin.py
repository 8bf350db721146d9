from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Khuyến công", {"fields": ("organisation", "role", "job_title")}),)
    list_display = ("username", "last_name", "first_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation__kind", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "unit")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("unit", "establishment", "parent")
