"""Demo activities from the seeds, through the services (history, workflow steps with business dates).

- seed 000 (Bến Tre, 9 months 2016): 10 domestic fairs, among them the four the report names (Tiền Giang,
  Đắk Lắk, Bình Dương, Hà Nội); the international seminar at Cao Bằng; 4 training classes on energy saving;
  3 TV reports on Đài PT-TH Bến Tre; energy audits of 2 companies consuming 2–3 million kWh (320–500 TOE) a
  year.
  The report names only four of the ten fairs: the six others are titled as unnamed.
- seed 004 (Bắc Kạn, 6 months 2018): the fair đề án BK18-DP-04 and the information đề án BK18-DP-03 at 50 % on
  30/6/2018 — their first halves held, the second halves planned.
- seed 002 (southern region, 6 months 2019): 3 fairs with 115 participations of establishments from across the
  region, and 1 cleaner-production assessment. The report gives no names: the establishments are demo records
  named by their product and commune.
Idempotent: an activity already there (same title and unit) is left alone."""

import datetime as dt

from khuyencong.accounts.models import User
from khuyencong.beneficiaries.models import Establishment
from khuyencong.geo.models import AdminUnit

from . import services
from .models import Activity, ActivityKind, ActivityStatus, InfoPiece

D = dt.date
TR = 1_000_000
BT_CENTRE = "Trung tâm Khuyến công tỉnh Bến Tre"
BK_CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Bắc Kạn"

# title, place (old province), start, end, [(establishment, booths, products, support triệu)]
BT_FAIRS = [
    (
        "Hội chợ hàng Việt Nam chất lượng cao năm 2016",
        "Tiền Giang",
        D(2016, 3, 18),
        D(2016, 3, 24),
        "Hỗ trợ Câu lạc bộ đặc sản Bến Tre tham gia.",
    ),
    (
        "Hội chợ công thương khu vực miền Trung - Tây Nguyên năm 2016",
        "Đắk Lắk",
        D(2016, 4, 8),
        D(2016, 4, 14),
        "",
    ),
    (
        "Hội chợ sản phẩm công nghiệp nông thôn tiêu biểu khu vực miền Nam năm 2016",
        "Bình Dương",
        D(2016, 6, 2),
        D(2016, 6, 6),
        "",
    ),
    ("Hội chợ hàng thủ công mỹ nghệ 2016", "Hà Nội", D(2016, 8, 24), D(2016, 8, 28), ""),
]
BT_OTHER_FAIRS = [
    D(2016, 1, 12),
    D(2016, 2, 20),
    D(2016, 5, 10),
    D(2016, 7, 5),
    D(2016, 7, 22),
    D(2016, 9, 8),
]
BT_PRODUCTS = {
    "Cơ sở thạch dừa - nước màn dừa Minh Tâm": "Thạch dừa, nước màn dừa",
    "HTX Chỉ xơ dừa Định Thủy": "Chỉ xơ dừa, thảm xơ dừa",
    "Công ty TNHH Thạch dừa Giao Long": "Thạch dừa thô",
    "Cơ sở cơ khí Phú Khương": "Máy gọt vỏ dừa",
    "Cơ sở bánh phồng Mỹ Thạnh": "Bánh phồng sữa",
    "Cơ sở kẹo dừa Phước Hiệp": "Kẹo dừa lá dứa",
    "Cơ sở đan lục bình Phú Túc": "Giỏ, thảm lục bình",
}
# company, kWh a year before, saving expected kWh, investment (triệu), saving (triệu a year)
BT_AUDITS = [
    ("Công ty TNHH Thạch dừa Giao Long", 2_450_000, 245_000, 420, 390),
    ("HTX Chỉ xơ dừa Định Thủy", 2_900_000, 232_000, 350, 370),
]
BK_ESTABLISHMENTS = ["Công ty TNHH Đinh Lâm", "HTX Thành Ngân", "HKD Lại Văn Tú", "HTX Thành Long"]
SOUTH_ORGANISERS = [
    (
        "Cần Thơ",
        "Hội chợ triển lãm sản phẩm công nghiệp nông thôn khu vực Đồng bằng sông Cửu Long 2019",
        D(2019, 3, 20),
    ),
    ("Đồng Tháp", "Hội chợ thương mại – công nghiệp nông thôn Đồng Tháp 2019", D(2019, 4, 17)),
    ("Long An", "Hội chợ sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Long An 2019", D(2019, 5, 22)),
]
SOUTH_PROVINCES = [
    "Cần Thơ",
    "Đồng Tháp",
    "Long An",
    "Tiền Giang",
    "Bến Tre",
    "Vĩnh Long",
    "Trà Vinh",
    "An Giang",
    "Kiên Giang",
    "Sóc Trăng",
    "Bạc Liêu",
    "Cà Mau",
]
SOUTH_PRODUCTS = [
    ("bánh tráng", "che-bien-nong-lam-thuy-san"),
    ("đan đát tre trúc", "thu-cong-my-nghe"),
    ("cơ khí nông nghiệp", "co-khi"),
    ("chiếu cói", "thu-cong-my-nghe"),
    ("nước mắm", "che-bien-nong-lam-thuy-san"),
]


