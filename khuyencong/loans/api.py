"""API for recoverable support (scoped like everything else: outside the reader's scope it answers 404).

GET/POST /api/v1/loans/                      loans (filters: province, status, year, establishment, source)
GET      /api/v1/loans/{id}/                 one loan with its position today and its current schedule
GET/POST /api/v1/loans/{id}/repayments/      repayments / record one ({"date", "amount", "document_no"}) or
                                             reverse one ({"reverses": id, "reason"}: a new row)
GET/POST /api/v1/loans/{id}/transitions/     steps / move ({"to_status", "expected_version", …});
                                             "propose_writeoff" is the officer's proposal
GET/POST /api/v1/loans/{id}/actions/         recovery actions (reminder, visit, commitment, referral)
GET      /api/v1/loans/arrears/?as_of=       each loan's arrears on a date, totals and buckets
GET/POST /api/v1/loans/fund-draws/           annual plans' use of the revolving fund (filters: plan, year,
                                             province) / record one ({"plan", "amount", "decision_no",
                                             "decision_date", "note"}: the approver's decision)
"""

import django_filters
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from khuyencong.core.api import (
    IdField,
    IntFilter,
    ListOnlyFiltersMixin,
    ScopedQuerysetMixin,
    SelectorFilterSet,
    VersionField,
)
from khuyencong.core.errors import DomainError

from . import selectors, services
from .models import Frequency, FundDraw, Loan, LoanStatus, LoanStep, RecoveryAction, Repayment


class LoanPositionSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    paid = serializers.IntegerField()
    outstanding = serializers.IntegerField()
    overdue = serializers.IntegerField()
    days_past_due = serializers.IntegerField()
    oldest_due = serializers.DateField(allow_null=True)
    bucket = serializers.CharField(allow_blank=True)
    penalty_due = serializers.IntegerField()
    written_off = serializers.IntegerField()
    next_due = serializers.DateField(allow_null=True)
    next_amount = serializers.IntegerField()


class LoanSerializer(serializers.ModelSerializer):
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True)
    source_code = serializers.CharField(source="source.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    writeoff_cause = serializers.CharField(source="writeoff_cause.code", default=None, allow_null=True)
    position = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = [
            "id",
            "project",
            "project_code",
            "establishment",
            "establishment_name",
            "province",
            "terms",
            "source_code",
            "principal",
            "contract_no",
            "contract_date",
            "collateral",
            "guarantor",
            "from_revolving_fund",
            "status",
            "status_display",
            "decision_no",
            "decision_date",
            "disbursed_on",
            "schedule_no",
            "writeoff_cause",
            "writeoff_reason",
            "writeoff_proposed_on",
            "writeoff_decision_no",
            "writeoff_decision_date",
            "written_off_amount",
            "note",
            "version",
            "position",
        ]

    def get_position(self, loan) -> dict:
        as_of = self.context.get("as_of") or timezone.localdate()
        return LoanPositionSerializer(selectors.position(loan, as_of)).data


class LoanCreateSerializer(serializers.Serializer):
    project = IdField()
    establishment = IdField()
    principal = serializers.IntegerField(min_value=1, help_text="đồng")
    contract_no = serializers.CharField(max_length=80)
    contract_date = serializers.DateField()
    source = serializers.CharField(required=False, help_text="mã nguồn vốn; mặc định local (KCĐP)")
    collateral = serializers.CharField(required=False, allow_blank=True)
    guarantor = serializers.CharField(required=False, allow_blank=True, max_length=255)
    from_revolving_fund = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True)


class LoanRepaymentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Repayment
        fields = ["id", "kind", "kind_display", "date", "amount", "document_no", "reverses", "note"]


class LoanRepaymentWriteSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)
    amount = serializers.IntegerField(required=False, min_value=1, help_text="đồng")
    document_no = serializers.CharField(required=False, allow_blank=True, max_length=80)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    reverses = IdField(required=False, help_text="hủy khoản trả này (ghi một dòng hủy)")
    reason = serializers.CharField(required=False, allow_blank=True)


class LoanStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None, allow_null=True)

    class Meta:
        model = LoanStep
        fields = ["effective_date", "from_status", "to_status", "label", "actor", "changes"]


class LoanTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(
        choices=[
            *LoanStatus.choices,
            ("propose_writeoff", "Đề nghị xóa nợ"),
            ("reschedule", "Gia hạn lần tiếp theo"),
        ]
    )
    expected_version = VersionField(required=False, allow_null=True)
    effective_date = serializers.DateField(required=False, allow_null=True)
    decision_no = serializers.CharField(required=False, allow_blank=True, max_length=80)
    decision_date = serializers.DateField(required=False, allow_null=True)
    disbursed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    term_months = serializers.IntegerField(required=False, min_value=1, max_value=600)
    grace_months = serializers.IntegerField(required=False, min_value=0, max_value=600)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    writeoff_cause = serializers.CharField(required=False, allow_blank=True)
    writeoff_reason = serializers.CharField(required=False, allow_blank=True)
    writeoff_evidence = serializers.CharField(required=False, allow_blank=True)
    writeoff_decision_no = serializers.CharField(required=False, allow_blank=True, max_length=80)
    writeoff_decision_date = serializers.DateField(required=False, allow_null=True)


class LoanActionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = RecoveryAction
        fields = ["id", "kind", "kind_display", "date", "note", "document_no"]
        read_only_fields = ["id"]


class LoanArrearsRowSerializer(serializers.Serializer):
    loan = serializers.IntegerField(source="loan.pk")
    contract_no = serializers.CharField(source="loan.contract_no")
    establishment = serializers.IntegerField(source="loan.establishment_id")
    establishment_name = serializers.CharField(source="loan.establishment.name")
    province = serializers.IntegerField(source="loan.province_id")
    year = serializers.IntegerField(source="loan.contract_date.year")
    source = serializers.CharField(source="loan.source.code")
    status = serializers.CharField(source="loan.status")
    principal = serializers.IntegerField(source="loan.principal")
    outstanding = serializers.IntegerField(source="pos.outstanding")
    overdue = serializers.IntegerField(source="pos.overdue")
    days_past_due = serializers.IntegerField(source="pos.days_past_due")
    bucket = serializers.CharField(source="pos.bucket")
    written_off = serializers.IntegerField(source="pos.written_off")


class FundDrawSerializer(serializers.ModelSerializer):
    plan_title = serializers.CharField(source="plan", read_only=True)
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)

    class Meta:
        model = FundDraw
        fields = [
            "id",
            "plan",
            "plan_title",
            "plan_year",
            "province",
            "amount",
            "decision_no",
            "decision_date",
            "note",
        ]


class FundDrawWriteSerializer(serializers.Serializer):
    plan = IdField(help_text="id kế hoạch khuyến công địa phương")
    amount = serializers.IntegerField(min_value=1, help_text="đồng")
    decision_no = serializers.CharField(max_length=80)
    decision_date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)


class LoanFilter(SelectorFilterSet):
    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")
    status = django_filters.ChoiceFilter(method="noop", choices=LoanStatus.choices)
    year = IntFilter(method="noop", help_text="năm hợp đồng")
    establishment = IntFilter(method="noop", help_text="id cơ sở")
    source = django_filters.CharFilter(method="noop", help_text="mã nguồn vốn")

    class Meta:
        model = Loan
        fields = []

    def select(self, queryset, params):
        return selectors.loan_filter(queryset, params)


def _as_of(request):
    from khuyencong.projects.selectors import parse_as_of

    return parse_as_of(request.query_params.get("as_of")) or timezone.localdate()


