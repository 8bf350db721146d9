"""API of the establishments registry (scoped: outside the reader's scope everything answers 404).

GET   /api/v1/establishments/                 list (?search= without diacritics, province, commune, sector,
type,
                                              priority=woman|ethnic|any|none, ordering via ?sort=name|-name …)
POST  /api/v1/establishments/                 create (officers; a duplicate tax code answers 409 naming the
record)
GET   /api/v1/establishments/{id}/            one record, with possible_duplicates and support_history
PATCH /api/v1/establishments/{id}/            edit (send "version" to have a stale edit refused with 409)
POST  /api/v1/establishments/{id}/merge/      {"other": id, "reason": "…"}: merge `other` into {id} (officers)
POST  /api/v1/establishments/import/          multipart "file": all-or-nothing Excel import
"""

import django_filters
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.core.api import (
    IdField,
    IntFilter,
    ListOnlyFiltersMixin,
    ScopedQuerysetMixin,
    SelectorFilterSet,
    VersionField,
)
from khuyencong.geo.models import AdminUnit

from . import imports, selectors, services
from .models import Establishment
from .validators import tax_code_problem
from .views import SORTS


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tax_code = serializers.CharField(allow_null=True)


class SupportRowSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True)
    kind = serializers.CharField()
    title = serializers.CharField()
    amount = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class EstablishmentSerializer(serializers.ModelSerializer):
    establishment_type = serializers.SlugRelatedField(
        slug_field="code", queryset=EstablishmentType.objects.all()
    )
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True
    )
    commune = serializers.PrimaryKeyRelatedField(queryset=AdminUnit.objects.filter(level=3))
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    province_name = serializers.CharField(source="province.name", read_only=True)
    address = serializers.CharField(source="address_text", read_only=True)
    tax_code = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=20)
    version = VersionField(required=False)

    class Meta:
        model = Establishment
        fields = [
            "id",
            "name",
            "establishment_type",
            "tax_code",
            "business_reg_no",
            "business_reg_date",
            "representative_name",
            "representative_gender",
            "woman_owned",
            "ethnic_minority_owned",
            "street",
            "commune",
            "commune_name",
            "province",
            "province_name",
            "address",
            "sector",
            "main_products",
            "employees",
            "founded_year",
            "phone",
            "email",
            "craft_village",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["province", "created_at", "updated_at"]

    def validate_tax_code(self, value):
        problem = tax_code_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value or None


class EstablishmentDetailSerializer(EstablishmentSerializer):
    possible_duplicates = serializers.SerializerMethodField()
    support_history = serializers.SerializerMethodField()

    class Meta(EstablishmentSerializer.Meta):
        fields = EstablishmentSerializer.Meta.fields + ["possible_duplicates", "support_history"]

    @extend_schema(responses=DuplicateSerializer(many=True))
    def get_possible_duplicates(self, obj) -> list[dict]:
        user = self.context["request"].user
        dups = selectors.possible_duplicates(
            name=obj.name, commune_id=obj.commune_id, exclude_pk=obj.pk, user=user
        )
        return DuplicateSerializer(dups, many=True).data

    def get_support_history(self, obj) -> list[dict]:
        return SupportRowSerializer(selectors.establishment_support_history(obj), many=True).data


class MergeSerializer(serializers.Serializer):
    other = IdField(help_text="Mã hồ sơ bị gộp (sẽ bị xóa)")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rows = serializers.IntegerField()
    message = serializers.CharField()


SORT_CHOICES = [(key, key) for name in SORTS for key in (name, f"-{name}")]


class EstablishmentFilter(SelectorFilterSet):
    """The list's filters, validated (a bad value answers 400), then applied by the selector the page uses."""

    search = django_filters.CharFilter(
        method="noop", max_length=200, help_text="Tìm không dấu: tên, MST, người đại diện, địa chỉ"
    )
    q = django_filters.CharFilter(method="noop", max_length=200, help_text="như search")
    province = IntFilter(method="noop", help_text="Tỉnh hiện nay (id)")
    commune = IntFilter(method="noop", help_text="Xã, phường (id, đơn vị cũ hoặc mới)")
    sector = django_filters.CharFilter(method="noop", max_length=40, help_text="Ngành nghề (mã hoặc id)")
    type = django_filters.CharFilter(method="noop", max_length=20, help_text="Loại hình: DN, HTX, THT, HKD")
    priority = django_filters.ChoiceFilter(
        method="noop", choices=selectors.PRIORITY_CHOICES, help_text="woman, ethnic, any, none"
    )
    sort = django_filters.ChoiceFilter(
        method="noop",
        choices=SORT_CHOICES,
        help_text="name, tax_code, type, commune, province, employees … ; '-' giảm dần",
    )

    class Meta:
        model = Establishment
        fields = []

    def select(self, queryset, params):
        qs = selectors.establishment_filter(queryset, params)
        key = params.get("sort") or "name"
        path = SORTS[key.lstrip("-")]
        return qs.order_by(f"-{path}" if key.startswith("-") else path, "pk")


class EstablishmentViewSet(
    ListOnlyFiltersMixin,
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Establishments the reader may see; create and edit through the services."""

    selector = staticmethod(selectors.establishment_list_for)
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_converter = "int"
    filterset_class = EstablishmentFilter

    def get_serializer_class(self):
        if self.action in ("retrieve", "create", "partial_update"):
            return EstablishmentDetailSerializer
        if self.action == "import_file":
            return ImportSerializer
        if self.action == "merge":
            return MergeSerializer
        return EstablishmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return Establishment.objects.none()
        return selectors.with_related(super().get_queryset())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        est = services.establishment_create(actor=request.user, data=data)
        est = selectors.establishment_get_for(user=request.user, pk=est.pk)
        return Response(self.get_serializer(est).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()  # 404 outside the scope
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version", None)
        services.establishment_update(
            actor=request.user, pk=instance.pk, expected_version=version, changes=changes
        )
        est = selectors.establishment_get_for(user=request.user, pk=instance.pk)
        return Response(self.get_serializer(est).data)

    @extend_schema(request=MergeSerializer, responses=EstablishmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge record `other` into this one: everything pointing at `other` moves here; `other` is
        deleted."""
        keep = self.get_object()  # 404 outside the scope
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.establishment_merge(
            actor=request.user,
            keep_pk=keep.pk,
            remove_pk=serializer.validated_data["other"],
            reason=serializer.validated_data.get("reason", ""),
        )
        est = selectors.establishment_get_for(user=request.user, pk=keep.pk)
        return Response(EstablishmentDetailSerializer(est, context=self.get_serializer_context()).data)

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses=ImportResultSerializer)
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request):
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        result = imports.establishment_import(actor=request.user, content=upload.read(), filename=upload.name)
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rows": result.rows,
                "message": result.message,
            }
        )


router = SimpleRouter()
router.register("establishments", EstablishmentViewSet, basename="establishment")

urlpatterns = [path("", include(router.urls))]
