from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    ActivityContent,
    EstablishmentType,
    FundingSource,
    LegalDocument,
    OutputIndicator,
    Sector,
    SupportCap,
)


class CatalogAdmin(SimpleHistoryAdmin):
    """Only admins (role admin / superuser) reach the admin site; history is shown, never reverted. Writes go
    through the catalogue services (validated, audited; a row in use is not deleted)."""

    def save_model(self, request, obj, form, change):
        services.catalog_save(actor=request.user, instance=obj, reason="Quản trị: sửa danh mục")

    def delete_model(self, request, obj):
        services.catalog_delete(actor=request.user, instance=obj, reason="Quản trị: xóa danh mục")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.catalog_delete(actor=request.user, instance=obj, reason="Quản trị: xóa danh mục")


for model, cols in [
    (LegalDocument, ("number", "doc_type", "issuer", "issued_date", "effective_date")),
    (ActivityContent, ("code", "name", "legal_basis", "valid_from", "valid_to")),
    (FundingSource, ("code", "name", "short_name")),
    (Sector, ("code", "name")),
    (EstablishmentType, ("code", "name")),
    (
        SupportCap,
        ("code", "name", "per", "max_percent", "max_amount", "legal_basis", "valid_from", "valid_to"),
    ),
    (OutputIndicator, ("code", "name", "unit", "content")),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (CatalogAdmin,), {"list_display": cols}))
