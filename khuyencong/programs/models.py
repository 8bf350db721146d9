"""Multi-year khuyến công programmes: phases, targets, the content × source × year budget matrix and the
figures the document itself states (so the consistency check can compare them with what the matrix adds up
to).

`Program.status` is written only by `services.program_transition` (the table lives in workflow.py).
Subtotals (per content, per source, per phase, the programme) are never stored: they are computed from
`BudgetLine` rows. What a document *says* a total is goes into `StatedFigure`, with where it said it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel


class Status(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã trình phê duyệt"
    APPROVED = "approved", "Đã phê duyệt"
    SUPERSEDED = "superseded", "Đã được thay thế"


def _nonneg(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name=name
    )


class Program(TimeStampedModel):
    """Chương trình khuyến công of a province (owner unit of either tree) over several years, in phases."""

    owner_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh ban hành chương trình",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1},
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    code = models.CharField("Ký hiệu", max_length=60, blank=True)
    title = models.CharField("Tên chương trình", max_length=500)
    year_from = models.PositiveSmallIntegerField("Từ năm")
    year_to = models.PositiveSmallIntegerField("Đến năm")
    general_objectives = models.TextField("Mục tiêu chung", blank=True)
    specific_objectives = models.TextField("Mục tiêu cụ thể", blank=True)
    legal_bases = models.ManyToManyField(
        "catalog.LegalDocument",
        verbose_name="Cơ sở pháp lý",
        through="LegalBasis",
        related_name="programs",
        blank=True,
    )
    status = models.CharField(
        "Trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    decision_no = models.CharField("Số quyết định phê duyệt", max_length=80, blank=True, editable=False)
    decision_date = models.DateField("Ngày quyết định phê duyệt", null=True, blank=True, editable=False)
    decision_issuer = models.CharField("Cơ quan phê duyệt", max_length=200, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="Được thay thế bởi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        editable=False,
    )
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chương trình khuyến công"
        verbose_name_plural = "Chương trình khuyến công"
        ordering = ["-year_from", "title"]
        indexes = [models.Index(fields=["province", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_from__gte=2000)
                & Q(year_to__lte=2100)
                & Q(year_to__gte=models.F("year_from")),
                name="programs_program_years",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.owner_unit_id:
            self.province_id = self.owner_unit.current_province_id or self.owner_unit_id
        super().save(*args, **kwargs)

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def period_label(self) -> str:
        return f"{self.year_from}-{self.year_to}"


class LegalBasis(TimeStampedModel):
    """One legal document the programme is based on, in the order the document lists them."""

    program = models.ForeignKey(
        Program, verbose_name="Chương trình", on_delete=models.CASCADE, related_name="legal_basis_rows"
    )
    document = models.ForeignKey(
        "catalog.LegalDocument", verbose_name="Văn bản", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Cơ sở pháp lý của chương trình"
        verbose_name_plural = "Cơ sở pháp lý của chương trình"
        ordering = ["program", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["program", "document"], name="programs_basis_unique")]

    def __str__(self) -> str:
        return str(self.document)


class Phase(TimeStampedModel):
    """Giai đoạn: e.g. "2014-2015" and "2016-2020"."""

    program = models.ForeignKey(
        Program, verbose_name="Chương trình", on_delete=models.CASCADE, related_name="phases"
    )
    name = models.CharField("Giai đoạn", max_length=40)
    year_from = models.PositiveSmallIntegerField("Từ năm")
    year_to = models.PositiveSmallIntegerField("Đến năm")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Giai đoạn"
        verbose_name_plural = "Giai đoạn"
        ordering = ["program", "year_from"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="programs_phase_unique"),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="programs_phase_years"
            ),
        ]

    def __str__(self) -> str:
        return f"Giai đoạn {self.name}"

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))


class Target(TimeStampedModel):
    """Mục tiêu cụ thể: an indicator with a unit and a value per phase (overall = their sum), linked to an
    activity content and, where it fits, to a catalogue output indicator (so đề án outputs measure it)."""

    program = models.ForeignKey(
        Program, verbose_name="Chương trình", on_delete=models.CASCADE, related_name="targets"
    )
    content = models.ForeignKey(
        "catalog.ActivityContent",
        verbose_name="Nội dung hoạt động",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    indicator = models.ForeignKey(
        "catalog.OutputIndicator",
        verbose_name="Chỉ tiêu trong danh mục",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("Chỉ tiêu", max_length=500)
    unit = models.CharField("Đơn vị tính", max_length=60)
    overall_value = models.BigIntegerField(
        "Cả chương trình (khi văn bản không chia giai đoạn)", null=True, blank=True
    )
    location = models.CharField("Nêu tại", max_length=200, blank=True)
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Mục tiêu cụ thể"
        verbose_name_plural = "Mục tiêu cụ thể"
        ordering = ["program", "order", "pk"]
        constraints = [_nonneg("overall_value", "programs_target_overall_nonneg")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class TargetValue(TimeStampedModel):
    target = models.ForeignKey(
        Target, verbose_name="Chỉ tiêu", on_delete=models.CASCADE, related_name="values"
    )
    phase = models.ForeignKey(Phase, verbose_name="Giai đoạn", on_delete=models.CASCADE, related_name="+")
    value = models.BigIntegerField("Giá trị")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chỉ tiêu theo giai đoạn"
        verbose_name_plural = "Chỉ tiêu theo giai đoạn"
        ordering = ["target", "phase__year_from"]
        constraints = [
            models.UniqueConstraint(fields=["target", "phase"], name="programs_targetvalue_unique"),
            _nonneg("value", "programs_targetvalue_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.target.name}: {self.value} ({self.phase.name})"


class BudgetLine(TimeStampedModel):
    """One cell of the budget appendix: activity content × funding source × year, in đồng."""

    program = models.ForeignKey(
        Program, verbose_name="Chương trình", on_delete=models.CASCADE, related_name="budget_lines"
    )
    content = models.ForeignKey(
        "catalog.ActivityContent",
        verbose_name="Nội dung hoạt động",
        on_delete=models.PROTECT,
        related_name="+",
    )
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name="Nguồn kinh phí", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm")
    amount = models.BigIntegerField("Kinh phí (đồng)", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Dự toán kinh phí (ô của phụ lục)"
        verbose_name_plural = "Dự toán kinh phí"
        ordering = ["program", "content__order", "funding_source__order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "content", "funding_source", "year"], name="programs_budgetline_unique"
            ),
            _nonneg("amount", "programs_budgetline_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.content.code} / {self.funding_source.code} / {self.year}: {self.amount}"


class StatedFigure(TimeStampedModel):
    """A figure the document states (a row, phase, source or grand total; a percentage share; an amount quoted
    in the text; an overall target), with where it is stated. The check recomputes it and compares.

    Scope of an amount: content (empty = all contents) × funding source (empty = all sources) × period (a
    year,
    a phase, or — both empty — the whole programme). A share is source / all sources within the same scope.
    """

    class Kind(models.TextChoices):
        AMOUNT = "amount", "Số tiền"
        SHARE = "share", "Tỷ trọng (%)"
        TARGET = "target", "Chỉ tiêu"

    class Origin(models.TextChoices):
        TEXT = "text", "Nêu trong văn bản"
        APPENDIX = "appendix", "Dòng/cột tổng của phụ lục (nhập từ tệp)"

    program = models.ForeignKey(
        Program, verbose_name="Chương trình", on_delete=models.CASCADE, related_name="stated_figures"
    )
    kind = models.CharField("Loại", max_length=10, choices=Kind.choices)
    origin = models.CharField("Nguồn ghi nhận", max_length=10, choices=Origin.choices, default=Origin.TEXT)
    content = models.ForeignKey(
        "catalog.ActivityContent",
        verbose_name="Nội dung",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    funding_source = models.ForeignKey(
        "catalog.FundingSource",
        verbose_name="Nguồn kinh phí",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phase = models.ForeignKey(
        Phase, verbose_name="Giai đoạn", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm", null=True, blank=True)
    target = models.ForeignKey(
        Target,
        verbose_name="Chỉ tiêu",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stated_figures",
    )
    amount = models.BigIntegerField("Số tiền (đồng)", null=True, blank=True)
    percent = models.DecimalField("Tỷ trọng (%)", max_digits=7, decimal_places=3, null=True, blank=True)
    digits = models.PositiveSmallIntegerField("Số chữ số thập phân như văn bản ghi", default=1)
    quantity = models.BigIntegerField("Số lượng", null=True, blank=True)
    text = models.CharField("Văn bản ghi", max_length=300, blank=True)
    location = models.CharField("Nêu tại", max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Số liệu văn bản nêu"
        verbose_name_plural = "Số liệu văn bản nêu"
        ordering = ["program", "origin", "pk"]
        indexes = [models.Index(fields=["program", "origin"])]
        constraints = [
            _nonneg("amount", "programs_stated_amount_nonneg"),
            _nonneg("quantity", "programs_stated_quantity_nonneg"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="programs_stated_percent_0_100",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(phase__isnull=True), name="programs_stated_year_or_phase"
            ),
            models.CheckConstraint(
                condition=(Q(kind="amount") & Q(amount__isnull=False))
                | (Q(kind="share") & Q(percent__isnull=False) & Q(funding_source__isnull=False))
                | (Q(kind="target") & Q(quantity__isnull=False) & Q(target__isnull=False)),
                name="programs_stated_kind_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.location}"


class StatusChange(TimeStampedModel):
    """One applied transition of a programme: who, when, from, to, decision, note."""

    program = models.ForeignKey(
        Program, verbose_name="Chương trình", on_delete=models.CASCADE, related_name="status_changes"
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
    changed_at = models.DateTimeField("Ghi nhận lúc", db_index=True)
    from_status = models.CharField("Từ trạng thái", max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField("Sang trạng thái", max_length=12, choices=Status.choices)
    decision_no = models.CharField("Số quyết định", max_length=80, blank=True)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    # {field: [before, after]} of every field the step touched (status included).
    changes = models.JSONField("Thay đổi", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chuyển trạng thái chương trình"
        verbose_name_plural = "Chuyển trạng thái chương trình"
        ordering = ["program", "effective_date", "pk"]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.from_status or '—'} → {self.to_status}"
