"""API for plans and đề án (scoped: outside the reader's scope everything answers 404).

GET  /api/v1/plans/                         plans (filters: year, level, status); plan writes: plan_api.py
GET  /api/v1/projects/                      đề án (filters: province, year, level, content, status,
beneficiary,
                                            plan, q, as_of=YYYY-MM-DD — status/progress/money as they stood
                                            then)
POST /api/v1/projects/                      create a đề án (draft)
PATCH /api/v1/projects/{id}/                edit (needs expected_version; a stale one answers 409)
GET/POST /api/v1/projects/{id}/transitions/ the timeline / apply a transition or event ({"to_status": ...,
                                            "expected_version": n, "effective_date": "YYYY-MM-DD"}; a missing
                                            or
                                            stale version answers 409 and nothing changes)
GET/POST /api/v1/projects/{id}/disbursements/, /outputs/
"""

import django_filters
from django.urls import include, path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.catalog import selectors as catalog
from khuyencong.catalog.models import FundingSource, OutputIndicator
from khuyencong.core.api import (
    IdField,
    IntFilter,
    ListOnlyFiltersMixin,
    ScopedQuerysetMixin,
    SelectorFilterSet,
    VersionField,
)
from khuyencong.core.errors import DomainError
from khuyencong.core.fields import parse_amount
from khuyencong.core.listing import KnownCount
from khuyencong.core.permissions import role_of

from . import selectors, services, workflow
from .forms import establishments_for
from .models import AnnualPlan, Batch, Disbursement, Level, Project, ProjectOutput, Status
from .plan_api import BatchAllocationSerializer, PlanStepSerializer, PlanWriteMixin


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "description": 'Số nguyên: đồng. Chuỗi: ghi kèm đơn vị ("200 triệu", "1,82 tỷ") hoặc số '
        'đồng từ 1.000.000 trở lên ("1.820.000.000"); chuỗi "250" bị từ chối.',
    }
)
class MoneyField(serializers.Field):
    """Integer đồng; accepts 200000000, "200 triệu", "1,82 tỷ", "1.820.000.000"; a string "250" is refused
    asking for the unit (core.fields.parse_amount)."""

    def to_internal_value(self, data):
        try:
            return parse_amount(data)
        except DomainError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code)

    def to_representation(self, value):
        return value


class PlanBatchSerializer(serializers.ModelSerializer):
    allocations = BatchAllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Batch
        fields = [
            "id",
            "number",
            "is_supplementary",
            "decision_no",
            "decision_date",
            "issuer",
            "carried_over_from",
            "allocations",
            "total",
            "note",
            "version",
        ]


class AnnualPlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(
        source="unit.label_with_era",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="null: kế hoạch quốc gia do Cục trực tiếp thực hiện",
    )
    province_name = serializers.CharField(
        source="province.name", read_only=True, default=None, allow_null=True
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    batches = PlanBatchSerializer(many=True, read_only=True)
    status_changes = PlanStepSerializer(many=True, read_only=True)
    level = serializers.CharField(read_only=True, help_text="national / local")
    status = serializers.CharField(read_only=True, help_text="registered / assigned / closed")

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "province",
            "province_name",
            "unit",
            "unit_name",
            "year",
            "level",
            "level_display",
            "status",
            "status_display",
            "title",
            "registered_total",
            "note",
            "batches",
            "status_changes",
            "version",
        ]


class PlanFilter(SelectorFilterSet):
    """?year=&level=&status=&province= — validated (400), then the plan list page's selector."""

    year = IntFilter(method="noop", help_text="năm kế hoạch")
    level = django_filters.ChoiceFilter(method="noop", choices=Level.choices, help_text="national / local")
    status = django_filters.ChoiceFilter(
        method="noop", choices=AnnualPlan.PlanStatus.choices, help_text="registered / assigned / closed"
    )
    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")

    class Meta:
        model = AnnualPlan
        fields = []

    def select(self, queryset, params):
        return selectors.plan_filter(queryset, params)


