"""Establishments for tests, made through the services (so history rows exist)."""

import itertools

from khuyencong.geo.models import AdminUnit

from .. import services
from ..demo import old_commune
from ..validators import make_tax_code

_seq = itertools.count(1)


def a_commune(province_short: str = "Bến Tre") -> AdminUnit:
    prov = AdminUnit.objects.get(era="old", level=1, short_name=province_short)
    return AdminUnit.objects.filter(era="old", level=3, parent__parent=prov).order_by("code").first()


def tax_code(prefix: str = "13") -> str:
    return make_tax_code(prefix, 5_000_000 + next(_seq) * 11)


def establishment(
    province_short: str = "Bến Tre",
    *,
    name: str | None = None,
    commune: AdminUnit | None = None,
    type_code: str = "HKD",
    actor=None,
    **data,
):
    data.setdefault("sector", "che-bien-nong-lam-thuy-san")
    return services.establishment_create(
        actor=actor,
        data={
            "name": name or f"Cơ sở thử {next(_seq)}",
            "establishment_type": type_code,
            "commune": commune or a_commune(province_short),
            **data,
        },
    )


def minh_tam():
    return establishment(
        name="Cơ sở thạch dừa - nước màn dừa Minh Tâm",
        commune=old_commune("Bến Tre", "Bến Tre", "Phường 6"),
        representative_name="Nguyễn Thị Tâm",
        tax_code="1300000027",
        woman_owned=True,
    )


def dinh_lam():
    return establishment(
        "Bắc Kạn",
        name="Công ty TNHH Đinh Lâm",
        type_code="DN",
        commune=old_commune("Bắc Kạn", "Ba Bể", "Chợ Rã"),
        representative_name="Đinh Văn Lâm",
        tax_code=make_tax_code("47", 123),
    )
