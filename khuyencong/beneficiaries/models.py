from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel

from .validators import validate_tax_code


class Establishment(TimeStampedModel):
    """A rural industrial establishment (cơ sở công nghiệp nông thôn): the beneficiary of support."""

    class Gender(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    name = models.CharField("Tên cơ sở", max_length=255)
    establishment_type = models.ForeignKey(
        "catalog.EstablishmentType",
        verbose_name="Loại hình",
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    tax_code = models.CharField(
        "Mã số thuế", max_length=14, null=True, blank=True, unique=True, validators=[validate_tax_code]
    )
    business_reg_no = models.CharField("Số đăng ký kinh doanh", max_length=40, blank=True)
    business_reg_date = models.DateField("Ngày đăng ký kinh doanh", null=True, blank=True)
    representative_name = models.CharField("Người đại diện", max_length=120, blank=True)
    representative_gender = models.CharField(
        "Giới tính người đại diện", max_length=10, choices=Gender.choices, blank=True
    )
    woman_owned = models.BooleanField("Do phụ nữ làm chủ", default=False)
    ethnic_minority_owned = models.BooleanField("Do người dân tộc thiểu số làm chủ", default=False)
    street = models.CharField("Địa chỉ (số nhà, đường, ấp/thôn)", max_length=255, blank=True)
    commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Xã, phường",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 3},
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    sector = models.ForeignKey(
        "catalog.Sector",
        verbose_name="Ngành nghề",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    main_products = models.TextField("Sản phẩm chính", blank=True)
    employees = models.PositiveIntegerField("Số lao động", null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField("Năm thành lập", null=True, blank=True)
    phone = models.CharField("Điện thoại", max_length=40, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    craft_village = models.CharField("Làng nghề", max_length=200, blank=True)
    notes = models.TextField("Ghi chú", blank=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "Cơ sở công nghiệp nông thôn"
        verbose_name_plural = "Cơ sở công nghiệp nông thôn"
        ordering = ["name"]
        indexes = [models.Index(fields=["province", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(employees__isnull=True) | Q(employees__gte=0), name="benef_employees_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def address_text(self) -> str:
        return ", ".join(p for p in [self.street, self.commune.full_name if self.commune_id else ""] if p)

    @property
    def priority_labels(self) -> list[str]:
        """Priority groups under Nghị định 235/2025 this establishment belongs to."""
        labels = []
        if self.woman_owned:
            labels.append("Phụ nữ làm chủ")
        if self.ethnic_minority_owned:
            labels.append("Người dân tộc thiểu số làm chủ")
        return labels

    def compute_search_text(self, commune_full_name: str | None = None) -> str:
        """The folded text searched without diacritics: name, tax code, representative, address, products."""
        from khuyencong.core.text import fold

        if commune_full_name is None:
            commune_full_name = self.commune.full_name if self.commune_id else ""
        address = ", ".join(p for p in [self.street, commune_full_name] if p)
        return fold(
            " ".join([self.name, self.tax_code or "", self.representative_name, address, self.main_products])
        )

    def save(self, *args, **kwargs):
        if self.commune_id:
            self.province_id = self.commune.current_province_id
        self.search_text = self.compute_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "province", "search_text"}
        super().save(*args, **kwargs)
