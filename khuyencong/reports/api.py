"""API for reports, their transitions, aggregation, completeness, dashboard data and background jobs — all
scoped to the reader (an outsider gets 404 / sees nothing)."""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from khuyencong.core.api import IdField, IntFilter, ScopedQuerysetMixin, SelectorFilterSet, VersionField
from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit, Region

from . import selectors, services
from .aggregation import aggregate
from .compute import report_drift, report_figures
from .dashboard import chart_payload, dashboard_data
from .models import Report, ReportJob, ReportStatus
from .periods import KIND_CHOICES, Period, PeriodError


class ReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_label = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "unit",
            "unit_name",
            "province",
            "period_kind",
            "year",
            "period_number",
            "period_start",
            "period_end",
            "period_label",
            "deadline",
            "status",
            "status_label",
            "title",
            "number",
            "issuer_parent",
            "issuer",
            "place",
            "report_date",
            "signer_title",
            "signer_name",
            "recipients",
            "results",
            "difficulties",
            "causes",
            "solutions",
            "next_plan",
            "figures_source",
            "snapshot_at",
            "submitted_at",
            "accepted_at",
            "version",
        ]
        read_only_fields = [
            "unit",
            "province",
            "period_kind",
            "year",
            "period_number",
            "period_start",
            "period_end",
            "deadline",
            "status",
            "figures_source",
            "snapshot_at",
            "submitted_at",
            "accepted_at",
            "version",
        ]

    def get_period_label(self, obj) -> str:
        return obj.period.label


class ReportCreateSerializer(serializers.Serializer):
    unit = IdField(help_text="Mã nội bộ (id) của đơn vị hành chính báo cáo")
    kind = serializers.ChoiceField(
        choices=KIND_CHOICES, help_text="quarter | half | nine_months | year | custom"
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    number = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="Quý (1-4) khi là báo cáo quý"
    )
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class ReportUpdateSerializer(serializers.Serializer):
    version = VersionField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    number = serializers.CharField(required=False, allow_blank=True)
    report_date = serializers.DateField(required=False, allow_null=True)
    signer_title = serializers.CharField(required=False, allow_blank=True)
    signer_name = serializers.CharField(required=False, allow_blank=True)
    results = serializers.CharField(required=False, allow_blank=True)
    difficulties = serializers.CharField(required=False, allow_blank=True)
    causes = serializers.CharField(required=False, allow_blank=True)
    solutions = serializers.CharField(required=False, allow_blank=True)
    next_plan = serializers.CharField(required=False, allow_blank=True)


class ReportTransitionSerializer(serializers.Serializer):
    to_status = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    # Required: the version the client read (missing or stale: 409 from the engine, nothing changes).
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Bắt buộc: phiên bản báo cáo đã đọc"
    )
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Ngày của văn bản gửi, tiếp nhận (YYYY-MM-DD); mặc định hôm nay",
    )


class ReportFilter(SelectorFilterSet):
    """?period_kind=&year=&status=&province=&q=&deadline_state= — validated (400), then the report list
    page's selector."""

    period_kind = django_filters.ChoiceFilter(
        choices=KIND_CHOICES, method="noop", help_text="quarter | half | nine_months | year | custom"
    )
    year = IntFilter(method="noop", help_text="năm báo cáo")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, method="noop")
    province = IntFilter(method="noop", help_text="id tỉnh hiện nay")
    q = django_filters.CharFilter(
        method="noop", max_length=200, help_text="tìm không dấu: đơn vị, số báo cáo"
    )
    deadline_state = django_filters.ChoiceFilter(
        choices=selectors.DEADLINE_FILTERS,
        method="noop",
        help_text="so với hạn nộp: late (nộp muộn) | overdue (chưa nộp, quá hạn) | on_time | pending",
    )

    class Meta:
        model = Report
        fields = []

    def select(self, queryset, params):
        params = dict(params)
        params["kind"] = params.pop("period_kind", "")
        return selectors.report_filter(queryset, params)


class ReportViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Báo cáo định kỳ trong phạm vi người dùng."""

    serializer_class = ReportSerializer
    selector = staticmethod(selectors.report_list_for)
    lookup_value_regex = r"\d+"
    filterset_class = ReportFilter
    ordering_fields = ["period_end", "deadline", "submitted_at"]

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = get_object_or_404(AdminUnit, pk=d["unit"])
        try:
            period = Period.make(d["kind"], d.get("year"), d.get("number"), d.get("start"), d.get("end"))
        except PeriodError as exc:
            raise DomainError(str(exc), field="period") from None
        report = services.report_create(actor=request.user, unit=unit, period=period)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportUpdateSerializer, responses=ReportSerializer)
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = ReportUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version", None)
        report = services.report_update(
            actor=request.user, report_id=report.pk, expected_version=version, changes=changes
        )
        return Response(ReportSerializer(report).data)

    @extend_schema(request=ReportTransitionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Chuyển trạng thái báo cáo theo bảng chuyển trạng thái (có lý do khi bảng yêu cầu)."""
        report = self.get_object()
        data = ReportTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_transition(
            actor=request.user,
            report_id=report.pk,
            to_status=data.validated_data["to_status"],
            expected_version=data.validated_data["expected_version"],
            effective_date=data.validated_data["effective_date"],
            reason=data.validated_data["reason"],
        )
        return Response(ReportSerializer(report).data)

    @extend_schema(responses=inline_serializer("ReportFigures", {"figures": serializers.DictField()}))
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        """Số liệu của báo cáo: đã chốt (khi đã gửi), nhập tay, hoặc tính tại ngày cuối kỳ."""
        report = self.get_object()
        drift = report_drift(report)
        return Response(
            {
                "figures": report_figures(report),
                # Sent reports: whether today's figures of the period differ, and the entries since.
                "live_differs": bool(drift and drift["differs"]),
                "changes_since_sent": [
                    {**c, "at": c["at"].isoformat(), "date": c["date"]}
                    for c in (drift or {}).get("changes", [])
                ],
            }
        )


class PeriodQuerySerializer(serializers.Serializer):
    """Query parameters of a period (and region), validated: a bad one answers 400 with the field named."""

    kind = serializers.ChoiceField(
        choices=KIND_CHOICES,
        required=False,
        default="half",
        help_text="quarter | half | nine_months | year | custom",
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    number = serializers.IntegerField(required=False, min_value=1, max_value=4, help_text="Quý 1-4")
    start = serializers.DateField(required=False, help_text="YYYY-MM-DD (kỳ tùy chọn)")
    end = serializers.DateField(required=False, help_text="YYYY-MM-DD (kỳ tùy chọn)")
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="Mã vùng (vd. phia-nam); trống = toàn quốc"
    )


class AggregateQuerySerializer(PeriodQuerySerializer):
    source = serializers.ChoiceField(choices=["accepted", "live"], required=False, default="accepted")
    rollup = serializers.ChoiceField(choices=["as_was", "current"], required=False, default="as_was")


class DashboardQuerySerializer(serializers.Serializer):
    province = IdField(required=False, help_text="id tỉnh hiện nay (Cục)")
    year_from = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    year_to = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    source = serializers.ChoiceField(
        choices=["live", "accepted"], required=False, help_text="live (mặc định) | accepted"
    )
    kind = serializers.ChoiceField(
        choices=["", "year", "nine_months", "half", "quarter"],
        required=False,
        help_text="trống = số liệu hiện nay; year | nine_months | half | quarter: số "
        "liệu tại ngày cuối kỳ của mỗi năm",
    )
    number = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="Quý 1-4 (kind=quarter)"
    )


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _region_period(request, serializer_class=PeriodQuerySerializer):
    d = _query(serializer_class, request)
    code = d.get("region", "")
    region = get_object_or_404(Region, code=code) if code and code != "national" else None
    try:
        return region, Period.make(d["kind"], d.get("year"), d.get("number"), d.get("start"), d.get("end")), d
    except PeriodError as exc:
        raise DomainError(str(exc), field="period") from None


class AggregateView(APIView):
    @extend_schema(
        parameters=[AggregateQuerySerializer],
        responses=inline_serializer(
            "Aggregate",
            {
                "totals": serializers.DictField(),
                "rows": serializers.ListField(),
                "source_label": serializers.CharField(),
            },
        ),
    )
    def get(self, request):
        """Tổng hợp vùng/toàn quốc từ báo cáo đã tiếp nhận hoặc từ dữ liệu trực tiếp (chỉ các đơn vị trong
        phạm vi)."""
        region, period, d = _region_period(request, AggregateQuerySerializer)
        agg = aggregate(
            user=request.user, region=region, period=period, source=d["source"], rollup=d["rollup"]
        )
        rate = agg["totals"]["rate"]
        return Response(
            {
                "region": agg["region_label"],
                "period": period.label,
                "as_of": period.end,
                "source": agg["source"],
                "source_label": agg["source_label"],
                "rollup": agg["rollup"],
                "totals": {**agg["totals"], "rate": float(rate) if rate is not None else None},
                "rows": [
                    {
                        **{k: v for k, v in r.items() if k != "rate"},
                        "rate": float(r["rate"]) if r["rate"] is not None else None,
                    }
                    for r in agg["rows"]
                ],
                "outputs": agg["outputs"],
                "missing": agg["missing"],
            }
        )


