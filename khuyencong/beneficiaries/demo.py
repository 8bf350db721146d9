"""Demo establishments: those named in the seeds, on the units they had at the time, plus plausible ones over
old Bến Tre / Trà Vinh / Vĩnh Long (today Vĩnh Long) and old Bắc Kạn / Thái Nguyên (today Thái Nguyên).

Written through the services (history rows say "Dữ liệu mẫu"); idempotent: a record found by name is
completed (tax code, representative …) where it lacks data, never duplicated. Tax codes are generated with
the validator's own check-digit algorithm (prefix = the old province's tax-office code)."""

from khuyencong.geo.models import AdminUnit
from khuyencong.geo.selectors import unit_lookup

from . import services
from .models import Establishment
from .validators import make_tax_code

REASON = "Dữ liệu mẫu"
TAX_PREFIX = {"Bắc Kạn": "47", "Thái Nguyên": "46", "Bến Tre": "13", "Trà Vinh": "21", "Vĩnh Long": "15"}

# name, type, (old province, old district, old commune), sector, products
SEED_ESTABLISHMENTS = [
    ("HTX Nông nghiệp Tân Thành", "HTX", ("Bắc Kạn", "Bắc Kạn", "Nông Thượng"), "che-bien-nong-lam-thuy-san", "Chế biến nông lâm sản"),
    ("HTX Thành Ngân", "HTX", ("Bắc Kạn", "Na Rì", "Cường Lợi"), "co-khi", "Phụ tùng cơ khí"),
    ("Công ty TNHH Đinh Lâm", "DN", ("Bắc Kạn", "Ba Bể", "Chợ Rã"), "thu-cong-my-nghe", "Sản phẩm từ tre"),
    ("HKD Lại Văn Tú", "HKD", ("Bắc Kạn", "Na Rì", "Quang Phong"), "khac", "Đồ mộc dân dụng"),
    ("HTX Thành Long", "HTX", ("Bắc Kạn", "Chợ Mới", "Yên Hân"), "khac", "Đồ mộc dân dụng"),
    ("HKD Sằm Văn Thường", "HKD", ("Bắc Kạn", "Na Rì", "Côn Minh"), "vat-lieu-xay-dung", "Gạch không nung silicat"),
    ("Cơ sở thạch dừa - nước màn dừa Minh Tâm", "HKD", ("Bến Tre", "Bến Tre", "Phường 6"), "che-bien-nong-lam-thuy-san",
     "Thạch dừa, nước màn dừa"),
]

# Extra details of the seed establishments: representative, gender, woman-owned, ethnic-minority-owned,
# employees, founded, street, phone.
SEED_DETAILS = {
    "HTX Nông nghiệp Tân Thành": ("Hoàng Văn Tấn", "male", False, True, 18, 2015, "Thôn Nà Pài", "0209 3870 112"),
    "HTX Thành Ngân": ("Lường Văn Ngân", "male", False, True, 9, 2016, "Thôn Khuổi Dạ", "0209 3884 215"),
    "Công ty TNHH Đinh Lâm": ("Đinh Văn Lâm", "male", False, False, 35, 2009, "Tiểu khu 2", "0209 3876 333"),
    "HKD Lại Văn Tú": ("Lại Văn Tú", "male", False, False, 6, 2012, "Thôn Nà Deng", "0912 456 781"),
    "HTX Thành Long": ("Ma Thị Long", "female", True, True, 11, 2017, "Thôn Bản Đén", "0917 245 668"),
    "HKD Sằm Văn Thường": ("Sằm Văn Thường", "male", False, True, 8, 2014, "Thôn Nà Lẹng", "0976 112 334"),
    "Cơ sở thạch dừa - nước màn dừa Minh Tâm": ("Nguyễn Thị Tâm", "female", True, False, 14, 2008,
                                                "Số 27/4 đường Đoàn Hoàng Minh", "0275 3829 456"),
}

