"""The readable source of the demo's Excel files (seeds 004 and 000): `manage.py demo_xlsx` writes them into
demo_data/, in the import template's columns, and `setup_demo` imports the committed files like an officer
would. The story is told as the office's lists at its report dates (the same đề án, each row with its current
status and the date of every step it went through), then one file of advances, payments and outputs per plan.

What the seeds say is kept exactly (counts, totals, beneficiaries, statuses at the report dates); what they do
not say (the split of a total between đề án, document numbers, counterpart money, later events) is made up
plausibly and marked «(minh họa)».
"""

import datetime as dt

D = dt.date
TR = 1_000_000  # triệu đồng

# ------------------------------------------------------------------------------------------ seed 004: Bắc Kạn

BK_CENTRE = "Trung tâm Khuyến công và Xúc tiến thương mại Bắc Kạn"
MACHINERY = "tt28-may-moc-thiet-bi"

# code, title, beneficiary, (commune, district before 7/2025), support (triệu), counterpart (triệu)
BK_NATIONAL = [
    (
        "BK18-QG-01",
        "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến nông lâm sản",
        "HTX Nông nghiệp Tân Thành",
        ("Xã Nông Thượng", "Thành Phố Bắc Kạn"),
        200,
        260,
    ),
    (
        "BK18-QG-02",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất sản phẩm phụ tùng cơ khí",
        "HTX Thành Ngân",
        ("Xã Cường Lợi", "Huyện Na Rì"),
        200,
        230,
    ),
    (
        "BK18-QG-03",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất các sản phẩm từ tre",
        "Công ty TNHH Đinh Lâm",
        ("Thị trấn Chợ Rã", "Huyện Ba Bể"),
        200,
        240,
    ),
]
# code, title, content, beneficiary, (commune, district), support (triệu), counterpart (triệu)
BK_LOCAL = [
    (
        "BK18-DP-01",
        "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Bắc Kạn năm 2018",
        "4",
        None,
        None,
        60,
        0,
    ),
    ("BK18-DP-02", "Hỗ trợ kinh phí khảo sát xây dựng kế hoạch khuyến công năm 2019", "9", None, None, 15, 0),
    ("BK18-DP-03", "Thông tin, tuyên truyền hoạt động khuyến công", "6", None, None, 50, 0),
    (
        "BK18-DP-04",
        "Tham gia hội chợ triển lãm giới thiệu quảng bá sản phẩm CNNT tỉnh Bắc Kạn",
        "4",
        None,
        None,
        80,
        0,
    ),
    ("BK18-DP-05", "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm", "4", None, None, 40, 0),
    (
        "BK18-DP-06",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng",
        "3",
        "HKD Lại Văn Tú",
        ("Xã Quang Phong", "Huyện Na Rì"),
        100,
        150,
    ),
    (
        "BK18-DP-07",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng",
        "3",
        "HTX Thành Long",
        ("Xã Yên Hân", "Huyện Chợ Mới"),
        80,
        120,
    ),
    (
        "BK18-DP-08",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất gạch không nung silicat",
        "3",
        "HKD Sằm Văn Thường",
        ("Xã Côn Minh", "Huyện Na Rì"),
        70,
        110,
    ),
    ("BK18-DP-09", "Hội nghị tập huấn công tác khuyến công", "9", None, None, 20, 0),
    (
        "BK18-DP-10",
        "Hỗ trợ kinh phí quản lý chương trình, đề án khuyến công năm 2018",
        "9",
        None,
        None,
        14,
        0,
    ),
]
BK_NAT_DECISION = "(minh họa) QĐ giao nhiệm vụ 5/2018"
BK_LOCAL_DECISION = "(minh họa) QĐ-UBND giao KH 2018"


def _where(where) -> dict:
    return {"commune_name": where[0], "district_name": where[1]} if where else {}


def _money(support: int, counterpart: int, *, approved: bool = True) -> dict:
    out = {"requested": support * TR}
    if approved:
        out["approved"] = support * TR
    if counterpart:
        out["counterpart"] = counterpart * TR
    return out


def _bk_national(code: str) -> dict:
    code, title, est, where, support, counterpart = next(r for r in BK_NATIONAL if r[0] == code)
    return {
        "code": code,
        "title": title,
        "content": "3",
        "support_cap": MACHINERY,
        **_where(where),
        "beneficiaries": est,
        "start_date": D(2018, 6, 1),
        "end_date": D(2018, 12, 15),
        "created_on": D(2017, 7, 15),
        "registered_on": D(2017, 7, 20),
        "appraised_on": D(2018, 4, 25),
        **_money(support, counterpart),
        "decision_no": BK_NAT_DECISION,
        "decision_date": D(2018, 5, 21),
        "batch": "1",
        "implementing_unit": BK_CENTRE,
        "status": "Đã phê duyệt",
    }


