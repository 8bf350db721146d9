"""Recoverable support (khuyến công có hoàn trả): a province's loan terms (quy chế, versioned by decision
and validity dates), loans per recoverable đề án and establishment, their instalment schedules (a rescheduling
adds a new schedule and keeps the old one), repayments (a reversal is a new row), recovery actions, write-off
causes.

`Loan.status` is written only by `services.loan_transition` (the table lives in workflow.py). Arrears are
never stored: `selectors.position` replays the schedule and the repayments dated up to any "as of" date.
Money is integer đồng (non-negative, checked in the database); percentages are 0-100.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel

# Arrears age buckets used in reports (days past due of the oldest unpaid instalment): [from, to|None, label].
DEFAULT_BUCKETS = [
    [1, 30, "1–30 ngày"],
    [31, 90, "31–90 ngày"],
    [91, 180, "91–180 ngày"],
    [181, 360, "181–360 ngày"],
    [361, None, "Trên 360 ngày"],
]


def default_buckets():
    return [list(b) for b in DEFAULT_BUCKETS]


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    HALF_YEARLY = "half_yearly", "6 tháng một lần"
    YEARLY = "yearly", "Hằng năm"


FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


class InterestMethod(models.TextChoices):
    NONE = "none", "Không tính lãi"
    FLAT = "flat", "Lãi tính trên gốc ban đầu"
    DECLINING = "declining", "Lãi tính trên dư nợ giảm dần"


class LoanTerms(TimeStampedModel):
    """Quy chế cho vay (hỗ trợ có hoàn trả) of a province, as its decision sets it, between two dates."""

    province = models.ForeignKey(
        "geo.AdminUnit", verbose_name="Tỉnh", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("Tên quy chế", max_length=300)
    decision_no = models.CharField("Số quyết định ban hành", max_length=80)
    decision_date = models.DateField("Ngày quyết định")
    valid_from = models.DateField("Áp dụng từ ngày")
    valid_to = models.DateField("Áp dụng đến ngày", null=True, blank=True)
    max_amount = models.BigIntegerField("Mức cho vay tối đa (đồng)", null=True, blank=True)
    max_share_pct = models.DecimalField(
        "Tối đa (% tổng kinh phí đề án)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    term_months = models.PositiveSmallIntegerField("Thời hạn vay (tháng)")
    grace_months = models.PositiveSmallIntegerField("Ân hạn trả gốc (tháng)", default=0)
    interest_rate_pct = models.DecimalField("Lãi suất (%/năm)", max_digits=5, decimal_places=2, default=0)
    interest_method = models.CharField(
        "Cách tính lãi", max_length=10, choices=InterestMethod.choices, default=InterestMethod.NONE
    )
    frequency = models.CharField(
        "Kỳ trả nợ", max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    collateral_required = models.BooleanField("Phải có tài sản bảo đảm hoặc bảo lãnh", default=False)
    penalty_rate_pct = models.DecimalField(
        "Phạt chậm trả (%/năm trên gốc quá hạn)", max_digits=5, decimal_places=2, default=0
    )
    buckets = models.JSONField("Nhóm tuổi nợ quá hạn (ngày)", default=default_buckets)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Quy chế cho vay khuyến công có hoàn trả"
        verbose_name_plural = "Quy chế cho vay khuyến công có hoàn trả"
        ordering = ["province", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(max_amount__gte=0), name="loans_terms_max_nonneg"),
            models.CheckConstraint(
                condition=Q(max_share_pct__gte=0) & Q(max_share_pct__lte=100), name="loans_terms_share_0_100"
            ),
            models.CheckConstraint(
                condition=Q(interest_rate_pct__gte=0) & Q(interest_rate_pct__lte=100),
                name="loans_terms_rate_0_100",
            ),
            models.CheckConstraint(
                condition=Q(penalty_rate_pct__gte=0) & Q(penalty_rate_pct__lte=100),
                name="loans_terms_penalty_0_100",
            ),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="loans_terms_term_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="loans_terms_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.decision_no})"

    @property
    def interest_text(self) -> str:
        """ "lãi 5 %/năm, lãi tính trên dư nợ giảm dần" or "không tính lãi"."""
        if not self.interest_rate_pct or self.interest_method == InterestMethod.NONE:
            return "không tính lãi"
        method = self.get_interest_method_display()
        return f"lãi {_rate(self.interest_rate_pct)} %/năm, {method[0].lower()}{method[1:]}"

    @property
    def penalty_text(self) -> str:
        """ "phạt chậm trả 7,3 %/năm trên gốc quá hạn" or "không phạt chậm trả"."""
        if not self.penalty_rate_pct:
            return "không phạt chậm trả"
        return f"phạt chậm trả {_rate(self.penalty_rate_pct)} %/năm trên gốc quá hạn"


def _rate(value) -> str:
    from decimal import Decimal

    from khuyencong.core.money import format_number

    return format_number(Decimal(str(value)).normalize())


class WriteOffCause(TimeStampedModel):
    """Catalogue of the causes of a write-off (kinh doanh thất bại, chủ cơ sở không còn ở địa phương, …)."""

    code = models.SlugField("Mã", max_length=40, unique=True)
    name = models.CharField("Nguyên nhân", max_length=200)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Nguyên nhân không thu hồi được nợ"
        verbose_name_plural = "Nguyên nhân không thu hồi được nợ"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class LoanStatus(models.TextChoices):
    DRAFTED = "drafted", "Dự thảo"
    APPROVED = "approved", "Đã phê duyệt"
    DISBURSED = "lent", "Đã giải ngân"  # not "disbursed": a docx placeholder of the reports
    REPAYING = "repaying", "Đang trả nợ"
    RESCHEDULED = "rescheduled", "Đã gia hạn, điều chỉnh kỳ hạn"
    IN_RECOVERY = "in_recovery", "Đang thu hồi nợ"
    WRITTEN_OFF = "written_off", "Đã xóa nợ"
    RECOVERED = "recovered", "Đã thu hồi sau xóa nợ"
    REPAID = "repaid", "Đã trả hết nợ"


class Loan(TimeStampedModel):
    """An establishment's loan from a recoverable đề án (a group đề án may lend to several)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="Đề án", on_delete=models.PROTECT, related_name="loans"
    )
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở vay",
        on_delete=models.PROTECT,
        related_name="loans",
    )
    terms = models.ForeignKey(
        LoanTerms, verbose_name="Quy chế áp dụng", on_delete=models.PROTECT, related_name="loans"
    )
    source = models.ForeignKey(
        "catalog.FundingSource", verbose_name="Nguồn vốn", on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    principal = models.BigIntegerField("Số tiền vay (đồng)")
    contract_no = models.CharField("Số hợp đồng", max_length=80)
    contract_date = models.DateField("Ngày hợp đồng")
    collateral = models.TextField("Tài sản bảo đảm", blank=True)
    guarantor = models.CharField("Người/tổ chức bảo lãnh", max_length=255, blank=True)
    from_revolving_fund = models.BooleanField("Cho vay lại từ tiền thu hồi (quay vòng)", default=False)
    status = models.CharField(
        "Trạng thái", max_length=12, choices=LoanStatus.choices, default=LoanStatus.DRAFTED, editable=False
    )
    status_date = models.DateField("Ngày của bước gần nhất", null=True, blank=True, editable=False)
    decision_no = models.CharField("Số quyết định cho vay", max_length=80, blank=True, editable=False)
    decision_date = models.DateField("Ngày quyết định cho vay", null=True, blank=True, editable=False)
    disbursed_on = models.DateField("Ngày giải ngân", null=True, blank=True, editable=False)
    schedule_no = models.PositiveSmallIntegerField("Lịch trả nợ hiện hành", default=0, editable=False)
    # Write-off: the officer proposes (maker), the approver decides (checker).
    writeoff_cause = models.ForeignKey(
        WriteOffCause,
        verbose_name="Nguyên nhân xóa nợ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
        editable=False,
    )
    writeoff_reason = models.TextField("Lý do đề nghị xóa nợ", blank=True, editable=False)
    writeoff_evidence = models.TextField("Hồ sơ, chứng cứ kèm theo", blank=True, editable=False)
    writeoff_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người đề nghị xóa nợ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    writeoff_proposed_on = models.DateField("Ngày đề nghị xóa nợ", null=True, blank=True, editable=False)
    writeoff_decision_no = models.CharField("Số quyết định xóa nợ", max_length=80, blank=True, editable=False)
    writeoff_decision_date = models.DateField("Ngày quyết định xóa nợ", null=True, blank=True, editable=False)
    written_off_amount = models.BigIntegerField("Số tiền xóa nợ (đồng)", default=0, editable=False)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Khoản vay khuyến công có hoàn trả"
        verbose_name_plural = "Khoản vay khuyến công có hoàn trả"
        ordering = ["-contract_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="loans_loan_principal_positive"),
            models.CheckConstraint(condition=Q(written_off_amount__gte=0), name="loans_loan_writeoff_nonneg"),
            models.UniqueConstraint(fields=["province", "contract_no"], name="loans_loan_contract_unique"),
        ]
        indexes = [models.Index(fields=["province", "status"], name="loans_loan_prov_status")]

    def __str__(self) -> str:
        return f"HĐ {self.contract_no} — {self.establishment}"

    def save(self, *args, **kwargs):
        if self.project_id and not self.province_id:
            self.province_id = self.project.province_id
        super().save(*args, **kwargs)


class Schedule(TimeStampedModel):
    """One repayment schedule of a loan: the first at disbursement, a new one at each rescheduling (the old
    ones are kept). It covers the principal outstanding on `effective_from`."""

    loan = models.ForeignKey(
        Loan, verbose_name="Khoản vay", on_delete=models.CASCADE, related_name="schedules"
    )
    number = models.PositiveSmallIntegerField("Lần lập lịch")
    effective_from = models.DateField("Áp dụng từ ngày")
    principal = models.BigIntegerField("Gốc phải trả theo lịch (đồng)")
    term_months = models.PositiveSmallIntegerField("Thời hạn (tháng)")
    grace_months = models.PositiveSmallIntegerField("Ân hạn gốc (tháng)")
    frequency = models.CharField("Kỳ trả nợ", max_length=12, choices=Frequency.choices)
    interest_rate_pct = models.DecimalField("Lãi suất (%/năm)", max_digits=5, decimal_places=2, default=0)
    interest_method = models.CharField(
        "Cách tính lãi", max_length=10, choices=InterestMethod.choices, default=InterestMethod.NONE
    )
    decision_no = models.CharField("Số quyết định", max_length=80, blank=True)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Lịch trả nợ"
        verbose_name_plural = "Lịch trả nợ"
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="loans_schedule_unique"),
            models.CheckConstraint(condition=Q(principal__gte=0), name="loans_schedule_principal_nonneg"),
        ]