# Plausible establishments (invented). name, type, where, sector, products, representative, gender,
# woman-owned, ethnic-minority-owned, employees, founded, craft village.
# `where` is (old province, old district, old commune) or (current province, None, current commune).
EXTRA = [
    # Bến Tre (old) — coconut, sweets, candies, bonsai pots
    ("HTX Chỉ xơ dừa Định Thủy", "HTX", ("Bến Tre", "Mỏ Cày Nam", "Định Thủy"), "thu-cong-my-nghe", "Chỉ xơ dừa, thảm xơ dừa", "Trần Văn Hiếu", "male", False, False, 42, 2011, ""),
    ("Công ty TNHH Thạch dừa Giao Long", "DN", ("Bến Tre", "Châu Thành", "Giao Long"), "che-bien-nong-lam-thuy-san", "Thạch dừa thô", "Lê Minh Trí", "male", False, False, 65, 2006, ""),
    ("Cơ sở cơ khí Phú Khương", "HKD", ("Bến Tre", "Bến Tre", "Phú Khương"), "co-khi", "Máy chế biến dừa", "Phạm Văn Khương", "male", False, False, 12, 2004, ""),
    ("Cơ sở bánh phồng Mỹ Thạnh", "HKD", ("Bến Tre", "Giồng Trôm", "Mỹ Thạnh"), "che-bien-nong-lam-thuy-san", "Bánh phồng, bánh tráng", "Võ Thị Hồng", "female", True, False, 9, 1998, "Làng nghề bánh phồng Sơn Đốc"),
    ("Cơ sở kẹo dừa Phước Hiệp", "HKD", ("Bến Tre", "Mỏ Cày Nam", "Phước Hiệp"), "che-bien-nong-lam-thuy-san", "Kẹo dừa", "Nguyễn Thị Hiệp", "female", True, False, 16, 2002, "Làng nghề kẹo dừa Mỏ Cày"),
    ("Cơ sở đan lục bình Phú Túc", "HKD", ("Bến Tre", "Châu Thành", "Phú Túc"), "thu-cong-my-nghe", "Hàng thủ công lục bình", "Huỳnh Thị Túc", "female", True, False, 25, 2013, ""),
    ("Công ty TNHH Mỹ phẩm dừa Thanh Tân", "DN", ("Bến Tre", "Mỏ Cày Bắc", "Thanh Tân"), "hoa-chat-nhua", "Dầu dừa tinh luyện, xà phòng dừa", "Đặng Thị Thanh", "female", True, False, 30, 2015, ""),
    ("HTX Cây giống Vĩnh Thành", "HTX", ("Bến Tre", "Chợ Lách", "Vĩnh Thành"), "khac", "Chậu kiểng, cây giống", "Trương Văn Lộc", "male", False, False, 22, 2010, "Làng nghề hoa kiểng Cái Mơn"),
    ("Cơ sở gốm Sơn Định", "HKD", ("Bến Tre", "Chợ Lách", "Sơn Định"), "vat-lieu-xay-dung", "Chậu gốm trồng kiểng", "Lê Văn Định", "male", False, False, 7, 2007, ""),
    ("Cơ sở nước mắm An Đức", "HKD", ("Bến Tre", "Ba Tri", "An Đức"), "che-bien-nong-lam-thuy-san", "Nước mắm cá cơm", "Nguyễn Văn Đức", "male", False, False, 10, 2001, ""),
    ("Cơ sở tôm khô Thạnh Phong", "HKD", ("Bến Tre", "Thạnh Phú", "Thạnh Phong"), "che-bien-nong-lam-thuy-san", "Tôm khô, mắm tôm", "Lâm Thị Phong", "female", True, False, 8, 2012, ""),
    ("Cơ sở cơ khí Thới Lai", "HKD", ("Bến Tre", "Bình Đại", "Thới Lai"), "co-khi", "Sửa chữa, đóng mới ghe tàu", "Phan Văn Lai", "male", False, False, 11, 2005, ""),
    ("Cơ sở kẹo dừa Tư Lành Phước Long", "HKD", ("Bến Tre", "Giồng Trôm", "Phước Long"), "che-bien-nong-lam-thuy-san", "Kẹo dừa sáp", "Nguyễn Văn Lành", "male", False, False, 5, 2019, ""),
    ("HTX Dịch vụ nông nghiệp Tân Thạch", "HTX", ("Bến Tre", "Châu Thành", "Tân Thạch"), "che-bien-nong-lam-thuy-san", "Sấy trái cây", "Trần Thị Mai", "female", True, False, 19, 2018, ""),
    # Trà Vinh (old)
    ("Cơ sở dệt chiếu An Trường", "HKD", ("Trà Vinh", "Càng Long", "An Trường"), "det-may-da-giay", "Chiếu lác", "Thạch Thị Sa Rươl", "female", True, True, 13, 2009, ""),
    ("Cơ sở bánh tét Phong Phú", "HKD", ("Trà Vinh", "Cầu Kè", "Phong Phú"), "che-bien-nong-lam-thuy-san", "Bánh tét lá cẩm", "Kim Văn Phong", "male", False, True, 6, 2014, ""),
    ("HTX Chế biến nông sản Hiếu Tử", "HTX", ("Trà Vinh", "Tiểu Cần", "Hiếu Tử"), "che-bien-nong-lam-thuy-san", "Mật ong, đường thốt nốt", "Sơn Thị Hiếu", "female", True, True, 21, 2016, ""),
    ("Cơ sở đan cần xé Ngọc Biên", "HKD", ("Trà Vinh", "Trà Cú", "Ngọc Biên"), "thu-cong-my-nghe", "Cần xé, giỏ tre", "Thạch Văn Biên", "male", False, True, 15, 2003, ""),
    ("Công ty TNHH Cơ khí Hòa Thuận", "DN", ("Trà Vinh", "Châu Thành", "Hòa Thuận"), "co-khi", "Máy nông nghiệp", "Nguyễn Hòa Thuận", "male", False, False, 40, 2011, ""),
    ("Cơ sở chả cá Mỹ Long", "HKD", ("Trà Vinh", "Cầu Ngang", "Mỹ Long Bắc"), "che-bien-nong-lam-thuy-san", "Chả cá, khô cá", "Lê Thị Long", "female", True, False, 7, 2017, ""),
    ("Công ty TNHH May mặc Trà Vinh", "DN", ("Trà Vinh", "Trà Vinh", "Phường 7"), "det-may-da-giay", "Quần áo bảo hộ lao động", "Huỳnh Văn Bảy", "male", False, False, 120, 2012, ""),
    # Vĩnh Long (old)
    ("Công ty TNHH Gốm đỏ An Phước", "DN", ("Vĩnh Long", "Mang Thít", "An Phước"), "vat-lieu-xay-dung", "Gốm đỏ mỹ nghệ, gạch tàu", "Trần Văn Phước", "male", False, False, 85, 2000, "Làng nghề gạch gốm Mang Thít"),
    ("Cơ sở bánh tráng Long Phước", "HKD", ("Vĩnh Long", "Long Hồ", "Long Phước"), "che-bien-nong-lam-thuy-san", "Bánh tráng, hủ tiếu", "Phạm Thị Phước", "female", True, False, 9, 2006, ""),
    ("HTX Đan lát Trung Thành", "HTX", ("Vĩnh Long", "Vũng Liêm", "Trung Thành"), "thu-cong-my-nghe", "Đan lục bình, bàng", "Võ Văn Thành", "male", False, False, 34, 2015, ""),
    ("Cơ sở sấy khô Hựu Thành", "HKD", ("Vĩnh Long", "Trà Ôn", "Hựu Thành"), "che-bien-nong-lam-thuy-san", "Chôm chôm sấy, bưởi sấy", "Lê Thị Hựu", "female", True, False, 12, 2018, ""),
    ("Công ty TNHH Cơ khí Tân Quới", "DN", ("Vĩnh Long", "Bình Tân", "Tân Quới"), "co-khi", "Máy sấy lúa", "Nguyễn Văn Quới", "male", False, False, 28, 2010, ""),
    ("Cơ sở in bao bì An Hội", "HKD", ("Vĩnh Long", None, "An Hội"), "hoa-chat-nhua", "Bao bì nhựa in sẵn", "Trần Thị Hội", "female", True, False, 17, 2020, ""),
    ("HTX Trái cây sấy Cái Nhum", "HTX", ("Vĩnh Long", None, "Cái Nhum"), "che-bien-nong-lam-thuy-san", "Trái cây sấy dẻo", "Đỗ Văn Nhum", "male", False, False, 14, 2021, ""),
    # Bắc Kạn (old)
    ("HTX Miến dong Nam Mẫu", "HTX", ("Bắc Kạn", "Ba Bể", "Nam Mẫu"), "che-bien-nong-lam-thuy-san", "Miến dong", "Hoàng Thị Mẫu", "female", True, True, 16, 2016, ""),
    ("HKD Nông Văn Khang", "HKD", ("Bắc Kạn", "Ba Bể", "Khang Ninh"), "thu-cong-my-nghe", "Đan lát mây tre", "Nông Văn Khang", "male", False, True, 5, 2011, ""),
    ("HTX Chè Shan tuyết Bằng Lũng", "HTX", ("Bắc Kạn", "Chợ Đồn", "Bằng Lũng"), "che-bien-nong-lam-thuy-san", "Chè Shan tuyết", "Triệu Văn Lũng", "male", False, True, 20, 2017, ""),
    ("HTX Dệt thổ cẩm Bộc Bố", "HTX", ("Bắc Kạn", "Pác Nặm", "Bộc Bố"), "det-may-da-giay", "Thổ cẩm Dao, Mông", "Lý Thị Bố", "female", True, True, 24, 2019, ""),
    ("Cơ sở cơ khí Phủ Thông", "HKD", ("Bắc Kạn", "Bạch Thông", "Phủ Thông"), "co-khi", "Nông cụ, rèn dao", "Hà Văn Thông", "male", False, True, 4, 2008, "Làng nghề rèn Phủ Thông"),
    ("Công ty TNHH Gỗ Vân Tùng", "DN", ("Bắc Kạn", "Ngân Sơn", "Vân Tùng"), "khac", "Gỗ ván bóc, ván ghép", "Lương Văn Tùng", "male", False, True, 55, 2013, ""),
    ("HTX Bánh gio Thanh Mai", "HTX", ("Bắc Kạn", "Chợ Mới", "Thanh Mai"), "che-bien-nong-lam-thuy-san", "Bánh gio, bánh chưng gù", "Nông Thị Mai", "female", True, True, 10, 2020, ""),
    ("Công ty TNHH In Đức Xuân", "DN", ("Bắc Kạn", "Bắc Kạn", "Đức Xuân"), "khac", "In ấn, bao bì giấy", "Phạm Đức Xuân", "male", False, False, 32, 2007, ""),
    # Thái Nguyên (old)
    ("HTX Chè La Bằng", "HTX", ("Thái Nguyên", "Đại Từ", "La Bằng"), "che-bien-nong-lam-thuy-san", "Chè xanh La Bằng", "Nguyễn Văn Bằng", "male", False, False, 27, 2012, "Làng nghề chè La Bằng"),
    ("HTX Chè Tân Cương", "HTX", ("Thái Nguyên", "Thái Nguyên", "Tân Cương"), "che-bien-nong-lam-thuy-san", "Chè đặc sản Tân Cương", "Đinh Thị Cương", "female", True, False, 38, 2008, "Làng nghề chè Tân Cương"),
    ("Cơ sở bánh chưng Bờ Đậu", "HKD", ("Thái Nguyên", "Phú Lương", "Đu"), "che-bien-nong-lam-thuy-san", "Bánh chưng", "Vũ Thị Đậu", "female", True, False, 8, 2005, ""),
    ("Công ty TNHH Cơ khí Hóa Thượng", "DN", ("Thái Nguyên", "Đồng Hỷ", "Hóa Thượng"), "co-khi", "Kết cấu thép, khung nhà xưởng", "Trần Văn Thượng", "male", False, False, 74, 2009, ""),
    ("Cơ sở mộc Chợ Chu", "HKD", ("Thái Nguyên", "Định Hóa", "Chợ Chu"), "khac", "Đồ gỗ dân dụng", "Ma Văn Chu", "male", False, True, 6, 2010, ""),
    ("HTX Gạch không nung Phúc Thuận", "HTX", ("Thái Nguyên", "Phổ Yên", "Phúc Thuận"), "vat-lieu-xay-dung", "Gạch bê tông không nung", "Dương Văn Thuận", "male", False, False, 19, 2016, ""),
    ("Cơ sở mây tre Đình Cả", "HKD", ("Thái Nguyên", "Võ Nhai", "Đình Cả"), "thu-cong-my-nghe", "Mây tre đan xuất khẩu", "La Thị Cả", "female", True, True, 20, 2014, ""),
    ("Công ty TNHH Chè Hùng Sơn", "DN", ("Thái Nguyên", "Đại Từ", "Hùng Sơn"), "che-bien-nong-lam-thuy-san", "Chè túi lọc", "Lê Hùng Sơn", "male", False, False, 46, 2011, ""),
    ("HTX Chè Bằng Thành", "HTX", ("Thái Nguyên", None, "Bằng Thành"), "che-bien-nong-lam-thuy-san", "Chè xanh, chè Shan", "Sầm Thị Thành", "female", True, True, 13, 2022, ""),
]