class CompletenessView(APIView):
    @extend_schema(
        parameters=[PeriodQuerySerializer],
        responses=inline_serializer("Completeness", {"rows": serializers.ListField()}),
    )
    def get(self, request):
        """Đơn vị nào đã gửi báo cáo, đúng hạn hay trễ hạn, đơn vị nào chưa gửi."""
        region, period, _d = _region_period(request)
        table = selectors.completeness(user=request.user, region=region, period=period)
        return Response(
            {
                "period": period.label,
                "deadline": table["deadline"],
                "counts": table["counts"],
                "rows": [
                    {
                        "rank": r["rank"],
                        "unit": r["unit"].name,
                        "unit_id": r["unit"].id,
                        "report": r["report"].pk if r["report"] else None,
                        "status": r["status_label"],
                        "deadline": r["deadline"],
                        "sent": r["sent"],
                        "state": r["state"],
                        "days_late": r["days_late"],
                    }
                    for r in table["rows"]
                ],
            }
        )


class DashboardView(APIView):
    @extend_schema(
        parameters=[DashboardQuerySerializer],
        responses=inline_serializer(
            "Dashboard", {"charts": serializers.DictField(), "tables": serializers.ListField()}
        ),
    )
    def get(self, request):
        """Số liệu bảng điều khiển (biểu đồ và bảng), trong phạm vi người dùng."""
        data = dashboard_data(request.user, _query(DashboardQuerySerializer, request))
        summary = data["summary"]
        return Response(
            {
                "filters": data["filters"],
                "source": data["filters"]["source"],
                "source_label": data["source_label"],
                "cancelled": data["cancelled"],
                "cancelled_text": data["cancelled_text"],
                "summary": {
                    "headers": summary.headers,
                    "rows": summary.display_rows(),
                    "totals": summary.display_totals(),
                },
                "charts": chart_payload(data["tables"]),
                "tables": [
                    {
                        "key": t.key,
                        "title": t.title,
                        "headers": t.headers,
                        "rows": t.display_rows(),
                        "totals": t.display_totals(),
                    }
                    for t in data["tables"]
                ],
            }
        )


class ReportJobSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True, default=None, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "region_code",
            "period_key",
            "source",
            "rollup",
            "fmt",
            "status",
            "progress",
            "message",
            "error",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        from django.urls import reverse

        return reverse("reports:job-download", args=[obj.pk]) if obj.status == ReportJob.Status.DONE else None


class ReportJobCreateSerializer(serializers.Serializer):
    region = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    kind = serializers.ChoiceField(
        choices=[c for c in KIND_CHOICES if c[0] != "custom"], help_text="quarter | half | nine_months | year"
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    number = serializers.IntegerField(required=False, min_value=1, max_value=4)
    source = serializers.ChoiceField(choices=["accepted", "live"], default="accepted")
    rollup = serializers.ChoiceField(choices=["as_was", "current"], default="as_was")
    fmt = serializers.ChoiceField(choices=["xlsx", "docx"], default="xlsx")


class ReportJobViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Báo cáo tổng hợp chạy nền: tiến độ, lỗi, tệp kết quả."""

    serializer_class = ReportJobSerializer
    selector = staticmethod(selectors.job_list_for)

    @extend_schema(request=ReportJobCreateSerializer, responses={201: ReportJobSerializer})
    def create(self, request):
        data = ReportJobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        region = get_object_or_404(Region, code=d["region"]) if d["region"] not in ("", "national") else None
        try:
            period = Period.make(d["kind"], d.get("year"), d.get("number"))
        except PeriodError as exc:
            raise DomainError(str(exc)) from None
        job = services.report_job_create(
            actor=request.user,
            region=region,
            period=period,
            source=d["source"],
            rollup=d["rollup"],
            fmt=d["fmt"],
        )
        return Response(ReportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ReportJobSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Chạy lại một tác vụ bị lỗi."""
        job = self.get_object()
        job = services.report_job_retry(actor=request.user, job_id=job.pk)
        return Response(ReportJobSerializer(job).data)


router = DefaultRouter()
router.include_root_view = False
router.register("reports/jobs", ReportJobViewSet, basename="report-job")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path("reports/aggregate/", AggregateView.as_view(), name="api-report-aggregate"),
    path("reports/completeness/", CompletenessView.as_view(), name="api-report-completeness"),
    path("reports/dashboard/", DashboardView.as_view(), name="api-report-dashboard"),
    path("", include(router.urls)),
]
