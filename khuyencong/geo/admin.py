from django.contrib import admin

from .models import AdminUnit, Region, RegionMember, UnitSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "era", "current_province", "valid_from", "valid_to")
    list_filter = ("era", "level")
    search_fields = ("name", "code", "search_text")
    raw_id_fields = ("parent", "current_province")


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("old_unit", "new_unit", "partial", "effective_date")
    raw_id_fields = ("old_unit", "new_unit")


class RegionMemberInline(admin.TabularInline):
    model = RegionMember
    raw_id_fields = ("province",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [RegionMemberInline]
