"""Public API of the open data (no login; nothing a decision does not already publish).

GET /api/v1/public/projects/          approved đề án of publishing provinces (paged; ?province=, ?year=)
GET /api/v1/public/projects/{id}/     one đề án, by its stable identifier, in the IATI-like form
"""

from django.http import Http404
from django.urls import include, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import Pagination
from khuyencong.core.listing import int_param

from . import data

_TYPES = {
    "string": lambda: serializers.CharField(allow_blank=True),
    "integer": lambda: serializers.IntegerField(allow_null=True),
    "date": lambda: serializers.DateField(allow_null=True),
    "boolean": lambda: serializers.BooleanField(),
}
# One field per column of the published table (data.PROJECT_FIELDS), in its order.
PublicProjectSerializer = type(
    "PublicProjectSerializer",
    (serializers.Serializer,),
    {name: _TYPES[kind]() for name, kind, *_ in data.PROJECT_FIELDS},
)


class PublicProjectViewSet(viewsets.ViewSet):
    """Approved đề án (public, no login): no tax code, phone, e-mail, representative or loan."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = PublicProjectSerializer
    pagination_class = Pagination  # the schema's list is the paginated envelope the list answers
    lookup_value_regex = "[^/]+"

    @extend_schema(
        parameters=[
            OpenApiParameter("province", int, description="id tỉnh hiện nay"),
            OpenApiParameter("year", int, description="năm kế hoạch"),
            OpenApiParameter("page", int),
        ],
        responses=PublicProjectSerializer(many=True),
    )
    def list(self, request):
        rows = data.filtered(
            data.dataset()["projects"],
            province_id=int_param(request.query_params.get("province")),
            year=int_param(request.query_params.get("year")),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            PublicProjectSerializer([data.public_row(r, data.PROJECT_FIELDS) for r in page], many=True).data
        )

    @extend_schema(responses={200: dict})
    def retrieve(self, request, pk=None):
        row = next((r for r in data.dataset()["projects"] if r["identifier"] == pk), None)
        if row is None:
            raise Http404
        return Response(data.iati_activity(row))


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("public/projects", PublicProjectViewSet, basename="public-project")
urlpatterns = [path("", include(router.urls))]