def _kind(code):
    return ActivityKind.objects.get(code=code)


def _old(short_name):
    return AdminUnit.objects.filter(era="old", level=1, short_name=short_name).first()


def _project(code):
    from khuyencong.projects.models import Project

    return Project.objects.filter(code=code).first()


def _make(actor, *, held_on=None, reported_on=None, **fields):
    unit = fields["unit"]
    a = Activity.objects.filter(title=fields["title"], unit=unit).first()
    if a is not None:
        return a, False
    a = services.activity_create(actor=actor, **fields)
    if held_on:
        a = services.activity_transition(
            actor=actor,
            activity=a,
            to_status=ActivityStatus.HELD,
            expected_version=a.version,
            effective_date=held_on,
        )
    if reported_on:
        a = services.activity_transition(
            actor=actor,
            activity=a,
            to_status=ActivityStatus.REPORTED,
            expected_version=a.version,
            effective_date=reported_on,
        )
    return a, True


def _bt(actor):
    bentre = _old("Bến Tre")
    ests = {e.name: e for e in Establishment.objects.filter(name__in=list(BT_PRODUCTS))}
    names = [n for n in BT_PRODUCTS if n in ests]
    fairs = [(t, _old(p), s, e, d) for t, p, s, e, d in BT_FAIRS] + [
        (
            f"Kỳ hội chợ trong nước thứ {i} năm 2016 (báo cáo 9 tháng không nêu tên)",
            None,
            day,
            day + dt.timedelta(days=4),
            "Một trong 10 kỳ hội chợ trong nước Trung tâm giới thiệu và hỗ trợ doanh nghiệp tham gia.",
        )
        for i, day in enumerate(BT_OTHER_FAIRS, start=5)
    ]
    for i, (title, place, start, end, description) in enumerate(fairs):
        a, new = _make(
            actor,
            kind=_kind("hoi-cho-trong-nuoc"),
            title=title,
            start_date=start,
            end_date=end,
            unit=bentre,
            place=place,
            organiser_name=BT_CENTRE,
            description=description,
            held_on=end,
        )
        if new:
            for j in range(2 + i % 2):
                if not names:
                    break
                name = names[(i + j) % len(names)]
                services.participation_add(
                    actor=actor,
                    activity=a,
                    establishment=ests[name],
                    booths=1 + (i + j) % 2,
                    products=BT_PRODUCTS[name],
                    support={"local": (5 + (i + j) % 3 * 2) * TR},
                    sales=(20 + 7 * ((i * 3 + j) % 5)) * TR,
                )
    a, new = _make(
        actor,
        kind=_kind("hoi-nghi"),
        title="Hội thảo khoa học quốc tế «Chính sách và giải pháp hỗ trợ xuất khẩu hàng nông sản sang thị "
        "trường Trung Quốc qua tỉnh Cao Bằng»",
        start_date=D(2016, 5, 26),
        end_date=D(2016, 5, 27),
        unit=bentre,
        place=_old("Cao Bằng"),
        organiser_name="UBND tỉnh Cao Bằng",
        held_on=D(2016, 5, 27),
    )
    if new:
        services.attendee_add(actor=actor, activity=a, organisation=BT_CENTRE, count=2)
    for i, (day, total, female) in enumerate(
        [
            (D(2016, 6, 14), 52, 21),
            (D(2016, 7, 12), 48, 19),
            (D(2016, 8, 9), 55, 24),
            (D(2016, 9, 13), 45, 17),
        ],
        start=1,
    ):
        _make(
            actor,
            kind=_kind("tap-huan"),
            title=f"Lớp tập huấn sử dụng năng lượng tiết kiệm và hiệu quả năm 2016 — lớp {i}",
            start_date=day,
            end_date=day + dt.timedelta(days=1),
            unit=bentre,
            organiser_name=BT_CENTRE,
            description="Nhiệm vụ bổ sung Chương trình mục tiêu quốc gia về sử dụng năng lượng tiết kiệm và "
            "hiệu quả.",
            trainees_total=total,
            trainees_female=female,
            trainees_ethnic=0,
            held_on=day + dt.timedelta(days=1),
        )
    a, new = _make(
        actor,
        kind=_kind("tuyen-truyen"),
        title="Phóng sự về sử dụng năng lượng tiết kiệm và hiệu quả trên Đài Phát thanh - Truyền hình "
        "Bến Tre 2016",
        start_date=D(2016, 6, 1),
        end_date=D(2016, 9, 20),
        unit=bentre,
        organiser_name=BT_CENTRE,
        held_on=D(2016, 9, 20),
    )
    if new:
        for day, title in [
            (D(2016, 6, 22), "Tiết kiệm điện trong cơ sở chế biến dừa"),
            (D(2016, 8, 3), "Doanh nghiệp Bến Tre với kiểm toán năng lượng"),
            (D(2016, 9, 14), "Chiếu sáng tiết kiệm năng lượng ở làng nghề"),
        ]:
            services.info_piece_add(
                actor=actor,
                activity=a,
                kind=InfoPiece.Kind.BROADCAST,
                title=title,
                medium="Đài Phát thanh - Truyền hình Bến Tre",
                published_on=day,
            )
    audited = {e.name: e for e in Establishment.objects.filter(name__in=[r[0] for r in BT_AUDITS])}
    for i, (name, kwh, saving, invest, money) in enumerate(BT_AUDITS):
        if name not in audited:
            continue
        day = D(2016, 7 + i, 25)
        a, new = _make(
            actor,
            kind=_kind("kiem-toan-nang-luong"),
            title=f"Kiểm toán năng lượng {name} năm 2016",
            start_date=day - dt.timedelta(days=30),
            end_date=day,
            unit=bentre,
            organiser_name=BT_CENTRE,
            held_on=day,
        )
        if new:
            services.assessment_save(
                actor=actor,
                activity=a,
                establishment=audited[name],
                assessed_on=day,
                baseline_kwh=kwh,
                measures_proposed="Thay động cơ hiệu suất cao, biến tần cho bơm và quạt; bù công suất phản "
                "kháng; chiếu sáng LED.",
                measures_adopted="Lắp biến tần cho bơm; chiếu sáng LED.",
                expected_kwh=saving,
                expected_money=money * TR,
                investment=invest * TR,
            )


