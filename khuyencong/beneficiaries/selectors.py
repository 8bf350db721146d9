"""Reads over establishments, always scoped to the reader; search without diacritics; possible duplicates;
the support history that other apps (đề án, bình chọn, hội chợ, vay vốn) feed through providers."""

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from khuyencong.core.collation import vi_order
from khuyencong.core.listing import int_param
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import filter_folded, fold
from khuyencong.geo.models import AdminUnit, UnitSuccession

from .models import Establishment

# --- scoped reads -------------------------------------------------------------------------------------------


def establishment_list_for(*, user) -> QuerySet[Establishment]:
    """Establishments the user may see: the Cục all; a Sở / TTKC those whose current province is theirs (old
    units included: Bến Tre's roll up into Vĩnh Long); a local office its communes; a beneficiary only
    itself."""
    scope = scope_for(user)
    return Establishment.objects.filter(scope.q(province="province", unit="commune", establishment="pk"))


def establishment_get_for(*, user, pk) -> Establishment:
    """One establishment, or Http404 when it does not exist or is outside the user's scope."""
    qs = establishment_list_for(user=user).select_related(
        "establishment_type", "sector", "province", "commune", "commune__parent", "commune__parent__parent"
    )
    return get_object_or_404(qs, pk=pk)


PRIORITY_CHOICES = [
    ("any", "Thuộc nhóm ưu tiên (bất kỳ)"),
    ("woman", "Phụ nữ làm chủ"),
    ("ethnic", "Người dân tộc thiểu số làm chủ"),
    ("none", "Không thuộc nhóm ưu tiên"),
]


def establishment_filter(qs: QuerySet[Establishment], params: Mapping) -> QuerySet[Establishment]:
    """Filters of the list page and the API: search (q or search), province, commune, sector, type,
    priority."""
    search = params.get("q") or params.get("search")
    if search:
        qs = filter_folded(qs, search)
    province = int_param(params.get("province"))
    if province:
        qs = qs.filter(province_id=province)
    commune = int_param(params.get("commune"))
    if commune:
        qs = qs.filter(commune_id=commune)
    sector = params.get("sector")
    if sector:
        qs = qs.filter(sector_id=int_param(sector)) if int_param(sector) else qs.filter(sector__code=sector)
    type_code = params.get("type")
    if type_code:
        qs = qs.filter(establishment_type__code=type_code)
    priority = params.get("priority")
    if priority == "woman":
        qs = qs.filter(woman_owned=True)
    elif priority == "ethnic":
        qs = qs.filter(ethnic_minority_owned=True)
    elif priority == "any":
        qs = qs.filter(Q(woman_owned=True) | Q(ethnic_minority_owned=True))
    elif priority == "none":
        qs = qs.filter(woman_owned=False, ethnic_minority_owned=False)
    return qs


def with_related(qs: QuerySet[Establishment]) -> QuerySet[Establishment]:
    return qs.select_related(
        "establishment_type", "sector", "province", "commune", "commune__parent", "commune__parent__parent"
    )


def establishment_by_tax_code(tax_code: str | None) -> Establishment | None:
    """The record holding this tax code, whatever the scope (used to refuse duplicates by name)."""
    if not tax_code:
        return None
    return Establishment.objects.select_related("commune", "province").filter(tax_code=tax_code).first()


def describe(establishment: Establishment) -> str:
    """«Name» (MST …, commune, province) — how messages name a record."""
    parts = []
    if establishment.tax_code:
        parts.append(f"MST {establishment.tax_code}")
    if establishment.commune_id:
        parts.append(establishment.commune.name)
    if establishment.province_id:
        parts.append(establishment.province.name)
    return f"«{establishment.name}» ({', '.join(parts)}, mã hồ sơ #{establishment.pk})"


# --- possible duplicates ------------------------------------------------------------------------------------

_NAME_PREFIXES = [
    "cong ty trach nhiem huu han",
    "cong ty tnhh mtv",
    "cong ty tnhh",
    "cong ty co phan",
    "cong ty cp",
    "cong ty",
    "doanh nghiep tu nhan",
    "dntn",
    "hop tac xa",
    "htx",
    "to hop tac",
    "tht",
    "ho kinh doanh",
    "hkd",
    "co so san xuat",
    "co so",
    "cs",
]
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def name_key(name: str) -> str:
    """A name reduced for comparison: folded, punctuation dropped, the legal-form prefix removed."""
    text = " ".join(_NON_WORD.sub(" ", fold(name)).split())
    for prefix in _NAME_PREFIXES:
        if text.startswith(prefix + " "):
            text = text[len(prefix) + 1 :]
            break
    return text


def names_similar(a: str, b: str, threshold: float = 0.85) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb or (min(len(ka), len(kb)) >= 6 and (ka in kb or kb in ka)):
        return True
    wa, wb = set(ka.split()), set(kb.split())
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(shorter) >= 3 and shorter <= longer:  # "thạch dừa Minh Tâm" in "thạch dừa - nước màn dừa Minh Tâm"
        return True
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= threshold


def same_place_commune_ids(commune_id: int) -> set[int]:
    """The commune, the units it merged into in 2025, and the other old communes merged into those: a
    record on "Phường 6 (TP Bến Tre)" and one on its successor ward are in the same place."""
    ids = {commune_id}
    successors = set(
        UnitSuccession.objects.filter(old_unit_id=commune_id).values_list("new_unit_id", flat=True)
    )
    ids |= successors
    ids |= set(
        UnitSuccession.objects.filter(new_unit_id__in=successors | {commune_id}).values_list(
            "old_unit_id", flat=True
        )
    )
    return ids


