"""Figures that come from the records of other apps (product voting, activities, loans, clusters), not from
outputs typed on a đề án.

An app registers a provider from its AppConfig.ready():

    register("awards", title="Bình chọn sản phẩm CNNT tiêu biểu", order=10, outputs=fn, section=fn)

`outputs(scope)` returns values for catalogue indicator codes (catalog OutputIndicator.code) counted from the
app's records with business dates in [scope.start, scope.end]; a periodic report, the dashboard and the
programme targets use these values instead of the typed ProjectOutput rows of the same codes ("computed, not
typed"). `section(scope)` returns a `Section`: a table the report page, its .docx/.xlsx and the aggregation
show as is (the aggregation sums rows by their first cell).
"""

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db.models import Q

# The documents' cell kinds (reports/documents.py), repeated here so this module imports nothing of reports.
TEXT, MONEY, INT, PERCENT = "text", "money", "int", "percent"

__all__ = [
    "INT",
    "MONEY",
    "PERCENT",
    "TEXT",
    "Provider",
    "Scope",
    "Section",
    "aggregate_sections",
    "record_outputs",
    "record_sections",
    "register",
    "section_table",
    "unregister",
]


@dataclass(frozen=True)
class Scope:
    """The reporting unit and the window: `unit` is a province of either era, a district or commune office, or
    None for the whole country; `provinces` narrows a national scope to some current provinces (a region)."""

    unit: object | None
    start: dt.date
    end: dt.date
    provinces: tuple[int, ...] | None = None

    def place_q(self, path: str) -> Q:
        """Records whose AdminUnit foreign key at `path` lies in the unit: an old province by its old
        districts and communes, a current province by the current province every unit rolls up into, an
        office by itself and the units under it."""
        unit = self.unit
        if unit is None:
            if self.provinces is None:
                return Q()
            return Q(**{f"{path}__current_province_id__in": self.provinces}) | Q(
                **{f"{path}_id__in": self.provinces}
            )
        if unit.level == 1:
            if unit.era == "current":
                return Q(**{f"{path}__current_province_id": unit.id}) | Q(**{f"{path}_id": unit.id})
            return (
                Q(**{f"{path}_id": unit.id})
                | Q(**{f"{path}__parent_id": unit.id})
                | Q(**{f"{path}__parent__parent_id": unit.id})
            )
        return Q(**{f"{path}_id": unit.id}) | Q(**{f"{path}__parent_id": unit.id})

    def province_q(self, path: str) -> Q:
        """Records whose foreign key at `path` is a current-era province, for the unit's province."""
        unit = self.unit
        if unit is None:
            return Q() if self.provinces is None else Q(**{f"{path}_id__in": self.provinces})
        province_id = unit.id if (unit.level == 1 and unit.era == "current") else unit.current_province_id
        return Q(**{f"{path}_id": province_id})

    def date_q(self, path: str) -> Q:
        return Q(**{f"{path}__gte": self.start, f"{path}__lte": self.end})


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Provider:
    key: str
    title: str
    order: int
    outputs: Callable[[Scope], dict[str, int]] | None = None
    section: Callable[[Scope], Section | None] | None = None


_PROVIDERS: dict[str, Provider] = {}


def register(
    key: str,
    *,
    title: str,
    order: int = 50,
    outputs: Callable[[Scope], dict[str, int]] | None = None,
    section: Callable[[Scope], Section | None] | None = None,
) -> Provider:
    provider = Provider(key=key, title=title, order=order, outputs=outputs, section=section)
    _PROVIDERS[key] = provider
    return provider


def unregister(key: str) -> None:
    _PROVIDERS.pop(key, None)


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def record_outputs(unit, start: dt.date, end: dt.date, *, provinces=None) -> dict[str, int]:
    """Indicator code → value from every provider, for the unit between `start` and `end`."""
    scope = Scope(unit=unit, start=start, end=end, provinces=tuple(provinces) if provinces else None)
    out: dict[str, int] = OrderedDict()
    for p in providers():
        if p.outputs is None:
            continue
        for code, value in (p.outputs(scope) or {}).items():
            out[code] = out.get(code, 0) + int(value or 0)
    return out


def record_sections(unit, start: dt.date, end: dt.date, *, provinces=None) -> list[dict]:
    """Every provider's section (as JSON-able dicts, the shape frozen into a report's figures)."""
    scope = Scope(unit=unit, start=start, end=end, provinces=tuple(provinces) if provinces else None)
    out = []
    for p in providers():
        if p.section is None:
            continue
        s = p.section(scope)
        if s is not None:
            out.append(s.as_dict())
    return out


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def aggregate_sections(figures: list[dict]) -> list[dict]:
    """Sections of several units' figures summed: rows matched by their first cell, numeric cells added
    (percentages are not added: they are left empty in a sum), totals likewise."""
    merged: dict[str, dict] = OrderedDict()
    for fig in figures:
        for s in fig.get("sections") or []:
            m = merged.get(s["key"])
            if m is None:
                m = merged[s["key"]] = {
                    **s,
                    "rows": [],
                    "totals": None,
                    "notes": [],
                    "_rows": OrderedDict(),
                }
            for row in s.get("rows") or []:
                _add_row(m["_rows"], row, s["kinds"])
            if s.get("totals"):
                m["totals"] = _sum_cells(m["totals"], s["totals"], s["kinds"])
    out = []
    for m in merged.values():
        m["rows"] = list(m.pop("_rows").values())
        out.append(m)
    return out


def _add_row(rows: dict, row: list, kinds: list[str]) -> None:
    key = str(row[0]) if row else ""
    rows[key] = _sum_cells(rows.get(key), row, kinds)


def _sum_cells(acc: list | None, row: list, kinds: list[str]) -> list:
    if acc is None:
        return [None if k == PERCENT else v for v, k in zip(row, kinds, strict=False)]
    out = list(acc)
    for i, (v, k) in enumerate(zip(row, kinds, strict=False)):
        if k in (INT, MONEY) and _is_number(v):
            out[i] = (out[i] or 0) + v if _is_number(out[i]) or out[i] is None else out[i]
    return out


def section_table(s: dict):
    """A section dict as the documents' Table (page, .docx, .xlsx)."""
    from .documents import Table

    return Table(
        s["key"],
        s["title"],
        list(s["headers"]),
        list(s["kinds"]),
        rows=[list(r) for r in s.get("rows") or []],
        totals=list(s["totals"]) if s.get("totals") else None,
    )
