"""Open data: each province chooses whether its khuyến công records are published and from which plan
year (nothing is published without a setting)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel


class PublishSetting(TimeStampedModel):
    province = models.OneToOneField(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1, "era": "current"},
    )
    publish = models.BooleanField("Công bố dữ liệu mở", default=False)
    from_year = models.PositiveSmallIntegerField("Công bố từ kế hoạch năm", default=2015)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Cài đặt công bố dữ liệu mở"
        verbose_name_plural = "Cài đặt công bố dữ liệu mở"
        constraints = [
            models.CheckConstraint(
                condition=Q(from_year__gte=2000) & Q(from_year__lte=2100), name="opendata_from_year_range"
            )
        ]