def bac_kan_national_30_june() -> list[dict]:
    """The list at the 6-month report: Tân Thành implementing, Thành Ngân still studying the machinery market,
    Đinh Lâm asking to stop."""
    return [
        {
            **_bk_national("BK18-QG-01"),
            "contract_no": "(minh họa) 05/2018/HĐ-KC",
            "contract_date": D(2018, 6, 5),
            "status": "Đang thực hiện",
            "status_date": D(2018, 6, 25),
            "progress": 30,
            "note": "Đã ký kết hợp đồng và thực hiện theo kế hoạch.",
        },
        _bk_national("BK18-QG-02"),
        {
            **_bk_national("BK18-QG-03"),
            "status": "Xin dừng thực hiện",
            "status_date": D(2018, 6, 18),
            "status_document": "(minh họa) Văn bản xin dừng của đơn vị",
            "note": "Đơn vị gặp khó khăn về thị trường tiêu thụ",
        },
    ]


def bac_kan_national() -> list[dict]:
    """The list at the end of 2018: Tân Thành accepted, Thành Ngân's đề án adjusted, Đinh Lâm stopped."""
    first, second, third = bac_kan_national_30_june()
    return [
        {
            **first,
            "status": "Đã nghiệm thu",
            "progress": 80,
            "progress_date": D(2018, 9, 15),
            "completed_on": D(2018, 11, 20),
            "status_date": D(2018, 12, 5),
            "status_document": "(minh họa) BB-NT 12/2018",
            "note": "Đã lắp đặt, vận hành thiết bị.",
        },
        {**second, "end_date": D(2018, 12, 25), "status_date": D(2018, 8, 10)},
        {
            **third,
            "status": "Đã dừng",
            "stop_requested_on": D(2018, 6, 18),
            "status_date": D(2018, 8, 1),
            "note": "Đồng ý cho dừng thực hiện đề án.",
        },
    ]


def bac_kan_national_flows() -> list[dict]:
    return [
        _advance("BK18-QG-01", D(2018, 6, 12), 60, "(minh họa) PC tạm ứng 06/2018"),
        _output("BK18-QG-01", D(2018, 11, 20), "may-moc", 3),
        _output("BK18-QG-01", D(2018, 11, 20), "co-so-ho-tro", 1),
        _payment("BK18-QG-01", D(2018, 12, 14), 140, "(minh họa) PC thanh toán 12/2018"),
    ]


def _bk_local(code: str) -> dict:
    code, title, content, est, where, support, counterpart = next(r for r in BK_LOCAL if r[0] == code)
    return {
        "code": code,
        "title": title,
        "content": content,
        **_where(where),
        "beneficiaries": est or "",
        "start_date": D(2018, 2, 1),
        "end_date": D(2018, 12, 31),
        "created_on": D(2018, 1, 10),
        "registered_on": D(2018, 1, 12),
        "appraised_on": D(2018, 1, 20),
        **_money(support, counterpart),
        "decision_no": BK_LOCAL_DECISION,
        "decision_date": D(2018, 1, 25),
        "batch": "1",
        "implementing_unit": BK_CENTRE,
        "status": "Đã phê duyệt",
    }


def _contract(n: int) -> dict:
    return {"contract_no": f"(minh họa) {n:02d}/2018/HĐ-KC", "contract_date": D(2018, 3, 1)}


def _in_progress(pct: int, day: dt.date, note: str = "") -> dict:
    return {"status": "Đang thực hiện", "progress": pct, "status_date": day, "note": note}


def _completed(day: dt.date, pct: int, progress_day: dt.date, note: str = "") -> dict:
    return {
        "status": "Đã hoàn thành",
        "status_date": day,
        "progress": pct,
        "progress_date": progress_day,
        "note": note,
    }


def bac_kan_local_31_march() -> list[dict]:
    """The list at the end of the first quarter."""
    rows = {code: _bk_local(code) for code, *_ in BK_LOCAL}
    rows["BK18-DP-01"].update(_in_progress(40, D(2018, 3, 15), "Đã phát động bình chọn."))
    rows["BK18-DP-03"].update(_in_progress(20, D(2018, 3, 1)))
    rows["BK18-DP-06"].update(_contract(2), status="Đã ký hợp đồng")
    rows["BK18-DP-07"].update(_contract(3), status="Đã ký hợp đồng")
    return list(rows.values())


