"""Demo establishments: those named in the seeds, on the units they had at the time."""

from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.selectors import unit_lookup

from .models import Establishment

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


def old_commune(province: str, district: str, commune: str) -> AdminUnit:
    prov = AdminUnit.objects.get(era="old", level=1, short_name=province)
    districts = unit_lookup(district, level=2, era="old", within=prov)
    for d in districts:
        found = unit_lookup(commune, level=3, era="old", within=d)
        if found:
            return found[0]
    raise LookupError(f"Không tìm thấy {commune}, {district}, {province}")


def load() -> None:
    for name, type_code, (prov, dist, comm), sector, products in SEED_ESTABLISHMENTS:
        if Establishment.objects.filter(name=name).exists():
            continue
        Establishment(
            name=name, establishment_type=EstablishmentType.objects.get(code=type_code),
            commune=old_commune(prov, dist, comm), sector=Sector.objects.get(code=sector), main_products=products,
        ).save()
