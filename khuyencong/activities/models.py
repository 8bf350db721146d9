"""Activities delivered to establishments (Nghị định 45/2012/NĐ-CP, Điều 4): fairs and exhibitions, training
courses, conferences, study tours, information pieces, consultancy, energy audits and cleaner-production
assessments; who took part (participations, trainees, attendees) and what an audit found.

The kinds, the energy conversion factors and the key-energy-user thresholds are catalogue data (rows loaded
with the other catalogues by defaults.load(), editable in the admin), not code. `Activity.status` is written
only by `services.activity_transition`
on the shared engine (the table lives in workflow.py); the business dates (held_on, reported_on) are what
reports read.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel
from khuyencong.core.text import fold


class KindGroup(models.TextChoices):
    """What records an activity of a kind carries (the kind itself is data)."""

    FAIR = "fair", "Hội chợ, triển lãm, gian hàng"
    VOCATIONAL = "vocational", "Đào tạo nghề, truyền nghề"
    TRAINING = "training", "Tập huấn, bồi dưỡng"
    CONFERENCE = "conference", "Hội nghị, hội thảo"
    STUDY_TOUR = "study_tour", "Đoàn học tập kinh nghiệm"
    INFORMATION = "information", "Thông tin, tuyên truyền"
    CONSULTANCY = "consultancy", "Tư vấn, trợ giúp"
    ENERGY_AUDIT = "energy_audit", "Kiểm toán năng lượng"
    CLEANER_PRODUCTION = "cleaner_production", "Đánh giá sản xuất sạch hơn"


PARTICIPANT_GROUPS = frozenset({KindGroup.FAIR, KindGroup.CONSULTANCY})
TRAINEE_GROUPS = frozenset({KindGroup.VOCATIONAL, KindGroup.TRAINING})
ATTENDEE_GROUPS = frozenset({KindGroup.CONFERENCE, KindGroup.STUDY_TOUR})
ASSESSMENT_GROUPS = frozenset({KindGroup.ENERGY_AUDIT, KindGroup.CLEANER_PRODUCTION})


class ActivityKind(TimeStampedModel):
    """A kind of activity (catalogue): «Hội chợ, triển lãm trong nước», «Lớp tập huấn, bồi dưỡng»…"""

    code = models.SlugField("Mã", max_length=40, unique=True)
    name = models.CharField("Loại hoạt động", max_length=200)
    group = models.CharField("Nhóm", max_length=20, choices=KindGroup.choices)
    content_code = models.CharField(
        "Nội dung khuyến công (số thứ tự)", max_length=10, help_text="Nội dung theo Nghị định 45/2012/NĐ-CP."
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    is_active = models.BooleanField("Đang dùng", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Loại hoạt động"
        verbose_name_plural = "Loại hoạt động"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class EnergyFactor(TimeStampedModel):
    """A conversion factor of one energy carrier to TOE and tCO₂e (catalogue, with its basis and dates)."""

    code = models.SlugField("Mã", max_length=40, unique=True)
    name = models.CharField("Dạng năng lượng", max_length=120)
    unit = models.CharField("Đơn vị", max_length=20, default="kWh")
    toe_per_unit = models.DecimalField("TOE trên 1 đơn vị", max_digits=14, decimal_places=10)
    co2_per_unit = models.DecimalField("tCO₂e trên 1 đơn vị", max_digits=14, decimal_places=10, default=0)
    legal_basis = models.CharField("Căn cứ", max_length=300, blank=True)
    valid_from = models.DateField("Hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Hệ số quy đổi năng lượng"
        verbose_name_plural = "Hệ số quy đổi năng lượng"
        ordering = ["name", "-valid_from"]
        constraints = [models.CheckConstraint(condition=Q(toe_per_unit__gt=0), name="activities_factor_pos")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class KeyEnergyThreshold(TimeStampedModel):
    """The consumption from which an establishment is a key energy user (cơ sở sử dụng năng lượng trọng
    điểm), per sector, as the ministry's rules set it (catalogue, with validity dates)."""

    code = models.SlugField("Mã", max_length=40, unique=True)
    name = models.CharField("Lĩnh vực", max_length=200)
    min_toe = models.DecimalField("Từ (TOE/năm)", max_digits=14, decimal_places=2)
    legal_basis = models.CharField("Căn cứ", max_length=300, blank=True)
    valid_from = models.DateField("Hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Ngưỡng cơ sở sử dụng năng lượng trọng điểm"
        verbose_name_plural = "Ngưỡng cơ sở sử dụng năng lượng trọng điểm"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}: từ {self.min_toe} TOE/năm"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Kế hoạch"
    HELD = "held", "Đã tổ chức"
    REPORTED = "reported", "Đã báo cáo kết quả"
    CANCELLED = "cancelled", "Hủy"