# A few household businesses have no tax code of their own (entered later): the field is optional.
WITHOUT_TAX_CODE = {"HKD Nông Văn Khang", "Cơ sở bánh tét Phong Phú", "Cơ sở mộc Chợ Chu"}


def old_commune(province: str, district: str, commune: str) -> AdminUnit:
    prov = AdminUnit.objects.get(era="old", level=1, short_name=province)
    districts = unit_lookup(district, level=2, era="old", within=prov)
    for d in districts:
        found = unit_lookup(commune, level=3, era="old", within=d)
        exact = [u for u in found if u.short_name == commune or u.name == commune]
        if exact or found:
            return (exact or found)[0]
    raise LookupError(f"Không tìm thấy {commune}, {district}, {province}")


def current_commune(province: str, commune: str) -> AdminUnit:
    prov = AdminUnit.objects.get(era="current", level=1, short_name=province)
    found = unit_lookup(commune, level=3, era="current", within=prov)
    exact = [u for u in found if u.short_name == commune]
    if not (exact or found):
        raise LookupError(f"Không tìm thấy {commune}, {province}")
    return (exact or found)[0]


def _rows():
    """Every demo establishment as a data dict for the services, with a stable tax code."""
    for name, type_code, (prov, dist, comm), sector, products in SEED_ESTABLISHMENTS:
        rep, gender, woman, ethnic, employees, founded, street, phone = SEED_DETAILS[name]
        yield name, prov, {
            "name": name, "establishment_type": type_code, "commune": old_commune(prov, dist, comm),
            "sector": sector, "main_products": products, "representative_name": rep, "representative_gender": gender,
            "woman_owned": woman, "ethnic_minority_owned": ethnic, "employees": employees, "founded_year": founded,
            "street": street, "phone": phone,
        }
    for (name, type_code, (prov, dist, comm), sector, products, rep, gender, woman, ethnic, employees, founded,
         village) in EXTRA:
        commune = old_commune(prov, dist, comm) if dist else current_commune(prov, comm)
        yield name, prov, {
            "name": name, "establishment_type": type_code, "commune": commune, "sector": sector,
            "main_products": products, "representative_name": rep, "representative_gender": gender,
            "woman_owned": woman, "ethnic_minority_owned": ethnic, "employees": employees, "founded_year": founded,
            "craft_village": village,
        }


