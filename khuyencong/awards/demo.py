"""Demo voting data. Seed 000 (Bến Tre's 9-month report 2016), here: the provincial round 2016 with 15
products recognised, and the southern regional round 2016 where 6 of them are recognised. Seeds 001, 003 and
004 are in demo_seeds.py. Everything goes
through the services (history, certificates, the level-below rule), with plausible coconut-country products
and juror scores consistent with the pass marks. Idempotent: a second run changes nothing."""

import datetime as dt
import struct
import zlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Organisation, User
from khuyencong.beneficiaries.models import Establishment
from khuyencong.geo.models import AdminUnit, Region

from . import services
from .models import AwardLevel, AwardRound, DossierFile, Juror, ProductGroup, RoundStatus

PROVINCIAL = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Bến Tre năm 2016"
REGIONAL = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu khu vực phía Nam năm 2016"

G = ProductGroup
# (establishment, product, group, provincial mean score) — 18 entries, 16 reach 70, the quota is 15.
PRODUCTS = [
    ("Cơ sở thạch dừa - nước màn dừa Minh Tâm", "Thạch dừa Minh Tâm", G.FOOD, "88.3"),
    ("Cơ sở kẹo dừa Tư Lành Phước Long", "Kẹo dừa sáp Tư Lành", G.FOOD, "86.7"),
    ("HTX Chỉ xơ dừa Định Thủy", "Chỉ xơ dừa xuất khẩu", G.CRAFT, "85.0"),
    ("Cơ sở kẹo dừa Phước Hiệp", "Kẹo dừa lá dứa Phước Hiệp", G.FOOD, "84.3"),
    ("Cơ sở cơ khí Phú Khương", "Máy gọt vỏ dừa khô", G.MACHINERY, "83.0"),
    ("Công ty TNHH Mỹ phẩm dừa Thanh Tân", "Dầu dừa tinh luyện Thanh Tân", G.OTHER, "82.7"),
    ("Cơ sở đan lục bình Phú Túc", "Giỏ lục bình đan tay", G.CRAFT, "81.3"),
    ("Cơ sở bánh phồng Mỹ Thạnh", "Bánh phồng sữa Mỹ Thạnh", G.FOOD, "80.0"),
    ("Công ty TNHH Thạch dừa Giao Long", "Thạch dừa thô Giao Long", G.FOOD, "78.7"),
    ("Cơ sở nước mắm An Đức", "Nước mắm cá cơm Ba Tri", G.FOOD, "77.3"),
    ("HTX Chỉ xơ dừa Định Thủy", "Thảm xơ dừa", G.CRAFT, "76.0"),
    ("Cơ sở gốm Sơn Định", "Chậu gốm trồng kiểng Sơn Định", G.CRAFT, "75.3"),
    ("Cơ sở tôm khô Thạnh Phong", "Tôm khô Thạnh Phú", G.FOOD, "74.0"),
    ("Cơ sở thạch dừa - nước màn dừa Minh Tâm", "Nước màn dừa đóng chai", G.FOOD, "73.3"),
    ("HTX Dịch vụ nông nghiệp Tân Thạch", "Chuối sấy dẻo Tân Thạch", G.FOOD, "72.0"),
    ("Cơ sở cơ khí Thới Lai", "Ghe composite Thới Lai", G.MACHINERY, "70.7"),
    ("HTX Cây giống Vĩnh Thành", "Chậu kiểng bonsai Chợ Lách", G.OTHER, "68.3"),
    ("Công ty TNHH Mỹ phẩm dừa Thanh Tân", "Xà phòng dừa thảo mộc", G.OTHER, "64.7"),
]
# The 8 best provincial products are forwarded; regional means (pass mark 75, as round data): 6 recognised.
REGIONAL_SCORES = ["85.0", "83.3", "81.7", "80.0", "78.3", "76.7", "73.3", "70.0"]

COLOURS = [(0xE8, 0xDC, 0xC0), (0x7A, 0x4E, 0x2D), (0x3C, 0x8D, 0x40)]


