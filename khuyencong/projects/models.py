"""Annual plans, batches and đề án with their money, revisions, status changes, disbursements and outputs.

`Project.status` is written only by `services.project_transition` (the table lives in workflow.py), a plan's
only by `services.plan_transition`.
Money is integer đồng (non-negative, checked in the database); percentages are 0-100.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel


class Level(models.TextChoices):
    NATIONAL = "national", "Khuyến công quốc gia"
    LOCAL = "local", "Khuyến công địa phương"


class Status(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    REGISTERED = "registered", "Đã đăng ký"
    APPRAISED = "appraised", "Đã thẩm định"
    APPROVED = "approved", "Đã phê duyệt"
    CONTRACTED = "contracted", "Đã ký hợp đồng"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    COMPLETED = "completed", "Đã hoàn thành"
    ACCEPTED = "accepted", "Đã nghiệm thu"
    SETTLED = "settled", "Đã quyết toán"
    STOP_REQUESTED = "stop_requested", "Xin dừng thực hiện"
    STOPPED = "stopped", "Đã dừng"
    CANCELLED = "cancelled", "Đã hủy"


def _nonneg(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name)


class AnnualPlan(TimeStampedModel):
    """Kế hoạch khuyến công năm of one province, year and level (quốc gia / địa phương).

    A plan without a unit is the Cục's own national plan (đề án of the Cục, not tied to one province): level
    national only, seen by the ministry. `status` is written only by `services.plan_transition`
    (registered → assigned → closed, each step a PlanStatusChange row with its decision)."""

    class PlanStatus(models.TextChoices):
        REGISTERED = "registered", "Đã đăng ký"
        ASSIGNED = "assigned", "Đã giao kế hoạch"
        CLOSED = "closed", "Đã kết thúc"

    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh lập kế hoạch",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1},
        null=True,
        blank=True,
        help_text="Để trống: kế hoạch khuyến công quốc gia của Cục (không gắn với một tỉnh).",
    )
    year = models.PositiveSmallIntegerField("Năm")
    level = models.CharField("Cấp", max_length=10, choices=Level.choices)
    status = models.CharField(
        "Trạng thái", max_length=12, choices=PlanStatus.choices, default=PlanStatus.REGISTERED, editable=False
    )
    title = models.CharField("Tên kế hoạch", max_length=300, blank=True)
    registered_total = models.BigIntegerField("Kinh phí đăng ký (đồng)", default=0)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kế hoạch khuyến công năm"
        verbose_name_plural = "Kế hoạch khuyến công năm"
        ordering = ["-year", "unit__name", "level"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "level"], name="projects_plan_unique"),
            models.UniqueConstraint(
                fields=["year", "level"], condition=Q(unit__isnull=True), name="projects_plan_central_unique"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(level="national"),
                name="projects_plan_central_is_national",
            ),
            _nonneg("registered_total", "projects_plan_total_nonneg"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="projects_plan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return (
            self.title or f"Kế hoạch {self.get_level_display().lower()} năm {self.year} — {self.owner_name}"
        )

    @property
    def is_central(self) -> bool:
        """The Cục's own national plan (no province)."""
        return self.unit_id is None

    @property
    def owner_name(self) -> str:
        return self.unit.name if self.unit_id else CENTRAL_OWNER

    def save(self, *args, **kwargs):
        self.province_id = (self.unit.current_province_id or self.unit_id) if self.unit_id else None
        super().save(*args, **kwargs)


CENTRAL_OWNER = "Cục (kế hoạch khuyến công quốc gia do Cục trực tiếp thực hiện)"


