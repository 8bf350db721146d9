"""Industrial clusters (cụm công nghiệp, CCN): the registry of a province's clusters, the establishments
located in them and those relocated into them (di dời). Đề án of content 7 name their cluster
(`projects.Project.cluster`), so the per-cluster support cap of Thông tư 28/2018/TT-BTC (≤ 6.000 triệu of
national funds for a cluster's infrastructure, across all its đề án) can be checked on records.

A cluster lies in a commune; both the commune of its establishing decision (old tree, before 1/7/2025) and
today's commune are kept, and `province` (the current province, for scoping) follows from them.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel
from khuyencong.core.text import fold


class WorkStatus(models.TextChoices):
    """The state of one strand of work on a cluster (detailed planning, infrastructure, waste water)."""

    NONE = "none", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"


# The three strands, as (field prefix, label): each has a status and a date (the business date of the
# decision or acceptance that put it in that status).
WORKS = [
    ("planning", "Quy hoạch chi tiết"),
    ("infrastructure", "Hạ tầng kỹ thuật"),
    ("wastewater", "Xử lý nước thải tập trung"),
]


class IndustrialCluster(TimeStampedModel):
    name = models.CharField("Tên cụm công nghiệp", max_length=255)
    commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Xã, phường (theo quyết định thành lập)",
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Xã, phường (hiện nay)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        null=True,
    )
    planned_area_ha = models.DecimalField(
        "Diện tích quy hoạch (ha)", max_digits=9, decimal_places=2, default=0
    )
    occupied_area_ha = models.DecimalField(
        "Diện tích đã cho thuê (ha)", max_digits=9, decimal_places=2, default=0
    )
    decision_no = models.CharField("Số quyết định thành lập", max_length=80, blank=True)
    decision_date = models.DateField("Ngày quyết định thành lập", null=True, blank=True)
    investor = models.CharField("Chủ đầu tư hạ tầng", max_length=255, blank=True)
    planning_status = models.CharField(
        "Quy hoạch chi tiết", max_length=12, choices=WorkStatus.choices, default=WorkStatus.NONE
    )
    planning_date = models.DateField("Ngày (quy hoạch chi tiết)", null=True, blank=True)
    infrastructure_status = models.CharField(
        "Hạ tầng kỹ thuật", max_length=12, choices=WorkStatus.choices, default=WorkStatus.NONE
    )
    infrastructure_date = models.DateField("Ngày (hạ tầng)", null=True, blank=True)
    wastewater_status = models.CharField(
        "Xử lý nước thải", max_length=12, choices=WorkStatus.choices, default=WorkStatus.NONE
    )
    wastewater_date = models.DateField("Ngày (xử lý nước thải)", null=True, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Cụm công nghiệp"
        verbose_name_plural = "Cụm công nghiệp"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="clusters_cluster_unique_name"),
            models.CheckConstraint(
                condition=Q(planned_area_ha__gte=0) & Q(occupied_area_ha__gte=0), name="clusters_area_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(occupied_area_ha__lte=models.F("planned_area_ha")),
                name="clusters_occupied_le_planned",
            ),
        ]
        indexes = [models.Index(fields=["province", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        unit = self.current_commune or self.commune
        self.province_id = unit.current_province_id if unit else None
        self.search_text = fold(" ".join([self.name, self.investor, self.decision_no, self.commune.name]))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "province", "search_text"}
        super().save(*args, **kwargs)

    @property
    def occupancy_pct(self):
        if not self.planned_area_ha:
            return None
        return self.occupied_area_ha * 100 / self.planned_area_ha

    def works(self) -> list[dict]:
        return [
            {
                "key": key,
                "label": label,
                "status": getattr(self, f"{key}_status"),
                "status_label": getattr(self, f"get_{key}_status_display")(),
                "date": getattr(self, f"{key}_date"),
            }
            for key, label in WORKS
        ]


class ClusterEstablishment(TimeStampedModel):
    """An establishment located in a cluster; `relocated` marks one moved in from elsewhere (di dời cơ sở
    gây ô nhiễm), with the date it moved (the business date that counts for the programme's target)."""

    cluster = models.ForeignKey(
        IndustrialCluster, verbose_name="Cụm công nghiệp", on_delete=models.CASCADE, related_name="members"
    )
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        on_delete=models.PROTECT,
        related_name="cluster_memberships",
    )
    since = models.DateField("Vào cụm từ ngày", null=True, blank=True)
    relocated = models.BooleanField("Di dời vào cụm", default=False)
    relocated_from = models.CharField("Di dời từ (địa điểm cũ)", max_length=255, blank=True)
    relocation_date = models.DateField("Ngày di dời", null=True, blank=True)
    area_ha = models.DecimalField(
        "Diện tích thuê (ha)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Cơ sở trong cụm công nghiệp"
        verbose_name_plural = "Cơ sở trong cụm công nghiệp"
        ordering = ["cluster", "establishment__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "establishment"], name="clusters_member_unique"),
            models.CheckConstraint(
                condition=Q(relocated=False) | Q(relocation_date__isnull=False),
                name="clusters_relocation_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} — {self.cluster}"
