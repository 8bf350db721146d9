"""Periodic reports of a unit (province or commune office), their status trail, deadlines, the Word
template, and background report jobs.

`Report.status` is written only by `services.report_transition` (the table lives in workflow.py).
A report keeps a frozen snapshot of its computed figures (`figures`, JSON) from the moment the
Department submits it: aggregation "from accepted reports" reads snapshots; "from live records" recomputes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel

from .periods import KIND_CHOICES, Period


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    PREPARED = "prepared", "Trung tâm đã lập, chờ Sở duyệt"
    SUBMITTED = "submitted", "Sở đã duyệt và gửi Cục"
    ACCEPTED = "accepted", "Cục đã tiếp nhận (khóa)"


class ReportDeadline(TimeStampedModel):
    """How many days after a period's end its report is due (configurable per period kind)."""

    period_kind = models.CharField("Loại kỳ", max_length=12, choices=KIND_CHOICES, unique=True)
    days_after_end = models.PositiveSmallIntegerField("Hạn nộp (số ngày sau ngày cuối kỳ)")
    note = models.CharField("Căn cứ, ghi chú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Hạn nộp báo cáo"
        verbose_name_plural = "Hạn nộp báo cáo"
        ordering = ["period_kind"]

    def __str__(self) -> str:
        return f"{self.get_period_kind_display()}: {self.days_after_end} ngày sau cuối kỳ"


class Report(TimeStampedModel):
    """Báo cáo định kỳ of one unit for one period."""

    class FiguresSource(models.TextChoices):
        COMPUTED = "computed", "Tính từ dữ liệu đề án"
        MANUAL = "manual", "Nhập tay (số liệu báo cáo giấy)"

    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name="Đơn vị báo cáo", on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    period_kind = models.CharField("Loại kỳ", max_length=12, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField("Năm")
    period_number = models.PositiveSmallIntegerField("Quý", default=0)
    period_start = models.DateField("Từ ngày")
    period_end = models.DateField("Đến ngày (số liệu tính đến)")
    deadline = models.DateField("Hạn nộp", null=True, blank=True)
    status = models.CharField(
        "Trạng thái", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    title = models.CharField("Trích yếu", max_length=300, blank=True)
    number = models.CharField("Số, ký hiệu", max_length=60, blank=True)
    issuer_parent = models.CharField("Cơ quan chủ quản", max_length=150, blank=True)
    issuer = models.CharField("Cơ quan ban hành", max_length=150, blank=True)
    place = models.CharField("Địa danh", max_length=80, blank=True)
    report_date = models.DateField("Ngày báo cáo", null=True, blank=True)
    signer_title = models.CharField("Chức vụ người ký", max_length=120, blank=True)
    signer_name = models.CharField("Người ký", max_length=120, blank=True)
    recipients = models.TextField("Nơi nhận", blank=True)
    # Narrative written by people.
    results = models.TextField("Kết quả đạt được", blank=True)
    difficulties = models.TextField("Khó khăn, vướng mắc", blank=True)
    causes = models.TextField("Nguyên nhân", blank=True)
    solutions = models.TextField("Giải pháp", blank=True)
    next_plan = models.TextField("Kế hoạch kỳ tới", blank=True)
    # Figures entered by hand (paper reports from before the system); a computed report leaves it empty.
    manual_figures = models.JSONField("Số liệu nhập tay", null=True, blank=True)
    # The frozen snapshot, written when the Department submits.
    figures = models.JSONField("Số liệu đã chốt", null=True, blank=True, editable=False)
    figures_source = models.CharField(
        "Nguồn số liệu",
        max_length=10,
        choices=FiguresSource.choices,
        default=FiguresSource.COMPUTED,
        editable=False,
    )
    snapshot_at = models.DateTimeField("Chốt số liệu lúc", null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField("Gửi Cục lúc", null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField("Cục tiếp nhận lúc", null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["figures"])

    class Meta:
        verbose_name = "Báo cáo định kỳ"
        verbose_name_plural = "Báo cáo định kỳ"
        ordering = ["-period_end", "unit__name"]
        indexes = [
            models.Index(fields=["province", "period_end"]),
            models.Index(fields=["period_kind", "year", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_kind", "period_start", "period_end"],
                name="reports_report_unique_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reports_report_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(period_number__gte=0) & Q(period_number__lte=4), name="reports_report_quarter_0_4"
            ),
        ]

    def __str__(self) -> str:
        period = self.period.label.lower() if self.period_kind != "year" else f"năm {self.year}"
        return f"Báo cáo {period} — {self.unit.name}"

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.province_id = self.unit.current_province_id or self.unit_id
        super().save(*args, **kwargs)

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.year, self.period_number, self.period_start, self.period_end)

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.PREPARED)


class ReportStatusChange(models.Model):
    """One applied transition of a report: who, when, from, to, why (append-only)."""

    report = models.ForeignKey(
        Report, verbose_name="Báo cáo", on_delete=models.CASCADE, related_name="status_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Two clocks, as for đề án: the business date of the step's document, and when it was entered.
    effective_date = models.DateField("Ngày hiệu lực", db_index=True)
    changed_at = models.DateTimeField("Ghi nhận lúc")
    from_status = models.CharField("Từ trạng thái", max_length=12, choices=ReportStatus.choices)
    to_status = models.CharField("Sang trạng thái", max_length=12, choices=ReportStatus.choices)
    reason = models.TextField("Lý do, ghi chú", blank=True)
    # {field: [before, after]} of every field the step touched (status included).
    changes = models.JSONField("Thay đổi", default=dict, blank=True)

    class Meta:
        verbose_name = "Chuyển trạng thái báo cáo"
        verbose_name_plural = "Chuyển trạng thái báo cáo"
        ordering = ["report", "effective_date", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ReportTemplate(TimeStampedModel):
    """A Word (.docx, docxtpl) template an admin uploaded to replace the default one."""

    name = models.CharField("Tên mẫu", max_length=200)
    file = models.FileField("Tệp mẫu (.docx)", upload_to="report_templates/")
    is_active = models.BooleanField("Đang dùng", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tải lên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Mẫu báo cáo Word"
        verbose_name_plural = "Mẫu báo cáo Word"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ReportJob(TimeStampedModel):
    """A regional or national report produced in the background, with progress and the produced file."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Hoàn thành"
        FAILED = "failed", "Lỗi"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        DOCX = "docx", "Word (.docx)"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Người yêu cầu", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "geo.Region",
        verbose_name="Vùng (trống = toàn quốc)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_key = models.CharField("Kỳ", max_length=40)
    source = models.CharField("Nguồn số liệu", max_length=10)
    rollup = models.CharField("Cách hiển thị đơn vị", max_length=10)
    fmt = models.CharField("Định dạng", max_length=4, choices=Format.choices, default=Format.XLSX)
    status = models.CharField(
        "Trạng thái", max_length=8, choices=Status.choices, default=Status.QUEUED, editable=False
    )
    progress = models.PositiveSmallIntegerField("Tiến độ (%)", default=0, editable=False)
    message = models.CharField("Bước đang làm", max_length=200, blank=True, editable=False)
    error = models.TextField("Lỗi", blank=True, editable=False)
    file = models.FileField("Tệp kết quả", upload_to="report_jobs/", blank=True, editable=False)
    task_id = models.CharField("Mã tác vụ", max_length=64, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField("Số lần chạy", default=0, editable=False)
    started_at = models.DateTimeField("Bắt đầu", null=True, blank=True, editable=False)
    finished_at = models.DateTimeField("Kết thúc", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "Tác vụ báo cáo"
        verbose_name_plural = "Tác vụ báo cáo"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="reports_job_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Tác vụ báo cáo #{self.pk}"

    @property
    def period_label(self) -> str:
        """ "6 tháng đầu năm 2019", not the stored key "2019-half"."""
        from .periods import Period, PeriodError

        try:
            return Period.parse(self.period_key).label
        except PeriodError:
            return self.period_key

    @property
    def source_label(self) -> str:
        from .aggregation import SOURCES

        return SOURCES.get(self.source, self.source)

    @property
    def rollup_label(self) -> str:
        from .aggregation import ROLLUPS

        return ROLLUPS.get(self.rollup, self.rollup)


class PlanFigure(models.Model):
    """A maintained summary of one annual plan's đề án, read by the dashboard instead of scanning every đề án,
    funding row, payment and output (national scale: 100.000 đề án). Derived data, never edited: rebuilt for a
    plan by `figures.plan_figures_sync` whenever a `PlanFigureDirty` mark says that plan's records changed.

    kind / key / value (/ disbursed):
      money   content id   value = approved money (not the counterpart; đề án not stopped or cancelled),
                           disbursed = money paid; đồng
      total   ""           the plan's money rows added up (value, disbursed): what the by-year and by-province
                           tables read, one row a plan
      status  status code  value = number of đề án
      output  indicator id value = quantity achieved
    """

    class Kind(models.TextChoices):
        MONEY = "money", "Kinh phí phê duyệt và giải ngân"
        TOTAL = "total", "Tổng kinh phí của kế hoạch"
        STATUS = "status", "Số đề án theo tình trạng"
        OUTPUT = "output", "Kết quả đầu ra"

    plan = models.ForeignKey("projects.AnnualPlan", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=20)
    value = models.BigIntegerField(default=0)
    disbursed = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "Số liệu tổng hợp theo kế hoạch"
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "key"], name="reports_planfigure_unique")
        ]


class PlanFigureDirty(models.Model):
    """A mark, written in the same transaction as any change to a plan's đề án, funding, payments or outputs:
    that plan's `PlanFigure` rows must be rebuilt before they are read. Append-only queue (no unique key, so
    concurrent writers never wait on each other); the reader that rebuilds deletes the marks it handled."""

    plan_id = models.BigIntegerField(db_index=True)