def _bk(actor):
    backan = _old("Bắc Kạn")
    ests = list(Establishment.objects.filter(name__in=BK_ESTABLISHMENTS).order_by("name"))
    fair = _project("BK18-DP-04")
    a, new = _make(
        actor,
        kind=_kind("hoi-cho-trong-nuoc"),
        title="Tham gia hội chợ triển lãm giới thiệu, quảng bá sản phẩm CNNT tỉnh Bắc Kạn năm 2018 — đợt 1",
        start_date=D(2018, 4, 20),
        end_date=D(2018, 4, 25),
        unit=backan,
        place=_old("Hà Nội"),
        organiser_name=BK_CENTRE,
        funding_project=fair,
        held_on=D(2018, 4, 25),
    )
    if new:
        for i, e in enumerate(ests):
            services.participation_add(
                actor=actor,
                activity=a,
                establishment=e,
                booths=1,
                support={"local": 8 * TR},
                sales=(12 + 5 * i) * TR,
            )
    _make(
        actor,
        kind=_kind("hoi-cho-trong-nuoc"),
        title="Tham gia hội chợ triển lãm giới thiệu, quảng bá sản phẩm CNNT tỉnh Bắc Kạn năm 2018 — đợt 2",
        start_date=D(2018, 10, 10),
        end_date=D(2018, 10, 15),
        unit=backan,
        organiser_name=BK_CENTRE,
        funding_project=fair,
    )
    info = _project("BK18-DP-03")
    a, new = _make(
        actor,
        kind=_kind("tuyen-truyen"),
        title="Thông tin, tuyên truyền hoạt động khuyến công năm 2018 — 6 tháng đầu năm",
        start_date=D(2018, 2, 1),
        end_date=D(2018, 6, 29),
        unit=backan,
        organiser_name=BK_CENTRE,
        funding_project=info,
        held_on=D(2018, 6, 29),
    )
    if new:
        for day, kind, title, medium in [
            (D(2018, 3, 8), InfoPiece.Kind.ARTICLE, "Khuyến công đồng hành cùng cơ sở CNNT", "Báo Bắc Kạn"),
            (
                D(2018, 4, 12),
                InfoPiece.Kind.BROADCAST,
                "Chuyên mục Công Thương: hỗ trợ máy móc thiết bị",
                "Đài Phát thanh - Truyền hình Bắc Kạn",
            ),
            (D(2018, 5, 17), InfoPiece.Kind.ARTICLE, "Sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn", "Báo Bắc Kạn"),
            (
                D(2018, 6, 14),
                InfoPiece.Kind.COLUMN,
                "Chuyên mục Công Thương tháng 6",
                "Đài Phát thanh - Truyền hình Bắc Kạn",
            ),
        ]:
            services.info_piece_add(
                actor=actor, activity=a, kind=kind, title=title, medium=medium, published_on=day
            )
    _make(
        actor,
        kind=_kind("tuyen-truyen"),
        title="Thông tin, tuyên truyền hoạt động khuyến công năm 2018 — 6 tháng cuối năm",
        start_date=D(2018, 7, 1),
        end_date=D(2018, 12, 15),
        unit=backan,
        organiser_name=BK_CENTRE,
        funding_project=info,
    )


