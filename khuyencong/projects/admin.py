"""Read-only admin: đề án are changed through services (status only by project_transition)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnnualPlan,
    Batch,
    BatchAllocation,
    Disbursement,
    PlanStatusChange,
    Project,
    ProjectBeneficiary,
    ProjectFunding,
    ProjectOutput,
    Revision,
    StatusChange,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "year", "level", "status", "province"]
    list_filter = ["level", "status", "year"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "plan", "status", "progress_pct"]
    list_filter = ["status", "plan__level", "plan__year"]
    search_fields = ["code", "title"]


for model in (
    Batch,
    BatchAllocation,
    PlanStatusChange,
    ProjectBeneficiary,
    ProjectFunding,
    Revision,
    StatusChange,
    Disbursement,
    ProjectOutput,
):
    admin.site.register(model, ReadOnlyAdmin)
