"""API of the demand surveys (scoped like the pages: outside the reader's scope it answers 404).

GET/POST /api/v1/surveys/campaigns/                      campaigns / a new one (standard questionnaire)
GET      /api/v1/surveys/campaigns/{id}/                 one campaign with its questions
GET      /api/v1/surveys/campaigns/{id}/invitations/     invitations the reader may see
POST     /api/v1/surveys/campaigns/{id}/invitations/     invite by communes, sectors, types (ids)
GET      /api/v1/surveys/campaigns/{id}/responses/       answers the reader may see
GET      /api/v1/surveys/campaigns/{id}/completeness/    invited, answered, rate: total, by commune, sector
POST     /api/v1/surveys/invitations/{id}/response/      answer ({"answers": {code: value}}), or a paper form
"""

from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import ScopedQuerysetMixin, VersionField
from khuyencong.geo.models import AdminUnit

from . import selectors, services
from .models import Campaign, Invitation, Question
from .models import Response as SurveyResponse


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "order", "code", "text", "kind", "choices", "required", "role"]


class CampaignSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=AdminUnit.objects.filter(level=1))
    questions = QuestionSerializer(many=True, read_only=True)
    version = VersionField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "unit",
            "province",
            "title",
            "plan_year",
            "level",
            "opens_on",
            "closes_on",
            "status",
            "note",
            "questions",
            "version",
        ]
        read_only_fields = ["province", "status"]


class InvitationSerializer(serializers.ModelSerializer):
    establishment = serializers.CharField(source="establishment.name")
    commune = serializers.CharField(source="commune.name", allow_null=True)
    sector = serializers.CharField(source="sector.name", default=None, allow_null=True)
    answered = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "establishment", "commune", "sector", "invited_on", "answered"]

    def get_answered(self, obj) -> bool:
        return hasattr(obj, "response")


class InviteSerializer(serializers.Serializer):
    communes = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    sectors = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    types = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class InviteResult(serializers.Serializer):
    invited = serializers.IntegerField()


class ResponseSerializer(serializers.ModelSerializer):
    establishment = serializers.CharField(source="invitation.establishment.name")
    answers = serializers.SerializerMethodField()
    project = serializers.CharField(source="project.code", default=None, allow_null=True)

    class Meta:
        model = SurveyResponse
        fields = ["id", "invitation", "establishment", "answered_on", "on_paper", "project", "answers"]

    def get_answers(self, obj) -> dict:
        return {a.question.code: a.value for a in obj.answers.select_related("question")}


class AnswerSerializer(serializers.Serializer):
    answers = serializers.DictField()
    answered_on = serializers.DateField(required=False, allow_null=True)


class SurveyCompletenessRow(serializers.Serializer):
    label = serializers.CharField()
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_paper = serializers.IntegerField()
    rate = serializers.CharField()


class SurveyCompletenessSerializer(serializers.Serializer):
    total = SurveyCompletenessRow()
    by_commune = SurveyCompletenessRow(many=True)
    by_sector = SurveyCompletenessRow(many=True)


class CampaignViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CampaignSerializer
    selector = staticmethod(selectors.campaign_list_for)
    filter_backends = []

    def get_queryset(self):
        return super().get_queryset().prefetch_related("questions").order_by("-plan_year", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.campaign_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(methods=["GET"], responses=InvitationSerializer(many=True))
    @extend_schema(methods=["POST"], request=InviteSerializer, responses=InviteResult)
    @action(detail=True, methods=["get", "post"])
    def invitations(self, request, pk=None):
        c = self.get_object()
        if request.method == "POST":
            ser = InviteSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            n = services.invitations_create(actor=request.user, campaign=c, **ser.validated_data)
            return Response({"invited": n})
        qs = selectors.invitation_list_for(user=request.user, campaign=c)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    @extend_schema(responses=ResponseSerializer(many=True))
    @action(detail=True, methods=["get"])
    def responses(self, request, pk=None):
        c = self.get_object()
        page = self.paginate_queryset(
            selectors.response_list_for(user=request.user, campaign=c).order_by("pk")
        )
        return self.get_paginated_response(ResponseSerializer(page, many=True).data)

    @extend_schema(responses=SurveyCompletenessSerializer)
    @action(detail=True, methods=["get"])
    def completeness(self, request, pk=None):
        c = self.get_object()
        if not selectors.is_office(request.user, c):
            from django.http import Http404

            raise Http404
        return Response(SurveyCompletenessSerializer(selectors.completeness(c)).data)


class InvitationViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InvitationSerializer
    selector = staticmethod(selectors.invitation_list_for)
    filter_backends = []

    def get_queryset(self):
        return super().get_queryset().order_by("pk")

    @extend_schema(request=AnswerSerializer, responses=ResponseSerializer)
    @action(detail=True, methods=["post"])
    def response(self, request, pk=None):
        inv = self.get_object()
        ser = AnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        r = services.response_save(
            actor=request.user,
            invitation=inv,
            answers=ser.validated_data["answers"],
            answered_on=ser.validated_data.get("answered_on"),
        )
        return Response(ResponseSerializer(r).data)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("surveys/campaigns", CampaignViewSet, basename="survey-campaign")
router.register("surveys/invitations", InvitationViewSet, basename="survey-invitation")
urlpatterns = [path("", include(router.urls))]