def png_bytes(rgb=(0xFF, 0x80, 0x00), width: int = 4, height: int = 3) -> bytes:
    """A real, tiny PNG image of one colour (the demo's product photos)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def split(total: Decimal) -> dict[int, Decimal]:
    """A juror total over the 40/40/10/10 criteria (criteria order → points)."""
    a = (total * Decimal("0.4")).quantize(Decimal("0.1"))
    c = min(Decimal(10), ((total - 2 * a) / 2).quantize(Decimal("0.1")))
    return {1: a, 2: a, 3: c, 4: total - 2 * a - c}


def _juror_users(org, prefix: str, names) -> list[User]:
    from khuyencong.accounts.demo import _user

    return [
        _user(f"{prefix}{i}", org, "viewer", last, first, title)
        for i, (last, first, title) in enumerate(names, 1)
    ]


def _score_all(award_round, entries, means, users):
    for entry, mean in zip(entries, means, strict=True):
        entry.refresh_from_db()
        mean = Decimal(mean)
        for user, delta in zip(users, (Decimal("-1.5"), Decimal(0), Decimal("1.5")), strict=True):
            points = split(mean + delta)
            by_id = {str(c.pk): str(points[c.order]) for c in award_round.criteria.all()}
            services.sheet_save(actor=user, entry=entry, points=by_id, scored_on=award_round.scoring_start)


def _move(award_round, actor, to_status, **data):
    award_round.refresh_from_db()
    moved = services.round_transition(
        actor=actor,
        award_round=award_round,
        to_status=to_status,
        expected_version=award_round.version,
        **data,
    )
    award_round.refresh_from_db()
    return moved


def load() -> None:
    """Every seed's voting story, oldest first where one builds on another (2016 regional → 2017 national)."""
    load_seed_000()
    from .demo_seeds import load_seed_001, load_seed_003, load_seed_004

    load_seed_001()
    load_seed_003()
    load_seed_004()


