from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from .models import AdminUnit
from .selectors import admin_unit_list


class AdminUnitSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    current_province_name = serializers.CharField(source="current_province.name", read_only=True, default=None)

    class Meta:
        model = AdminUnit
        fields = ["id", "code", "name", "short_name", "division_type", "level", "level_display", "era", "parent",
                  "current_province", "current_province_name", "valid_from", "valid_to"]


@extend_schema(parameters=[
    OpenApiParameter("level", OpenApiTypes.INT, description="1 tỉnh, 2 huyện (trước 2025), 3 xã"),
    OpenApiParameter("era", OpenApiTypes.STR, enum=["current", "old"], description="current = hiện hành, old = trước 2025"),
    OpenApiParameter("parent", OpenApiTypes.INT),
    OpenApiParameter("current_province", OpenApiTypes.INT, description="đơn vị (cũ hoặc mới) thuộc tỉnh hiện nay này"),
    OpenApiParameter("search", OpenApiTypes.STR, description="tìm không dấu: «ben tre» thấy «Bến Tre»"),
])
class AdminUnitList(generics.ListAPIView):
    """Administrative units of both trees (public reference data, readable by any signed-in user)."""

    serializer_class = AdminUnitSerializer

    def get_queryset(self):
        p = self.request.query_params
        era = p.get("era")
        if p.get("current") in ("1", "true"):
            era = AdminUnit.Era.CURRENT
        elif p.get("current") in ("0", "false"):
            era = AdminUnit.Era.OLD
        return admin_unit_list(level=p.get("level"), era=era, parent=p.get("parent"),
                               current_province=p.get("current_province"), q=p.get("search")).select_related("current_province")


class AdminUnitDetail(generics.RetrieveAPIView):
    serializer_class = AdminUnitSerializer
    queryset = AdminUnit.objects.select_related("current_province")


urlpatterns = [
    path("admin-units/", AdminUnitList.as_view(), name="api-admin-units"),
    path("admin-units/<int:pk>/", AdminUnitDetail.as_view(), name="api-admin-unit"),
]
