"""API of the establishment's portal (scoped: an establishment's user sees only its own records, anything
else answers 404; an officer sees its province's applications).

GET       /api/v1/portal/me/                          the establishment's own record and what it received
GET/POST  /api/v1/portal/applications/                applications / a new one (the establishment)
GET/PATCH /api/v1/portal/applications/{id}/           one application / edit a draft or returned one
POST      /api/v1/portal/applications/{id}/transitions/  submit, return, reject, accept ({"to_status", …})
POST      /api/v1/portal/cap-check/                   the support-cap check of an amount, with the rule named
GET       /api/v1/portal/notifications/               the establishment's notifications
"""

from collections.abc import Mapping

from django.http import Http404
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.catalog.models import ActivityContent, SupportCap
from khuyencong.core.api import ScopedQuerysetMixin, VersionField
from khuyencong.projects.models import Level

from . import selectors, services
from .models import Application, ApplicationStatus, Notification


class ApplicationSerializer(serializers.ModelSerializer):
    content = serializers.SlugRelatedField(slug_field="code", queryset=ActivityContent.objects.all())
    support_cap = serializers.SlugRelatedField(
        slug_field="code", queryset=SupportCap.objects.all(), required=False, allow_null=True
    )
    establishment = serializers.CharField(source="establishment.name", read_only=True)
    project = serializers.SerializerMethodField()
    version = VersionField(read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "establishment",
            "year",
            "level",
            "content",
            "support_cap",
            "title",
            "description",
            "items",
            "requested",
            "counterpart",
            "start_date",
            "end_date",
            "status",
            "officer_comment",
            "reject_reason",
            "submitted_on",
            "decided_on",
            "project",
            "version",
        ]
        read_only_fields = ["status", "officer_comment", "reject_reason", "submitted_on", "decided_on"]

    def get_project(self, obj) -> dict | None:
        p = obj.project
        if p is None:
            return None
        return {"id": p.pk, "code": p.code, "plan": str(p.plan), "status": p.status}

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):  # a JSON list, number or boolean: DRF's own "expected a dict" 400
            return super().to_internal_value(data)
        data = data.copy() if hasattr(data, "copy") else dict(data)
        for key in ("requested", "counterpart"):  # "300 triệu", "1,2 tỷ" or đồng
            if key in data and not isinstance(data[key], int):
                data[key] = services._money(data[key], key, key)
        return super().to_internal_value(data)


class ApplicationTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    expected_version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CapCheckSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    level = serializers.ChoiceField(choices=Level.choices)
    content = serializers.SlugRelatedField(slug_field="code", queryset=ActivityContent.objects.all())
    support_cap = serializers.SlugRelatedField(
        slug_field="code", queryset=SupportCap.objects.all(), required=False, allow_null=True
    )
    requested = serializers.IntegerField(min_value=0)
    counterpart = serializers.IntegerField(min_value=0, required=False, default=0)


class CapCheckResult(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()


class ApplicationViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApplicationSerializer
    selector = staticmethod(selectors.application_list_for)
    filter_backends = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("-pk")

    def perform_create(self, serializer):
        serializer.instance = services.application_create(
            actor=self.request.user, data=serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        app = self.get_object()
        ser = self.get_serializer(app, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        updated = services.application_update(
            actor=request.user,
            application=app,
            expected_version=ser.initial_data.get("expected_version", app.version),
            changes=ser.validated_data,
        )
        return Response(self.get_serializer(updated).data)

    @extend_schema(request=ApplicationTransitionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        app = self.get_object()
        ser = ApplicationTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        app = services.application_transition(
            actor=request.user,
            application=app,
            to_status=ser.validated_data["to_status"],
            expected_version=ser.validated_data["expected_version"],
            note=ser.validated_data["note"],
        )
        return Response(ApplicationSerializer(app).data)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "created_at", "text", "application", "read_at"]


class NotificationViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NotificationSerializer
    selector = staticmethod(selectors.notifications_for)
    filter_backends = []


class MoneyRowSerializer(serializers.Serializer):
    source = serializers.CharField()
    requested = serializers.IntegerField()
    approved = serializers.IntegerField()
    paid = serializers.IntegerField()


class OwnProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField(source="plan.year")
    status = serializers.CharField()
    money = MoneyRowSerializer(source="money_rows", many=True)


class CertificateRowSerializer(serializers.Serializer):
    number = serializers.CharField()
    product = serializers.CharField(source="product.name")
    level = serializers.CharField()
    year = serializers.IntegerField(source="round.year")
    valid_until = serializers.DateField()


class SupportRowSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True)
    kind = serializers.CharField()
    title = serializers.CharField()
    amount = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()


class PortalMeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()
    commune = serializers.CharField()
    province = serializers.CharField()
    projects = OwnProjectSerializer(many=True)
    certificates = CertificateRowSerializer(many=True)
    other_support = SupportRowSerializer(many=True)


@extend_schema(responses=PortalMeSerializer)
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def me(request):
    from khuyencong.beneficiaries.models import Establishment

    est_id = services.own_establishment_id(request.user)
    if est_id is None:
        raise Http404
    est = Establishment.objects.select_related("commune", "province", "establishment_type").get(pk=est_id)
    return Response(
        PortalMeSerializer(
            {
                "id": est.pk,
                "name": est.name,
                "type": est.establishment_type.name,
                "commune": est.commune.name,
                "province": est.province.name,
                "projects": selectors.own_projects(est.pk),
                "certificates": selectors.own_certificates(est.pk),
                "other_support": selectors.other_support(est),
            }
        ).data
    )


@extend_schema(request=CapCheckSerializer, responses=CapCheckResult)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def cap_check(request):
    ser = CapCheckSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    ok, message = services.cap_message(dict(ser.validated_data))
    return Response({"ok": ok, "message": message})


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("portal/applications", ApplicationViewSet, basename="portal-application")
router.register("portal/notifications", NotificationViewSet, basename="portal-notification")
urlpatterns = [
    path("portal/me/", me, name="portal-me"),
    path("portal/cap-check/", cap_check, name="portal-cap-check"),
    path("", include(router.urls)),
]
