"""Product voting (bình chọn sản phẩm công nghiệp nông thôn tiêu biểu, Thông tư 26/2014/TT-BCT and its
amendments): rounds at every level, products and their dossiers, entries, councils, score sheets,
certificates.

`AwardRound.status` is written only by `services.round_transition` (the table lives in workflow.py). The
rules that differ by legal basis (criteria and their maxima, pass mark, quota, validity of a certificate)
are data on the round, copied from the defaults when the round is created and editable per round.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel

# From 1/7/2025 (Thông tư 38/2025/TT-BCT, two-tier local government) there is no district level: the commune
# level replaces it.
COMMUNE_LEVEL_FROM = dt.date(2025, 7, 1)


class AwardLevel(models.TextChoices):
    COMMUNE = "commune", "Cấp xã"
    DISTRICT = "district", "Cấp huyện"
    PROVINCE = "province", "Cấp tỉnh"
    REGION = "region", "Cấp khu vực"
    NATIONAL = "national", "Cấp quốc gia"


# The level whose valid certificate an entry at this level needs ("moving up").
LEVEL_BELOW = {AwardLevel.REGION: AwardLevel.PROVINCE, AwardLevel.NATIONAL: AwardLevel.REGION}


class ProductGroup(models.TextChoices):
    CRAFT = "craft", "Thủ công mỹ nghệ"
    FOOD = "food", "Chế biến nông-lâm-thủy sản và thực phẩm"
    MACHINERY = "machinery", "Thiết bị, máy móc, dụng cụ, phụ tùng cơ khí"
    OTHER = "other", "Khác"


class RoundStatus(models.TextChoices):
    PLANNED = "planned", "Đã lập kế hoạch"
    OPEN = "open", "Đang nhận hồ sơ"
    SCORING = "scoring", "Đang chấm điểm"
    DECIDED = "decided", "Đã quyết định công nhận"
    CLOSED = "closed", "Đã kết thúc"


class AwardRound(TimeStampedModel):
    """Một đợt bình chọn: level, organiser, year, windows, pass mark, quota, the đề án that funds it."""

    title = models.CharField("Tên đợt bình chọn", max_length=300)
    level = models.CharField("Cấp bình chọn", max_length=10, choices=AwardLevel.choices)
    year = models.PositiveSmallIntegerField("Năm")
    organiser = models.ForeignKey(
        "accounts.Organisation", verbose_name="Cơ quan tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Địa bàn tổ chức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Xã/huyện/tỉnh tổ chức; để trống với đợt cấp khu vực, quốc gia.",
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "geo.Region",
        verbose_name="Khu vực",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.ForeignKey(
        "catalog.LegalDocument",
        verbose_name="Căn cứ pháp lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registration_start = models.DateField("Nhận hồ sơ từ ngày")
    registration_end = models.DateField("Nhận hồ sơ đến ngày")
    scoring_start = models.DateField("Chấm điểm từ ngày")
    scoring_end = models.DateField("Chấm điểm đến ngày")
    pass_mark = models.DecimalField("Điểm đạt (tối thiểu)", max_digits=5, decimal_places=1, default=70)
    quota = models.PositiveSmallIntegerField("Số sản phẩm được công nhận tối đa")
    validity_years = models.PositiveSmallIntegerField("Thời hạn giấy chứng nhận (năm)", default=3)
    publish_scores = models.BooleanField(
        "Công bố điểm bình quân",
        default=False,
        help_text="Danh mục công khai chỉ hiện điểm bình quân của sản phẩm khi đợt công bố điểm.",
    )
    funding_project = models.ForeignKey(
        "projects.Project",
        verbose_name="Đề án kinh phí (nội dung 4)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_rounds",
    )
    status = models.CharField(
        "Trạng thái", max_length=10, choices=RoundStatus.choices, default=RoundStatus.PLANNED, editable=False
    )
    status_date = models.DateField("Ngày của bước gần nhất", null=True, blank=True, editable=False)
    decision_no = models.CharField("Số quyết định công nhận", max_length=80, blank=True, editable=False)
    decision_date = models.DateField("Ngày quyết định công nhận", null=True, blank=True, editable=False)
    decision_note = models.TextField("Căn cứ, lý do của quyết định", blank=True, editable=False)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đợt bình chọn sản phẩm CNNT tiêu biểu"
        verbose_name_plural = "Đợt bình chọn sản phẩm CNNT tiêu biểu"
        ordering = ["-year", "level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_end__gte=models.F("registration_start")),
                name="awards_round_registration_order",
            ),
            models.CheckConstraint(
                condition=Q(scoring_end__gte=models.F("scoring_start")), name="awards_round_scoring_order"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=100), name="awards_round_pass_mark_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference_date(self) -> dt.date:
        """The round's date: the rules (levels, certificates of the level below) are read on it."""
        return self.registration_start

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.province_id = self.unit.current_province_id or self.unit_id
        else:
            self.province_id = None
        super().save(*args, **kwargs)