class PlanViewSet(ListOnlyFiltersMixin, PlanWriteMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Annual plans the reader may see; writes (plan_api.py) go through the plan and batch services."""

    serializer_class = AnnualPlanSerializer
    selector = staticmethod(selectors.plan_list_for)
    filterset_class = PlanFilter

    def get_queryset(self):
        return (
            super().get_queryset().prefetch_related("batches__allocations__source", "status_changes__actor")
        )


class ProjectBeneficiarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="establishment.id")
    name = serializers.CharField(source="establishment.name")


class ProjectListSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)
    level = serializers.CharField(source="plan.level", read_only=True)
    content_code = serializers.CharField(source="content.code", read_only=True)
    status = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    progress_pct = serializers.SerializerMethodField()
    requested_total = serializers.IntegerField(read_only=True, default=0)
    approved_total = serializers.IntegerField(read_only=True, default=0)
    disbursed_total = serializers.IntegerField(read_only=True, default=0)
    beneficiaries = ProjectBeneficiarySerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "plan",
            "year",
            "level",
            "content_code",
            "status",
            "status_display",
            "progress_pct",
            "requested_total",
            "approved_total",
            "disbursed_total",
            "beneficiaries",
            "is_flagship",
            "start_date",
            "end_date",
            "version",
        ]

    def get_status(self, obj) -> str:
        return getattr(obj, "asof_status", None) or obj.status

    def get_status_display(self, obj) -> str:
        return Status(self.get_status(obj)).label

    def get_progress_pct(self, obj) -> int:
        value = getattr(obj, "asof_progress", None)
        return obj.progress_pct if value is None else value


class ProjectFundingSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.code")
    requested = serializers.IntegerField()
    approved = serializers.IntegerField()


class ProjectStatusChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    effective_date = serializers.DateField(help_text="Ngày hiệu lực (ngày của văn bản)")
    changed_at = serializers.DateTimeField(help_text="Ghi nhận lúc")
    changes = serializers.JSONField(help_text="{trường: [trước, sau]}")
    actor = serializers.SerializerMethodField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    action = serializers.CharField()
    document_no = serializers.CharField()
    document_date = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    progress_pct = serializers.IntegerField(allow_null=True)

    def get_actor(self, obj) -> str:
        return obj.actor.display_name if obj.actor else "Hệ thống"


class ProjectRevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField()
    reason = serializers.CharField()
    changed_at = serializers.DateTimeField()
    old_values = serializers.JSONField()
    new_values = serializers.JSONField()


class ProjectDisbursementSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="code", queryset=FundingSource.objects.all())
    kind = serializers.CharField(help_text="advance (tạm ứng) / payment (thanh toán)")
    amount = MoneyField()
    date = serializers.DateField(
        required=False, allow_null=True, help_text="Ngày chứng từ (YYYY-MM-DD); mặc định hôm nay"
    )

    class Meta:
        model = Disbursement
        fields = ["id", "kind", "source", "date", "amount", "document_no", "note"]


class ProjectOutputSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=OutputIndicator.objects.all())
    date = serializers.DateField(
        required=False, allow_null=True, help_text="Ngày ghi nhận (YYYY-MM-DD); mặc định hôm nay"
    )

    class Meta:
        model = ProjectOutput
        fields = ["id", "indicator", "quantity", "date", "note"]


class ProjectDetailSerializer(ProjectListSerializer):
    fundings = ProjectFundingSerializer(many=True, read_only=True)
    status_changes = ProjectStatusChangeSerializer(many=True, read_only=True)
    revisions = ProjectRevisionSerializer(many=True, read_only=True)
    disbursements = ProjectDisbursementSerializer(many=True, read_only=True)
    outputs = ProjectOutputSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(ProjectListSerializer.Meta):
        fields = ProjectListSerializer.Meta.fields + [
            "cluster",
            "description",
            "implementing_unit",
            "recoverable",
            "decision_no",
            "decision_date",
            "contract_no",
            "contract_date",
            "acceptance_date",
            "acceptance_minutes_no",
            "acceptance_result",
            "settled_amount",
            "stop_reason",
            "stop_requested_by",
            "fundings",
            "status_changes",
            "revisions",
            "disbursements",
            "outputs",
            "allowed_transitions",
        ]

    def get_allowed_transitions(self, obj) -> list[str]:
        role = role_of(self.context["request"].user)
        return [to for to, _ in workflow.allowed_transitions(obj.status, role)] + [
            e for e, _ in workflow.allowed_events(obj.status, role)
        ]


class ProjectCreateSerializer(serializers.Serializer):
    plan = IdField()
    batch = IdField(required=False, allow_null=True)
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=500)
    content = serializers.CharField(help_text='Mã nội dung hoạt động, ví dụ "3"')
    support_cap = serializers.CharField(required=False, allow_blank=True, help_text="Mã mức hỗ trợ tối đa")
    cluster = IdField(required=False, allow_null=True, help_text="id cụm công nghiệp (nội dung 7)")
    establishments = serializers.ListField(child=IdField(), required=False, max_length=1000)
    implementing_unit = serializers.CharField(required=False, allow_blank=True)
    is_flagship = serializers.BooleanField(required=False, default=False)
    recoverable = serializers.BooleanField(required=False, default=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    funding = serializers.DictField(
        child=serializers.DictField(), required=False, help_text='{"national": {"requested": "200 triệu"}}'
    )
    effective_date = serializers.DateField(
        required=False, allow_null=True, help_text="Ngày lập, đăng ký đề án (YYYY-MM-DD); mặc định hôm nay"
    )


class ProjectUpdateSerializer(serializers.Serializer):
    expected_version = VersionField()
    code = serializers.CharField(max_length=40, required=False)
    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    implementing_unit = serializers.CharField(required=False, allow_blank=True)
    is_flagship = serializers.BooleanField(required=False)
    recoverable = serializers.BooleanField(required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    cluster = IdField(
        required=False, allow_null=True, help_text="id cụm công nghiệp (nội dung 7); null: bỏ gắn với cụm"
    )


class ProjectTransitionSerializer(serializers.Serializer):
    to_status = serializers.CharField(help_text='Trạng thái đích, hoặc "adjust" / "extend"')
    # Required: the version the client read. Left optional here so that a missing one gets the engine's 409
    # (VersionRequired) like a stale one, and nothing changes.
    expected_version = VersionField(
        required=False, allow_null=True, help_text="Bắt buộc: phiên bản đề án đã đọc (trường version)"
    )
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Ngày của văn bản (YYYY-MM-DD); mặc định ngày quyết định, "
        "hợp đồng, báo cáo… của bước, nếu không là hôm nay",
    )
    approved = serializers.DictField(
        required=False, help_text='Số phê duyệt theo nguồn: {"national": 200000000}'
    )
    funding = serializers.DictField(required=False, help_text="Điều chỉnh kinh phí theo nguồn")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(workflow.FIELD_LABELS) + [
            "document_no",
            "document_date",
            "title",
            "description",
            "start_date",
        ]:
            self.fields.setdefault(name, serializers.CharField(required=False, allow_blank=True))


class ProjectFilter(SelectorFilterSet):
    """The đề án list's filters, validated (a bad value answers 400), applied by the selector the page uses;
    `as_of` adds status, progress and money as they stood that day (then `status` filters that status)."""

    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")
    year = IntFilter(method="noop", help_text="năm kế hoạch")
    level = django_filters.ChoiceFilter(method="noop", choices=Level.choices, help_text="national / local")
    content = django_filters.CharFilter(method="noop", max_length=20, help_text="mã nội dung")
    status = django_filters.ChoiceFilter(method="noop", choices=Status.choices, help_text="trạng thái")
    beneficiary = django_filters.CharFilter(method="noop", max_length=200, help_text="id hoặc tên cơ sở")
    plan = IntFilter(method="noop", help_text="id kế hoạch")
    q = django_filters.CharFilter(method="noop", max_length=200, help_text="tìm theo mã, tên")
    as_of = django_filters.DateFilter(
        method="noop", input_formats=["%Y-%m-%d", "%d/%m/%Y"], help_text="YYYY-MM-DD: tình trạng tại ngày"
    )

    class Meta:
        model = Project
        fields = []

    def select(self, queryset, params):
        params = dict(params)
        as_of = params.pop("as_of", None)
        # Count, filter and sort on the đề án table (as of a date: one join to the maintained as-of table);
        # the page's figures are loaded for its rows only (ProjectViewSet.list).
        return selectors.project_list_filter(queryset, params, as_of=as_of)


class ProjectViewSet(ListOnlyFiltersMixin, ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Đề án the reader may see; `as_of` gives status, progress and money as they stood on that day."""

    selector = staticmethod(selectors.project_list_for)
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProjectDetailSerializer
        if self.action == "create":
            return ProjectCreateSerializer
        if self.action == "partial_update":
            return ProjectUpdateSerializer
        return ProjectListSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        qs = selectors.project_list_for(user=self.request.user)
        if self.action != "list":
            return qs
        # The page's default order (code, then id): walked on the code index, so the first page of every
        # đề án as of a day is found without joining all of them to the plans first.
        return qs.order_by("code", "pk")

    def list(self, request, *args, **kwargs):
        """Paginate on ids, then load the page's 50 rows with their plan, content, beneficiaries and figures
        (live, or as of `as_of` from the maintained as-of table) in a fixed number of queries."""
        base = self.get_queryset()
        qs = self.filter_queryset(base)
        as_of = selectors.parse_as_of(request.query_params.get("as_of"))
        # Every đề án of a day (the Cục, no filter): counted on the day's as-of rows, without the join.
        day_rows = selectors.project_day_rows(base, request.query_params, as_of=as_of)
        ids = qs.values_list("pk", flat=True)
        if day_rows is not None:
            ids = KnownCount(ids, day_rows.count)
        ids = self.paginate_queryset(ids)
        rows = selectors.project_page_rows(list(ids), as_of=as_of)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(request=ProjectCreateSerializer, responses=ProjectDetailSerializer)
    def create(self, request, *args, **kwargs):
        ser = ProjectCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        plan = selectors.plan_get_for(user=request.user, pk=d.pop("plan"))
        batch_id = d.pop("batch", None)
        d["batch"] = plan.batches.filter(pk=batch_id).first() if batch_id else None
        if batch_id and d["batch"] is None:
            raise DomainError(f"Kế hoạch «{plan}» không có đợt giao mã {batch_id}.", field="batch")
        d["content"] = self._content(d["content"])
        cap = d.pop("support_cap", "")
        d["support_cap"] = catalog.support_cap_by_code(cap) if cap else None
        if cap and d["support_cap"] is None:
            raise DomainError(f"Không có mức hỗ trợ tối đa mã «{cap}».", field="support_cap")
        d["establishments"] = list(
            establishments_for(request.user).filter(pk__in=d.get("establishments", []))
        )
        d["cluster"] = self._cluster(d.pop("cluster", None))
        project = services.project_create(actor=request.user, plan=plan, **d)
        return Response(self._detail(project), status=status.HTTP_201_CREATED)

    def _cluster(self, cluster_id):
        """The cluster of that id the reader may see (None for none); another id is unknown to them."""
        if not cluster_id:
            return None
        from khuyencong.clusters.selectors import cluster_list_for

        cluster = cluster_list_for(user=self.request.user).filter(pk=cluster_id).first()
        if cluster is None:
            raise DomainError(f"Không có cụm công nghiệp mã {cluster_id}.", field="cluster")
        return cluster

    @staticmethod
    def _content(code):
        content = catalog.activity_content_by_code(code)
        if content is None:
            raise DomainError(f"Không có nội dung hoạt động mã «{code}».", field="content")
        return content

    def _detail(self, project):
        project = selectors.project_get_for(user=self.request.user, pk=project.pk)
        return ProjectDetailSerializer(project, context={"request": self.request}).data

    @extend_schema(request=ProjectUpdateSerializer, responses=ProjectDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        ser = ProjectUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        version = changes.pop("expected_version")
        if "cluster" in changes:
            changes["cluster"] = self._cluster(changes["cluster"])
        project = services.project_update(
            project=project, actor=request.user, expected_version=version, changes=changes
        )
        return Response(self._detail(project))

    @extend_schema(methods=["GET"], responses=ProjectStatusChangeSerializer(many=True))
    @extend_schema(methods=["POST"], request=ProjectTransitionSerializer, responses=ProjectDetailSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def transitions(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            changes = project.status_changes.select_related("actor").order_by("effective_date", "pk")
            return Response(ProjectStatusChangeSerializer(changes, many=True).data)
        ser = ProjectTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = {k: v for k, v in ser.validated_data.items() if v not in (None, "", {})}
        to_status = data.pop("to_status")
        version = data.pop("expected_version", None)
        project = services.project_transition(
            project=project, actor=request.user, to_status=to_status, expected_version=version, **data
        )
        return Response(self._detail(project))

    @extend_schema(methods=["GET"], responses=ProjectDisbursementSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ProjectDisbursementSerializer,
        responses={201: ProjectDisbursementSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def disbursements(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            return Response(
                ProjectDisbursementSerializer(project.disbursements.select_related("source"), many=True).data
            )
        ser = ProjectDisbursementSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = services.disbursement_create(project=project, actor=request.user, **ser.validated_data)
        return Response(ProjectDisbursementSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=ProjectOutputSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ProjectOutputSerializer, responses={201: ProjectOutputSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def outputs(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            return Response(
                ProjectOutputSerializer(project.outputs.select_related("indicator"), many=True).data
            )
        ser = ProjectOutputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = services.output_record(project=project, actor=request.user, **ser.validated_data)
        return Response(ProjectOutputSerializer(row).data, status=status.HTTP_201_CREATED)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("plans", PlanViewSet, basename="plan")
router.register("projects", ProjectViewSet, basename="project")
urlpatterns = [path("", include(router.urls))]