def bac_kan_local() -> list[dict]:
    """The list at the end of 2018 (the 6-month report read 02/10 completed, 04/10 at 50 %, 02/10 asking to
    stop, 02/10 not started)."""
    rows = {r["code"]: r for r in bac_kan_local_31_march()}
    stop = "Đơn vị thụ hưởng xin dừng thực hiện"
    changes = {
        "BK18-DP-01": _completed(
            D(2018, 5, 25), 40, D(2018, 3, 15), "Đã tổ chức bình chọn sản phẩm CNNT tiêu biểu."
        ),
        "BK18-DP-02": _completed(
            D(2018, 6, 15), 50, D(2018, 4, 10), "Đã khảo sát, tổng hợp đăng ký năm 2019."
        ),
        "BK18-DP-03": _completed(D(2018, 12, 10), 50, D(2018, 6, 25)),
        "BK18-DP-04": _completed(D(2018, 12, 12), 50, D(2018, 6, 20)),
        "BK18-DP-05": _completed(D(2018, 12, 14), 50, D(2018, 5, 15)),
        "BK18-DP-06": _completed(D(2018, 12, 15), 50, D(2018, 6, 10)),
        "BK18-DP-07": {
            "status": "Đã dừng",
            "stop_requested_on": D(2018, 5, 20),
            "status_date": D(2018, 9, 10),
            "note": stop,
        },
        "BK18-DP-08": {
            "status": "Đã dừng",
            "stop_requested_on": D(2018, 6, 5),
            "status_date": D(2018, 9, 10),
            "note": stop,
        },
        "BK18-DP-09": _completed(D(2018, 11, 30), 50, D(2018, 10, 15), "Đã tổ chức hội nghị tập huấn."),
        "BK18-DP-10": _completed(D(2018, 12, 20), 40, D(2018, 7, 10)),
    }
    return [{**rows[code], **change} for code, change in changes.items()]


def bac_kan_local_flows() -> list[dict]:
    return [
        _payment("BK18-DP-01", D(2018, 6, 5), 60),
        _payment("BK18-DP-02", D(2018, 6, 20), 15),
        _advance("BK18-DP-03", D(2018, 3, 5), 25),
        _advance("BK18-DP-04", D(2018, 4, 5), 40),
        _advance("BK18-DP-06", D(2018, 4, 20), 50),
        _payment("BK18-DP-10", D(2018, 12, 21), 14),
        _payment("BK18-DP-09", D(2018, 12, 3), 20),
        _output("BK18-DP-09", D(2018, 11, 30), "lop-tap-huan", 2),
        _payment("BK18-DP-03", D(2018, 12, 13), 25),
        _payment("BK18-DP-04", D(2018, 12, 15), 40),
        _payment("BK18-DP-05", D(2018, 12, 17), 40),
        _payment("BK18-DP-06", D(2018, 12, 18), 50),
        _output("BK18-DP-06", D(2018, 12, 15), "may-moc", 2),
        _output("BK18-DP-06", D(2018, 12, 15), "co-so-ho-tro", 1),
    ]


# ------------------------------------------------------------------------------------------ seed 000: Bến Tre

