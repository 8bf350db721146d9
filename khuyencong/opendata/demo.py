"""Demo publish settings: Vĩnh Long (with old Bến Tre) publishes from 2015, Thái Nguyên (with old Bắc Kạn)
from 2018."""

from khuyencong.geo.models import AdminUnit

from . import services


def load() -> None:
    for short, year in (("Vĩnh Long", 2015), ("Thái Nguyên", 2018)):
        province = AdminUnit.objects.get(era="current", level=1, short_name=short)
        if services.setting_for(province) is None:
            services.setting_save(actor=None, province=province, publish=True, from_year=year)
