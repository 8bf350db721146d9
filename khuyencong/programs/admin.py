"""Programmes in the admin are read-only: every write goes through the services (status through the one
transition service), so the admin shows them and links to history but changes nothing."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BudgetLine, Phase, Program, StatedFigure, StatusChange, Target


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner_unit", "province", "year_from", "year_to", "status", "decision_no"]
    list_filter = ["status"]
    search_fields = ["title", "code"]


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdmin):
    list_display = ["program", "name", "year_from", "year_to"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["program", "name", "unit", "content", "indicator", "overall_value"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["program", "content", "funding_source", "year", "amount"]
    list_filter = ["funding_source", "year"]


@admin.register(StatedFigure)
class StatedFigureAdmin(ReadOnlyAdmin):
    list_display = ["program", "kind", "origin", "location", "amount", "percent", "quantity"]
    list_filter = ["kind", "origin"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["program", "changed_at", "from_status", "to_status", "decision_no", "actor"]
