"""API for product voting (scoped like everything else: outside the reader's scope it answers 404).

GET/POST /api/v1/awards/rounds/                    rounds (filters: level, status, year, province); create
GET/POST /api/v1/awards/rounds/{id}/transitions/   steps / move ({"to_status", "expected_version", …})
GET/POST /api/v1/awards/rounds/{id}/entries/       the round's entries the reader may see / enter a product
GET      /api/v1/awards/entries/{id}/              one entry (conditions, files)
POST     /api/v1/awards/entries/{id}/submit/       submit the dossier (≥ 3 photos)
GET/POST /api/v1/awards/entries/{id}/scores/       sheets the reader may see / the juror's own sheet
GET      /api/v1/awards/certificates/              certificates
GET      /api/v1/public/products/                  public catalogue (no login; no personal data)
"""

import django_filters
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import (
    IdField,
    IntFilter,
    ListOnlyFiltersMixin,
    ScopedQuerysetMixin,
    SelectorFilterSet,
    VersionField,
)
from khuyencong.core.errors import DomainError

from . import public, selectors, services
from .models import (
    AwardLevel,
    AwardRound,
    Certificate,
    Entry,
    ProductGroup,
    RoundStatus,
    RoundStep,
    ScoreSheet,
)


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=5, decimal_places=1)
    sub_criteria = serializers.ListField(child=serializers.CharField())


class RoundStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None, allow_null=True)

    class Meta:
        model = RoundStep
        fields = ["effective_date", "from_status", "to_status", "label", "actor", "changes"]


class RoundSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None, allow_null=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = AwardRound
        fields = [
            "id",
            "title",
            "level",
            "level_display",
            "year",
            "organiser",
            "organiser_name",
            "unit",
            "unit_name",
            "province",
            "region",
            "region_name",
            "legal_basis",
            "registration_start",
            "registration_end",
            "scoring_start",
            "scoring_end",
            "pass_mark",
            "quota",
            "validity_years",
            "publish_scores",
            "funding_project",
            "status",
            "status_display",
            "decision_no",
            "decision_date",
            "decision_note",
            "criteria",
            "note",
            "version",
        ]
        read_only_fields = ["organiser", "province", "status", "decision_no", "decision_date", "version"]


class RoundCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    level = serializers.ChoiceField(choices=AwardLevel.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    unit = IdField(required=False, allow_null=True)
    region = IdField(required=False, allow_null=True)
    registration_start = serializers.DateField()
    registration_end = serializers.DateField()
    scoring_start = serializers.DateField()
    scoring_end = serializers.DateField()
    pass_mark = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, min_value=0, max_value=100
    )
    quota = serializers.IntegerField(min_value=1, max_value=10000)
    validity_years = serializers.IntegerField(min_value=1, max_value=20, required=False)
    publish_scores = serializers.BooleanField(required=False)
    funding_project = IdField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class RoundUpdateSerializer(serializers.Serializer):
    expected_version = VersionField(help_text="phiên bản đã đọc; cũ hoặc thiếu: 409")
    title = serializers.CharField(max_length=300, required=False)
    registration_start = serializers.DateField(required=False)
    registration_end = serializers.DateField(required=False)
    scoring_start = serializers.DateField(required=False)
    scoring_end = serializers.DateField(required=False)
    pass_mark = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, min_value=0, max_value=100
    )
    quota = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    validity_years = serializers.IntegerField(min_value=1, max_value=20, required=False)
    publish_scores = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=RoundStatus.choices)
    expected_version = VersionField(required=False, allow_null=True)
    effective_date = serializers.DateField(required=False, allow_null=True)
    decision_no = serializers.CharField(required=False, allow_blank=True, max_length=80)
    decision_date = serializers.DateField(required=False, allow_null=True)
    decision_note = serializers.CharField(required=False, allow_blank=True)
    recognised = serializers.ListField(child=IdField(), required=False, allow_null=True)


class EntrySerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    group = serializers.CharField(source="product.group", read_only=True)
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "round",
            "product",
            "product_name",
            "group",
            "establishment",
            "establishment_name",
            "forwarded_from",
            "status",
            "status_display",
            "registered_on",
            "submitted_on",
            "registration_details",
            "score",
            "eligible",
            "recognised",
            "rank",
            "result_note",
            "version",
        ]