def load() -> None:
    counters: dict[str, int] = {}
    for name, prov, data in _rows():
        prefix = TAX_PREFIX[prov]
        counters[prefix] = counters.get(prefix, 0) + 1
        tax_code = None if name in WITHOUT_TAX_CODE else make_tax_code(prefix, 100_000 + counters[prefix] * 37)
        existing = Establishment.objects.filter(name=name).first()
        if existing is None:
            if tax_code and Establishment.objects.filter(tax_code=tax_code).exists():
                tax_code = None  # taken by a record renamed since: keep the demo loadable
            services.establishment_create(actor=None, data={**data, "tax_code": tax_code}, reason=REASON)
            continue
        # Complete a record created before (by an older demo or another app's demo) without overwriting it.
        changes = {}
        for key, value in {**data, "tax_code": tax_code}.items():
            if key in ("commune", "establishment_type", "sector", "name"):
                continue
            if getattr(existing, key) in (None, "", False) and value not in (None, "", False):
                if key == "tax_code" and Establishment.objects.filter(tax_code=value).exclude(pk=existing.pk).exists():
                    continue
                changes[key] = value
        if existing.sector_id is None and data.get("sector"):
            changes["sector"] = data["sector"]
        if changes:
            services.establishment_update(actor=None, pk=existing.pk, expected_version=None, changes=changes,
                                          reason=REASON)