def possible_duplicates(
    *, name: str, commune_id: int | None, exclude_pk: int | None = None, user=None
) -> list[Establishment]:
    """Records in the same place (commune, or its 2025 successor) whose name is similar: probably the same
    establishment entered twice. Limited to the user's scope when a user is given."""
    if not commune_id:
        return []
    qs = Establishment.objects.filter(commune_id__in=same_place_commune_ids(commune_id))
    if user is not None:
        qs = qs.filter(pk__in=establishment_list_for(user=user).values("pk"))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return [e for e in qs.select_related("commune", "province") if names_similar(name, e.name)]


# --- support history ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportRow:
    """One line of an establishment's support history."""

    date: dt.date | None
    kind: str  # "Đề án", "Bình chọn", "Hội chợ", "Vay vốn" …
    title: str
    amount: int | None  # đồng
    status: str
    url: str | None = None


SupportProvider = Callable[[Establishment], list]
_PROVIDERS: list[SupportProvider] = []


def register_support_history_provider(fn: SupportProvider) -> SupportProvider:
    """Add a source of support history: fn(establishment) -> rows, each a SupportRow or a dict with the keys
    date, kind, title, amount, status, url. Registering the same function twice has no effect.
    Usable as a decorator."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def unregister_support_history_provider(fn: SupportProvider) -> None:
    if fn in _PROVIDERS:
        _PROVIDERS.remove(fn)


def _as_row(row) -> SupportRow:
    if isinstance(row, SupportRow):
        return row
    if isinstance(row, Mapping):
        return SupportRow(
            date=row.get("date"),
            kind=str(row.get("kind", "")),
            title=str(row.get("title", "")),
            amount=row.get("amount"),
            status=str(row.get("status", "")),
            url=row.get("url"),
        )
    return SupportRow(*row)


def establishment_support_history(establishment: Establishment) -> list[SupportRow]:
    """Every đề án, award, fair and loan of the establishment, from all providers, oldest first (rows without
    a date last)."""
    rows = [_as_row(r) for provider in list(_PROVIDERS) for r in (provider(establishment) or [])]
    return sorted(rows, key=lambda r: (r.date is None, r.date or dt.date.min, r.kind, r.title))


# --- choices for forms --------------------------------------------------------------------------------------


def commune_label(unit: AdminUnit) -> str:
    """ "Phường 6 — Thành phố Bến Tre, Tỉnh Bến Tre (trước 1/7/2025)" / "Phường An Hội — Tỉnh Vĩnh Long (hiện
    nay)"."""
    parents = []
    p = unit.parent
    while p is not None:
        parents.append(p.name)
        p = p.parent
    suffix = f" ({unit.era_suffix})" if unit.era_suffix else ""
    return f"{unit.name} — {', '.join(parents)}{suffix}"


def communes_of_province(province_id: int | None) -> QuerySet[AdminUnit]:
    """Communes of both trees rolling up into a current province: current ones first, then old ones."""
    if not province_id:
        return AdminUnit.objects.none()
    return (
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, current_province_id=province_id)
        .select_related("parent", "parent__parent")
        .order_by("era", vi_order("parent__parent__name"), vi_order("parent__name"), vi_order("name"))
    )


# ---------------------------------------------------------------------------------------------------- pickers

PICKER_LIMIT = 50  # options a picker's search answers with


def establishment_label(est: Establishment) -> str:
    """ "Cơ sở thạch dừa Minh Tâm (MST 1300123456) — Phường 6": how pickers list an establishment."""
    tax = f" (MST {est.tax_code})" if est.tax_code else ""
    commune = f" — {est.commune.name}" if est.commune_id else ""
    return f"{est.name}{tax}{commune}"


def picker_provinces(user) -> QuerySet[AdminUnit]:
    """Today's provinces a user may pick communes in: all for the Cục, its own for a Sở / centre / local
    office, none for an establishment."""
    scope = scope_for(user)
    qs = AdminUnit.objects.filter(era=AdminUnit.Era.CURRENT, level=AdminUnit.Level.PROVINCE).order_by("name")
    if scope.sees_all:
        return qs
    if scope.kind == "establishment" or not scope.province_id:
        return qs.none()
    return qs.filter(pk=scope.province_id)


def picker_communes(user, province_id: int | None) -> QuerySet[AdminUnit]:
    """Communes (both trees) of a province the user may pick in; a local office only its units. Nothing for a
    province outside the user's scope."""
    if not province_id or not picker_provinces(user).filter(pk=province_id).exists():
        return AdminUnit.objects.none()
    units = communes_of_province(province_id)
    scope = scope_for(user)
    if scope.kind == "units":
        units = units.filter(pk__in=scope.unit_ids)
    return units


def picker_establishments(user, *, q: str = "", province_id: int | None = None) -> QuerySet[Establishment]:
    """The establishments a user may pick as beneficiaries (the scoped list), found by name or tax code
    without diacritics, optionally of one province."""
    qs = establishment_list_for(user=user).select_related("commune")
    if province_id:
        qs = qs.filter(province_id=province_id)
    return filter_folded(qs, q).order_by("name", "pk")