class Instalment(models.Model):
    """One due date of a schedule: principal (and interest, if the terms charge any) in integer đồng."""

    schedule = models.ForeignKey(
        Schedule, verbose_name="Lịch", on_delete=models.CASCADE, related_name="instalments"
    )
    seq = models.PositiveSmallIntegerField("Kỳ")
    due_date = models.DateField("Ngày đến hạn")
    principal = models.BigIntegerField("Gốc (đồng)")
    interest = models.BigIntegerField("Lãi (đồng)", default=0)

    class Meta:
        verbose_name = "Kỳ trả nợ"
        verbose_name_plural = "Các kỳ trả nợ"
        ordering = ["schedule", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "seq"], name="loans_instalment_unique"),
            models.CheckConstraint(condition=Q(principal__gte=0), name="loans_instalment_principal_nonneg"),
            models.CheckConstraint(condition=Q(interest__gte=0), name="loans_instalment_interest_nonneg"),
        ]

    @property
    def amount(self) -> int:
        return self.principal + self.interest


class Repayment(TimeStampedModel):
    """Money paid back (date, amount, document). A mistaken row is never edited: a reversal row cancels it."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Trả nợ"
        REVERSAL = "reversal", "Hủy khoản trả"

    loan = models.ForeignKey(
        Loan, verbose_name="Khoản vay", on_delete=models.PROTECT, related_name="repayments"
    )
    kind = models.CharField("Loại", max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    date = models.DateField("Ngày trả")
    amount = models.BigIntegerField("Số tiền (đồng)")
    document_no = models.CharField("Chứng từ", max_length=80, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="Hủy khoản trả",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Khoản trả nợ"
        verbose_name_plural = "Các khoản trả nợ"
        ordering = ["loan", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loans_repayment_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="payment", reverses__isnull=True)
                | Q(kind="reversal", reverses__isnull=False),
                name="loans_repayment_reversal_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} — {self.loan.contract_no}"


class RecoveryAction(TimeStampedModel):
    """A step to recover a debt: reminder letter, visit, the debtor's commitment, referral to authorities."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Gửi thư nhắc nợ"
        VISIT = "visit", "Đến làm việc tại cơ sở"
        COMMITMENT = "commitment", "Cơ sở cam kết trả nợ"
        REFERRAL = "referral", "Chuyển cơ quan chức năng"

    loan = models.ForeignKey(Loan, verbose_name="Khoản vay", on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField("Biện pháp", max_length=12, choices=Kind.choices)
    date = models.DateField("Ngày")
    note = models.TextField("Nội dung")
    document_no = models.CharField("Số văn bản", max_length=80, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Biện pháp thu hồi nợ"
        verbose_name_plural = "Biện pháp thu hồi nợ"
        ordering = ["loan", "date", "pk"]


class LoanStep(TimeStampedModel):
    """One step of a loan's workflow with its business date and what it changed."""

    loan = models.ForeignKey(Loan, verbose_name="Khoản vay", on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField("Ngày hiệu lực")
    from_status = models.CharField("Từ trạng thái", max_length=12, choices=LoanStatus.choices)
    to_status = models.CharField("Sang trạng thái", max_length=12, choices=LoanStatus.choices)
    label = models.CharField("Thao tác", max_length=120, blank=True)
    changes = models.JSONField("Thay đổi", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Bước của khoản vay"
        verbose_name_plural = "Các bước của khoản vay"
        ordering = ["loan", "effective_date", "pk"]


class FundDraw(TimeStampedModel):
    """Money of a province's revolving fund (repaid and recovered, not yet used) that one of its local annual
    plans uses, by a decision (number and date). It lowers "available to lend again" from its decision date;
    loans lent again from the fund by the plan's đề án (`Loan.from_revolving_fund`) spend the draw first."""

    plan = models.ForeignKey(
        "projects.AnnualPlan", verbose_name="Kế hoạch", on_delete=models.PROTECT, related_name="fund_draws"
    )
    province = models.ForeignKey(
        "geo.AdminUnit", verbose_name="Tỉnh", on_delete=models.PROTECT, related_name="+", editable=False
    )
    amount = models.BigIntegerField("Số tiền sử dụng (đồng)")
    decision_no = models.CharField("Số quyết định", max_length=80)
    decision_date = models.DateField("Ngày quyết định")
    note = models.TextField("Ghi chú", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sử dụng quỹ quay vòng cho kế hoạch"
        verbose_name_plural = "Sử dụng quỹ quay vòng cho kế hoạch"
        ordering = ["province", "decision_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loans_funddraw_amount_positive")
        ]

    def __str__(self) -> str:
        return f"QĐ {self.decision_no} — {self.plan}"

    def save(self, *args, **kwargs):
        if self.plan_id and not self.province_id:
            self.province_id = self.plan.province_id
        super().save(*args, **kwargs)