class EntryCreateSerializer(serializers.Serializer):
    product = IdField(required=False, help_text="sản phẩm đã có; hoặc gửi establishment, name, group")
    establishment = IdField(required=False)
    name = serializers.CharField(required=False, max_length=300)
    group = serializers.ChoiceField(choices=ProductGroup.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    registered_on = serializers.DateField(required=False, allow_null=True)
    registration_details = serializers.CharField(required=False, allow_blank=True)


class SubmitSerializer(serializers.Serializer):
    expected_version = VersionField(required=False, allow_null=True)
    submitted_on = serializers.DateField(required=False, allow_null=True)


class SheetSerializer(serializers.ModelSerializer):
    juror_name = serializers.CharField(source="juror.user.display_name", read_only=True)
    juror_role = serializers.CharField(source="juror.get_role_display", read_only=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "entry",
            "juror",
            "juror_name",
            "juror_role",
            "points",
            "total",
            "scored_on",
            "comment",
        ]


class SheetWriteSerializer(serializers.Serializer):
    points = serializers.DictField(
        child=serializers.CharField(), help_text="{id tiêu chí: điểm}; điểm không vượt điểm tối đa"
    )
    scored_on = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True)


class CertificateSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "issued_on",
            "level",
            "level_display",
            "round",
            "entry",
            "product",
            "product_name",
            "establishment",
            "establishment_name",
            "validity_years",
            "valid_until",
            "revoked",
            "revoked_on",
            "revocation_reason",
            "version",
        ]


class RoundFilter(SelectorFilterSet):
    level = django_filters.ChoiceFilter(method="noop", choices=AwardLevel.choices)
    status = django_filters.ChoiceFilter(method="noop", choices=RoundStatus.choices)
    year = IntFilter(method="noop", help_text="năm")
    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")

    class Meta:
        model = AwardRound
        fields = []

    def select(self, queryset, params):
        return selectors.round_filter(queryset, params)


def _get(model, pk, field):
    obj = model.objects.filter(pk=pk).first() if pk else None
    if pk and obj is None:
        raise DomainError(f"Không có bản ghi mã {pk}.", field=field)
    return obj


