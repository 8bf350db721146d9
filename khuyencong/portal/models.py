"""The establishment's portal: online đề án applications (with their attachments and steps), the profile
changes an establishment proposes (confirmed by the officer), and the notifications it receives.

`Application.status` is written only by `services.application_transition` (the table lives in workflow.py).
An accepted application points to the registered đề án it became (`project`, reverse `portal_application`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel
from khuyencong.projects.models import Level


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi, chờ xem xét"
    RETURNED = "returned", "Trả lại để bổ sung"
    REJECTED = "rejected", "Không chấp nhận"
    ACCEPTED = "accepted", "Đã tiếp nhận, thành đề án đăng ký"


class Application(TimeStampedModel):
    """Đăng ký đề án trực tuyến: what an establishment asks support for, for one plan year and level."""

    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        on_delete=models.PROTECT,
        related_name="portal_applications",
    )
    province = models.ForeignKey(
        "geo.AdminUnit", verbose_name="Tỉnh (hiện nay)", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm kế hoạch")
    level = models.CharField(
        "Cấp",
        max_length=10,
        choices=Level.choices,
    )
    content = models.ForeignKey(
        "catalog.ActivityContent",
        verbose_name="Nội dung hoạt động",
        on_delete=models.PROTECT,
        related_name="+",
    )
    support_cap = models.ForeignKey(
        "catalog.SupportCap",
        verbose_name="Nội dung chi (mức hỗ trợ tối đa)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("Tên đề án đề nghị", max_length=500)
    description = models.TextField("Nội dung, mục tiêu", blank=True)
    items = models.TextField("Máy móc, thiết bị cần mua / việc cần làm", blank=True)
    requested = models.BigIntegerField("Đề nghị hỗ trợ (đồng)", default=0)
    counterpart = models.BigIntegerField("Vốn đối ứng của cơ sở (đồng)", default=0)
    start_date = models.DateField("Dự kiến bắt đầu", null=True, blank=True)
    end_date = models.DateField("Dự kiến kết thúc", null=True, blank=True)
    entered_by_office = models.BooleanField("Hồ sơ giấy do cán bộ nhập", default=False, editable=False)
    status = models.CharField(
        "Trạng thái",
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        editable=False,
    )
    officer_comment = models.TextField("Ý kiến của cán bộ", blank=True, editable=False)
    reject_reason = models.TextField("Lý do không chấp nhận", blank=True, editable=False)
    submitted_on = models.DateField("Ngày gửi", null=True, blank=True, editable=False)
    decided_on = models.DateField("Ngày xử lý", null=True, blank=True, editable=False)
    project = models.OneToOneField(
        "projects.Project",
        verbose_name="Đề án đăng ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_application",
        editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đăng ký đề án trực tuyến"
        verbose_name_plural = "Đăng ký đề án trực tuyến"
        ordering = ["-year", "-pk"]
        indexes = [models.Index(fields=["province", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(requested__gte=0), name="portal_app_requested_nonneg"),
            models.CheckConstraint(condition=Q(counterpart__gte=0), name="portal_app_counterpart_nonneg"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="portal_app_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Đăng ký số {self.pk} — {self.title}"

    @property
    def total_cost(self) -> int:
        return self.requested + self.counterpart

    @property
    def editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ApplicationStep(TimeStampedModel):
    """One applied step of an application (who, when, from → to, the comment or reason)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField("Ngày")
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    label = models.CharField("Thao tác", max_length=120)
    note = models.TextField("Ghi chú", blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application", "pk"]


def attachment_path(instance, filename: str) -> str:
    return f"portal/{instance.application_id}/{filename}"


class Attachment(TimeStampedModel):
    """A file attached to an application (served only to the establishment and the officers in scope)."""

    class Kind(models.TextChoices):
        QUOTATION = "quotation", "Báo giá"
        BUSINESS_REG = "business_reg", "Giấy đăng ký kinh doanh"
        OTHER = "other", "Tài liệu khác"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("Loại tài liệu", max_length=14, choices=Kind.choices)
    file = models.FileField("Tệp", upload_to=attachment_path, max_length=300)
    original_name = models.CharField("Tên tệp", max_length=255)
    size = models.PositiveIntegerField("Dung lượng (byte)")
    content_type = models.CharField("Kiểu tệp", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Tài liệu kèm theo đăng ký"
        verbose_name_plural = "Tài liệu kèm theo đăng ký"
        ordering = ["application", "pk"]


class ProfileChange(TimeStampedModel):
    """Changes an establishment proposes to its own record; the officer confirms (applied through the
    beneficiaries service, audited) or rejects them."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ cán bộ xác nhận"
        CONFIRMED = "confirmed", "Đã xác nhận"
        REJECTED = "rejected", "Không chấp nhận"

    establishment = models.ForeignKey(
        "beneficiaries.Establishment", on_delete=models.CASCADE, related_name="profile_changes"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changes = models.JSONField("Thay đổi đề nghị", default=dict)  # {field: [before, after]}
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đề nghị sửa hồ sơ cơ sở"
        verbose_name_plural = "Đề nghị sửa hồ sơ cơ sở"
        ordering = ["-pk"]


class Notification(TimeStampedModel):
    """A message to an establishment about its applications or profile."""

    establishment = models.ForeignKey(
        "beneficiaries.Establishment", on_delete=models.CASCADE, related_name="portal_notifications"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.TextField("Nội dung")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
