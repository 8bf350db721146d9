"""Demo voting data of seeds 001, 003 and 004, through the services like seed 000 (demo.py):

- seed 001 (Bến Tre's programme 2014–2020, looking back): the provincial round 2012 with 40 products, 15
  recognised, and the southern regional round 2012 where 9 of them are recognised;
- seed 003 (Bến Tre 2014–2018): two provincial rounds (2014 here, 2016 from seed 000) with 30 recognised
  products, 14 recognised at regional level (8 in 2014, 6 in 2016) and 5 at national level (2 in 2015 from
  the 2014 regional round, 3 in 2017 from the 2016 one);
- seed 004 (Bắc Kạn 2018): the provincial round 2018 funded by the local đề án BK18-DP-01, decided before the
  đề án was completed (25/5/2018, within the 6-month report).

Every product moves up with its certificate (provincial certificate → regional entry → national entry), and
every certificate is distinct, so the counts per round are exact. Idempotent: a round found by its title is
not loaded again. The pass marks of the regional (75) and national (80) rounds and the quota of the national
rounds are not confirmed from the texts: they are the rounds' data."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Organisation, User
from khuyencong.beneficiaries.models import Establishment
from khuyencong.geo.models import AdminUnit, Region

from . import services
from .demo import COLOURS, REGIONAL, _juror_users, _move, _score_all, png_bytes
from .models import AwardLevel, AwardRound, DossierFile, Entry, Juror, ProductGroup, RoundStatus

D = dt.date
G = ProductGroup

BT_2012 = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Bến Tre năm 2012"
REGION_2012 = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu khu vực phía Nam năm 2012"
BT_2014 = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Bến Tre năm 2014"
REGION_2014 = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu khu vực phía Nam năm 2014"
NATIONAL_2015 = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia năm 2015"
NATIONAL_2017 = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia năm 2017"
BK_2018 = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Bắc Kạn năm 2018"

MINH_TAM = "Cơ sở thạch dừa - nước màn dừa Minh Tâm"
DINH_THUY = "HTX Chỉ xơ dừa Định Thủy"
GIAO_LONG = "Công ty TNHH Thạch dừa Giao Long"
PHU_KHUONG = "Cơ sở cơ khí Phú Khương"
MY_THANH = "Cơ sở bánh phồng Mỹ Thạnh"
PHUOC_HIEP = "Cơ sở kẹo dừa Phước Hiệp"
VINH_THANH = "HTX Cây giống Vĩnh Thành"
SON_DINH = "Cơ sở gốm Sơn Định"
AN_DUC = "Cơ sở nước mắm An Đức"
THANH_PHONG = "Cơ sở tôm khô Thạnh Phong"
THOI_LAI = "Cơ sở cơ khí Thới Lai"
PHU_TUC = "Cơ sở đan lục bình Phú Túc"

# (establishment, product, group) of the 2012 round, best first (the establishments of that time only).
PRODUCTS_2012 = [
    (MINH_TAM, "Thạch dừa cắt hạt lựu Minh Tâm", G.FOOD),
    (PHUOC_HIEP, "Kẹo dừa ca cao Phước Hiệp", G.FOOD),
    (DINH_THUY, "Lưới xơ dừa chống sạt lở", G.CRAFT),
    (GIAO_LONG, "Cơm dừa nạo sấy Giao Long", G.FOOD),
    (PHU_KHUONG, "Máy tách vỏ dừa tươi", G.MACHINERY),
    (SON_DINH, "Chậu gốm men lam Sơn Định", G.CRAFT),
    (AN_DUC, "Nước mắm cá cơm nguyên chất An Đức", G.FOOD),
    (MY_THANH, "Bánh phồng nếp Sơn Đốc", G.FOOD),
    (THOI_LAI, "Xuồng composite Thới Lai", G.MACHINERY),
    (VINH_THANH, "Kiểng thú tạo hình Chợ Lách", G.OTHER),
    (DINH_THUY, "Dây thừng xơ dừa bện tay", G.CRAFT),
    (PHUOC_HIEP, "Kẹo chuối Phước Hiệp", G.FOOD),
    (THANH_PHONG, "Mắm tôm chua Thạnh Phú", G.FOOD),
    (MINH_TAM, "Mứt dừa non Minh Tâm", G.FOOD),
    (GIAO_LONG, "Thạch dừa đóng ly Giao Long", G.FOOD),
    # below: eligible but beyond the quota (4), then under 70 (21)
    (PHU_KHUONG, "Máy nạo cơm dừa", G.MACHINERY),
    (SON_DINH, "Lu gốm trang trí Sơn Định", G.CRAFT),
    (MY_THANH, "Bánh tráng dừa Mỹ Lồng", G.FOOD),
    (AN_DUC, "Mắm ruốc Ba Tri", G.FOOD),
    (VINH_THANH, "Chậu kiểng giả đá", G.OTHER),
    (THOI_LAI, "Chân vịt ghe bằng đồng", G.MACHINERY),
    (THANH_PHONG, "Khô cá dứa Thạnh Phú", G.FOOD),
    (MINH_TAM, "Thạch dừa vị lá dứa", G.FOOD),
    (DINH_THUY, "Mụn dừa ép viên trồng lan", G.OTHER),
    (GIAO_LONG, "Nước dừa tươi đóng chai", G.FOOD),
    (PHUOC_HIEP, "Kẹo dừa đậu phộng Phước Hiệp", G.FOOD),
    (PHU_KHUONG, "Máy cắt thạch dừa", G.MACHINERY),
    (MY_THANH, "Bánh phồng tôm Mỹ Thạnh", G.FOOD),
    (SON_DINH, "Gạch gốm lát sân vườn", G.OTHER),
    (VINH_THANH, "Giá thể xơ dừa trồng rau", G.OTHER),
    (AN_DUC, "Nước mắm cá cơm pha sẵn", G.FOOD),
    (THANH_PHONG, "Tôm khô loại đặc biệt Thạnh Phong", G.FOOD),
    (THOI_LAI, "Máy đánh xuồng 5,5 HP", G.MACHINERY),
    (MINH_TAM, "Nước màn dừa Minh Tâm chai 1 lít", G.FOOD),
    (DINH_THUY, "Thảm chùi chân xơ dừa", G.CRAFT),
    (GIAO_LONG, "Thạch dừa thô xuất khẩu", G.FOOD),
    (PHUOC_HIEP, "Bánh kẹo dừa hộp quà", G.FOOD),
    (MY_THANH, "Bánh tráng sữa Mỹ Thạnh", G.FOOD),
    (SON_DINH, "Bình gốm cắm hoa", G.CRAFT),
    (VINH_THANH, "Cây giống bưởi da xanh ghép", G.OTHER),
]
# (establishment, product, group) of the 2014 round, best first: 20 entries, 17 reach 70, quota 15.
PRODUCTS_2014 = [
    (MINH_TAM, "Thạch dừa sợi Minh Tâm", G.FOOD),
    (DINH_THUY, "Thảm xơ dừa trải sân golf", G.CRAFT),
    (PHUOC_HIEP, "Kẹo dừa sữa lá dứa hộp 400 g", G.FOOD),
    (GIAO_LONG, "Dầu dừa nguyên chất Giao Long", G.FOOD),
    (PHU_KHUONG, "Máy ép chỉ xơ dừa", G.MACHINERY),
    (PHU_TUC, "Túi xách lục bình Phú Túc", G.CRAFT),
    (SON_DINH, "Chậu gốm đỏ Sơn Định", G.CRAFT),
    (MY_THANH, "Bánh phồng sữa dừa Sơn Đốc", G.FOOD),
    (AN_DUC, "Nước mắm nhĩ An Đức", G.FOOD),
    (THOI_LAI, "Máy xới đất mini Thới Lai", G.MACHINERY),
    (VINH_THANH, "Chậu kiểng bonsai mini", G.OTHER),
    (THANH_PHONG, "Tôm khô Thạnh Phong loại 1", G.FOOD),
    (PHU_TUC, "Hộp đựng đồ lục bình", G.CRAFT),
    (MINH_TAM, "Thạch dừa hương vải", G.FOOD),
    (DINH_THUY, "Chỉ xơ dừa đóng kiện", G.CRAFT),
    # eligible beyond the quota (2), then under 70 (3)
    (GIAO_LONG, "Sữa dừa đóng hộp", G.FOOD),
    (PHUOC_HIEP, "Kẹo dừa sầu riêng", G.FOOD),
    (MY_THANH, "Bánh tráng mè đen", G.FOOD),
    (SON_DINH, "Gạch tàu Sơn Định", G.OTHER),
    (THOI_LAI, "Bơm nước ghe máy", G.MACHINERY),
]
# Seed 004: Bắc Kạn 2018 — 14 entries, 12 reach 70, quota 10.
PRODUCTS_BK_2018 = [
    ("HTX Miến dong Nam Mẫu", "Miến dong Ba Bể", G.FOOD),
    ("HTX Chè Shan tuyết Bằng Lũng", "Chè Shan tuyết Chợ Đồn", G.FOOD),
    ("HTX Nông nghiệp Tân Thành", "Tinh bột nghệ Tân Thành", G.FOOD),
    ("HKD Nông Văn Khang", "Giỏ mây tre đan Khang Ninh", G.CRAFT),
    ("Cơ sở cơ khí Phủ Thông", "Dao rèn Phủ Thông", G.MACHINERY),
    ("Công ty TNHH Đinh Lâm", "Đũa tre Ba Bể", G.CRAFT),
    ("HTX Thành Ngân", "Bừa cải tiến Thành Ngân", G.MACHINERY),
    ("Công ty TNHH In Đức Xuân", "Hộp giấy đựng chè Bắc Kạn", G.OTHER),
    ("HTX Chè Shan tuyết Bằng Lũng", "Hồng trà Shan tuyết", G.FOOD),
    ("HTX Miến dong Nam Mẫu", "Bột dong riềng Nam Mẫu", G.FOOD),
    # eligible beyond the quota (2), then under 70 (2)
    ("Công ty TNHH Gỗ Vân Tùng", "Ván ghép thanh gỗ keo", G.OTHER),
    ("HKD Lại Văn Tú", "Tủ gỗ dân dụng Quang Phong", G.OTHER),
    ("HTX Thành Long", "Bàn ghế gỗ Yên Hân", G.OTHER),
    ("HKD Sằm Văn Thường", "Gạch không nung silicat Côn Minh", G.OTHER),
]

DIRECTOR = ("Phạm Văn", "Hùng", "Phó Giám đốc Sở Công Thương (Chủ tịch Hội đồng)")
ROLES = [Juror.Role.CHAIR, Juror.Role.MEMBER, Juror.Role.MEMBER]


def means(n: int, top: str, step: str) -> list[str]:
    """`n` distinct mean scores from `top` down by `step` (no tie at any quota)."""
    return [str(Decimal(top) - i * Decimal(step)) for i in range(n)]


def _legal(number: str):
    from khuyencong.catalog.models import LegalDocument

    return LegalDocument.objects.filter(number=number).first()


def _cuc():
    cuc = User.objects.filter(username="cuc").first()
    org = None
    if cuc is not None:
        org = cuc.organisation or Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).first()
    return cuc, org


def _provincial_jurors(org):
    return _juror_users(
        org,
        "vinhlong.giamkhao",
        [
            DIRECTOR,
            ("Võ Thị", "Lan", "Liên minh Hợp tác xã tỉnh"),
            ("Đặng Minh", "Trí", "Chi cục Tiêu chuẩn Đo lường Chất lượng"),
        ],
    )


def _cuc_jurors(org):
    return _juror_users(
        org,
        "cuc.giamkhao",
        [
            ("Hoàng Quốc", "Việt", "Cục Công nghiệp địa phương (Chủ tịch Hội đồng)"),
            ("Lý Thị", "Hương", "Trung tâm Khuyến công khu vực phía Nam"),
            ("Ngô Đức", "Thịnh", "Chuyên gia thủ công mỹ nghệ"),
        ],
    )


def _council(award_round, actor, users):
    for user, role in zip(users, ROLES, strict=True):
        services.juror_add(
            actor=actor, award_round=award_round, user=user, role=role, affiliation=user.job_title
        )


def _photos(actor, product, salt: int):
    for n, rgb in enumerate(COLOURS, 1):
        shade = tuple((c + 7 * salt + 31 * n) % 256 for c in rgb)
        upload = SimpleUploadedFile(f"anh-{n}.png", png_bytes(shade), content_type="image/png")
        services.dossier_add(actor=actor, product=product, kind=DossierFile.Kind.PHOTO, upload=upload)


def provincial_round(
    *,
    officer,
    approver,
    jurors,
    title,
    unit,
    year,
    windows,
    quota,
    products,
    scores,
    decision_no,
    decision_date,
    note,
    legal_basis=None,
    funding_project=None,
) -> AwardRound:
    """A provincial round from registration to the decision: products with 3 photos each, entries submitted,
    three jurors' sheets around each mean, the council's top `quota` among the eligible recognised."""
    reg_start, reg_end, sc_start, sc_end = windows
    establishments = {e.name: e for e in Establishment.objects.filter(name__in={p[0] for p in products})}
    missing = {p[0] for p in products} - set(establishments)
    if missing:
        raise LookupError(f"Thiếu cơ sở trong dữ liệu mẫu: {', '.join(sorted(missing))}")
    extra = {"legal_basis": legal_basis} if legal_basis is not None else {}
    r = services.round_create(
        actor=officer,
        title=title,
        level=AwardLevel.PROVINCE,
        year=year,
        organiser=officer.organisation,
        unit=unit,
        registration_start=reg_start,
        registration_end=reg_end,
        scoring_start=sc_start,
        scoring_end=sc_end,
        pass_mark=70,
        quota=quota,
        validity_years=3,
        funding_project=funding_project,
        note=note,
        **extra,
    )
    _move(r, officer, RoundStatus.OPEN, effective_date=reg_start)
    _council(r, officer, jurors)
    entries = []
    span = max(1, (reg_end - reg_start).days - 1)
    for i, (est_name, name, group) in enumerate(products):
        est = establishments[est_name]
        product = services.product_create(
            actor=officer,
            establishment=est,
            name=name,
            group=group,
            description=f"{name} — sản phẩm của {est.name}, sản xuất hàng loạt tại cơ sở.",
        )
        _photos(officer, product, year + i)
        day = reg_start + dt.timedelta(days=1 + (i * span) // len(products))
        entry = services.entry_create(
            actor=officer,
            award_round=r,
            product=product,
            registered_on=day,
            registration_details="Phiếu đăng ký, bản sao đăng ký kinh doanh, 3 ảnh màu sản phẩm.",
        )
        entries.append(
            services.entry_submit(
                actor=officer, entry=entry, expected_version=entry.version, submitted_on=day
            )
        )
    _move(r, officer, RoundStatus.SCORING, effective_date=sc_start)
    r.refresh_from_db()
    _score_all(r, entries, scores, jurors)
    _move(
        r,
        approver,
        RoundStatus.DECIDED,
        decision_no=decision_no,
        decision_date=decision_date,
        decision_note="Theo đề nghị của Hội đồng bình chọn; xếp hạng theo điểm bình quân.",
    )
    return r


def upper_round(
    *,
    cuc,
    org,
    forwarder,
    jurors,
    title,
    level,
    year,
    windows,
    pass_mark,
    quota,
    sources,
    scores,
    decision_no,
    decision_date,
    note,
) -> AwardRound:
    """A regional or national round: the entries are forwarded from the level below (liên thông) by
    `forwarder` (the province for a regional round, the Cục for a national one), scored, decided."""
    reg_start, reg_end, sc_start, sc_end = windows
    r = services.round_create(
        actor=cuc,
        title=title,
        level=level,
        year=year,
        organiser=org,
        region=Region.objects.get(code="phia-nam") if level == AwardLevel.REGION else None,
        registration_start=reg_start,
        registration_end=reg_end,
        scoring_start=sc_start,
        scoring_end=sc_end,
        pass_mark=pass_mark,
        quota=quota,
        validity_years=3,
        legal_basis=_legal("26/2014/TT-BCT") if reg_start >= D(2014, 10, 21) else _legal("45/2012/NĐ-CP"),
        note=note,
    )
    _move(r, cuc, RoundStatus.OPEN, effective_date=reg_start)
    forwarded = services.entries_forward(
        actor=forwarder, entries=sources, to_round=r, registered_on=reg_start + dt.timedelta(days=10)
    )
    _council(r, cuc, jurors)
    _move(r, cuc, RoundStatus.SCORING, effective_date=sc_start)
    r.refresh_from_db()
    _score_all(r, forwarded, scores, jurors)
    _move(
        r,
        cuc,
        RoundStatus.DECIDED,
        decision_no=decision_no,
        decision_date=decision_date,
        decision_note=f"Sản phẩm đạt từ {pass_mark} điểm trở lên.",
    )
    return r


def _top(award_round, n: int) -> list[Entry]:
    return list(award_round.entries.filter(recognised=True).order_by("rank", "pk")[:n])


def _ben_tre_actors():
    officer = User.objects.filter(username="vinhlong").first()
    approver = User.objects.filter(username="vinhlong.lanhdao").first()
    cuc, org = _cuc()
    if officer is None or approver is None or cuc is None:
        return None
    return officer, approver, cuc, org


# -------------------------------------------------------------------------------------- seed 001: 2012


def load_seed_001() -> None:
    if AwardRound.objects.filter(title=BT_2012).exists():
        return
    actors = _ben_tre_actors()
    if actors is None:
        return
    officer, approver, cuc, org = actors
    basis = _legal("45/2012/NĐ-CP")
    provincial = provincial_round(
        officer=officer,
        approver=approver,
        jurors=_provincial_jurors(officer.organisation),
        title=BT_2012,
        unit=AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre"),
        year=2012,
        windows=(D(2012, 7, 16), D(2012, 8, 31), D(2012, 9, 5), D(2012, 9, 25)),
        quota=15,
        products=PRODUCTS_2012,
        # 19 reach 70 (89,0 … 71,0), 21 do not (69,2 … 51,2)
        scores=means(19, "89.0", "1.0") + means(21, "69.2", "0.9"),
        decision_no="1850/QĐ-UBND",
        decision_date=D(2012, 10, 3),
        legal_basis=basis,
        note="Seed 001: bình chọn cấp tỉnh năm 2012 với 40 sản phẩm, 15 sản phẩm được bình chọn cấp tỉnh, 9 "
        "sản phẩm cấp khu vực. Căn cứ: Nghị định 45/2012/NĐ-CP (văn bản hướng dẫn bình chọn trước Thông tư "
        "26/2014/TT-BCT chưa xác nhận).",
    )
    upper_round(
        cuc=cuc,
        org=org,
        forwarder=officer,
        jurors=_cuc_jurors(org),
        title=REGION_2012,
        level=AwardLevel.REGION,
        year=2012,
        windows=(D(2012, 10, 15), D(2012, 11, 10), D(2012, 11, 15), D(2012, 11, 30)),
        pass_mark=75,
        quota=40,
        sources=_top(provincial, 11),
        # 9 reach 75, 2 do not
        scores=means(9, "86.0", "1.2") + ["73.5", "71.0"],
        decision_no="318/QĐ-CNĐP",
        decision_date=D(2012, 12, 14),
        note="Seed 001: 9 sản phẩm của Bến Tre được bình chọn cấp khu vực năm 2012 (điểm đạt 75: dữ liệu của "
        "đợt, chưa xác nhận từ văn bản).",
    )


# ------------------------------------------------------------------------------- seed 003: 2014–2018


def load_seed_003() -> None:
    if AwardRound.objects.filter(title=BT_2014).exists():
        return
    actors = _ben_tre_actors()
    if actors is None:
        return
    officer, approver, cuc, org = actors
    regional_2016 = AwardRound.objects.filter(title=REGIONAL, status=RoundStatus.DECIDED).first()
    if regional_2016 is None:
        return  # seed 000's story comes first
    cuc_jurors = _cuc_jurors(org)
    provincial = provincial_round(
        officer=officer,
        approver=approver,
        jurors=_provincial_jurors(officer.organisation),
        title=BT_2014,
        unit=AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre"),
        year=2014,
        windows=(D(2014, 3, 3), D(2014, 4, 18), D(2014, 4, 22), D(2014, 5, 16)),
        quota=15,
        products=PRODUCTS_2014,
        scores=means(17, "90.4", "1.1") + ["68.8", "66.5", "61.0"],
        decision_no="1012/QĐ-UBND",
        decision_date=D(2014, 5, 28),
        legal_basis=_legal("45/2012/NĐ-CP"),
        note="Seed 003: lần bình chọn cấp tỉnh thứ nhất giai đoạn 2014–2018 (lần thứ hai: năm 2016). Trước "
        "ngày Thông tư 26/2014/TT-BCT có hiệu lực (21/10/2014).",
    )
    regional = upper_round(
        cuc=cuc,
        org=org,
        forwarder=officer,
        jurors=cuc_jurors,
        title=REGION_2014,
        level=AwardLevel.REGION,
        year=2014,
        windows=(D(2014, 6, 16), D(2014, 7, 31), D(2014, 8, 11), D(2014, 8, 29)),
        pass_mark=75,
        quota=40,
        sources=_top(provincial, 10),
        scores=means(8, "87.3", "1.3") + ["72.7", "70.4"],
        decision_no="207/QĐ-CNĐP",
        decision_date=D(2014, 9, 15),
        note="Seed 003: 8 sản phẩm của Bến Tre được bình chọn cấp khu vực năm 2014 (cùng 6 sản phẩm năm "
        "2016: 14 sản phẩm cấp khu vực giai đoạn 2014–2018).",
    )
    national_note = (
        "Seed 003: 5 sản phẩm của Bến Tre được công nhận cấp quốc gia giai đoạn 2014–2018 (2 năm 2015, 3 năm "
        "2017). Điểm đạt và chỉ tiêu cấp quốc gia chưa xác nhận từ văn bản: dữ liệu của đợt."
    )
    upper_round(
        cuc=cuc,
        org=org,
        forwarder=cuc,
        jurors=cuc_jurors,
        title=NATIONAL_2015,
        level=AwardLevel.NATIONAL,
        year=2015,
        windows=(D(2015, 4, 1), D(2015, 5, 29), D(2015, 6, 8), D(2015, 7, 10)),
        pass_mark=80,
        quota=120,
        sources=_top(regional, 4),
        scores=["86.3", "82.7", "78.0", "75.3"],
        decision_no="8976/QĐ-BCT",
        decision_date=D(2015, 8, 20),
        note=national_note,
    )
    upper_round(
        cuc=cuc,
        org=org,
        forwarder=cuc,
        jurors=cuc_jurors,
        title=NATIONAL_2017,
        level=AwardLevel.NATIONAL,
        year=2017,
        windows=(D(2017, 3, 1), D(2017, 4, 28), D(2017, 5, 15), D(2017, 6, 16)),
        pass_mark=80,
        quota=120,
        sources=_top(regional_2016, 4),
        scores=["87.7", "84.0", "81.3", "77.7"],
        decision_no="3610/QĐ-BCT",
        decision_date=D(2017, 9, 25),
        note=national_note,
    )


# --------------------------------------------------------------------------------- seed 004: Bắc Kạn 2018


def load_seed_004() -> None:
    if AwardRound.objects.filter(title=BK_2018).exists():
        return
    from khuyencong.accounts.demo import _user
    from khuyencong.projects.models import Project

    officer = User.objects.filter(username="thainguyen").first()
    if officer is None or officer.organisation is None:
        return
    org = officer.organisation
    approver = _user("thainguyen.lanhdao", org, "approver", "Hà Văn", "Bình", "Phó Giám đốc Sở")
    unit = AdminUnit.objects.get(era="old", level=1, short_name="Bắc Kạn")
    project = Project.objects.filter(code="BK18-DP-01", content__code="4").first()
    jurors = _juror_users(
        org,
        "thainguyen.giamkhao",
        [
            ("Triệu Văn", "Sơn", "Phó Giám đốc Sở Công Thương (Chủ tịch Hội đồng)"),
            ("Hoàng Thị", "Mai", "Liên minh Hợp tác xã tỉnh"),
            ("Lục Văn", "Quân", "Sở Khoa học và Công nghệ"),
        ],
    )
    r = provincial_round(
        officer=officer,
        approver=approver,
        jurors=jurors,
        title=BK_2018,
        unit=unit,
        year=2018,
        windows=(D(2018, 3, 15), D(2018, 4, 13), D(2018, 4, 17), D(2018, 5, 8)),
        quota=10,
        products=PRODUCTS_BK_2018,
        scores=means(12, "88.6", "1.4") + ["67.9", "63.2"],
        decision_no="812/QĐ-UBND",
        decision_date=D(2018, 5, 18),
        funding_project=project,
        note="Seed 004: đề án «Tổ chức bình chọn sản phẩm CNNT tiêu biểu» tỉnh Bắc Kạn năm 2018, hoàn thành "
        "trong 6 tháng đầu năm 2018.",
    )
    _move(r, officer, RoundStatus.CLOSED, effective_date=D(2018, 5, 25))