class RoundViewSet(ListOnlyFiltersMixin, ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Voting rounds the reader may see; the organiser edits one until its decision (pass mark, quota…)."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = RoundSerializer
    selector = staticmethod(selectors.round_list_for)
    filterset_class = RoundFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("criteria").order_by("-year", "pk")

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer})
    def create(self, request, *args, **kwargs):
        from khuyencong.geo.models import AdminUnit, Region
        from khuyencong.projects.selectors import project_get_for

        ser = RoundCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["unit"] = _get(AdminUnit, d.pop("unit", None), "unit")
        d["region"] = _get(Region, d.pop("region", None), "region")
        project = d.pop("funding_project", None)
        d["funding_project"] = project_get_for(user=request.user, pk=project) if project else None
        r = services.round_create(actor=request.user, **d)
        return Response(RoundSerializer(r).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoundUpdateSerializer, responses=RoundSerializer)
    def partial_update(self, request, *args, **kwargs):
        r = self.get_object()
        ser = RoundUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        version = changes.pop("expected_version")
        r = services.round_update(
            actor=request.user, award_round=r, expected_version=version, changes=changes
        )
        return Response(RoundSerializer(r).data)

    @extend_schema(methods=["GET"], responses=RoundStepSerializer(many=True))
    @extend_schema(methods=["POST"], request=TransitionSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def transitions(self, request, pk=None):
        r = self.get_object()
        if request.method == "GET":
            return Response(RoundStepSerializer(r.steps.select_related("actor"), many=True).data)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = {k: v for k, v in ser.validated_data.items() if v not in (None, "")}
        version = d.pop("expected_version", None)
        r = services.round_transition(
            actor=request.user, award_round=r, to_status=d.pop("to_status"), expected_version=version, **d
        )
        return Response(RoundSerializer(r).data)

    @extend_schema(methods=["GET"], responses=EntrySerializer(many=True))
    @extend_schema(methods=["POST"], request=EntryCreateSerializer, responses={201: EntrySerializer})
    @action(detail=True, methods=["get", "post"])
    def entries(self, request, pk=None):
        from khuyencong.beneficiaries.selectors import establishment_get_for

        r = self.get_object()
        if request.method == "GET":
            qs = (
                selectors.entry_list_for(user=request.user)
                .filter(round=r)
                .order_by("rank", "product__name", "pk")
            )
            page = self.paginate_queryset(qs)
            return self.get_paginated_response(EntrySerializer(page, many=True).data)
        ser = EntryCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if d.get("product"):
            product = selectors.product_list_for(user=request.user).filter(pk=d["product"]).first()
            if product is None:
                raise DomainError(f"Không có sản phẩm mã {d['product']}.", field="product")
        else:
            if not d.get("establishment") or not d.get("name") or not d.get("group"):
                raise DomainError(
                    "Chọn sản phẩm đã có, hoặc nhập cơ sở, tên và nhóm sản phẩm.", field="product"
                )
            product = services.product_create(
                actor=request.user,
                establishment=establishment_get_for(user=request.user, pk=d["establishment"]),
                name=d["name"],
                group=d["group"],
                description=d.get("description", ""),
            )
        entry = services.entry_create(
            actor=request.user,
            award_round=r,
            product=product,
            registered_on=d.get("registered_on"),
            registration_details=d.get("registration_details", ""),
        )
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Entries the reader may see (an establishment only its own)."""

    serializer_class = EntrySerializer
    selector = staticmethod(selectors.entry_list_for)
    filter_backends = []

    def get_queryset(self):
        return super().get_queryset().order_by("round_id", "rank", "pk")

    @extend_schema(request=SubmitSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        entry = self.get_object()
        ser = SubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        entry = services.entry_submit(
            actor=request.user,
            entry=entry,
            expected_version=ser.validated_data.get("expected_version"),
            submitted_on=ser.validated_data.get("submitted_on"),
        )
        return Response(EntrySerializer(entry).data)

    @extend_schema(methods=["GET"], responses=SheetSerializer(many=True))
    @extend_schema(methods=["POST"], request=SheetWriteSerializer, responses=SheetSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def scores(self, request, pk=None):
        entry = self.get_object()
        if request.method == "GET":
            return Response(
                SheetSerializer(selectors.sheets_for(user=request.user, entry=entry), many=True).data
            )
        ser = SheetWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        sheet = services.sheet_save(actor=request.user, entry=entry, **ser.validated_data)
        return Response(SheetSerializer(sheet).data)


class CertificateViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer
    selector = staticmethod(selectors.certificate_list_for)
    filter_backends = []

    def get_queryset(self):
        return super().get_queryset().order_by("-issued_on", "number", "pk")


class PublicProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField()
    group = serializers.CharField()
    level = serializers.CharField()
    year = serializers.IntegerField()
    establishment = serializers.CharField()
    commune = serializers.CharField()
    province_old = serializers.CharField()
    province = serializers.CharField()
    certificate_no = serializers.CharField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField()
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="chỉ khi đợt công bố điểm"
    )
    photo_url = serializers.CharField(allow_null=True)
    url = serializers.CharField()


class PublicFilter(SelectorFilterSet):
    level = django_filters.ChoiceFilter(method="noop", choices=AwardLevel.choices)
    group = django_filters.ChoiceFilter(method="noop", choices=ProductGroup.choices)
    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")
    year = IntFilter(method="noop", help_text="năm")
    q = django_filters.CharFilter(method="noop", help_text="tìm theo tên sản phẩm, cơ sở (không cần dấu)")

    class Meta:
        model = Certificate
        fields = []

    def select(self, queryset, params):
        return selectors.public_filter(queryset, params)


class PublicProductViewSet(viewsets.ReadOnlyModelViewSet):
    """Recognised products (public, no login): no phone, e-mail, representative; a score only when the
    round publishes its scores."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = PublicProductSerializer
    filterset_class = PublicFilter
    lookup_field = "product_id"
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        return selectors.public_certificates()

    def list(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(PublicProductSerializer(public.rows(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        from django.http import Http404

        certs = selectors.public_product_certificates(
            kwargs.get("pk") if str(kwargs.get("pk")).isdigit() else 0
        )
        data = public.rows(certs)
        if not data:
            raise Http404
        return Response(PublicProductSerializer(data[0]).data)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("awards/rounds", RoundViewSet, basename="award-round")
router.register("awards/entries", EntryViewSet, basename="award-entry")
router.register("awards/certificates", CertificateViewSet, basename="award-certificate")
router.register("public/products", PublicProductViewSet, basename="public-product")
urlpatterns = [path("", include(router.urls))]
