from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import ScopedQuerysetMixin

from .models import Organisation
from .selectors import organisation_list_for


class OrganisationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "kind", "kind_display", "name", "short_name", "unit", "unit_name", "parent", "establishment"]


class OrganisationViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations the reader may see."""

    serializer_class = OrganisationSerializer
    selector = staticmethod(organisation_list_for)
    filterset_fields = ["kind"]


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = [path("", include(router.urls))]