COUNTED_STATUSES = (ActivityStatus.HELD, ActivityStatus.REPORTED)


class Activity(TimeStampedModel):
    """One activity: a fair attended, a class held, a report broadcast, an audit campaign…"""

    kind = models.ForeignKey(ActivityKind, verbose_name="Loại hoạt động", on_delete=models.PROTECT)
    title = models.CharField("Tên hoạt động", max_length=400)
    year = models.PositiveSmallIntegerField("Năm", editable=False)
    start_date = models.DateField("Từ ngày")
    end_date = models.DateField("Đến ngày")
    unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Địa phương thực hiện",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Tỉnh (hoặc xã, huyện) có chương trình khuyến công thực hiện hoạt động — cũ hoặc hiện nay.",
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Tỉnh (hiện nay)",
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Nơi tổ chức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Tỉnh, xã nơi diễn ra (vd. hội chợ tại tỉnh khác).",
    )
    venue = models.CharField("Địa điểm", max_length=300, blank=True)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="Đơn vị chủ trì (trong hệ thống)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organiser_name = models.CharField("Đơn vị tổ chức", max_length=300, blank=True)
    funding_project = models.ForeignKey(
        "projects.Project",
        verbose_name="Đề án kinh phí",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="Để trống nếu là nhiệm vụ thường xuyên của Trung tâm.",
    )
    content = models.ForeignKey(
        "catalog.ActivityContent",
        verbose_name="Nội dung khuyến công",
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField("Nội dung, chương trình", blank=True)
    # Training: counts (also set from the named list when one is imported).
    trainees_total = models.PositiveIntegerField("Số học viên", null=True, blank=True)
    trainees_female = models.PositiveIntegerField("Học viên nữ", null=True, blank=True)
    trainees_ethnic = models.PositiveIntegerField("Học viên dân tộc thiểu số", null=True, blank=True)
    certificates = models.PositiveIntegerField("Số chứng chỉ cấp", null=True, blank=True)
    employed_count = models.PositiveIntegerField("Có việc làm sau đào tạo", null=True, blank=True)
    employed_on = models.DateField("Ngày theo dõi việc làm", null=True, blank=True)
    status = models.CharField(
        "Trạng thái",
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
        editable=False,
    )
    status_date = models.DateField("Ngày của bước gần nhất", null=True, blank=True, editable=False)
    held_on = models.DateField("Ngày tổ chức xong", null=True, blank=True, editable=False, db_index=True)
    reported_on = models.DateField("Ngày báo cáo kết quả", null=True, blank=True, editable=False)
    result_note = models.TextField("Kết quả", blank=True, editable=False)
    note = models.TextField("Ghi chú", blank=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "Hoạt động khuyến công"
        verbose_name_plural = "Hoạt động khuyến công"
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="activities_date_order"
            ),
            models.CheckConstraint(
                condition=Q(trainees_female__isnull=True)
                | Q(trainees_total__isnull=True)
                | Q(trainees_female__lte=models.F("trainees_total")),
                name="activities_female_le_total",
            ),
            models.CheckConstraint(
                condition=Q(trainees_ethnic__isnull=True)
                | Q(trainees_total__isnull=True)
                | Q(trainees_ethnic__lte=models.F("trainees_total")),
                name="activities_ethnic_le_total",
            ),
        ]
        indexes = [models.Index(fields=["province", "held_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def group(self) -> str:
        return self.kind.group

    def save(self, *args, **kwargs):
        self.province_id = self.unit.current_province_id or self.unit_id
        self.year = self.start_date.year
        self.search_text = fold(" ".join([self.title, self.organiser_name, self.venue]))
        super().save(*args, **kwargs)


class ActivityStep(TimeStampedModel):
    """One step of an activity's workflow with its business date and what it changed."""

    activity = models.ForeignKey(
        Activity, verbose_name="Hoạt động", on_delete=models.CASCADE, related_name="steps"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField("Ngày hiệu lực")
    from_status = models.CharField("Từ trạng thái", max_length=10, choices=ActivityStatus.choices)
    to_status = models.CharField("Sang trạng thái", max_length=10, choices=ActivityStatus.choices)
    label = models.CharField("Thao tác", max_length=120, blank=True)
    changes = models.JSONField("Thay đổi", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Bước của hoạt động"
        verbose_name_plural = "Các bước của hoạt động"
        ordering = ["activity", "effective_date", "pk"]


class Participation(TimeStampedModel):
    """An establishment at a fair (or consulted): booths, products shown, contracts and sales it reported.
    One row is one «lượt cơ sở»."""

    activity = models.ForeignKey(
        Activity, verbose_name="Hoạt động", on_delete=models.CASCADE, related_name="participations"
    )
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        on_delete=models.PROTECT,
        related_name="participations",
    )
    booths = models.PositiveSmallIntegerField("Số gian hàng", default=0)
    products = models.TextField("Sản phẩm trưng bày", blank=True)
    contracts = models.PositiveIntegerField("Số hợp đồng, biên bản ghi nhớ", default=0)
    contract_value = models.BigIntegerField("Giá trị hợp đồng (đồng)", default=0)
    sales = models.BigIntegerField("Doanh số bán tại hội chợ (đồng)", default=0)
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Lượt cơ sở tham gia"
        verbose_name_plural = "Lượt cơ sở tham gia"
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "establishment"], name="activities_participation_unique"
            ),
            models.CheckConstraint(
                condition=Q(contract_value__gte=0) & Q(sales__gte=0), name="activities_participation_money"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} — {self.activity}"


class ParticipationSupport(TimeStampedModel):
    """Support an establishment received for one participation, per funding source (optionally the đề án's
    payment it was paid from)."""

    participation = models.ForeignKey(
        Participation, verbose_name="Lượt tham gia", on_delete=models.CASCADE, related_name="supports"
    )
    source = models.ForeignKey(
        "catalog.FundingSource", verbose_name="Nguồn kinh phí", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField("Số tiền hỗ trợ (đồng)")
    disbursement = models.ForeignKey(
        "projects.Disbursement",
        verbose_name="Chứng từ thanh toán của đề án",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kinh phí hỗ trợ lượt tham gia"
        verbose_name_plural = "Kinh phí hỗ trợ lượt tham gia"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="activities_support_amount"),
            models.UniqueConstraint(fields=["participation", "source"], name="activities_support_unique"),
        ]


class Trainee(TimeStampedModel):
    """A trainee listed by name, with their establishment or commune."""

    class Sex(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    activity = models.ForeignKey(
        Activity, verbose_name="Lớp", on_delete=models.CASCADE, related_name="trainees"
    )
    full_name = models.CharField("Họ và tên", max_length=120)
    sex = models.CharField("Giới tính", max_length=6, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField("Năm sinh", null=True, blank=True)
    ethnic_minority = models.BooleanField("Dân tộc thiểu số", default=False)
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Xã, phường",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attended = models.BooleanField("Có tham dự đủ", default=True)
    certificate_no = models.CharField("Số chứng chỉ", max_length=60, blank=True)
    employed = models.BooleanField("Có việc làm sau đào tạo", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Học viên"
        verbose_name_plural = "Học viên"
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.full_name


class Attendee(TimeStampedModel):
    """Attendees of a conference or study tour, by organisation."""

    activity = models.ForeignKey(
        Activity, verbose_name="Hoạt động", on_delete=models.CASCADE, related_name="attendees"
    )
    organisation = models.CharField("Cơ quan, đơn vị", max_length=300)
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveIntegerField("Số người", default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đại biểu, thành viên đoàn"
        verbose_name_plural = "Đại biểu, thành viên đoàn"
        ordering = ["activity", "pk"]


class InfoPiece(TimeStampedModel):
    """One piece of an information campaign: an article, a broadcast, a column issue, a leaflet."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Tin, bài"
        BROADCAST = "broadcast", "Phóng sự phát thanh, truyền hình"
        COLUMN = "column", "Kỳ chuyên mục"
        PUBLICATION = "publication", "Ấn phẩm, tờ rơi"

    activity = models.ForeignKey(
        Activity, verbose_name="Hoạt động", on_delete=models.CASCADE, related_name="pieces"
    )
    kind = models.CharField("Loại", max_length=12, choices=Kind.choices)
    title = models.CharField("Tiêu đề", max_length=400)
    medium = models.CharField("Cơ quan báo, đài, nơi phát hành", max_length=200)
    published_on = models.DateField("Ngày đăng, phát sóng")
    copies = models.PositiveIntegerField("Số bản (ấn phẩm)", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Tin, bài, ấn phẩm"
        verbose_name_plural = "Tin, bài, ấn phẩm"
        ordering = ["activity", "published_on", "pk"]


class Assessment(TimeStampedModel):
    """An energy audit or a cleaner-production assessment of one establishment: consumption before, measures,
    savings expected and verified, investment and payback."""

    activity = models.ForeignKey(
        Activity, verbose_name="Hoạt động", on_delete=models.CASCADE, related_name="assessments"
    )
    establishment = models.ForeignKey(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessed_on = models.DateField("Ngày báo cáo kiểm toán, đánh giá")
    factor = models.ForeignKey(
        EnergyFactor, verbose_name="Hệ số quy đổi", on_delete=models.PROTECT, related_name="+"
    )
    baseline_kwh = models.BigIntegerField("Tiêu thụ trước (kWh/năm)", null=True, blank=True)
    baseline_toe = models.DecimalField("Tiêu thụ trước (TOE/năm)", max_digits=14, decimal_places=2)
    measures_proposed = models.TextField("Giải pháp đề xuất", blank=True)
    measures_adopted = models.TextField("Giải pháp cơ sở áp dụng", blank=True)
    expected_kwh = models.BigIntegerField("Tiết kiệm dự kiến (kWh/năm)", default=0)
    expected_toe = models.DecimalField(
        "Tiết kiệm dự kiến (TOE/năm)", max_digits=14, decimal_places=2, default=0
    )
    expected_co2 = models.DecimalField(
        "Giảm phát thải dự kiến (tCO₂e/năm)", max_digits=14, decimal_places=2, default=0
    )
    expected_money = models.BigIntegerField("Tiết kiệm dự kiến (đồng/năm)", default=0)
    verified_on = models.DateField("Ngày xác nhận kết quả", null=True, blank=True)
    verified_kwh = models.BigIntegerField("Tiết kiệm thực tế (kWh/năm)", null=True, blank=True)
    verified_toe = models.DecimalField(
        "Tiết kiệm thực tế (TOE/năm)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    verified_co2 = models.DecimalField(
        "Giảm phát thải thực tế (tCO₂e/năm)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    verified_money = models.BigIntegerField("Tiết kiệm thực tế (đồng/năm)", null=True, blank=True)
    investment = models.BigIntegerField("Vốn đầu tư giải pháp (đồng)", default=0)
    payback_years = models.DecimalField(
        "Thời gian hoàn vốn (năm)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kiểm toán năng lượng, đánh giá SXSH"
        verbose_name_plural = "Kiểm toán năng lượng, đánh giá SXSH"
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "establishment"], name="activities_assessment_unique"
            ),
            models.CheckConstraint(
                condition=Q(baseline_toe__gte=0) & Q(expected_kwh__gte=0) & Q(investment__gte=0),
                name="activities_assessment_nonneg",
            ),
        ]

    def key_energy_threshold(self, day: dt.date | None = None) -> "KeyEnergyThreshold | None":
        """The industrial key-energy-user threshold in force on `day` that this consumption reaches."""
        day = day or self.assessed_on
        qs = KeyEnergyThreshold.objects.filter(code__startswith="cong-nghiep").filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )
        t = qs.order_by("-valid_from").first()
        return t if t is not None and self.baseline_toe >= t.min_toe else None


ZERO = Decimal(0)
