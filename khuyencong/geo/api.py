import django_filters
from django.urls import path
from rest_framework import generics, serializers

from khuyencong.core.api import IntFilter, SelectorFilterSet

from .models import AdminUnit
from .selectors import admin_unit_list


class AdminUnitSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    current_province_name = serializers.CharField(
        source="current_province.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = AdminUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "division_type",
            "level",
            "level_display",
            "era",
            "parent",
            "current_province",
            "current_province_name",
            "valid_from",
            "valid_to",
        ]


class AdminUnitFilter(SelectorFilterSet):
    """?level=&era=&current=&parent=&current_province=&search= — validated (400), then the one selector."""

    level = django_filters.TypedChoiceFilter(
        choices=AdminUnit.Level.choices,
        coerce=int,
        help_text="1 tỉnh, 2 huyện (trước 2025), 3 xã",
        method="noop",
    )
    era = django_filters.ChoiceFilter(
        choices=AdminUnit.Era.choices, method="noop", help_text="current = hiện hành, old = trước 2025"
    )
    current = django_filters.ChoiceFilter(
        method="noop",
        choices=[(v, v) for v in ("true", "1", "false", "0")],
        help_text="true/1 = hiện hành, false/0 = trước 2025 (như era)",
    )
    parent = IntFilter(method="noop", help_text="đơn vị cấp trên (id)")
    current_province = IntFilter(method="noop", help_text="đơn vị (cũ hoặc mới) thuộc tỉnh hiện nay này (id)")
    search = django_filters.CharFilter(
        method="noop", max_length=200, help_text="tìm không dấu: «ben tre» thấy «Bến Tre»"
    )

    class Meta:
        model = AdminUnit
        fields = []

    def select(self, queryset, d):
        era = d.get("era") or None
        if d.get("current") in ("true", "1"):
            era = AdminUnit.Era.CURRENT
        elif d.get("current") in ("false", "0"):
            era = AdminUnit.Era.OLD
        return admin_unit_list(
            level=d.get("level"),
            era=era,
            parent=d.get("parent"),
            current_province=d.get("current_province"),
            q=d.get("search"),
        ).select_related("current_province")


class AdminUnitList(generics.ListAPIView):
    """Administrative units of both trees (public reference data, readable by any signed-in user)."""

    serializer_class = AdminUnitSerializer
    queryset = AdminUnit.objects.all()
    filterset_class = AdminUnitFilter


class AdminUnitDetail(generics.RetrieveAPIView):
    serializer_class = AdminUnitSerializer
    queryset = AdminUnit.objects.select_related("current_province")


urlpatterns = [
    path("admin-units/", AdminUnitList.as_view(), name="api-admin-units"),
    path("admin-units/<int:pk>/", AdminUnitDetail.as_view(), name="api-admin-unit"),
]
