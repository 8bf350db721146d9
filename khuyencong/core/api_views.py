from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .scoping import scope_for


@extend_schema(responses=inline_serializer("ApiRoot", {"links": serializers.DictField()}))
@api_view(["GET"])
def api_root(request):
    """Entry point: where the resources are."""
    return Response(
        {
            "links": {
                "me": reverse("api-me", request=request),
                "schema": reverse("schema", request=request),
                "docs": reverse("api-docs", request=request),
            }
        }
    )


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "username": serializers.CharField(),
            "display_name": serializers.CharField(),
            "role": serializers.CharField(),
            "organisation": serializers.CharField(allow_null=True),
            "scope": serializers.DictField(),
        },
    )
)
@api_view(["GET"])
def me(request):
    """The signed-in user, their organisation, role and what they may see."""
    user = request.user
    scope = scope_for(user)
    return Response(
        {
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role if not user.is_superuser else "admin",
            "organisation": str(user.organisation) if user.organisation_id else None,
            "scope": {"kind": scope.kind, "province_id": scope.province_id, "establishment_id": scope.establishment_id},
        }
    )
