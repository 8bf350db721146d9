"""Loading the administrative units of both trees, and the crosswalk, from `vietnam-provinces`."""

import datetime as dt
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import F

from khuyencong.core.bulk import rows_inserted
from khuyencong.core.text import fold

from .models import AdminUnit, Region, RegionMember, UnitSuccession

PROVINCE_NEW_FROM = dt.date(2025, 6, 12)
PROVINCE_OLD_TO = dt.date(2025, 6, 11)
COMMUNE_NEW_FROM = dt.date(2025, 7, 1)
COMMUNE_OLD_TO = dt.date(2025, 6, 30)

_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Quận ",
    "Huyện ",
    "Thị xã ",
    "Thị trấn ",
    "Phường ",
    "Xã ",
    "Đặc khu ",
)


def short_name(name: str) -> str:
    lowered = name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix.lower()) and not name[len(prefix) :].strip().isdigit():
            return name[len(prefix) :]
    return name


def _unit(era, level, code, name, division_type, **kw) -> AdminUnit:
    return AdminUnit(
        era=era,
        level=level,
        code=code,
        name=name,
        short_name=short_name(name),
        division_type=str(division_type),
        search_text=fold(f"{name} {code}"),
        **kw,
    )


def admin_units_loaded() -> bool:
    return AdminUnit.objects.filter(era=AdminUnit.Era.CURRENT, level=AdminUnit.Level.PROVINCE).count() == 34


