"""Demand survey campaigns (khảo sát nhu cầu) of a province for plan year N+1: the questionnaire as data,
invitations to establishments, their answers (in the portal, or entered by an officer from a paper form,
marked so) and the registrations of the next plan that answers became (`Response.project`).

`Campaign.status` is written only by `services.campaign_transition` (table in workflow.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel
from khuyencong.projects.models import Level


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Đang chuẩn bị"
    OPEN = "open", "Đang nhận phiếu"
    CLOSED = "closed", "Đã kết thúc"


class Campaign(TimeStampedModel):
    unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh khảo sát",
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
    title = models.CharField("Tên đợt khảo sát", max_length=300)
    plan_year = models.PositiveSmallIntegerField("Cho kế hoạch năm")
    level = models.CharField(
        "Cấp kế hoạch",
        max_length=10,
        choices=Level.choices,
        default="local",
    )
    opens_on = models.DateField("Nhận phiếu từ ngày")
    closes_on = models.DateField("Nhận phiếu đến ngày")
    status = models.CharField(
        "Trạng thái",
        max_length=8,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        editable=False,
    )
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đợt khảo sát nhu cầu"
        verbose_name_plural = "Đợt khảo sát nhu cầu"
        ordering = ["-plan_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="surveys_campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.province_id = self.unit.current_province_id or self.unit_id
        super().save(*args, **kwargs)


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        CHOICE = "one_of", "Chọn một"
        NUMBER = "whole_number", "Số"
        MONEY = "money_amount", "Số tiền"
        TEXT = "free_text", "Văn bản"

    class Role(models.TextChoices):
        """What a registration made from an answer takes from this question."""

        CONTENT = "activity_content", "Nội dung hoạt động (mã)"
        TITLE = "project_title", "Tên, nội dung đề án"
        AMOUNT = "support_amount", "Kinh phí đề nghị hỗ trợ"
        COUNTERPART = "counterpart_amount", "Vốn đối ứng"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("Thứ tự")
    code = models.SlugField("Mã", max_length=40)
    text = models.CharField("Câu hỏi", max_length=500)
    kind = models.CharField("Loại", max_length=16, choices=Kind.choices)
    choices = models.JSONField("Các lựa chọn", default=list, blank=True)  # [[value, label], …]
    required = models.BooleanField("Bắt buộc", default=False)
    role = models.CharField("Dùng khi lập đề án", max_length=20, choices=Role.choices, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Câu hỏi khảo sát"
        verbose_name_plural = "Câu hỏi khảo sát"
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="surveys_question_code_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    def choice_label(self, value) -> str:
        return next((label for v, label in self.choices if str(v) == str(value)), str(value))


class Invitation(TimeStampedModel):
    """An establishment invited to answer; its commune and sector at invitation are kept for the
    completeness counts."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    establishment = models.ForeignKey(
        "beneficiaries.Establishment", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    commune = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(
        "catalog.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_on = models.DateField("Ngày mời")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Cơ sở được mời khảo sát"
        verbose_name_plural = "Cơ sở được mời khảo sát"
        ordering = ["campaign", "establishment__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "establishment"], name="surveys_invitation_unique"),
        ]


class Response(TimeStampedModel):
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    answered_on = models.DateField("Ngày trả lời")
    on_paper = models.BooleanField("Phiếu giấy do cán bộ nhập", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="Đề án đăng ký lập từ phiếu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    application = models.ForeignKey(
        "portal.Application",
        verbose_name="Đăng ký đề án của cơ sở",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Phiếu trả lời khảo sát"
        verbose_name_plural = "Phiếu trả lời khảo sát"
        ordering = ["invitation__campaign", "pk"]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    number = models.BigIntegerField(null=True, blank=True)  # number, or money in đồng

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveys_answer_unique"),
        ]

    @property
    def value(self):
        return self.number if self.question.kind in (Question.Kind.NUMBER, Question.Kind.MONEY) else self.text
