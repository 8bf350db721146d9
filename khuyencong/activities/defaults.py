"""The activities' catalogues (data, editable in the admin): kinds of activity, energy conversion factors and
key-energy-user thresholds.
`load()` is idempotent and runs with the other catalogues (core.demo.load_base)."""

import datetime as dt
from decimal import Decimal

KINDS = [
    # code, name, group, content code (Nghị định 45/2012/NĐ-CP, Điều 4)
    ("hoi-cho-trong-nuoc", "Hội chợ, triển lãm trong nước", "fair", "4"),
    ("hoi-cho-nuoc-ngoai", "Hội chợ, triển lãm ở nước ngoài", "fair", "8"),
    ("gian-hang", "Gian hàng giới thiệu, quảng bá sản phẩm", "fair", "4"),
    ("dao-tao-nghe", "Lớp đào tạo nghề, truyền nghề, nâng cao tay nghề", "vocational", "1"),
    ("tap-huan", "Lớp tập huấn, bồi dưỡng", "training", "2"),
    ("hoi-nghi", "Hội nghị, hội thảo", "conference", "2"),
    ("hoc-tap-kinh-nghiem", "Đoàn học tập kinh nghiệm", "study_tour", "9"),
    ("tuyen-truyen", "Tin bài, phóng sự, chuyên mục, ấn phẩm", "information", "6"),
    ("tu-van", "Tư vấn, trợ giúp cơ sở CNNT", "consultancy", "5"),
    ("kiem-toan-nang-luong", "Kiểm toán năng lượng", "energy_audit", "2"),
    ("san-xuat-sach-hon", "Đánh giá sản xuất sạch hơn", "cleaner_production", "2"),
]

FACTORS = [
    # code, name, unit, TOE per unit, tCO2e per unit, basis, valid from
    (
        "dien",
        "Điện năng",
        "kWh",
        Decimal("0.0001543"),
        Decimal("0.0008458"),
        "1.000 kWh = 0,1543 TOE (hệ số quy đổi thường dùng trong kiểm toán năng lượng); hệ số phát thải lưới "
        "điện 0,8458 tCO₂/MWh (công bố năm 2019) — đối chiếu văn bản trước khi dùng cho báo cáo chính thức.",
        None,
    ),
    (
        "toe",
        "Năng lượng quy đổi trực tiếp",
        "TOE",
        Decimal("1"),
        Decimal("0"),
        "Số liệu đã quy đổi ra TOE.",
        None,
    ),
]

THRESHOLDS = [
    (
        "cong-nghiep",
        "Cơ sở sản xuất công nghiệp, nông nghiệp, giao thông vận tải",
        Decimal("1000"),
        "Nghị định 21/2011/NĐ-CP, Điều 9 (cơ sở sử dụng năng lượng trọng điểm)",
        dt.date(2011, 5, 15),
    ),
    (
        "cong-trinh",
        "Công trình xây dựng (trụ sở, khách sạn, siêu thị…)",
        Decimal("500"),
        "Nghị định 21/2011/NĐ-CP, Điều 9 (cơ sở sử dụng năng lượng trọng điểm)",
        dt.date(2011, 5, 15),
    ),
]


def load() -> None:
    from .models import ActivityKind, EnergyFactor, KeyEnergyThreshold

    for order, (code, name, group, content) in enumerate(KINDS, start=1):
        ActivityKind.objects.get_or_create(
            code=code, defaults={"name": name, "group": group, "content_code": content, "order": order}
        )
    for code, name, unit, toe, co2, basis, since in FACTORS:
        EnergyFactor.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "toe_per_unit": toe,
                "co2_per_unit": co2,
                "legal_basis": basis,
                "valid_from": since,
            },
        )
    for code, name, min_toe, basis, since in THRESHOLDS:
        KeyEnergyThreshold.objects.get_or_create(
            code=code, defaults={"name": name, "min_toe": min_toe, "legal_basis": basis, "valid_from": since}
        )
