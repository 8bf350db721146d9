"""The yearly assessment of provinces' khuyến công work (seed 002: periodic reports "làm cơ sở để xem xét đánh
giá năng lực thực hiện và khen thưởng"). How each criterion is measured is code (criteria.py, documented
there and on the page); how much each weighs is data the Cục edits, one scheme per year (a year without its
own scheme uses the latest earlier one, else the defaults). A table the Cục publishes is frozen as it was
published; until then a province sees only its own line and rank.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel


class Criterion(models.TextChoices):
    REPORTING = "reporting", "Thực hiện chế độ báo cáo định kỳ"
    NATIONAL_EXECUTION = "national_execution", "Tỷ lệ thực hiện kế hoạch khuyến công quốc gia"
    LOCAL_EXECUTION = "local_execution", "Tỷ lệ thực hiện kế hoạch khuyến công địa phương"
    STOPPED_EXTENDED = "stopped_extended", "Đề án phải dừng, gia hạn (tỷ lệ càng thấp càng tốt)"
    OUTPUTS = "outputs", "Kết quả đầu ra so với chỉ tiêu năm"


class AssessmentScheme(TimeStampedModel):
    """The weights of one year's assessment (points out of their sum, normally 100)."""

    year = models.PositiveSmallIntegerField("Năm áp dụng", unique=True)
    basis = models.CharField("Căn cứ", max_length=300, blank=True)
    late_penalty_per_day = models.DecimalField(
        "Trừ mỗi ngày nộp muộn (% điểm tiêu chí báo cáo)", max_digits=5, decimal_places=2, default=2
    )
    late_floor = models.DecimalField(
        "Báo cáo nộp muộn được ít nhất (% điểm)", max_digits=5, decimal_places=2, default=50
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Bộ tiêu chí đánh giá năm"
        verbose_name_plural = "Bộ tiêu chí đánh giá năm"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(late_penalty_per_day__gte=0, late_penalty_per_day__lte=100)
                & Q(late_floor__gte=0, late_floor__lte=100),
                name="rankings_scheme_percent_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"Tiêu chí đánh giá năm {self.year}"


class CriterionWeight(TimeStampedModel):
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="weights")
    criterion = models.CharField("Tiêu chí", max_length=30, choices=Criterion.choices)
    weight = models.DecimalField("Điểm tối đa", max_digits=5, decimal_places=2)
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Trọng số tiêu chí"
        verbose_name_plural = "Trọng số tiêu chí"
        ordering = ["scheme", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "criterion"], name="rankings_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="rankings_weight_0_100"),
        ]


class Publication(TimeStampedModel):
    """The Cục published the ranked table of a year and region (None: the nation): `rows` is the table as
    published (every province's breakdown), what provinces then see."""

    year = models.PositiveSmallIntegerField("Năm")
    region = models.ForeignKey(
        "geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The region's code, or "" for the nation: one publication per year and scope (NULLs would not collide).
    region_key = models.CharField(max_length=40, blank=True, editable=False)
    published_on = models.DateField("Ngày công bố")
    document_no = models.CharField("Số văn bản công bố", max_length=80, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    rows = models.JSONField("Bảng xếp hạng đã công bố", default=list, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Công bố kết quả đánh giá"
        verbose_name_plural = "Công bố kết quả đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["year", "region_key"], name="rankings_publication_unique")
        ]

    def __str__(self) -> str:
        return f"Kết quả đánh giá năm {self.year}"
