"""API of the cluster registry (scoped: outside the reader's scope it answers 404).

GET/POST  /api/v1/clusters/                 clusters (filters: q, province, *_status, supported); create
GET/PATCH /api/v1/clusters/{id}/            one cluster (with its works) / change it ({"expected_version", …})
GET       /api/v1/clusters/{id}/projects/   its đề án with money per source, and the totals by year
GET/POST  /api/v1/clusters/{id}/members/    establishments located in it / record one (relocated, dated)
DELETE    /api/v1/clusters/{id}/members/{member id}/   take one out (as the page's «Bỏ»)
"""

import django_filters
from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import IntFilter, ListOnlyFiltersMixin, ScopedQuerysetMixin, SelectorFilterSet
from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit

from . import selectors, services
from .models import ClusterEstablishment, IndustrialCluster, WorkStatus


class ClusterSerializer(serializers.ModelSerializer):
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    province = serializers.IntegerField(source="province_id", read_only=True)

    class Meta:
        model = IndustrialCluster
        fields = [
            "id",
            "version",
            "name",
            "commune",
            "commune_name",
            "current_commune",
            "province",
            "planned_area_ha",
            "occupied_area_ha",
            "decision_no",
            "decision_date",
            "investor",
            "planning_status",
            "planning_date",
            "infrastructure_status",
            "infrastructure_date",
            "wastewater_status",
            "wastewater_date",
            "note",
        ]
        read_only_fields = ["id", "version", "province"]


class ClusterWriteSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    commune = serializers.IntegerField(required=False)
    current_commune = serializers.IntegerField(required=False, allow_null=True)
    planned_area_ha = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    occupied_area_ha = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    decision_no = serializers.CharField(required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)
    investor = serializers.CharField(required=False, allow_blank=True)
    planning_status = serializers.ChoiceField(choices=WorkStatus.choices, required=False)
    planning_date = serializers.DateField(required=False, allow_null=True)
    infrastructure_status = serializers.ChoiceField(choices=WorkStatus.choices, required=False)
    infrastructure_date = serializers.DateField(required=False, allow_null=True)
    wastewater_status = serializers.ChoiceField(choices=WorkStatus.choices, required=False)
    wastewater_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    expected_version = serializers.IntegerField(required=False)


class MemberSerializer(serializers.ModelSerializer):
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)

    class Meta:
        model = ClusterEstablishment
        fields = [
            "id",
            "establishment",
            "establishment_name",
            "since",
            "relocated",
            "relocated_from",
            "relocation_date",
            "area_ha",
            "note",
        ]


class MemberWriteSerializer(serializers.Serializer):
    establishment = serializers.IntegerField()
    since = serializers.DateField(required=False, allow_null=True)
    relocated = serializers.BooleanField(required=False, default=False)
    relocated_from = serializers.CharField(required=False, allow_blank=True, default="")
    relocation_date = serializers.DateField(required=False, allow_null=True)
    area_ha = serializers.DecimalField(max_digits=9, decimal_places=2, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClusterFilter(SelectorFilterSet):
    q = django_filters.CharFilter(method="noop", help_text="tìm theo tên, chủ đầu tư, số quyết định")
    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")
    planning_status = django_filters.ChoiceFilter(method="noop", choices=WorkStatus.choices)
    infrastructure_status = django_filters.ChoiceFilter(method="noop", choices=WorkStatus.choices)
    wastewater_status = django_filters.ChoiceFilter(method="noop", choices=WorkStatus.choices)
    supported = django_filters.ChoiceFilter(
        method="noop", choices=[("1", "có đề án"), ("0", "chưa có đề án")]
    )

    class Meta:
        model = IndustrialCluster
        fields = []

    def select(self, queryset, params):
        return selectors.cluster_filter(queryset, params)


def _unit(pk, field):
    if pk is None:
        return None
    unit = AdminUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise DomainError(f"Không có đơn vị hành chính mã {pk}.", field=field)
    return unit


def _service_data(validated: dict) -> dict:
    d = dict(validated)
    d.pop("expected_version", None)
    for field in ("commune", "current_commune"):
        if field in d:
            d[field] = _unit(d[field], field)
    return d


class ClusterViewSet(ListOnlyFiltersMixin, ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Clusters the reader may see."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    serializer_class = ClusterSerializer
    selector = staticmethod(selectors.cluster_list_for)
    filterset_class = ClusterFilter

    def get_queryset(self):
        return super().get_queryset().order_by("name", "pk")

    @extend_schema(request=ClusterWriteSerializer, responses={201: ClusterSerializer})
    def create(self, request, *args, **kwargs):
        ser = ClusterWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        cluster = services.cluster_create(actor=request.user, **_service_data(ser.validated_data))
        return Response(ClusterSerializer(cluster).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClusterWriteSerializer, responses=ClusterSerializer)
    def partial_update(self, request, *args, **kwargs):
        cluster = self.get_object()
        ser = ClusterWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        cluster = services.cluster_update(
            actor=request.user,
            cluster=cluster,
            changes=_service_data(ser.validated_data),
            expected_version=ser.validated_data.get("expected_version"),
        )
        return Response(ClusterSerializer(cluster).data)

    @extend_schema(
        responses=inline_serializer(
            "ClusterProjects",
            {
                "projects": serializers.ListField(child=serializers.DictField()),
                "by_year": serializers.ListField(child=serializers.DictField()),
                "totals": serializers.DictField(),
            },
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def projects(self, request, pk=None):
        cluster = self.get_object()
        rows = selectors.cluster_projects(user=request.user, cluster=cluster)
        money = selectors.money_by_year(rows)
        return Response(
            {
                "projects": [
                    {
                        "id": r["project"].pk,
                        "code": r["project"].code,
                        "title": r["project"].title,
                        "status": r["project"].status,
                        "year": r["year"],
                        **{c: r[c] for c in (*selectors.SOURCE_CODES, "total")},
                    }
                    for r in rows
                ],
                "by_year": money["years"],
                "totals": money["totals"],
            }
        )

    @extend_schema(methods=["GET"], responses=MemberSerializer(many=True))
    @extend_schema(methods=["POST"], request=MemberWriteSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def members(self, request, pk=None):
        from khuyencong.beneficiaries.selectors import establishment_list_for

        cluster = self.get_object()
        if request.method == "POST":
            ser = MemberWriteSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            d = dict(ser.validated_data)
            est = establishment_list_for(user=request.user).filter(pk=d.pop("establishment")).first()
            if est is None:
                raise DomainError("Không có cơ sở này trong phạm vi của bạn.", field="establishment")
            member = services.member_set(actor=request.user, cluster=cluster, establishment=est, **d)
            return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)
        return Response(MemberSerializer(selectors.members_of(cluster), many=True).data)

    @extend_schema(exclude=True)
    def destroy(self, request, *args, **kwargs):
        """A cluster is not deleted (đề án and history name it): only its members are taken out."""
        raise MethodNotAllowed("DELETE")

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<member_id>[0-9]+)", pagination_class=None)
    def member_remove(self, request, pk=None, member_id=None):
        cluster = self.get_object()
        member = cluster.members.filter(pk=member_id).first()
        if member is None:
            raise NotFound("Không có cơ sở này trong cụm.")
        services.member_remove(actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("clusters", ClusterViewSet, basename="cluster")
urlpatterns = [path("", include(router.urls))]
