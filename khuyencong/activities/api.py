"""API for activities (scoped like everything else: outside the reader's scope it answers 404).

GET  /api/v1/activities/                     activities (filters: kind, group, year, province, content,
                                             project,
                                             status, q)
GET  /api/v1/activities/{id}/                one activity with its counts
GET  /api/v1/activities/{id}/participants/   its participations (establishment, booths, support, sales)
POST /api/v1/activities/{id}/participants/   add one ({"establishment", "booths", "products", "support"…})
POST /api/v1/activities/{id}/transitions/    move it ({"to_status", "expected_version", "effective_date"})
"""

import django_filters
from django.db.models import Count, Sum
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
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

from . import selectors, services
from .models import Activity, ActivityStatus, KindGroup, Participation


class ActivitySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    group = serializers.CharField(source="kind.group", read_only=True)
    content = serializers.CharField(source="content.code", read_only=True)
    unit_name = serializers.CharField(source="unit.label_with_era", read_only=True)
    place_name = serializers.CharField(
        source="place.label_with_era", read_only=True, default=None, allow_null=True
    )
    project_code = serializers.CharField(
        source="funding_project.code", read_only=True, default=None, allow_null=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    participations = serializers.IntegerField(source="n_participations", read_only=True)
    assessments = serializers.IntegerField(source="n_assessments", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "kind",
            "kind_name",
            "group",
            "content",
            "year",
            "start_date",
            "end_date",
            "unit",
            "unit_name",
            "province",
            "place",
            "place_name",
            "venue",
            "organiser_name",
            "funding_project",
            "project_code",
            "status",
            "status_display",
            "held_on",
            "reported_on",
            "trainees_total",
            "trainees_female",
            "trainees_ethnic",
            "certificates",
            "employed_count",
            "employed_on",
            "participations",
            "assessments",
            "version",
        ]


class ParticipationSerializer(serializers.ModelSerializer):
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)
    tax_code = serializers.CharField(source="establishment.tax_code", read_only=True, allow_null=True)
    support = serializers.IntegerField(read_only=True, default=0, allow_null=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "activity",
            "establishment",
            "establishment_name",
            "tax_code",
            "booths",
            "products",
            "support",
            "contracts",
            "contract_value",
            "sales",
            "note",
        ]


class ParticipationCreateSerializer(serializers.Serializer):
    establishment = IdField()
    booths = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    products = serializers.CharField(required=False, allow_blank=True)
    contracts = serializers.IntegerField(min_value=0, max_value=10**6, required=False)
    contract_value = serializers.IntegerField(min_value=0, max_value=10**15, required=False)
    sales = serializers.IntegerField(min_value=0, max_value=10**15, required=False)
    support = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=10**15),
        required=False,
        help_text='{mã nguồn kinh phí: số đồng}, vd. {"local": 5000000}',
    )


class ActivityTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ActivityStatus.choices)
    expected_version = VersionField(required=False, allow_null=True)
    effective_date = serializers.DateField(required=False, allow_null=True)
    result_note = serializers.CharField(required=False, allow_blank=True)


class ActivityFilter(SelectorFilterSet):
    kind = django_filters.CharFilter(method="noop", help_text="mã loại hoạt động, vd. hoi-cho-trong-nuoc")
    group = django_filters.ChoiceFilter(method="noop", choices=KindGroup.choices)
    year = IntFilter(method="noop", help_text="năm")
    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")
    content = django_filters.CharFilter(method="noop", help_text="số thứ tự nội dung khuyến công (1…9)")
    project = IntFilter(method="noop", help_text="id đề án kinh phí")
    status = django_filters.ChoiceFilter(method="noop", choices=ActivityStatus.choices)
    q = django_filters.CharFilter(method="noop", help_text="tìm theo tên (không cần dấu)")

    class Meta:
        model = Activity
        fields = []

    def select(self, queryset, params):
        return selectors.activity_filter(queryset, params)


class ActivityViewSet(ListOnlyFiltersMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Activities the reader may see (an establishment: those it took part in)."""

    serializer_class = ActivitySerializer
    selector = staticmethod(selectors.activity_list_for)
    filterset_class = ActivityFilter

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                n_participations=Count("participations", distinct=True),
                n_assessments=Count("assessments", distinct=True),
            )
            .order_by("-start_date", "pk")
        )

    @extend_schema(methods=["GET"], responses=ParticipationSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ParticipationCreateSerializer, responses={201: ParticipationSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def participants(self, request, pk=None):
        from khuyencong.beneficiaries.selectors import establishment_get_for

        a = self.get_object()
        if request.method == "GET":
            qs = (
                selectors.participation_list_for(user=request.user)
                .filter(activity=a)
                .annotate(support=Sum("supports__amount"))
                .order_by("pk")
            )
            page = self.paginate_queryset(qs)
            return self.get_paginated_response(ParticipationSerializer(page, many=True).data)
        ser = ParticipationCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["establishment"] = establishment_get_for(user=request.user, pk=d["establishment"])
        p = services.participation_add(actor=request.user, activity=a, **d)
        p = (
            selectors.participation_list_for(user=request.user)
            .annotate(support=Sum("supports__amount"))
            .get(pk=p.pk)
        )
        return Response(ParticipationSerializer(p).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivityTransitionSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        a = self.get_object()
        ser = ActivityTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = {k: v for k, v in ser.validated_data.items() if v not in (None, "")}
        services.activity_transition(
            actor=request.user,
            activity=a,
            to_status=d.pop("to_status"),
            expected_version=d.pop("expected_version", None),
            **d,
        )
        return Response(ActivitySerializer(self.get_queryset().get(pk=a.pk)).data)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("activities", ActivityViewSet, basename="activity")
urlpatterns = [path("", include(router.urls))]
