"""Reads over programmes, scoped to the reader; the budget matrix with its computed subtotals; progress.

Subtotals are computed here from BudgetLine rows, never stored. Progress reads achieved outputs and approved /
disbursed money through `khuyencong.projects.selectors.program_execution` (looked up at call time, so the
đề án recorded in the projects app flow in as soon as they exist).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from khuyencong.catalog import selectors as catalog
from khuyencong.catalog.models import ActivityContent, FundingSource
from khuyencong.core.listing import int_param
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import fold

from .models import BudgetLine, Phase, Program, StatedFigure, Status, Target

SOURCE_LABELS = {
    "national": "Nguồn Trung ương",
    "local": "Nguồn địa phương",
    "district": "Nguồn ngân sách huyện, xã",
    "counterpart": "Nguồn khác",
}
DEFAULT_SOURCES = ["national", "local", "counterpart"]


# ---------------------------------------------------------------------------------------------------- scoping


def program_list_for(*, user) -> QuerySet[Program]:
    """Programmes the user may see: the Cục all; a province's Sở/TTKC those rolling up into its current
    province (Vĩnh Long sees the old Bến Tre programme); a commune office those of its province."""
    scope = scope_for(user)
    qs = Program.objects.select_related("owner_unit", "province")
    if scope.kind == "units":
        return qs.filter(province_id=scope.province_id)
    return qs.filter(scope.q(province="province"))


def program_get_for(*, user, pk: int) -> Program:
    return get_object_or_404(program_list_for(user=user), pk=pk)


def program_filter(qs: QuerySet[Program], params) -> QuerySet[Program]:
    if params.get("q"):
        terms = fold(params["q"]).split()
        matching = [
            pk
            for pk, title, code in qs.values_list("pk", "title", "code")
            if all(t in fold(f"{title} {code}") for t in terms)
        ]
        qs = qs.filter(pk__in=matching)
    if params.get("status") in Status.values:
        qs = qs.filter(status=params["status"])
    year = int_param(params.get("year"))
    if year is not None:
        qs = qs.filter(year_from__lte=year, year_to__gte=year)
    owner_unit = int_param(params.get("owner_unit"))
    if owner_unit is not None:
        qs = qs.filter(owner_unit_id=owner_unit)
    return qs


def with_totals(qs: QuerySet[Program]) -> QuerySet[Program]:
    return qs.annotate(budget_total=Sum("budget_lines__amount"))


# ---------------------------------------------------------------------------------------------------- matrix


@dataclass(frozen=True)
class Column:
    key: str  # "y2014", "p<phase pk>", "total"
    kind: str  # "year" | "phase" | "total"
    label: str
    group: str  # the heading above it ("Giai đoạn 2014-2015")
    years: tuple[int, ...]
    phase: Phase | None = None


@dataclass
class MatrixRow:
    kind: str  # "content" | "source" | "total" | "source_total"
    number: str  # "1", "1.1", ""
    label: str
    values: list[int]
    content: ActivityContent | None = None
    source: FundingSource | None = None


@dataclass
class BudgetMatrix:
    program: Program
    contents: list[ActivityContent]
    sources: list[FundingSource]
    phases: list[Phase]
    cells: dict[tuple[str, str, int], int] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return self.program.years

    def sum(self, content: str | None = None, source: str | None = None, years=None) -> int:
        years = set(self.years if years is None else years)
        return sum(
            v
            for (c, s, y), v in self.cells.items()
            if (content is None or c == content) and (source is None or s == source) and y in years
        )

    @property
    def columns(self) -> list[Column]:
        cols, covered = [], set()
        for ph in self.phases:
            group = f"Giai đoạn {ph.name}"
            for y in ph.years:
                cols.append(Column(f"y{y}", "year", f"Năm {y}", group, (y,), ph))
                covered.add(y)
            cols.append(Column(f"p{ph.pk}", "phase", "Tổng giai đoạn", group, tuple(ph.years), ph))
        loose = [y for y in self.years if y not in covered]
        for y in loose:
            cols.append(Column(f"y{y}", "year", f"Năm {y}", "", (y,), None))
        cols.append(
            Column(
                "total",
                "total",
                f"Giai đoạn {self.program.period_label}",
                "Cả chương trình",
                tuple(self.years),
            )
        )
        return cols

    def _values(self, content=None, source=None) -> list[int]:
        return [self.sum(content, source, col.years) for col in self.columns]

    def rows(self) -> list[MatrixRow]:
        out = []
        for c in self.contents:
            out.append(MatrixRow("content", c.code, c.name, self._values(c.code), content=c))
            for i, s in enumerate(self.sources, start=1):
                out.append(
                    MatrixRow(
                        "source",
                        f"{c.code}.{i}",
                        source_label(s),
                        self._values(c.code, s.code),
                        content=c,
                        source=s,
                    )
                )
        numbers = "+".join(c.code for c in self.contents)
        out.append(MatrixRow("total", "", f"Tổng cộng các nguồn: [{numbers}]", self._values()))
        for i, s in enumerate(self.sources, start=1):
            refs = "+".join(f"{c.code}.{i}" for c in self.contents)
            out.append(
                MatrixRow(
                    "source_total", "", f"{source_label(s)}: [{refs}]", self._values(None, s.code), source=s
                )
            )
        return out

    @property
    def total(self) -> int:
        return self.sum()

    def shares(self) -> list[dict]:
        """Each source's share of the programme and of each phase (computed, for display)."""
        out = []
        periods = [(None, tuple(self.years))] + [(ph, tuple(ph.years)) for ph in self.phases]
        for s in self.sources:
            row = {"source": s, "label": source_label(s), "cells": []}
            for ph, years in periods:
                whole = self.sum(None, None, years)
                part = self.sum(None, s.code, years)
                row["cells"].append({"phase": ph, "amount": part, "ratio": (part / whole) if whole else None})
            out.append(row)
        return out