BT_CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bến Tre"
MINH_TAM = "Cơ sở thạch dừa - nước màn dừa Minh Tâm"
# Establishments the seed does not name (invented, plausible for Bến Tre's coconut economy), created by the
# loader before the import: type, (province, district, commune) before 7/2025, products.
BT_ESTABLISHMENTS = {
    "HTX Chỉ xơ dừa Định Thủy": ("HTX", ("Bến Tre", "Mỏ Cày Nam", "Định Thủy"), "Chỉ xơ dừa, thảm xơ dừa"),
    "Công ty TNHH Thạch dừa Giao Long": ("DN", ("Bến Tre", "Châu Thành", "Giao Long"), "Thạch dừa thô"),
    "Cơ sở cơ khí Phú Khương": ("HKD", ("Bến Tre", "Bến Tre", "Phú Khương"), "Máy chế biến dừa"),
    "Cơ sở bánh phồng Mỹ Thạnh": ("HKD", ("Bến Tre", "Giồng Trôm", "Mỹ Thạnh"), "Bánh phồng, bánh tráng"),
    "Cơ sở kẹo dừa Phước Hiệp": ("HKD", ("Bến Tre", "Mỏ Cày Nam", "Phước Hiệp"), "Kẹo dừa"),
    "Cơ sở đan lục bình Phú Túc": ("HKD", ("Bến Tre", "Châu Thành", "Phú Túc"), "Hàng thủ công lục bình"),
    MINH_TAM: ("HKD", ("Bến Tre", "Bến Tre", "Phường 6"), "Thạch dừa, nước màn dừa"),
}
# The commune (and district before 7/2025) each establishment's đề án is written with.
BT_WHERE = {
    "HTX Chỉ xơ dừa Định Thủy": ("Xã Định Thủy", "Huyện Mỏ Cày Nam"),
    "Công ty TNHH Thạch dừa Giao Long": ("Xã Giao Long", "Huyện Châu Thành"),
    "Cơ sở cơ khí Phú Khương": ("Phường Phú Khương", "Thành phố Bến Tre"),
    "Cơ sở bánh phồng Mỹ Thạnh": ("Xã Mỹ Thạnh", "Huyện Giồng Trôm"),
    "Cơ sở kẹo dừa Phước Hiệp": ("Xã Phước Hiệp", "Huyện Mỏ Cày Nam"),
    "Cơ sở đan lục bình Phú Túc": ("Xã Phú Túc", "Huyện Châu Thành"),
    MINH_TAM: ("Phường 6", "Thành phố Bến Tre"),
}
# code, title, beneficiary, support (triệu), counterpart (triệu), accepted by 30/9/2016?
BT_NATIONAL = [
    ("BT16-QG-01", "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến thạch dừa", MINH_TAM, 420, 1100, True),
    (
        "BT16-QG-02",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất chỉ xơ dừa",
        "HTX Chỉ xơ dừa Định Thủy",
        380,
        950,
        True,
    ),
    (
        "BT16-QG-03",
        "Hỗ trợ ứng dụng dây chuyền sản xuất thạch dừa thô",
        "Công ty TNHH Thạch dừa Giao Long",
        360,
        900,
        True,
    ),
    (
        "BT16-QG-04",
        "Hỗ trợ ứng dụng máy móc thiết bị trong chế tạo máy chế biến dừa",
        "Cơ sở cơ khí Phú Khương",
        340,
        800,
        False,
    ),
    (
        "BT16-QG-05",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất bánh phồng",
        "Cơ sở bánh phồng Mỹ Thạnh",
        320,
        700,
        False,
    ),
]
# code, title, content, beneficiary, support (triệu), counterpart (triệu)
BT_CARRIED = [
    (
        "BT15-DP-2-01",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất kẹo dừa",
        "3",
        "Cơ sở kẹo dừa Phước Hiệp",
        130,
        300,
    ),
    (
        "BT15-DP-2-02",
        "Đào tạo nghề đan lục bình cho lao động nông thôn",
        "1",
        "Cơ sở đan lục bình Phú Túc",
        114,
        0,
    ),
    (
        "BT15-DP-2-03",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sơ chế bánh tráng",
        "3",
        "Cơ sở bánh phồng Mỹ Thạnh",
        100,
        250,
    ),
]
# code, title, content, beneficiary, support (triệu)
BT_2017 = [
    (
        "BT17-DP-01",
        "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến cơm dừa nạo sấy",
        "3",
        "Công ty TNHH Thạch dừa Giao Long",
        400,
    ),
    (
        "BT17-DP-02",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất thảm xơ dừa",
        "3",
        "HTX Chỉ xơ dừa Định Thủy",
        350,
    ),
    ("BT17-DP-03", "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất nước màn dừa", "3", MINH_TAM, 320),
    (
        "BT17-DP-04",
        "Hỗ trợ ứng dụng máy móc thiết bị trong gia công cơ khí",
        "3",
        "Cơ sở cơ khí Phú Khương",
        300,
    ),
    (
        "BT17-DP-05",
        "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2017",
        "4",
        None,
        280,
    ),
    ("BT17-DP-06", "Hỗ trợ cơ sở CNNT tham gia hội chợ triển lãm trong nước", "4", None, 250),
    ("BT17-DP-07", "Đào tạo nghề làm kẹo dừa", "1", "Cơ sở kẹo dừa Phước Hiệp", 220),
    ("BT17-DP-08", "Thông tin, tuyên truyền hoạt động khuyến công trên báo, đài tỉnh", "6", None, 180),
]


