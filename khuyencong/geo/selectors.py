"""Reads over administrative units: roll-up old→current and back."""

from django.db.models import QuerySet

from khuyencong.core.text import filter_folded

from .models import AdminUnit, UnitSuccession


def current_province_of(unit: AdminUnit) -> AdminUnit:
    """Which current province does this unit (of either tree) roll up into?"""
    if unit.current_province_id == unit.id:
        return unit
    return unit.current_province


def units_rolling_up_into(province: AdminUnit) -> QuerySet[AdminUnit]:
    """Every unit, current or old, of any level, that rolls up into this current province."""
    return AdminUnit.objects.filter(current_province=current_province_of(province))


def old_provinces_of(province: AdminUnit) -> QuerySet[AdminUnit]:
    """The pre-2025 provinces that (mostly) became this current province: Vĩnh Long ← Bến Tre, Trà Vinh, Vĩnh
    Long."""
    return AdminUnit.objects.filter(
        era=AdminUnit.Era.OLD, level=AdminUnit.Level.PROVINCE, current_province=current_province_of(province)
    )


def successors_of(unit: AdminUnit) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(predecessions__old_unit=unit)


def predecessors_of(unit: AdminUnit) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(successions__new_unit=unit)


def admin_unit_list(
    *, level=None, era=None, parent=None, current_province=None, q=None
) -> QuerySet[AdminUnit]:
    qs = AdminUnit.objects.all()
    if level:
        qs = qs.filter(level=level)
    if era:
        qs = qs.filter(era=era)
    if parent:
        qs = qs.filter(parent_id=parent)
    if current_province:
        qs = qs.filter(current_province_id=current_province)
    return filter_folded(qs, q).order_by("era", "level", "code")


def province_by_name(name: str, *, era: str = AdminUnit.Era.CURRENT) -> AdminUnit:
    """A province by its short name ("Vĩnh Long", "Bến Tre"), in the given tree."""
    return AdminUnit.objects.get(level=AdminUnit.Level.PROVINCE, era=era, short_name=name)


def unit_lookup(
    name: str, *, level: int, era: str | None = None, within: AdminUnit | None = None
) -> list[AdminUnit]:
    """Units named `name` (with or without the type prefix, diacritics ignored), optionally inside `within`
    (a parent, a grandparent province of the old tree, or the current province they roll up into)."""
    from khuyencong.core.text import fold

    from .services import short_name

    qs = AdminUnit.objects.filter(level=level)
    if era:
        qs = qs.filter(era=era)
    if within is not None:
        if within.level == level - 1:
            qs = qs.filter(parent=within)
        elif within.era == AdminUnit.Era.OLD and within.level == level - 2:
            qs = qs.filter(parent__parent=within)
        else:
            qs = qs.filter(current_province=current_province_of(within))
    wanted = {fold(name), fold(short_name(name.strip()))}
    first_word = fold(short_name(name.strip())).split(" ")[0] if name.strip() else ""
    return [
        u
        for u in qs.filter(search_text__contains=first_word)
        if fold(u.name) in wanted or fold(u.short_name) in wanted
    ]


__all__ = [
    "UnitSuccession",
    "admin_unit_list",
    "current_province_of",
    "old_provinces_of",
    "predecessors_of",
    "province_by_name",
    "successors_of",
    "unit_lookup",
    "units_rolling_up_into",
]