def source_label(source: FundingSource) -> str:
    return SOURCE_LABELS.get(source.code, source.name)


def program_contents(program: Program) -> list[ActivityContent]:
    """The activity contents valid when the programme starts (numbered 1..9 under Nghị định 45/2012)."""
    start = dt.date(program.year_from, 1, 1)
    seen, out = set(), []
    for c in catalog.activity_contents_valid_on(start).order_by("order", "code"):
        if c.code not in seen:
            seen.add(c.code)
            out.append(c)
    return out


def budget_matrix(program: Program) -> BudgetMatrix:
    lines = list(BudgetLine.objects.filter(program=program).select_related("content", "funding_source"))
    cells = {(b.content.code, b.funding_source.code, b.year): b.amount for b in lines}
    used_contents = {b.content.code: b.content for b in lines}
    if used_contents:
        contents = sorted(used_contents.values(), key=lambda c: (c.order, c.code))
    else:
        contents = program_contents(program)
    used_sources = {b.funding_source.code: b.funding_source for b in lines}
    if used_sources:
        sources = sorted(used_sources.values(), key=lambda s: s.order)
    else:
        sources = list(FundingSource.objects.filter(code__in=DEFAULT_SOURCES).order_by("order"))
    phases = list(program.phases.order_by("year_from"))
    return BudgetMatrix(program=program, contents=contents, sources=sources, phases=phases, cells=cells)


# ---------------------------------------------------------------------------------------------------- targets


def target_rows(program: Program) -> list[dict]:
    """Targets with their value per phase and the planned overall (sum of phases, or the overall as
    stated)."""
    phases = list(program.phases.order_by("year_from"))
    rows = []
    for t in program.targets.select_related("content", "indicator").prefetch_related("values"):
        by_phase = {v.phase_id: v.value for v in t.values.all()}
        values = [by_phase.get(ph.pk) for ph in phases]
        overall = sum(v for v in values if v is not None) if by_phase else t.overall_value
        rows.append({"target": t, "values": values, "overall": overall})
    return rows


def target_planned(target: Target, phase: Phase | None = None) -> int | None:
    values = {v.phase_id: v.value for v in target.values.all()}
    if phase is not None:
        return values.get(phase.pk)
    if values:
        return sum(values.values())
    return target.overall_value


def stated_figures(program: Program) -> QuerySet[StatedFigure]:
    return program.stated_figures.select_related("content", "funding_source", "phase", "target").order_by(
        "origin", "pk"
    )


def status_timeline(program: Program):
    return program.status_changes.select_related("actor").order_by("effective_date", "pk")


# ---------------------------------------------------------------------------------------------------- progres


def _recorded_outputs(program: Program) -> dict[tuple[str, int], int]:
    """(indicator code, year) → what other apps' records count for the programme's province that year
    (voting rounds, fairs, clusters…: reports/record_figures.py)."""
    import datetime as dt

    from khuyencong.reports.record_figures import record_outputs

    if program.province_id is None:
        return {}
    out = {}
    for year in program.years:
        for code, value in record_outputs(
            program.province, dt.date(year, 1, 1), dt.date(year, 12, 31)
        ).items():
            if value:
                out[(code, year)] = value
    return out


