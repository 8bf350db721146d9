"""Writes of the plan API (mixed into `api.PlanViewSet`), each through the same services the pages call:

POST   /api/v1/plans/                          create a plan (status registered)
PATCH  /api/v1/plans/{id}/                     edit (expected_version required; stale → 409)
DELETE /api/v1/plans/{id}/                     delete while empty (no đề án, no batch)
GET    /api/v1/plans/{id}/money/?as_of=        registered, assigned, approved, unallocated, paid, rate per
source
GET/POST /api/v1/plans/{id}/transitions/       the plan's steps / one step (registered → assigned → closed)
GET/POST /api/v1/plans/{id}/batches/           the batches / add one
PATCH/DELETE /api/v1/plans/{id}/batches/{batch_id}/

Outside the reader's scope every one of them answers 404 (the plan is looked up in the scoped selector).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit

from . import selectors, services
from .models import Batch, BatchAllocation, PlanStatusChange

AMOUNT_HELP = 'Số tiền: số nguyên (đồng) hoặc chuỗi có đơn vị, ví dụ "3 tỷ", "1,2 tỷ", "250 triệu".'


class BatchAllocationSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code")
    source_name = serializers.CharField(source="source.short_name")

    class Meta:
        model = BatchAllocation
        fields = ["source", "source_name", "amount"]


class PlanStepSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    from_status = serializers.CharField(read_only=True, help_text="registered / assigned / closed, hoặc rỗng")
    to_status = serializers.CharField(read_only=True, help_text="registered / assigned / closed")

    class Meta:
        model = PlanStatusChange
        fields = [
            "id",
            "effective_date",
            "changed_at",
            "actor",
            "from_status",
            "to_status",
            "action",
            "decision_no",
            "decision_date",
            "issuer",
            "note",
            "changes",
        ]

    def get_actor(self, obj) -> str:
        return obj.actor.display_name if obj.actor else "Hệ thống"


class PlanCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="id tỉnh (hiệu lực trong năm kế hoạch); để trống: kế hoạch quốc gia của Cục",
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    level = serializers.CharField(help_text="national / local")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    registered_total = serializers.JSONField(required=False, help_text=AMOUNT_HELP)
    note = serializers.CharField(required=False, allow_blank=True)
    effective_date = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Ngày đăng ký (dd/mm/yyyy hoặc yyyy-mm-dd), mặc định hôm nay",
    )


class PlanUpdateSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField()
    effective_date = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Sửa ngày đăng ký (khi kế hoạch chưa có bước nào sau đăng ký)",
    )
    unit = serializers.IntegerField(required=False, allow_null=True)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    level = serializers.CharField(required=False, help_text="national / local")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    registered_total = serializers.JSONField(required=False, help_text=AMOUNT_HELP)
    note = serializers.CharField(required=False, allow_blank=True)


class PlanTransitionSerializer(serializers.Serializer):
    to_status = serializers.CharField(help_text="assigned / closed")
    expected_version = serializers.IntegerField(required=False, allow_null=True)
    decision_no = serializers.CharField(max_length=80, required=False, allow_blank=True)
    decision_date = serializers.CharField(
        required=False, allow_blank=True, help_text="dd/mm/yyyy hoặc yyyy-mm-dd"
    )
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    effective_date = serializers.CharField(
        required=False, allow_blank=True, help_text="Mặc định là ngày quyết định"
    )


class BatchWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="PATCH/DELETE: id của đợt (hoặc trong đường dẫn)")
    expected_version = serializers.IntegerField(required=False, allow_null=True, help_text="bắt buộc khi sửa")
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    decision_no = serializers.CharField(max_length=80, required=False, allow_blank=True)
    decision_date = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Ngày quyết định giao (dd/mm/yyyy hoặc yyyy-mm-dd)",
    )
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_supplementary = serializers.BooleanField(required=False)
    carried_over_from = serializers.IntegerField(
        required=False, allow_null=True, help_text="id đợt năm trước"
    )
    amounts = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text='Kinh phí giao theo nguồn: {"local": "3 tỷ", "district": 200000000}',
    )
    note = serializers.CharField(required=False, allow_blank=True)


def _unit(pk):
    if pk in (None, ""):
        return None
    unit = AdminUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise DomainError(f"Không có đơn vị hành chính id {pk}.", field="unit")
    return unit


class PlanMoneyRowSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, allow_null=True, help_text="mã nguồn (dòng theo nguồn)")
    label = serializers.CharField()
    public = serializers.BooleanField()
    registered = serializers.IntegerField(required=False, allow_null=True)
    assigned = serializers.IntegerField(required=False, allow_null=True)
    approved = serializers.IntegerField(required=False, allow_null=True)
    unallocated = serializers.IntegerField(required=False, allow_null=True)
    paid = serializers.IntegerField(required=False, allow_null=True)
    rate = serializers.CharField(allow_null=True, help_text="tỷ lệ giải ngân, chính xác (đã chi ÷ được giao)")
    rate_text = serializers.CharField(allow_null=True, help_text="«59,5 %»")


class PlanMoneySerializer(serializers.Serializer):
    as_of = serializers.DateField()
    rows = PlanMoneyRowSerializer(many=True)
    state = PlanMoneyRowSerializer(help_text="ngân sách nhà nước")
    total = PlanMoneyRowSerializer(help_text="mọi nguồn, cả vốn đối ứng")
    count = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class PlanWriteMixin:
    """Create, edit, delete, steps, money and batches of a plan (see the module docstring)."""

    def _plan_out(self, plan):
        from .api import AnnualPlanSerializer

        plan = selectors.plan_get_for(user=self.request.user, pk=plan.pk)
        return AnnualPlanSerializer(plan, context={"request": self.request}).data

    @extend_schema(request=PlanCreateSerializer)
    def create(self, request, *args, **kwargs):
        ser = PlanCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        plan = services.plan_create(actor=request.user, unit=_unit(d.pop("unit", None)), **d)
        return Response(self._plan_out(plan), status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        ser = PlanUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        version = changes.pop("expected_version")
        if "unit" in changes:
            changes["unit"] = _unit(changes["unit"])
        plan = services.plan_update(plan=plan, actor=request.user, expected_version=version, changes=changes)
        return Response(self._plan_out(plan))

    @extend_schema(parameters=[OpenApiParameter("expected_version", int, required=False)])
    def destroy(self, request, *args, **kwargs):
        plan = self.get_object()
        version = request.query_params.get("expected_version") or (request.data or {}).get("expected_version")
        services.plan_delete(plan=plan, actor=request.user, expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="dd/mm/yyyy hoặc yyyy-mm-dd")],
        responses=PlanMoneySerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def money(self, request, pk=None):
        plan = self.get_object()
        as_of = selectors.parse_as_of(request.query_params.get("as_of"))
        projects = selectors.project_list_for(user=request.user).filter(plan=plan)
        m = selectors.plan_money(plan=plan, as_of=as_of, projects=projects)

        def out(r):
            return {k: (str(v) if k == "rate" and v is not None else v) for k, v in r.items()}

        return Response(
            {
                "as_of": m["as_of"].isoformat(),
                "rows": [out(r) for r in m["rows"]],
                "state": out(m["state"]),
                "total": out(m["total"]),
                "count": m["count"],
                "cancelled": m["cancelled"],
            }
        )

    @extend_schema(methods=["GET"], responses=PlanStepSerializer(many=True))
    @extend_schema(methods=["POST"], request=PlanTransitionSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def transitions(self, request, pk=None):
        plan = self.get_object()
        if request.method == "GET":
            steps = plan.status_changes.select_related("actor").order_by("effective_date", "pk")
            return Response(PlanStepSerializer(steps, many=True).data)
        ser = PlanTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        plan = services.plan_transition(
            plan=plan,
            actor=request.user,
            to_status=d.pop("to_status"),
            expected_version=d.pop("expected_version", None),
            **d,
        )
        return Response(self._plan_out(plan))

    def _batch_values(self, d: dict) -> dict:
        values = {k: v for k, v in d.items() if k not in ("id", "expected_version")}
        for key in ("decision_no", "issuer", "note"):
            if key in values and values[key] is None:
                values[key] = ""
        return values

    @extend_schema(methods=["GET"], responses=None)
    @extend_schema(methods=["POST", "PATCH", "DELETE"], request=BatchWriteSerializer)
    @action(detail=True, methods=["get", "post", "patch", "delete"])
    def batches(self, request, pk=None):
        from .api import PlanBatchSerializer

        plan = self.get_object()
        if request.method == "GET":
            qs = plan.batches.prefetch_related("allocations__source")
            return Response(PlanBatchSerializer(qs, many=True).data)
        ser = BatchWriteSerializer(data=request.data, partial=request.method != "POST")
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        if request.method == "POST":
            batch = services.batch_create(actor=request.user, plan=plan, **self._batch_values(d))
            return Response(PlanBatchSerializer(batch).data, status=status.HTTP_201_CREATED)
        return self._batch_write(request, plan, d.get("id") or request.query_params.get("id"), d)

    @extend_schema(
        methods=["PATCH"],
        request=BatchWriteSerializer,
        operation_id="v1_plans_batch_update",
        parameters=[OpenApiParameter("batch_pk", int, OpenApiParameter.PATH)],
    )
    @extend_schema(
        methods=["DELETE"],
        operation_id="v1_plans_batch_destroy",
        parameters=[OpenApiParameter("batch_pk", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"batches/(?P<batch_pk>\d+)")
    def batch(self, request, pk=None, batch_pk=None):
        plan = self.get_object()
        ser = BatchWriteSerializer(data=request.data or {}, partial=True)
        ser.is_valid(raise_exception=True)
        return self._batch_write(request, plan, batch_pk, dict(ser.validated_data))

    def _batch_write(self, request, plan, batch_pk, d: dict):
        from .api import PlanBatchSerializer

        if batch_pk in (None, ""):
            raise DomainError("Thiếu id của đợt cần sửa hoặc xóa.", field="id")
        batch = get_object_or_404(Batch.objects.filter(plan=plan), pk=batch_pk)
        version = d.get("expected_version")
        if version is None:
            version = request.query_params.get("expected_version")
        if request.method == "DELETE":
            services.batch_delete(batch=batch, actor=request.user, expected_version=version)
            return Response(status=status.HTTP_204_NO_CONTENT)
        batch = services.batch_update(
            batch=batch, actor=request.user, expected_version=version, changes=self._batch_values(d)
        )
        return Response(PlanBatchSerializer(batch).data)