@transaction.atomic
def admin_units_load(*, force: bool = False) -> dict:
    """Load the 34 + 3.321 current units, the 63 + districts + communes of before, and the crosswalk.

    Idempotent: does nothing when already loaded unless `force` (which only adds what is missing).
    """
    if admin_units_loaded() and not force:
        return {"skipped": True}
    from vietnam_provinces import Province, Ward
    from vietnam_provinces import _province_conversion_2025 as pconv
    from vietnam_provinces import _ward_conversion_2025 as wconv
    from vietnam_provinces.legacy.base import District as OldDistrict
    from vietnam_provinces.legacy.base import Province as OldProvince
    from vietnam_provinces.legacy.base import Ward as OldWard

    cur, old = AdminUnit.Era.CURRENT, AdminUnit.Era.OLD
    P, D, C = AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT, AdminUnit.Level.COMMUNE
    existing = {(u.era, u.level, u.code): u for u in AdminUnit.objects.all()}

    def ensure(objs):
        new = [o for o in objs if (o.era, o.level, o.code) not in existing]
        AdminUnit.objects.bulk_create(new, batch_size=2000)
        for o in AdminUnit.objects.filter(era=objs[0].era, level=objs[0].level) if objs else []:
            existing[(o.era, o.level, o.code)] = o

    # Current tree.
    ensure(
        [
            _unit(cur, P, f"{int(p.code):02d}", p.name, p.division_type, valid_from=PROVINCE_NEW_FROM)
            for p in Province.iter_all()
        ]
    )
    cprov = {int(code): u for (era, level, code), u in existing.items() if era == cur and level == P}
    ensure(
        [
            _unit(
                cur,
                C,
                f"{int(w.code):05d}",
                w.name,
                w.division_type,
                valid_from=COMMUNE_NEW_FROM,
                parent=cprov[int(w.province_code)],
                current_province=cprov[int(w.province_code)],
            )
            for w in Ward.iter_all()
        ]
    )
    AdminUnit.objects.filter(era=cur, level=P, current_province__isnull=True).update(
        current_province_id=F("id")
    )
    cward = {int(code): u for (era, level, code), u in existing.items() if era == cur and level == C}

    # Where each old ward went (for the roll-up) — majority province of its successors.
    old_ward_target: dict[int, int] = {}
    for old_code, entry in wconv.OLD_TO_NEW.items():
        provinces = Counter(int(n.province_code) for n in entry.new_wards)
        old_ward_target[int(old_code)] = provinces.most_common(1)[0][0]

    # Old tree.
    old_provinces = list(OldProvince.iter_all())
    old_districts = list(OldDistrict.iter_all())
    old_wards = list(OldWard.iter_all())
    district_votes: dict[int, Counter] = defaultdict(Counter)
    province_votes: dict[int, Counter] = defaultdict(Counter)
    district_province = {int(d.code): int(d.province_code) for d in old_districts}
    for w in old_wards:
        target = old_ward_target.get(int(w.code))
        if target:
            district_votes[int(w.district_code)][target] += 1
            province_votes[district_province[int(w.district_code)]][target] += 1

    def old_province_target(code: int) -> int:
        if province_votes[code]:
            return province_votes[code].most_common(1)[0][0]
        entry = pconv.OLD_TO_NEW[code]
        return int(entry.new_provinces[0].code)

    ensure(
        [
            _unit(
                old,
                P,
                f"{int(p.code):02d}",
                p.name,
                p.division_type,
                valid_to=PROVINCE_OLD_TO,
                current_province=cprov[old_province_target(int(p.code))],
            )
            for p in old_provinces
        ]
    )
    oprov = {int(code): u for (era, level, code), u in existing.items() if era == old and level == P}
    ensure(
        [
            _unit(
                old,
                D,
                f"{int(d.code):03d}",
                d.name,
                d.division_type,
                valid_to=COMMUNE_OLD_TO,
                parent=oprov[int(d.province_code)],
                current_province=cprov[
                    (
                        district_votes[int(d.code)].most_common(1)
                        or [(old_province_target(int(d.province_code)), 0)]
                    )[0][0]
                ],
            )
            for d in old_districts
        ]
    )
    odist = {int(code): u for (era, level, code), u in existing.items() if era == old and level == D}

    def old_ward_province_id(w) -> int:
        target = old_ward_target.get(int(w.code))
        return cprov[target].id if target else odist[int(w.district_code)].current_province_id

    ensure(
        [
            _unit(
                old,
                C,
                f"{int(w.code):05d}",
                w.name,
                w.division_type,
                valid_to=COMMUNE_OLD_TO,
                parent=odist[int(w.district_code)],
                current_province_id=old_ward_province_id(w),
            )
            for w in old_wards
        ]
    )
    oward = {int(code): u for (era, level, code), u in existing.items() if era == old and level == C}

    # Crosswalk rows.
    have = set(UnitSuccession.objects.values_list("old_unit_id", "new_unit_id"))
    rows = []
    for old_code, entry in pconv.OLD_TO_NEW.items():
        for n in entry.new_provinces:
            key = (oprov[int(old_code)].id, cprov[int(n.code)].id)
            if key not in have:
                have.add(key)
                rows.append(
                    UnitSuccession(
                        old_unit_id=key[0],
                        new_unit_id=key[1],
                        partial=len(entry.new_provinces) > 1,
                        effective_date=PROVINCE_NEW_FROM,
                    )
                )
    for old_code, entry in wconv.OLD_TO_NEW.items():
        if int(old_code) not in oward:
            continue
        for n in entry.new_wards:
            if int(n.code) not in cward:
                continue
            key = (oward[int(old_code)].id, cward[int(n.code)].id)
            if key not in have:
                have.add(key)
                rows.append(
                    UnitSuccession(
                        old_unit_id=key[0],
                        new_unit_id=key[1],
                        partial=entry.old_ward.is_partly_merged,
                        effective_date=COMMUNE_NEW_FROM,
                    )
                )
    UnitSuccession.objects.bulk_create(rows, batch_size=5000)
    for model in (AdminUnit, UnitSuccession):  # bulk rows send no post_save (core.dataversion)
        rows_inserted.send(sender=model)
    return {
        "skipped": False,
        "units": AdminUnit.objects.count(),
        "successions": UnitSuccession.objects.count(),
    }


# The Ministry's regional groupings for conferences and aggregation (data, editable in the admin).
# Southern region of seed 002 (6-month 2019 conference: 20 provinces, old units).
SOUTHERN_2019 = [
    "70",
    "72",
    "74",
    "75",
    "77",
    "79",  # Bình Phước, Tây Ninh, Bình Dương, Đồng Nai, Bà Rịa - Vũng Tàu, TP HCM
    "80",
    "82",
    "83",
    "84",
    "86",
    "87",
    "89",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",  # Đồng bằng sông Cửu Long
    "60",  # Bình Thuận
]


@transaction.atomic
def regions_load() -> None:
    region, _ = Region.objects.get_or_create(
        code="phia-nam",
        defaults={
            "name": "Khu vực phía Nam",
            "description": "20 tỉnh, thành phố khu vực phía Nam (hội nghị khuyến công)",
        },
    )
    provinces = AdminUnit.objects.filter(
        era=AdminUnit.Era.OLD, level=AdminUnit.Level.PROVINCE, code__in=SOUTHERN_2019
    )
    for p in provinces:
        RegionMember.objects.get_or_create(region=region, province=p)
