"""Read-only admin views: every change goes through the services (pages and API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Report, ReportDeadline, ReportJob, ReportStatusChange, ReportTemplate


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period_kind", "year", "status", "submitted_at"]
    list_filter = ["period_kind", "year", "status"]


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(ReadOnlyAdmin):
    list_display = ["period_kind", "days_after_end"]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "is_active", "uploaded_by", "created_at"]


@admin.register(ReportStatusChange)
class ReportStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["report", "from_status", "to_status", "actor", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(ReportStatusChangeAdmin):
    list_display = ["pk", "region", "period_key", "status", "progress", "created_by"]
