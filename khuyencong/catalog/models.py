"""Catalogues as data, each row with its legal basis and validity dates; edited by admins only."""

import datetime as dt

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Validity(models.Model):
    valid_from = models.DateField("Hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True


class LegalDocument(TimeStampedModel):
    """A legal text: Nghị định 45/2012/NĐ-CP, Thông tư 28/2018/TT-BTC, a provincial decision…"""

    number = models.CharField("Số, ký hiệu", max_length=80)
    doc_type = models.CharField("Loại văn bản", max_length=60, blank=True)
    title = models.CharField("Trích yếu", max_length=500, blank=True)
    issuer = models.CharField("Cơ quan ban hành", max_length=200, blank=True)
    issued_date = models.DateField("Ngày ban hành", null=True, blank=True)
    effective_date = models.DateField("Ngày hiệu lực", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Văn bản pháp lý"
        verbose_name_plural = "Văn bản pháp lý"
        ordering = ["-issued_date", "number"]
        constraints = [models.UniqueConstraint(fields=["number"], name="catalog_legaldoc_number_unique")]

    def __str__(self) -> str:
        when = f" ngày {self.issued_date:%d/%m/%Y}" if self.issued_date else ""
        return f"{self.doc_type} {self.number}{when}".strip()


class ActivityContent(TimeStampedModel, Validity):
    """A khuyến công activity content, numbered as in the legal basis (Nghị định 45/2012, Điều 4)."""

    code = models.CharField("Mã (số thứ tự)", max_length=10)
    name = models.CharField("Nội dung hoạt động", max_length=500)
    short_name = models.CharField("Tên ngắn", max_length=120, blank=True)
    legal_basis = models.ForeignKey(LegalDocument, verbose_name="Căn cứ pháp lý", on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Nội dung hoạt động khuyến công"
        verbose_name_plural = "Nội dung hoạt động khuyến công"
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["legal_basis", "code"], name="catalog_content_unique")]

    def __str__(self) -> str:
        return self.label(self.code, self.short_name, self.name)

    @staticmethod
    def label(code: str, short_name: str, name: str) -> str:
        """ "3. Hội chợ…": the code and the short name (the name when there is none), from the columns."""
        return f"{code}. {short_name or name}"


class FundingSource(TimeStampedModel, Validity):
    """Where the money comes from: KCQG (national), KCĐP (provincial), district/commune, counterpart."""

    NATIONAL, LOCAL, DISTRICT, COUNTERPART = "national", "local", "district", "counterpart"

    code = models.SlugField("Mã", max_length=20, unique=True)
    name = models.CharField("Tên nguồn kinh phí", max_length=200)
    short_name = models.CharField("Viết tắt", max_length=20)
    is_public = models.BooleanField("Ngân sách nhà nước", default=True)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    legal_basis = models.ForeignKey(
        LegalDocument, verbose_name="Căn cứ pháp lý", null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Nguồn kinh phí"
        verbose_name_plural = "Nguồn kinh phí"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Sector(TimeStampedModel, Validity):
    """Rural-industry sector (ngành nghề CNNT)."""

    code = models.SlugField("Mã", max_length=30, unique=True)
    name = models.CharField("Ngành nghề", max_length=200)
    legal_basis = models.ForeignKey(
        LegalDocument, verbose_name="Căn cứ pháp lý", null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Ngành nghề CNNT"
        verbose_name_plural = "Ngành nghề CNNT"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EstablishmentType(TimeStampedModel, Validity):
    """DN, HTX, THT, HKD."""

    code = models.CharField("Mã", max_length=10, unique=True)
    name = models.CharField("Loại hình", max_length=120)
    legal_basis = models.ForeignKey(
        LegalDocument, verbose_name="Căn cứ pháp lý", null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Loại hình cơ sở"
        verbose_name_plural = "Loại hình cơ sở"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class SupportCap(TimeStampedModel, Validity):
    """A support ceiling: ≤ max_percent of the cost and ≤ max_amount đồng per `per` (Thông tư
    28/2018/TT-BTC)."""

    class Per(models.TextChoices):
        MODEL = "model", "mỗi mô hình"
        ESTABLISHMENT = "establishment", "mỗi cơ sở"
        TECH_LINE = "tech_line", "mỗi dây chuyền công nghệ"
        ROUND = "round", "mỗi lần tổ chức"
        CLUSTER = "cluster", "mỗi cụm công nghiệp"
        PROJECT = "project", "mỗi đề án"

    code = models.SlugField("Mã", max_length=60, unique=True)
    name = models.CharField("Nội dung chi", max_length=300)
    content = models.ForeignKey(
        ActivityContent, verbose_name="Nội dung hoạt động", null=True, blank=True, on_delete=models.PROTECT
    )
    funding_source = models.ForeignKey(FundingSource, verbose_name="Nguồn kinh phí", on_delete=models.PROTECT)
    per = models.CharField("Tính theo", max_length=20, choices=Per.choices)
    max_percent = models.DecimalField(
        "Tỷ lệ tối đa (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_amount = models.BigIntegerField("Mức tối đa (đồng)", null=True, blank=True)
    legal_basis = models.ForeignKey(LegalDocument, verbose_name="Căn cứ pháp lý", on_delete=models.PROTECT)
    article = models.CharField("Điều, khoản", max_length=120, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Mức hỗ trợ tối đa"
        verbose_name_plural = "Mức hỗ trợ tối đa"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_percent__isnull=True) | (Q(max_percent__gte=0) & Q(max_percent__lte=100)),
                name="catalog_cap_percent_0_100",
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gte=0), name="catalog_cap_amount_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rule_text(self) -> str:
        """ "≤ 50 % và ≤ 300 triệu đồng mỗi cơ sở (Thông tư 28/2018/TT-BTC, Điều 4)"."""
        from khuyencong.core.money import format_number, format_short

        parts = []
        if self.max_percent is not None:
            parts.append(f"≤ {format_number(self.max_percent.normalize())} % chi phí")
        if self.max_amount is not None:
            parts.append(f"≤ {format_short(self.max_amount)}")
        basis = f"{self.legal_basis.doc_type} {self.legal_basis.number}".strip()
        if self.article:
            basis += f", {self.article}"
        return f"{self.name}: {' và '.join(parts)} {self.get_per_display()} ({basis})"


class OutputIndicator(TimeStampedModel, Validity):
    """What a đề án produces and a programme targets: trainees, machines, models, participations…"""

    code = models.SlugField("Mã", max_length=40, unique=True)
    name = models.CharField("Chỉ tiêu", max_length=255)
    unit = models.CharField("Đơn vị tính", max_length=40)
    content = models.ForeignKey(
        ActivityContent, verbose_name="Nội dung hoạt động", null=True, blank=True, on_delete=models.SET_NULL
    )
    is_money = models.BooleanField("Là số tiền (đồng)", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chỉ tiêu đầu ra"
        verbose_name_plural = "Chỉ tiêu đầu ra"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"
