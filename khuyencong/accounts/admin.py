from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Organisation, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    """Users are deactivated, never deleted; every change goes through the audited service."""

    fieldsets = BaseUserAdmin.fieldsets + (
        ("Khuyến công", {"fields": ("organisation", "role", "job_title")}),
    )
    list_display = ("username", "last_name", "first_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation__kind", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = [f for f in form.changed_data if f in services.USER_FIELDS]
        if "password" in form.changed_data or not fields:
            super().save_model(request, obj, form, change)
        if fields:
            services.user_update(
                actor=request.user,
                user=obj,
                changes={f: getattr(obj, f) for f in fields},
                reason="Quản trị: sửa người dùng",
            )


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "unit")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("unit", "establishment", "parent")

    def save_model(self, request, obj, form, change):
        if change:
            services.organisation_update(
                actor=request.user,
                organisation=obj,
                changes={f: getattr(obj, f) for f in form.changed_data},
                reason="Quản trị: sửa tổ chức",
            )
        else:
            created = services.organisation_create(
                actor=request.user,
                kind=obj.kind,
                name=obj.name,
                unit=obj.unit,
                parent=obj.parent,
                establishment=obj.establishment,
                short_name=obj.short_name,
            )
            obj.pk = created.pk