class LoanViewSet(ListOnlyFiltersMixin, ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Loans the reader may see, with their position today (or `?as_of=`)."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = LoanSerializer
    selector = staticmethod(selectors.loan_list_for)
    filterset_class = LoanFilter

    def get_queryset(self):
        return selectors.with_ledger(super().get_queryset()).order_by("-contract_date", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.query_params.get("as_of"):
            context["as_of"] = _as_of(self.request)
        return context

    @extend_schema(request=LoanCreateSerializer, responses={201: LoanSerializer})
    def create(self, request, *args, **kwargs):
        from khuyencong.beneficiaries.selectors import establishment_get_for
        from khuyencong.projects.selectors import project_get_for

        ser = LoanCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["project"] = project_get_for(user=request.user, pk=d["project"])
        d["establishment"] = establishment_get_for(user=request.user, pk=d["establishment"])
        loan = services.loan_create(actor=request.user, **d)
        return Response(LoanSerializer(loan).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=LoanRepaymentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=LoanRepaymentWriteSerializer, responses={201: LoanRepaymentSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def repayments(self, request, pk=None):
        loan = self.get_object()
        if request.method == "GET":
            return Response(LoanRepaymentSerializer(loan.repayments.order_by("date", "pk"), many=True).data)
        ser = LoanRepaymentWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if d.get("reverses"):
            rep = Repayment.objects.filter(loan=loan, pk=d["reverses"]).first()
            if rep is None:
                raise DomainError(f"Khoản vay không có khoản trả mã {d['reverses']}.", field="reverses")
            row = services.repayment_reverse(
                actor=request.user, repayment=rep, date=d.get("date"), reason=d.get("reason", "")
            )
        else:
            if not d.get("amount"):
                raise DomainError("Thiếu số tiền trả.", field="amount")
            row = services.repayment_record(
                actor=request.user,
                loan=loan,
                date=d.get("date"),
                amount=d["amount"],
                document_no=d.get("document_no", ""),
                note=d.get("note", ""),
            )
        return Response(LoanRepaymentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=LoanStepSerializer(many=True))
    @extend_schema(methods=["POST"], request=LoanTransitionSerializer, responses=LoanSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def transitions(self, request, pk=None):
        loan = self.get_object()
        if request.method == "GET":
            return Response(LoanStepSerializer(loan.steps.select_related("actor"), many=True).data)
        ser = LoanTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = {k: v for k, v in ser.validated_data.items() if v not in (None, "")}
        version = d.pop("expected_version", None)
        loan = services.loan_transition(
            actor=request.user, loan=loan, to_status=d.pop("to_status"), expected_version=version, **d
        )
        loan = selectors.with_ledger(Loan.objects.filter(pk=loan.pk)).get()
        return Response(LoanSerializer(loan).data)

    @extend_schema(methods=["GET"], responses=LoanActionSerializer(many=True))
    @extend_schema(methods=["POST"], request=LoanActionSerializer, responses={201: LoanActionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def actions(self, request, pk=None):
        loan = self.get_object()
        if request.method == "GET":
            return Response(LoanActionSerializer(loan.actions.order_by("date", "pk"), many=True).data)
        ser = LoanActionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = services.action_record(actor=request.user, loan=loan, **ser.validated_data)
        return Response(LoanActionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")],
        responses=inline_serializer(
            "LoanArrears",
            {
                "as_of": serializers.DateField(),
                "totals": serializers.DictField(),
                "buckets": serializers.ListField(child=serializers.DictField()),
                "groups": serializers.ListField(child=serializers.DictField(), allow_null=True),
                "results": LoanArrearsRowSerializer(many=True),
            },
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def arrears(self, request):
        as_of = _as_of(request)
        qs = selectors.loan_filter(selectors.loan_list_for(user=request.user), request.query_params)
        rows = selectors.arrears(qs, as_of, bucket=request.query_params.get("bucket") or None)
        group = request.query_params.get("group_by")
        return Response(
            {
                "as_of": as_of.isoformat(),
                "totals": selectors.totals(rows),
                "buckets": selectors.by_bucket(rows),
                "groups": selectors.group_by(rows, group)
                if group in ("establishment", "province", "year", "source")
                else None,
                "results": LoanArrearsRowSerializer(rows, many=True).data,
            }
        )

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter("plan", int, description="id kế hoạch"),
            OpenApiParameter("year", int, description="năm kế hoạch"),
            OpenApiParameter("province", int, description="id tỉnh"),
        ],
        responses=inline_serializer(
            "LoanFundDraws",
            {
                "total": serializers.IntegerField(),
                "available": serializers.IntegerField(allow_null=True),
                "results": FundDrawSerializer(many=True),
            },
        ),
    )
    @extend_schema(methods=["POST"], request=FundDrawWriteSerializer, responses={201: FundDrawSerializer})
    @action(detail=False, methods=["get", "post"], url_path="fund-draws", pagination_class=None)
    def fund_draws(self, request):
        """Annual plans' use of the revolving fund; "available" is what the reader's province may still lend
        again today (null outside a province's scope)."""
        from khuyencong.core.listing import int_param
        from khuyencong.core.scoping import scope_for
        from khuyencong.projects.selectors import plan_get_for

        if request.method == "POST":
            ser = FundDrawWriteSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            d = dict(ser.validated_data)
            d["plan"] = plan_get_for(user=request.user, pk=d["plan"])
            draw = services.fund_draw_record(actor=request.user, **d)
            return Response(FundDrawSerializer(draw).data, status=status.HTTP_201_CREATED)
        params = {k: int_param(request.query_params.get(k)) for k in ("plan", "year", "province")}
        if params["plan"] is not None:
            plan_get_for(user=request.user, pk=params["plan"])  # 404 outside the reader's scope
        draws = selectors.draw_filter(selectors.draw_list_for(user=request.user), params).order_by(
            "province__name", "decision_date", "pk"
        )
        scope = scope_for(request.user)
        available = (
            selectors.fund_available(scope.province_id, timezone.localdate())
            if scope.kind == "province"
            else None
        )
        return Response(
            {
                "total": sum(d.amount for d in draws),
                "available": available,
                "results": FundDrawSerializer(draws, many=True).data,
            }
        )


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("loans", LoanViewSet, basename="loan")
urlpatterns = [path("", include(router.urls))]