def _bt_row(code, title, content, est, *, created_on, registered_on, **extra) -> dict:
    return {
        "code": code,
        "title": title,
        "content": content,
        **_where(BT_WHERE.get(est)),
        "beneficiaries": est or "",
        "created_on": created_on,
        "registered_on": registered_on,
        "implementing_unit": BT_CENTRE,
        **extra,
    }


def ben_tre_national_30_june() -> list[dict]:
    """The list at the 6-month report of 2016: the five đề án of batch 1 implementing at 40 %."""
    rows = []
    for i, (code, title, est, support, counterpart, _accepted) in enumerate(BT_NATIONAL):
        rows.append(
            _bt_row(
                code,
                title,
                "3",
                est,
                created_on=D(2015, 7, 20),
                registered_on=D(2015, 7, 25),
                appraised_on=D(2015, 11, 10),
                start_date=D(2016, 4, 1),
                end_date=D(2016, 11, 30),
                **_money(support, counterpart),
                decision_no="(minh họa) QĐ giao KH KCQG 2016",
                decision_date=D(2016, 3, 15),
                contract_no=f"(minh họa) {i + 1:02d}/2016/HĐ-KC",
                contract_date=D(2016, 4, 5),
                batch="1",
                **_in_progress(40, D(2016, 6, 15)),
            )
        )
    return rows


def ben_tre_national() -> list[dict]:
    """The list at the 9-month report (30/9/2016): 3 đề án accepted, 2 implementing, and the supplementary
    registration of August (batch 2, no decision yet)."""
    rows = []
    for i, (row, (*_r, accepted)) in enumerate(zip(ben_tre_national_30_june(), BT_NATIONAL, strict=True)):
        if accepted:
            row.update(
                status="Đã nghiệm thu",
                progress_date=D(2016, 6, 15),
                completed_on=D(2016, 8, 10 + i * 5),
                status_date=D(2016, 8, 25 + i * 2),
                status_document=f"(minh họa) {i + 1:02d}/BB-NT",
            )
        else:
            row.update(_in_progress(60 + 10 * (i - 3), D(2016, 9, 15)))
        rows.append(row)
    rows.append(
        _bt_row(
            "BT16-QG-BS1",
            "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất kẹo dừa (đăng ký bổ sung)",
            "3",
            "Cơ sở kẹo dừa Phước Hiệp",
            created_on=D(2016, 8, 15),
            registered_on=D(2016, 8, 20),
            **_money(300, 650, approved=False),
            batch="2",
            status="Đã đăng ký",
            note="Đăng ký bổ sung gửi Cục Công nghiệp địa phương.",
        )
    )
    return rows


def ben_tre_national_flows() -> list[dict]:
    rows = []
    for i, (code, _t, _e, support, _c, accepted) in enumerate(BT_NATIONAL):
        half = support * TR // 2
        rows.append(_advance(code, D(2016, 4, 20), half / TR))
        if accepted:
            rows.append(_output(code, D(2016, 8, 10 + i * 5), "may-moc", 2 + i % 2))
            rows.append(_output(code, D(2016, 8, 10 + i * 5), "co-so-ho-tro", 1))
            rows.append(_payment(code, D(2016, 9, 5 + i), (support * TR - half) / TR))
    return rows


def ben_tre_local_2016() -> list[dict]:
    """The đề án of batch 2 of 2015 carried over into 2016, implementing at 30 % since March."""
    return [
        _bt_row(
            code,
            title,
            content,
            est,
            created_on=D(2015, 9, 1),
            registered_on=D(2015, 9, 5),
            appraised_on=D(2015, 10, 10),
            start_date=D(2016, 2, 1),
            end_date=D(2016, 12, 15),
            **_money(support, counterpart),
            decision_no="(minh họa) QĐ-UBND đợt 2/2015",
            decision_date=D(2015, 10, 20),
            batch="2/2015",
            **_in_progress(30, D(2016, 3, 1)),
        )
        for code, title, content, est, support, counterpart in BT_CARRIED
    ]


def ben_tre_local_2016_flows() -> list[dict]:
    rows = [_advance(code, D(2016, 3, 10), support * 3 / 10) for code, _t, _c, _e, support, _cp in BT_CARRIED]
    rows.append(
        _output(
            "BT15-DP-2-02",
            D(2016, 6, 30),
            "hoc-vien",
            35,
            "Lao động được đào tạo nghề đan lục bình (minh họa)",
        )
    )
    return rows


