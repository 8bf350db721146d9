"""Catalogues: every signed-in user reads them; only admins change them (and every change is in history)."""

from django.urls import include, path
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import DefaultRouter

from khuyencong.core.audit import delete_audited, save_audited
from khuyencong.core.permissions import is_admin

from .models import (
    ActivityContent,
    EstablishmentType,
    FundingSource,
    LegalDocument,
    OutputIndicator,
    Sector,
    SupportCap,
)


class AdminWritesOnly(permissions.BasePermission):
    message = "Chỉ quản trị viên được sửa danh mục."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_admin(request.user)


class AuditedModelViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, AdminWritesOnly]

    def perform_create(self, serializer):
        serializer.instance = save_audited(
            serializer.Meta.model(**serializer.validated_data), actor=self.request.user, reason="API"
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        for k, v in serializer.validated_data.items():
            setattr(instance, k, v)
        save_audited(instance, actor=self.request.user, reason="API")

    def perform_destroy(self, instance):
        delete_audited(instance, actor=self.request.user, reason="API")


class CatalogSerializer(serializers.ModelSerializer):
    def validate(self, attrs):
        start = attrs.get("valid_from", getattr(self.instance, "valid_from", None))
        end = attrs.get("valid_to", getattr(self.instance, "valid_to", None))
        if start and end and end < start:
            raise serializers.ValidationError({"valid_to": ["Ngày hết hiệu lực phải sau ngày có hiệu lực."]})
        return attrs


def _viewset(model_cls, fields, filters=()):
    meta = type("Meta", (), {"model": model_cls, "fields": ["id", *fields]})
    serializer = type(f"{model_cls.__name__}Serializer", (CatalogSerializer,), {"Meta": meta})
    return type(
        f"{model_cls.__name__}ViewSet",
        (AuditedModelViewSet,),
        {
            "queryset": model_cls.objects.all(),
            "serializer_class": serializer,
            "filterset_fields": list(filters),
            "__doc__": f"Danh mục: {model_cls._meta.verbose_name_plural}.",
        },
    )


VALID = ["valid_from", "valid_to"]
router = DefaultRouter()
router.include_root_view = False
router.register(
    "legal-documents",
    _viewset(LegalDocument, ["number", "doc_type", "title", "issuer", "issued_date", "effective_date"]),
)
router.register(
    "activity-contents",
    _viewset(
        ActivityContent, ["code", "name", "short_name", "legal_basis", "order", *VALID], ["legal_basis"]
    ),
)
router.register(
    "funding-sources",
    _viewset(FundingSource, ["code", "name", "short_name", "is_public", "order", "legal_basis", *VALID]),
)
router.register("sectors", _viewset(Sector, ["code", "name", "legal_basis", *VALID]))
router.register("establishment-types", _viewset(EstablishmentType, ["code", "name", "legal_basis", *VALID]))
router.register(
    "support-caps",
    _viewset(
        SupportCap,
        [
            "code",
            "name",
            "content",
            "funding_source",
            "per",
            "max_percent",
            "max_amount",
            "legal_basis",
            "article",
            "note",
            *VALID,
        ],
        ["content", "funding_source"],
    ),
)
router.register(
    "output-indicators", _viewset(OutputIndicator, ["code", "name", "unit", "content", "is_money", *VALID])
)
urlpatterns = [path("catalog/", include(router.urls))]