class PlanStatusChange(TimeStampedModel):
    """One step of a plan's workflow (registration, assignment, closing) with its decision: business date
    (`effective_date`) and time of entry (`changed_at`), and the before → after of what the step touched."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="Kế hoạch", on_delete=models.CASCADE, related_name="status_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField("Ngày hiệu lực", db_index=True)
    changed_at = models.DateTimeField("Ghi nhận lúc")
    from_status = models.CharField(
        "Từ trạng thái", max_length=12, choices=AnnualPlan.PlanStatus.choices, blank=True
    )
    to_status = models.CharField("Sang trạng thái", max_length=12, choices=AnnualPlan.PlanStatus.choices)
    action = models.CharField("Thao tác", max_length=20, blank=True)
    decision_no = models.CharField("Số quyết định, văn bản", max_length=80, blank=True)
    decision_date = models.DateField("Ngày quyết định, văn bản", null=True, blank=True)
    issuer = models.CharField("Cơ quan ban hành", max_length=200, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    changes = models.JSONField("Thay đổi", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Bước của kế hoạch"
        verbose_name_plural = "Các bước của kế hoạch"
        ordering = ["plan", "effective_date", "pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status or '—'} → {self.to_status}"


class Batch(TimeStampedModel):
    """Đợt giao kế hoạch: a decision (number, date, issuer) assigning money per funding source
    (`allocations`); `total` is their sum, kept by the services. A supplementary batch without a decision yet
    is
    only a registration ("đăng ký bổ sung"): it assigns nothing until its decision is recorded."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="Kế hoạch", on_delete=models.PROTECT, related_name="batches"
    )
    number = models.PositiveSmallIntegerField("Đợt")
    is_supplementary = models.BooleanField("Đăng ký bổ sung", default=False)
    decision_no = models.CharField("Số quyết định", max_length=80, blank=True)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True)
    issuer = models.CharField("Cơ quan giao", max_length=200, blank=True)
    carried_over_from = models.ForeignKey(
        "self",
        verbose_name="Chuyển tiếp từ đợt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_into",
    )
    total = models.BigIntegerField("Tổng kinh phí (đồng)", default=0, editable=False)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đợt giao kế hoạch"
        verbose_name_plural = "Đợt giao kế hoạch"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="projects_batch_unique"),
            _nonneg("total", "projects_batch_total_nonneg"),
        ]

    def __str__(self) -> str:
        return self.label(self.number, self.is_supplementary, self.plan.year)

    @staticmethod
    def label(number: int, is_supplementary: bool, year: int) -> str:
        """What a batch is called ("Đợt 2 (bổ sung) năm 2018"), from its columns (as lists read them)."""
        extra = " (bổ sung)" if is_supplementary else ""
        return f"Đợt {number}{extra} năm {year}"

    def assigns_by(self, day) -> bool:
        """Whether this batch's money counts as assigned on `day` (its decision is dated on or before it)."""
        return self.decision_date is not None and self.decision_date <= day