def ben_tre_local_2017() -> list[dict]:
    """The registration of the 2017 local plan: 8 đề án, 2,3 tỷ đồng."""
    return [
        _bt_row(
            code,
            title,
            content,
            est,
            created_on=D(2016, 9, 10),
            registered_on=D(2016, 9, 15),
            requested=support * TR,
            status="Đã đăng ký",
        )
        for code, title, content, est, support in BT_2017
    ]


# ---------------------------------------------------------------------------------------------------- flows


def _advance(code, day, triệu, doc=""):
    return {"code": code, "kind": "Tạm ứng", "date": day, "amount": round(triệu * TR), "document_no": doc}


def _payment(code, day, triệu, doc=""):
    return {"code": code, "kind": "Thanh toán", "date": day, "amount": round(triệu * TR), "document_no": doc}


def _output(code, day, indicator, quantity, note=""):
    return {
        "code": code,
        "kind": "Kết quả",
        "date": day,
        "indicator": indicator,
        "quantity": quantity,
        "note": note,
    }


# The files, in the order an officer imports them: (file name, province, year, level, "projects" | "flows",
# rows). A file of đề án is the office's list at a date; the flows file follows the last list of its plan.
FILES = [
    (
        "bac-kan-2018-quoc-gia-30-06-2018.xlsx",
        "Bắc Kạn",
        2018,
        "national",
        "projects",
        bac_kan_national_30_june,
    ),
    ("bac-kan-2018-quoc-gia.xlsx", "Bắc Kạn", 2018, "national", "projects", bac_kan_national),
    ("bac-kan-2018-quoc-gia-thanh-toan.xlsx", "Bắc Kạn", 2018, "national", "flows", bac_kan_national_flows),
    ("bac-kan-2018-dia-phuong-31-03-2018.xlsx", "Bắc Kạn", 2018, "local", "projects", bac_kan_local_31_march),
    ("bac-kan-2018-dia-phuong.xlsx", "Bắc Kạn", 2018, "local", "projects", bac_kan_local),
    ("bac-kan-2018-dia-phuong-thanh-toan.xlsx", "Bắc Kạn", 2018, "local", "flows", bac_kan_local_flows),
    (
        "ben-tre-2016-quoc-gia-30-06-2016.xlsx",
        "Bến Tre",
        2016,
        "national",
        "projects",
        ben_tre_national_30_june,
    ),
    ("ben-tre-2016-quoc-gia.xlsx", "Bến Tre", 2016, "national", "projects", ben_tre_national),
    ("ben-tre-2016-quoc-gia-thanh-toan.xlsx", "Bến Tre", 2016, "national", "flows", ben_tre_national_flows),
    ("ben-tre-2016-dia-phuong.xlsx", "Bến Tre", 2016, "local", "projects", ben_tre_local_2016),
    ("ben-tre-2016-dia-phuong-thanh-toan.xlsx", "Bến Tre", 2016, "local", "flows", ben_tre_local_2016_flows),
    ("ben-tre-2017-dia-phuong-dang-ky.xlsx", "Bến Tre", 2017, "local", "projects", ben_tre_local_2017),
]


def workbook(kind: str, rows: list[dict]) -> bytes:
    """One file in the import template's columns (dates as Excel dates, money in đồng)."""
    import io

    import xlsxwriter

    from . import plan_import

    columns = plan_import.COLUMNS if kind == "projects" else plan_import.FLOW_COLUMNS
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": dt.datetime(2026, 1, 1), "author": "khuyencong demo_xlsx"})
    head = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    datef = wb.add_format({"num_format": "dd/mm/yyyy"})
    intf = wb.add_format({"num_format": "#,##0"})
    ws = wb.add_worksheet("Đề án" if kind == "projects" else "Tạm ứng, thanh toán, kết quả")
    ws.freeze_panes(1, 0)
    for c, (header, key) in enumerate(columns):
        ws.write_string(0, c, header, head)
        ws.set_column(c, c, 40 if key == "title" else 16)
    for r, row in enumerate(rows, start=1):
        unknown = set(row) - {key for _h, key in columns}
        if unknown:
            raise KeyError(f"Cột không có trong mẫu nhập: {sorted(unknown)}")
        for c, (_h, key) in enumerate(columns):
            value = row.get(key)
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), datef)
            elif isinstance(value, int) and not isinstance(value, bool):
                ws.write_number(r, c, value, intf)
            elif value not in (None, ""):
                ws.write_string(r, c, str(value))
    wb.close()
    return buf.getvalue()
