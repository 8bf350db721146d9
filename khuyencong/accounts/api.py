"""Organisations and users over the API: read what the reader may see; the Cục's admins (and a Sở's admin for
its
own province) create and change them through the same services as the pages."""

from django.http import Http404
from django.urls import include, path
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import ScopedQuerysetMixin
from khuyencong.geo.models import AdminUnit

from . import selectors, services
from .models import Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "short_name",
            "unit",
            "unit_name",
            "parent",
            "establishment",
            "address",
            "phone",
            "email",
            "is_active",
        ]


class OrganisationWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    unit = serializers.PrimaryKeyRelatedField(
        queryset=AdminUnit.objects.all(), required=False, allow_null=True, default=None
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    establishment = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False)


class OrganisationViewSet(
    ScopedQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Organisations the reader may see; POST/PATCH by admins within their reach."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()  # the schema's type for {id}; reads go through the selector
    selector = staticmethod(selectors.organisation_list_for)
    filterset_fields = ["kind"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return (
            OrganisationWriteSerializer
            if self.action in ("create", "partial_update")
            else OrganisationSerializer
        )

    def _establishment(self, pk):
        if pk is None:
            return None
        from khuyencong.beneficiaries.selectors import establishment_get_for

        return establishment_get_for(user=self.request.user, pk=pk)

    def create(self, request, *args, **kwargs):
        s = OrganisationWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        data.pop("is_active", None)
        data["establishment"] = self._establishment(data.get("establishment"))
        org = services.organisation_create(actor=request.user, **data)
        return Response(OrganisationSerializer(org).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        try:
            org = selectors.managed_organisation_get(user=request.user, pk=int(kwargs["pk"]))
        except (TypeError, ValueError):
            raise Http404
        s = OrganisationWriteSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        changes = {k: v for k, v in s.validated_data.items() if k in request.data}
        if "establishment" in changes:
            changes["establishment"] = self._establishment(changes["establishment"])
        org = services.organisation_update(actor=request.user, organisation=org, changes=changes)
        return Response(OrganisationSerializer(org).data)


class UserSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    full_name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "job_title",
            "organisation",
            "role",
            "role_display",
            "is_active",
            "must_change_password",
        ]


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    job_title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=User.Role.choices)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True, default="")


class UserCreatedSerializer(UserSerializer):
    set_password_url = serializers.CharField(read_only=True, allow_null=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "set_password_url"]


class UserUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False)
    role = serializers.ChoiceField(choices=User.Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class UserViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Users an admin manages (the Cục: all; a Sở's admin: its province's organisations). Never deleted:
    PATCH is_active=false deactivates."""

    serializer_class = UserSerializer
    queryset = User.objects.none()  # the schema's type for {id}; reads go through the selector
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.user_list_for(user=self.request.user)

    def get_serializer_class(self):
        return {"create": UserCreateSerializer, "partial_update": UserUpdateSerializer}.get(
            self.action, UserSerializer
        )

    def create(self, request, *args, **kwargs):
        s = UserCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        created = services.user_create(
            actor=request.user,
            username=d["username"],
            full_name=d["full_name"],
            email=d["email"],
            phone=d["phone"],
            job_title=d["job_title"],
            organisation=d["organisation"],
            role=d["role"],
            password=d["password"] or None,
            base_url=request.build_absolute_uri("/"),
        )
        body = UserSerializer(created.user).data
        body["set_password_url"] = created.set_password_url
        return Response(body, status=201)

    def partial_update(self, request, *args, **kwargs):
        target = self.get_object()
        s = UserUpdateSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        user = services.user_update(actor=request.user, user=target, changes=dict(s.validated_data))
        return Response(UserSerializer(user).data)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
urlpatterns = [path("", include(router.urls))]