def south_establishments() -> list[Establishment]:
    """Demo establishments, 5 in each of 12 southern provinces (by their first commune), named by product."""
    from khuyencong.beneficiaries import services as est_services

    out = []
    for short in SOUTH_PROVINCES:
        prov = _old(short)
        communes = list(
            AdminUnit.objects.filter(era="old", level=3, parent__parent=prov).order_by("code")[:5]
        )
        for i, commune in enumerate(communes):
            product, sector = SOUTH_PRODUCTS[i % len(SOUTH_PRODUCTS)]
            name = f"Cơ sở {product} {commune.short_name or commune.name} ({short})"
            e = Establishment.objects.filter(name=name).first()
            if e is None:
                e = est_services.establishment_create(
                    actor=None,
                    data={
                        "name": name,
                        "establishment_type": "HKD",
                        "commune": commune,
                        "sector": sector,
                        "main_products": product[:1].upper() + product[1:],
                    },
                    reason="Dữ liệu mẫu (hội nghị khuyến công phía Nam 6 tháng 2019)",
                )
            out.append(e)
    return out


def _south(actor):
    ests = south_establishments()
    slices = [ests[0:40], ests[20:58], ests[23:60]]  # 40 + 38 + 37 = 115 participations
    for (province, title, start), chosen in zip(SOUTH_ORGANISERS, slices, strict=True):
        a, new = _make(
            actor,
            kind=_kind("hoi-cho-trong-nuoc"),
            title=title,
            start_date=start,
            end_date=start + dt.timedelta(days=5),
            unit=_old(province),
            place=_old(province),
            organiser_name=f"Trung tâm Khuyến công tỉnh {province}"
            if province != "Cần Thơ"
            else "Trung tâm Khuyến công thành phố Cần Thơ",
            held_on=start + dt.timedelta(days=5),
        )
        if new:
            for i, e in enumerate(chosen):
                services.participation_add(
                    actor=actor, activity=a, establishment=e, booths=1 + i % 2, support={"local": 6 * TR}
                )
    a, new = _make(
        actor,
        kind=_kind("san-xuat-sach-hon"),
        title="Đánh giá sản xuất sạch hơn cho cơ sở sản xuất nước mắm năm 2019",
        start_date=D(2019, 4, 1),
        end_date=D(2019, 5, 31),
        unit=_old("Kiên Giang"),
        organiser_name="Trung tâm Khuyến công tỉnh Kiên Giang",
        held_on=D(2019, 5, 31),
    )
    if new:
        target = next((e for e in ests if "nước mắm" in e.name and "Kiên Giang" in e.name), ests[0])
        services.assessment_save(
            actor=actor,
            activity=a,
            establishment=target,
            assessed_on=D(2019, 5, 31),
            baseline_kwh=420_000,
            measures_proposed="Thu hồi nước rửa, che phủ bể chượp, thay bơm hiệu suất cao.",
            expected_kwh=38_000,
            expected_money=70 * TR,
            investment=150 * TR,
        )


def load() -> None:
    from .defaults import load as load_catalogue

    load_catalogue()
    cuc = User.objects.filter(username="cuc").first()
    if cuc is None:
        return  # the accounts demo makes the users
    _bt(User.objects.filter(username="vinhlong").first() or cuc)
    _bk(User.objects.filter(username="thainguyen").first() or cuc)
    _south(cuc)