class RoundStep(TimeStampedModel):
    """One step of a round's workflow with its business date and what it changed."""

    round = models.ForeignKey(AwardRound, verbose_name="Đợt", on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField("Ngày hiệu lực")
    from_status = models.CharField("Từ trạng thái", max_length=10, choices=RoundStatus.choices)
    to_status = models.CharField("Sang trạng thái", max_length=10, choices=RoundStatus.choices)
    label = models.CharField("Thao tác", max_length=120, blank=True)
    changes = models.JSONField("Thay đổi", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Bước của đợt bình chọn"
        verbose_name_plural = "Các bước của đợt bình chọn"
        ordering = ["round", "effective_date", "pk"]


class Criterion(TimeStampedModel):
    """One criterion of the round's score sheet (with its sub-criteria as text), out of `max_points`."""

    round = models.ForeignKey(
        AwardRound, verbose_name="Đợt", on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField("Thứ tự")
    name = models.CharField("Tiêu chí", max_length=300)
    max_points = models.DecimalField("Điểm tối đa", max_digits=5, decimal_places=1)
    sub_criteria = models.JSONField("Tiêu chí thành phần", default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Tiêu chí chấm điểm"
        verbose_name_plural = "Tiêu chí chấm điểm"
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="awards_criterion_unique"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="awards_criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points:g} điểm)"


class Juror(TimeStampedModel):
    """A member of the round's council who scores (name and role)."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chủ tịch Hội đồng"
        VICE_CHAIR = "vice_chair", "Phó Chủ tịch Hội đồng"
        MEMBER = "member", "Ủy viên"
        SECRETARY = "secretary", "Thư ký"

    round = models.ForeignKey(AwardRound, verbose_name="Đợt", on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Thành viên", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        "Vai trò trong hội đồng", max_length=12, choices=Role.choices, default=Role.MEMBER
    )
    affiliation = models.CharField("Đơn vị công tác", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Thành viên hội đồng"
        verbose_name_plural = "Thành viên hội đồng"
        ordering = ["round", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="awards_juror_unique")]

    def __str__(self) -> str:
        return f"{self.user.display_name} — {self.get_role_display()}"


class Product(TimeStampedModel):
    """A product of an establishment; its dossier (files) travels with it from level to level."""

    name = models.CharField("Tên sản phẩm", max_length=300)
    group = models.CharField("Nhóm sản phẩm", max_length=10, choices=ProductGroup.choices)
    description = models.TextField("Mô tả sản phẩm", blank=True)
    establishment = models.ForeignKey(
        "beneficiaries.Establishment", verbose_name="Cơ sở", on_delete=models.PROTECT, related_name="products"
    )
    sector = models.ForeignKey(
        "catalog.Sector",
        verbose_name="Ngành nghề",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_by_establishment = models.BooleanField("Cơ sở tự sản xuất", default=True)
    series_production = models.BooleanField(
        "Sản xuất hàng loạt (không phải sản phẩm đơn chiếc)", default=True
    )
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "Sản phẩm"
        verbose_name_plural = "Sản phẩm"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from khuyencong.core.text import fold

        self.search_text = fold(f"{self.name} {self.establishment.name}")
        super().save(*args, **kwargs)


def dossier_path(instance, filename: str) -> str:
    return f"awards/dossiers/{instance.product_id}/{filename}"


class DossierFile(TimeStampedModel):
    """One file of a product's dossier (stored under MEDIA_ROOT, served only through a scoped view)."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", "Phiếu đăng ký"
        BUSINESS_REG = "business_reg", "Giấy đăng ký kinh doanh"
        PHOTO = "photo", "Ảnh màu sản phẩm"
        QUALITY = "quality", "Giấy chứng nhận chất lượng, an toàn thực phẩm"
        AWARD = "award", "Giải thưởng, chứng nhận khác"
        OTHER = "other", "Tài liệu khác"

    product = models.ForeignKey(
        Product, verbose_name="Sản phẩm", on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField("Loại tài liệu", max_length=14, choices=Kind.choices)
    file = models.FileField("Tệp", upload_to=dossier_path, max_length=300)
    original_name = models.CharField("Tên tệp", max_length=255)
    size = models.PositiveIntegerField("Dung lượng (byte)")
    content_type = models.CharField("Kiểu tệp", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tải lên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Tài liệu hồ sơ"
        verbose_name_plural = "Tài liệu hồ sơ"
        ordering = ["product", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "Đang lập hồ sơ"
    SUBMITTED = "submitted", "Đã nộp hồ sơ"


class Entry(TimeStampedModel):
    """A product entered in a round; its result (score, eligible, recognised, rank) is set by the decision."""

    round = models.ForeignKey(
        AwardRound, verbose_name="Đợt", on_delete=models.PROTECT, related_name="entries"
    )
    product = models.ForeignKey(
        Product, verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="entries"
    )
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        on_delete=models.PROTECT,
        related_name="award_entries",
        editable=False,
    )
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name="Chuyển lên từ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_to",
    )
    status = models.CharField(
        "Trạng thái hồ sơ",
        max_length=10,
        choices=EntryStatus.choices,
        default=EntryStatus.DRAFT,
        editable=False,
    )
    registered_on = models.DateField("Ngày đăng ký")
    submitted_on = models.DateField("Ngày nộp hồ sơ", null=True, blank=True, editable=False)
    registration_details = models.TextField("Thông tin đăng ký (năng lực sản xuất, thị trường…)", blank=True)
    score = models.DecimalField("Điểm bình quân", max_digits=5, decimal_places=1, null=True, blank=True)
    eligible = models.BooleanField("Đạt điểm", default=False, editable=False)
    recognised = models.BooleanField("Được công nhận", default=False, editable=False)
    rank = models.PositiveSmallIntegerField("Xếp hạng", null=True, blank=True, editable=False)
    result_note = models.CharField("Ghi chú kết quả", max_length=300, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Sản phẩm dự bình chọn"
        verbose_name_plural = "Sản phẩm dự bình chọn"
        ordering = ["round", "rank", "product__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "product"], name="awards_entry_unique")]

    def __str__(self) -> str:
        return f"{self.product.name} — {self.round}"

    def save(self, *args, **kwargs):
        if self.product_id:
            self.establishment_id = self.product.establishment_id
        super().save(*args, **kwargs)


class ScoreSheet(TimeStampedModel):
    """One juror's sheet for one entry: points per criterion ({criterion id: points}) and their total."""

    entry = models.ForeignKey(Entry, verbose_name="Sản phẩm", on_delete=models.CASCADE, related_name="sheets")
    juror = models.ForeignKey(
        Juror, verbose_name="Thành viên chấm", on_delete=models.PROTECT, related_name="sheets"
    )
    points = models.JSONField("Điểm theo tiêu chí", default=dict)
    total = models.DecimalField("Tổng điểm", max_digits=5, decimal_places=1, default=0)
    scored_on = models.DateField("Ngày chấm")
    comment = models.TextField("Nhận xét", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Phiếu chấm điểm"
        verbose_name_plural = "Phiếu chấm điểm"
        ordering = ["entry", "juror", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "juror"], name="awards_sheet_unique")]

    def __str__(self) -> str:
        return f"Phiếu của {self.juror.user.display_name} — {self.entry.product.name}"


class Certificate(TimeStampedModel):
    """Giấy chứng nhận sản phẩm CNNT tiêu biểu: valid from its date for the round's validity years."""

    number = models.CharField("Số giấy chứng nhận", max_length=80)
    issued_on = models.DateField("Ngày cấp")
    level = models.CharField("Cấp", max_length=10, choices=AwardLevel.choices)
    round = models.ForeignKey(
        AwardRound, verbose_name="Đợt", on_delete=models.PROTECT, related_name="certificates"
    )
    entry = models.OneToOneField(
        Entry, verbose_name="Sản phẩm dự bình chọn", on_delete=models.PROTECT, related_name="certificate"
    )
    product = models.ForeignKey(
        Product, verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="certificates"
    )
    establishment = models.ForeignKey(
        "beneficiaries.Establishment", verbose_name="Cơ sở", on_delete=models.PROTECT, related_name="+"
    )
    validity_years = models.PositiveSmallIntegerField("Thời hạn (năm)")
    valid_until = models.DateField("Có giá trị đến ngày", editable=False)
    revoked = models.BooleanField("Đã thu hồi", default=False, editable=False)
    revoked_on = models.DateField("Ngày thu hồi", null=True, blank=True, editable=False)
    revocation_reason = models.TextField("Lý do thu hồi", blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Giấy chứng nhận sản phẩm CNNT tiêu biểu"
        verbose_name_plural = "Giấy chứng nhận sản phẩm CNNT tiêu biểu"
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="awards_certificate_number_unique")
        ]

    def __str__(self) -> str:
        return f"Giấy chứng nhận số {self.number} — {self.product.name}"

    @staticmethod
    def end_date(issued_on: dt.date, years: int) -> dt.date:
        """The last day of validity: `years` after the date of issue, the day before (29/2 → 28/2)."""
        try:
            same_day = issued_on.replace(year=issued_on.year + years)
        except ValueError:
            same_day = issued_on.replace(year=issued_on.year + years, day=28) + dt.timedelta(days=1)
        return same_day - dt.timedelta(days=1)

    def valid_on(self, day: dt.date) -> bool:
        if self.issued_on > day or self.valid_until < day:
            return False
        return not (self.revoked and self.revoked_on is not None and self.revoked_on <= day)

    def save(self, *args, **kwargs):
        self.valid_until = self.end_date(self.issued_on, self.validity_years)
        super().save(*args, **kwargs)