class BatchAllocation(TimeStampedModel):
    """The money a batch assigns from one funding source."""

    batch = models.ForeignKey(Batch, verbose_name="Đợt", on_delete=models.CASCADE, related_name="allocations")
    source = models.ForeignKey(
        "catalog.FundingSource", verbose_name="Nguồn kinh phí", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField("Kinh phí giao (đồng)", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kinh phí giao theo nguồn"
        verbose_name_plural = "Kinh phí giao theo nguồn"
        ordering = ["batch", "source__order"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "source"], name="projects_allocation_unique"),
            _nonneg("amount", "projects_allocation_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} — {self.source.short_name}"


class Project(TimeStampedModel):
    """Đề án khuyến công: the unit of support."""

    code = models.CharField("Mã đề án", max_length=40)
    title = models.CharField("Tên đề án", max_length=500)
    content = models.ForeignKey(
        "catalog.ActivityContent",
        verbose_name="Nội dung hoạt động",
        on_delete=models.PROTECT,
        related_name="projects",
    )
    support_cap = models.ForeignKey(
        "catalog.SupportCap",
        verbose_name="Nội dung chi (mức hỗ trợ tối đa)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    plan = models.ForeignKey(
        AnnualPlan, verbose_name="Kế hoạch", on_delete=models.PROTECT, related_name="projects"
    )
    batch = models.ForeignKey(
        Batch, verbose_name="Đợt", null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    carried_over_from = models.ForeignKey(
        Batch,
        verbose_name="Chuyển tiếp từ đợt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_projects",
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        null=True,
        blank=True,
    )
    commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Xã, phường thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implementing_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="Tổ chức thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implementing_unit = models.CharField("Đơn vị thực hiện", max_length=255, blank=True)
    # Content 7: the industrial cluster the đề án supports (its per-cluster cap is checked across đề án).
    cluster = models.ForeignKey(
        "clusters.IndustrialCluster",
        verbose_name="Cụm công nghiệp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    establishments = models.ManyToManyField(
        "beneficiaries.Establishment",
        verbose_name="Đơn vị thụ hưởng",
        through="ProjectBeneficiary",
        related_name="projects",
        blank=True,
    )
    is_flagship = models.BooleanField("Đề án điểm", default=False)
    legal_basis = models.ForeignKey(
        "catalog.LegalDocument",
        verbose_name="Căn cứ pháp lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField("Ngày bắt đầu", null=True, blank=True)
    end_date = models.DateField("Ngày kết thúc", null=True, blank=True)
    recoverable = models.BooleanField("Hỗ trợ có hoàn trả", default=False)
    status = models.CharField(
        "Trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    progress_pct = models.PositiveSmallIntegerField("Tiến độ (%)", default=0, editable=False)
    description = models.TextField("Nội dung, mục tiêu", blank=True)
    # Set by transitions (workflow.py), never edited directly.
    appraisal_result = models.CharField(
        "Kết quả thẩm định",
        max_length=10,
        blank=True,
        editable=False,
        choices=[("passed", "Đạt"), ("failed", "Không đạt")],
    )
    appraisal_notes = models.TextField("Ý kiến thẩm định", blank=True, editable=False)
    decision_no = models.CharField("Số quyết định phê duyệt", max_length=80, blank=True, editable=False)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True, editable=False)
    contract_no = models.CharField("Số hợp đồng", max_length=80, blank=True, editable=False)
    contract_date = models.DateField("Ngày hợp đồng", null=True, blank=True, editable=False)
    acceptance_date = models.DateField("Ngày nghiệm thu", null=True, blank=True, editable=False)
    acceptance_minutes_no = models.CharField(
        "Số biên bản nghiệm thu", max_length=80, blank=True, editable=False
    )
    acceptance_result = models.CharField("Kết quả nghiệm thu", max_length=300, blank=True, editable=False)
    settled_amount = models.BigIntegerField("Số quyết toán (đồng)", null=True, blank=True, editable=False)
    settled_date = models.DateField("Ngày quyết toán", null=True, blank=True, editable=False)
    stop_reason = models.TextField("Lý do dừng", blank=True, editable=False)
    stop_requested_by = models.CharField("Bên xin dừng", max_length=255, blank=True, editable=False)
    # Folded "code title" for the diacritic-free search (trigram-indexed on PostgreSQL); kept by save().
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "Đề án khuyến công"
        verbose_name_plural = "Đề án khuyến công"
        ordering = ["plan", "code"]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["plan", "status"]),
            # The list's default order (code, then id): the first page is an index scan, not a sort.
            models.Index(fields=["code", "id"], name="projects_project_code_id"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="projects_project_code_unique"),
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0) & Q(progress_pct__lte=100),
                name="projects_project_progress_0_100",
            ),
            models.CheckConstraint(
                condition=Q(settled_amount__isnull=True) | Q(settled_amount__gte=0),
                name="projects_project_settled_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="projects_project_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def compute_search_text(self) -> str:
        """Folded "code title", then " | " and each beneficiary's folded text: every `?q=` word is looked up
        in
        this one trigram-indexed column (kept by `projects.search.refresh_search_text` when links change)."""
        from khuyencong.core.text import fold

        own = fold(f"{self.code} {self.title}")
        if not self.pk:
            return own
        others = (
            ProjectBeneficiary.objects.filter(project_id=self.pk)
            .order_by("pk")
            .values_list("establishment__search_text", flat=True)
        )
        return " | ".join([own, *others])

    def save(self, *args, **kwargs):
        if self.plan_id:
            self.province_id = self.plan.province_id
        self.search_text = self.compute_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "title"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def reference_date(self):
        """The date a đề án's rules (support caps) are read on: its decision, start, or its plan year."""
        import datetime as dt

        return self.decision_date or self.start_date or dt.date(self.plan.year, 1, 1)


class ProjectBeneficiary(TimeStampedModel):
    """An establishment supported by a đề án (a group đề án has several)."""

    project = models.ForeignKey(
        Project, verbose_name="Đề án", on_delete=models.CASCADE, related_name="beneficiaries"
    )
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        on_delete=models.PROTECT,
        related_name="project_links",
    )
    note = models.CharField("Ghi chú", max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đơn vị thụ hưởng của đề án"
        verbose_name_plural = "Đơn vị thụ hưởng của đề án"
        constraints = [
            models.UniqueConstraint(fields=["project", "establishment"], name="projects_benef_unique")
        ]

    def __str__(self) -> str:
        return f"{self.establishment} ({self.project.code})"


class ProjectFunding(TimeStampedModel):
    """Money of a đề án from one funding source: requested, approved (the counterpart source is the
    beneficiary's own money)."""

    project = models.ForeignKey(
        Project, verbose_name="Đề án", on_delete=models.CASCADE, related_name="fundings"
    )
    source = models.ForeignKey(
        "catalog.FundingSource", verbose_name="Nguồn kinh phí", on_delete=models.PROTECT, related_name="+"
    )
    requested = models.BigIntegerField("Đề nghị hỗ trợ (đồng)", default=0)
    approved = models.BigIntegerField("Được phê duyệt (đồng)", default=0)
    # The business date from which these amounts hold (registration, approval decision, adjustment document);
    # each history row carries it, so "as of" reads the row in force on a date, whenever it was entered.
    effective_date = models.DateField("Áp dụng từ ngày", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kinh phí đề án theo nguồn"
        verbose_name_plural = "Kinh phí đề án theo nguồn"
        ordering = ["project", "source__order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="projects_funding_unique"),
            _nonneg("requested", "projects_funding_requested_nonneg"),
            _nonneg("approved", "projects_funding_approved_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.source.short_name}"


class Revision(TimeStampedModel):
    """Điều chỉnh / gia hạn: a new revision of content, money or schedule; the old values are kept."""

    class Kind(models.TextChoices):
        ADJUSTMENT = "adjustment", "Điều chỉnh"
        EXTENSION = "extension", "Gia hạn"

    project = models.ForeignKey(
        Project, verbose_name="Đề án", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField("Lần điều chỉnh")
    kind = models.CharField("Loại", max_length=12, choices=Kind.choices)
    reason = models.TextField("Lý do")
    document_no = models.CharField("Số văn bản", max_length=80, blank=True)
    document_date = models.DateField("Ngày văn bản", null=True, blank=True)
    old_values = models.JSONField("Giá trị cũ", default=dict)
    new_values = models.JSONField("Giá trị mới", default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField("Thời điểm")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Điều chỉnh đề án"
        verbose_name_plural = "Điều chỉnh đề án"
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="projects_revision_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} lần {self.number} — {self.project.code}"


class StatusChange(TimeStampedModel):
    """One applied transition (or progress report): who, when, from, to, document reference, note."""

    project = models.ForeignKey(
        Project, verbose_name="Đề án", on_delete=models.CASCADE, related_name="status_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Two clocks: `effective_date` is the business date (the date on the decision, contract, minutes…) and is
    # what "as of" reads; `changed_at` is when it was entered (history).
    effective_date = models.DateField("Ngày hiệu lực", db_index=True)
    changed_at = models.DateTimeField("Ghi nhận lúc", db_index=True)
    from_status = models.CharField("Từ trạng thái", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("Sang trạng thái", max_length=20, choices=Status.choices)
    action = models.CharField("Thao tác", max_length=20, blank=True)
    document_no = models.CharField("Số văn bản", max_length=80, blank=True)
    document_date = models.DateField("Ngày văn bản", null=True, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    progress_pct = models.PositiveSmallIntegerField("Tiến độ (%)", null=True, blank=True)
    data = models.JSONField("Dữ liệu kèm theo", default=dict, blank=True)
    # {field: [before, after]} of every field the step touched (status included).
    changes = models.JSONField("Thay đổi", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chuyển trạng thái đề án"
        verbose_name_plural = "Chuyển trạng thái đề án"
        ordering = ["project", "effective_date", "pk"]
        indexes = [
            models.Index(fields=["project", "changed_at"]),
            models.Index(fields=["project", "effective_date", "id"], name="projects_change_asof"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_pct__isnull=True) | (Q(progress_pct__gte=0) & Q(progress_pct__lte=100)),
                name="projects_change_progress_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.from_status or '—'} → {self.to_status}"


class Disbursement(TimeStampedModel):
    """Tạm ứng / thanh toán for a đề án from one source, with date and document."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", "Tạm ứng"
        PAYMENT = "payment", "Thanh toán"

    project = models.ForeignKey(
        Project, verbose_name="Đề án", on_delete=models.PROTECT, related_name="disbursements"
    )
    kind = models.CharField("Loại", max_length=10, choices=Kind.choices)
    source = models.ForeignKey(
        "catalog.FundingSource", verbose_name="Nguồn kinh phí", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("Ngày")
    document_no = models.CharField("Chứng từ", max_length=80, blank=True)
    amount = models.BigIntegerField("Số tiền (đồng)")
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Tạm ứng, thanh toán"
        verbose_name_plural = "Tạm ứng, thanh toán"
        ordering = ["project", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="projects_disb_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} — {self.project.code}"


class ProjectOutput(TimeStampedModel):
    """An achieved output of a đề án, as a catalogue indicator (trainees, machines, models, jobs …)."""

    project = models.ForeignKey(
        Project, verbose_name="Đề án", on_delete=models.CASCADE, related_name="outputs"
    )
    indicator = models.ForeignKey(
        "catalog.OutputIndicator", verbose_name="Chỉ tiêu", on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.BigIntegerField("Số lượng")
    date = models.DateField("Ngày ghi nhận")
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kết quả đầu ra của đề án"
        verbose_name_plural = "Kết quả đầu ra của đề án"
        ordering = ["project", "date", "pk"]
        constraints = [_nonneg("quantity", "projects_output_quantity_nonneg")]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.quantity}"


FAR_FUTURE = __import__("datetime").date(9999, 12, 31)


class ProjectAsOf(models.Model):
    """Maintained from the records (never edited): a đề án's status, progress and money as they stood on
    every day
    of [valid_from, valid_to) — one row per day on which something about it changed, the last row open-ended
    (valid_to = 9999-12-31). The lists read "as of D" as one join on `valid_from <= D < valid_to` instead of
    finding the last change of every đề án. Rebuilt per đề án by `projects.asof` (marked in the same
    transaction
    as the change that makes it stale, rebuilt before the next read). Money excludes the counterpart
    source."""

    OPEN = 0  # `bucket` of the open-ended row

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="asof_rows", db_index=False)
    valid_from = models.DateField()
    valid_to = models.DateField()
    # The calendar year of a closed row (closed ranges are split at every 1 January, so a closed row lies in
    # one year), OPEN for the open-ended one. "The rows of day D" is then `bucket IN (year of D, OPEN)` and
    # the range test: one index range per bucket reads about the rows of that day, not half the table.
    bucket = models.SmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices)
    progress_pct = models.PositiveSmallIntegerField(null=True)
    requested = models.BigIntegerField(default=0)
    approved = models.BigIntegerField(default=0)
    disbursed = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["project", "valid_to"], name="projects_asof_project_to"),
            # Covering (index-only scans for "the rows of day D" and "the current rows").
            models.Index(
                fields=[
                    "bucket",
                    "valid_from",
                    "valid_to",
                    "project",
                    "status",
                    "progress_pct",
                    "requested",
                    "approved",
                    "disbursed",
                ],
                name="projects_asof_bucket_day",
            ),
            # The open rows in the order of each figure, both directions (ties by đề án id ascending): the
            # national list sorted by money reads its page from them (selectors.CurrentFigureOrder).
            *(
                models.Index(
                    *((models.F(figure).desc(), "project") if desc else (figure, "project")),
                    condition=models.Q(bucket=0),
                    name=f"projects_asof_open_{figure[:4]}_{'d' if desc else 'a'}",
                )
                for figure in ("requested", "approved", "disbursed")
                for desc in (False, True)
            ),
        ]


def asof_day_q(as_of, prefix: str = "") -> models.Q:
    """The condition "the ProjectAsOf row valid on day `as_of`" (`prefix`: the path to the rows, e.g.
    "asof_rows__"); the current rows when `as_of` is None."""
    if as_of is None:
        return models.Q(**{f"{prefix}bucket": ProjectAsOf.OPEN})
    return models.Q(
        **{
            f"{prefix}bucket__in": (as_of.year, ProjectAsOf.OPEN),
            f"{prefix}valid_from__lte": as_of,
            f"{prefix}valid_to__gt": as_of,
        }
    )


class ProjectAsOfDirty(models.Model):
    """Đề án whose ProjectAsOf rows are stale (a change to their records since the last rebuild)."""

    project_id = models.BigIntegerField(primary_key=True)