def program_progress(program: Program) -> dict:
    """Planned (the programme) against achieved / approved / disbursed (đề án, via projects.selectors)."""
    from khuyencong.projects import selectors as project_selectors

    figures = project_selectors.program_execution(
        province_id=program.province_id, year_from=program.year_from, year_to=program.year_to
    )
    phases = list(program.phases.order_by("year_from"))
    recorded = _recorded_outputs(program)
    target_out = []
    for row in target_rows(program):
        t = row["target"]
        code = t.indicator.code if t.indicator_id else None

        def achieved(years, code=code):
            if code is None:
                return None
            if any(recorded.get((code, y)) for y in program.years):  # counted from records, not typed
                return sum(recorded.get((code, y), 0) for y in years)
            return sum(figures.outputs.get((code, y), 0) for y in years)

        cells = [
            {"phase": ph, "planned": v, "achieved": achieved(ph.years)}
            for ph, v in zip(phases, row["values"], strict=True)
        ]
        overall_achieved = achieved(program.years)
        target_out.append(
            {
                "target": t,
                "cells": cells,
                "planned": row["overall"],
                "achieved": overall_achieved,
                "ratio": (overall_achieved / row["overall"]) if row["overall"] and code else None,
            }
        )
    matrix = budget_matrix(program)
    contents = {c.code: c for c in matrix.contents}
    sources = {s.code: s for s in matrix.sources}
    keys = set(matrix.cells) | set(figures.money)
    for c, s, _y in figures.money:
        if c not in contents:
            found = catalog.activity_content_by_code(c)
            if found:
                contents[c] = found
        if s not in sources:
            found = catalog.funding_source_by_code(s)
            if found:
                sources[s] = found
    money_rows = []
    totals = {"planned": 0, "approved": 0, "disbursed": 0}
    by_source = {}
    for c, s, y in sorted(
        keys,
        key=lambda k: (
            getattr(contents.get(k[0]), "order", 99),
            k[0],
            getattr(sources.get(k[1]), "order", 99),
            k[2],
        ),
    ):
        if not program.year_from <= y <= program.year_to:
            continue
        planned = matrix.cells.get((c, s, y), 0)
        done = figures.money.get((c, s, y), {})
        approved, disbursed = int(done.get("approved", 0) or 0), int(done.get("disbursed", 0) or 0)
        if not (planned or approved or disbursed):
            continue
        money_rows.append(
            {
                "content": contents.get(c),
                "content_code": c,
                "source": sources.get(s),
                "source_label": source_label(sources[s]) if s in sources else s,
                "year": y,
                "planned": planned,
                "approved": approved,
                "disbursed": disbursed,
                "ratio": (disbursed / planned) if planned else None,
            }
        )
        for bucket in (
            totals,
            by_source.setdefault(
                s, {"label": money_rows[-1]["source_label"], "planned": 0, "approved": 0, "disbursed": 0}
            ),
        ):
            bucket["planned"] += planned
            bucket["approved"] += approved
            bucket["disbursed"] += disbursed
    return {
        "targets": target_out,
        "phases": phases,
        "money": money_rows,
        "totals": totals,
        "by_source": list(by_source.values()),
    }


def targets_for_report(*, province_id: int, year: int) -> list[dict]:
    """For periodic reports: the targets (with a catalogue indicator) of the programme covering `year` in a
    province — the value of the phase containing that year. Approved programmes first."""
    programs = Program.objects.filter(
        province_id=province_id, year_from__lte=year, year_to__gte=year
    ).exclude(status=Status.SUPERSEDED)
    program = (
        programs.filter(status=Status.APPROVED).order_by("-year_from").first()
        or programs.order_by("-year_from").first()
    )
    if program is None:
        return []
    phase = program.phases.filter(year_from__lte=year, year_to__gte=year).first()
    rows = []
    for t in (
        program.targets.filter(indicator__isnull=False).select_related("indicator").prefetch_related("values")
    ):
        value = target_planned(t, phase) if phase else target_planned(t)
        if value is None:
            continue
        rows.append(
            {
                "code": t.indicator.code,
                "name": t.name,
                "unit": t.unit,
                "target": value,
                "phase": phase.name if phase else program.period_label,
            }
        )
    return rows
