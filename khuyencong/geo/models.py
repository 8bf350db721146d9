import datetime as dt

from django.db import models
from django.db.models import Q

from khuyencong.core.text import fold

# The 2025 reorganisation: 34 provinces from 12/6/2025, no district level from 1/7/2025.
PROVINCE_REFORM_DATE = "2025-06-12"
COMMUNE_REFORM_DATE = "2025-07-01"
# How every list and picker tells the two trees apart ("Tỉnh Đắk Lắk (trước 1/7/2025)" / "(hiện nay)").
ERA_SUFFIX = {"old": "trước 1/7/2025", "current": "hiện nay"}


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    """Units in force on `day` (validity dates; a missing bound is open)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def valid_in_year_q(year: int, prefix: str = "") -> Q:
    """Units a record of `year` may be filed on: in force on 1/1 or on 31/12 of that year (2025 offers both
    trees; earlier years only the old one, later years only the current one)."""
    return valid_on_q(dt.date(year, 1, 1), prefix) | valid_on_q(dt.date(year, 12, 31), prefix)


class AdminUnit(models.Model):
    """An administrative unit of either tree: the current one (since 2025) or the old one (63 provinces
    with districts). Codes are unique within (era, level). Every unit knows the current province it
    rolls up into (`current_province`), which is how records are scoped and aggregated."""

    class Era(models.TextChoices):
        CURRENT = "current", "Hiện hành (sau sắp xếp 2025)"
        OLD = "old", "Trước sắp xếp 2025"

    class Level(models.IntegerChoices):
        PROVINCE = 1, "Tỉnh, thành phố"
        DISTRICT = 2, "Quận, huyện, thị xã, thành phố thuộc tỉnh"
        COMMUNE = 3, "Xã, phường, thị trấn, đặc khu"

    era = models.CharField("Thời kỳ", max_length=8, choices=Era.choices)
    level = models.PositiveSmallIntegerField("Cấp", choices=Level.choices)
    code = models.CharField("Mã", max_length=5)
    name = models.CharField("Tên", max_length=120)
    short_name = models.CharField("Tên ngắn", max_length=120, blank=True)
    division_type = models.CharField("Loại", max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name="Đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    current_province = models.ForeignKey(
        "self",
        verbose_name="Thuộc tỉnh hiện nay",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rolled_up_units",
    )
    valid_from = models.DateField("Hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        verbose_name = "Đơn vị hành chính"
        verbose_name_plural = "Đơn vị hành chính"
        ordering = ["era", "level", "code"]
        constraints = [models.UniqueConstraint(fields=["era", "level", "code"], name="geo_unit_unique_code")]
        indexes = [models.Index(fields=["level", "era"]), models.Index(fields=["current_province", "level"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.era == self.Era.CURRENT

    @property
    def era_suffix(self) -> str:
        return ERA_SUFFIX.get(self.era, "")

    @property
    def label_with_era(self) -> str:
        """ "Tỉnh Đắk Lắk (trước 1/7/2025)" / "Tỉnh Đắk Lắk (hiện nay)": the label of a unit wherever units
        are
        listed or picked (choice fields use it as `label_from_instance`)."""
        return f"{self.name} ({self.era_suffix})" if self.era_suffix else self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def is_valid_in_year(self, year: int) -> bool:
        return self.is_valid_on(dt.date(year, 1, 1)) or self.is_valid_on(dt.date(year, 12, 31))

    @property
    def full_name(self) -> str:
        """ "Phường 6, Thành phố Bến Tre, Tỉnh Bến Tre" — the unit with its parents."""
        parts, unit = [], self
        while unit is not None:
            parts.append(unit.name)
            unit = unit.parent
        return ", ".join(parts)

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class UnitSuccession(models.Model):
    """The old→new crosswalk of the 2025 reorganisation (and any later one)."""

    old_unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    new_unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessions")
    partial = models.BooleanField("Chỉ một phần", default=False)
    effective_date = models.DateField("Ngày hiệu lực")

    class Meta:
        verbose_name = "Chuyển đổi đơn vị hành chính"
        verbose_name_plural = "Bảng chuyển đổi đơn vị hành chính"
        constraints = [models.UniqueConstraint(fields=["old_unit", "new_unit"], name="geo_succession_unique")]


class Region(models.Model):
    """A grouping of provinces for aggregation (e.g. the Ministry's southern region of seed 002)."""

    code = models.SlugField("Mã", max_length=40, unique=True)
    name = models.CharField("Tên vùng", max_length=200)
    description = models.TextField("Ghi chú", blank=True)
    provinces = models.ManyToManyField(AdminUnit, through="RegionMember", related_name="regions")

    class Meta:
        verbose_name = "Vùng"
        verbose_name_plural = "Vùng"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegionMember(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="members")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, limit_choices_to={"level": 1})

    class Meta:
        verbose_name = "Tỉnh thuộc vùng"
        verbose_name_plural = "Tỉnh thuộc vùng"
        constraints = [
            models.UniqueConstraint(fields=["region", "province"], name="geo_region_member_unique")
        ]
