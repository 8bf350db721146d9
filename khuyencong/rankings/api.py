"""API of the yearly assessment (what the reader may see, as on the page).

GET /api/v1/rankings/?year=2019&region=phia-nam   ranked rows with each criterion's weight, rate, points
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from khuyencong.core.listing import int_param
from khuyencong.geo.models import Region

from . import selectors


@extend_schema(
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, required=True),
        OpenApiParameter("region", OpenApiTypes.STR, description="mã vùng (vd. phia-nam); trống = toàn quốc"),
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
def ranking(request):
    year = int_param(request.query_params.get("year"))
    if year is None or not 2000 <= year <= 2100:
        from khuyencong.core.errors import DomainError

        raise DomainError("Cần tham số year (năm, ví dụ 2019).", field="year")
    code = request.query_params.get("region") or ""
    region = Region.objects.filter(code=code).first() if code else None
    if code and region is None:
        raise Http404
    data = selectors.assessment_for(user=request.user, year=year, region=region)
    rows = [
        {k: v for k, v in r.items() if k not in ("total_value",)}
        | {"criteria": [{k: v for k, v in c.items() if k != "points_value"} for c in r["criteria"]]}
        for r in data["rows"]
    ]
    return Response(
        {
            "year": year,
            "region": code or None,
            "published": data["published"].published_on if data["published"] else None,
            "ranked": data["ranked"],
            "full": data["full"],
            "rows": rows,
        }
    )


urlpatterns = [path("rankings/", ranking, name="api-rankings")]
