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
            "scope": {
                "kind": scope.kind,
                "province_id": scope.province_id,
                "establishment_id": scope.establishment_id,
            },
        }
    )


@extend_schema(
    responses=inline_serializer(
        "Tasks",
        {
            "tasks": inline_serializer(
                "Task",
                {
                    "key": serializers.CharField(),
                    "label": serializers.CharField(),
                    "count": serializers.IntegerField(),
                    "url": serializers.CharField(),
                    "level": serializers.ChoiceField(choices=["info", "warning", "danger"]),
                    "due": serializers.DateField(allow_null=True),
                    "days": serializers.IntegerField(allow_null=True),
                },
                many=True,
            )
        },
    )
)
@api_view(["GET"])
def my_tasks(request):
    """ "Việc cần làm": the signed-in user's queue (the same as the home page), most urgent first."""
    from .todo import tasks_for

    return Response({"tasks": [t.as_dict() for t in tasks_for(request.user)]})