def load_seed_000() -> None:
    if AwardRound.objects.filter(title=PROVINCIAL).exists():
        return
    officer = User.objects.filter(username="vinhlong").first()
    approver = User.objects.filter(username="vinhlong.lanhdao").first()
    cuc = User.objects.filter(username="cuc").first()
    if officer is None or approver is None or cuc is None:
        return
    ben_tre = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    establishments = {e.name: e for e in Establishment.objects.filter(name__in={p[0] for p in PRODUCTS})}
    if len(establishments) != len({p[0] for p in PRODUCTS}):
        return
    so_vl = officer.organisation
    cuc_org = cuc.organisation or Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).first()

    provincial = services.round_create(
        actor=officer,
        title=PROVINCIAL,
        level=AwardLevel.PROVINCE,
        year=2016,
        organiser=so_vl,
        unit=ben_tre,
        registration_start=dt.date(2016, 3, 1),
        registration_end=dt.date(2016, 4, 15),
        scoring_start=dt.date(2016, 4, 20),
        scoring_end=dt.date(2016, 5, 20),
        pass_mark=70,
        quota=15,
        validity_years=3,
        note="Seed 000: 15 sản phẩm được bình chọn cấp tỉnh năm 2016.",
    )
    _move(provincial, officer, RoundStatus.OPEN, effective_date=dt.date(2016, 3, 1))
    jurors = _juror_users(
        so_vl,
        "vinhlong.giamkhao",
        [
            ("Phạm Văn", "Hùng", "Phó Giám đốc Sở Công Thương (Chủ tịch Hội đồng)"),
            ("Võ Thị", "Lan", "Liên minh Hợp tác xã tỉnh"),
            ("Đặng Minh", "Trí", "Chi cục Tiêu chuẩn Đo lường Chất lượng"),
        ],
    )
    roles = [Juror.Role.CHAIR, Juror.Role.MEMBER, Juror.Role.MEMBER]
    for user, role in zip(jurors, roles, strict=True):
        services.juror_add(
            actor=officer, award_round=provincial, user=user, role=role, affiliation=user.job_title
        )
    entries = []
    for i, (est_name, name, group, _) in enumerate(PRODUCTS):
        est = establishments[est_name]
        product = services.product_create(
            actor=officer,
            establishment=est,
            name=name,
            group=group,
            description=f"{name} — sản phẩm của {est.name}, sản xuất hàng loạt tại cơ sở.",
        )
        for n, rgb in enumerate(COLOURS, 1):
            shade = tuple((c + 9 * i) % 256 for c in rgb)
            upload = SimpleUploadedFile(f"anh-{n}.png", png_bytes(shade), content_type="image/png")
            services.dossier_add(actor=officer, product=product, kind=DossierFile.Kind.PHOTO, upload=upload)
        day = dt.date(2016, 3, 10) + dt.timedelta(days=i)
        entry = services.entry_create(
            actor=officer,
            award_round=provincial,
            product=product,
            registered_on=day,
            registration_details="Phiếu đăng ký, bản sao đăng ký kinh doanh, 3 ảnh màu sản phẩm.",
        )
        entries.append(
            services.entry_submit(
                actor=officer, entry=entry, expected_version=entry.version, submitted_on=day
            )
        )
    _move(provincial, officer, RoundStatus.SCORING, effective_date=dt.date(2016, 4, 20))
    provincial.refresh_from_db()
    _score_all(provincial, entries, [p[3] for p in PRODUCTS], jurors)
    _move(
        provincial,
        approver,
        RoundStatus.DECIDED,
        decision_no="1125/QĐ-UBND",
        decision_date=dt.date(2016, 5, 30),
        decision_note="Theo đề nghị của Hội đồng bình chọn; xếp hạng theo điểm bình quân.",
    )

    regional = services.round_create(
        actor=cuc,
        title=REGIONAL,
        level=AwardLevel.REGION,
        year=2016,
        organiser=cuc_org,
        region=Region.objects.get(code="phia-nam"),
        registration_start=dt.date(2016, 6, 15),
        registration_end=dt.date(2016, 7, 31),
        scoring_start=dt.date(2016, 8, 10),
        scoring_end=dt.date(2016, 8, 31),
        pass_mark=75,
        quota=40,
        validity_years=3,
        note="Seed 000: 6 sản phẩm của Bến Tre được bình chọn cấp khu vực (điểm đạt cấp khu vực chưa xác "
        "nhận từ văn bản: dữ liệu của đợt).",
    )
    _move(regional, cuc, RoundStatus.OPEN, effective_date=dt.date(2016, 6, 15))
    top = list(provincial.entries.filter(recognised=True).order_by("rank", "pk")[: len(REGIONAL_SCORES)])
    forwarded = services.entries_forward(
        actor=officer, entries=top, to_round=regional, registered_on=dt.date(2016, 7, 5)
    )
    cuc_jurors = _juror_users(
        cuc_org,
        "cuc.giamkhao",
        [
            ("Hoàng Quốc", "Việt", "Cục Công nghiệp địa phương (Chủ tịch Hội đồng)"),
            ("Lý Thị", "Hương", "Trung tâm Khuyến công khu vực phía Nam"),
            ("Ngô Đức", "Thịnh", "Chuyên gia thủ công mỹ nghệ"),
        ],
    )
    for user, role in zip(cuc_jurors, roles, strict=True):
        services.juror_add(actor=cuc, award_round=regional, user=user, role=role, affiliation=user.job_title)
    _move(regional, cuc, RoundStatus.SCORING, effective_date=dt.date(2016, 8, 10))
    regional.refresh_from_db()
    _score_all(regional, forwarded, REGIONAL_SCORES, cuc_jurors)
    _move(
        regional,
        cuc,
        RoundStatus.DECIDED,
        decision_no="245/QĐ-CCN",
        decision_date=dt.date(2016, 9, 12),
        decision_note="Sản phẩm đạt từ 75 điểm trở lên.",
    )
