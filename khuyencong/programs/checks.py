"""Consistency check of a programme: recompute every subtotal and share from the budget matrix and compare
with every figure the document states; compare phase targets with stated overall targets.

Each disagreement says where the figure is stated, the stated number and the computed one. A document's text
and its tables do not always agree (seed 001: content 9 is 1.600 triệu in the text, 1.650 in the appendix);
the system must notice such disagreements instead of repeating them.
"""

import itertools
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from khuyencong.core.money import format_in_unit, format_number

from .models import Program, StatedFigure
from .selectors import BudgetMatrix, budget_matrix, source_label, target_planned

TRIEU = 10**6


@dataclass
class Disagreement:
    kind: str  # "amount" | "share" | "target"
    location: str
    what: str
    stated: str
    computed: str
    unit: str
    stated_value: str
    computed_value: str | None
    difference: str
    hint: str = ""
    figure_id: int | None = None
    target_id: int | None = None
    cell: str | None = None  # "content|source|column" for highlighting the matrix

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        text = f"{self.location}: {self.what} — văn bản ghi {self.stated}, tính lại được {self.computed}"
        if self.unit:
            text += f" ({self.unit})"
        if self.hint:
            text += f". {self.hint}"
        return text


@dataclass
class CheckResult:
    program: Program
    checked: int
    disagreements: list[Disagreement]

    @property
    def ok(self) -> bool:
        return not self.disagreements

    def as_dict(self) -> dict:
        return {
            "program": self.program.pk,
            "checked": self.checked,
            "ok": self.ok,
            "count": len(self.disagreements),
            "disagreements": [d.as_dict() for d in self.disagreements],
        }


def _scope_years(fig: StatedFigure, matrix: BudgetMatrix) -> tuple[int, ...]:
    if fig.year:
        return (fig.year,)
    if fig.phase_id:
        return tuple(fig.phase.years)
    return tuple(matrix.years)


def _column_key(fig: StatedFigure) -> str:
    if fig.year:
        return f"y{fig.year}"
    if fig.phase_id:
        return f"p{fig.phase_id}"
    return "total"


def describe_scope(fig: StatedFigure, program: Program) -> str:
    parts = []
    if fig.content_id:
        parts.append(f"Nội dung {fig.content.code} ({fig.content.short_name or fig.content.name})")
    else:
        parts.append("Tổng cộng các nội dung")
    parts.append(source_label(fig.funding_source) if fig.funding_source_id else "tất cả các nguồn")
    if fig.year:
        parts.append(f"năm {fig.year}")
    elif fig.phase_id:
        parts.append(f"giai đoạn {fig.phase.name}")
    else:
        parts.append(f"cả chương trình {program.period_label}")
    return " — ".join(parts)


def _trieu(amount: int) -> str:
    return format_in_unit(amount, TRIEU)


def _subset_hint(fig: StatedFigure, matrix: BudgetMatrix, years) -> str:
    """When a stated content amount equals the sum of some of its sources, say which (e.g. the text may count
    only the state budget, without the beneficiaries' own money)."""
    if fig.funding_source_id or len(matrix.sources) < 2:
        return ""
    code = fig.content.code if fig.content_id else None
    for size in range(1, len(matrix.sources)):
        for combo in itertools.combinations(matrix.sources, size):
            if sum(matrix.sum(code, s.code, years) for s in combo) == fig.amount:
                names = " + ".join(source_label(s) for s in combo)
                return f"Số văn bản ghi bằng tổng {names} (không tính các nguồn còn lại)."
    return ""


def check_program(program: Program) -> CheckResult:
    matrix = budget_matrix(program)
    out: list[Disagreement] = []
    checked = 0
    figures = program.stated_figures.select_related("content", "funding_source", "phase", "target").order_by(
        "origin", "pk"
    )
    for fig in figures:
        checked += 1
        if fig.kind == StatedFigure.Kind.AMOUNT:
            years = _scope_years(fig, matrix)
            computed = matrix.sum(
                fig.content.code if fig.content_id else None,
                fig.funding_source.code if fig.funding_source_id else None,
                years,
            )
            if computed != fig.amount:
                out.append(
                    Disagreement(
                        kind="amount",
                        location=fig.location,
                        what=f"Kinh phí: {describe_scope(fig, program)}",
                        stated=_trieu(fig.amount),
                        computed=_trieu(computed),
                        unit="triệu đồng",
                        stated_value=str(fig.amount),
                        computed_value=str(computed),
                        difference=_trieu(abs(fig.amount - computed)),
                        hint=_subset_hint(fig, matrix, years),
                        figure_id=fig.pk,
                        cell=_cell(fig),
                    )
                )
        elif fig.kind == StatedFigure.Kind.SHARE:
            years = _scope_years(fig, matrix)
            code = fig.content.code if fig.content_id else None
            whole = matrix.sum(code, None, years)
            part = matrix.sum(code, fig.funding_source.code, years)
            quantum = Decimal(1).scaleb(-fig.digits)
            stated = Decimal(fig.percent).quantize(quantum)
            if not whole:
                computed = None
            else:
                computed = (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_HALF_UP)
            if computed != stated:
                exact = (Decimal(part) * 100 / Decimal(whole)) if whole else None
                out.append(
                    Disagreement(
                        kind="share",
                        location=fig.location,
                        what=f"Tỷ trọng {source_label(fig.funding_source)} trong "
                        f"{describe_scope(_without_source(fig), program).lower()}",
                        stated=f"{format_number(stated)} %",
                        computed=f"{format_number(computed)} %"
                        if computed is not None
                        else "không tính được (tổng 0)",
                        unit="",
                        stated_value=str(stated),
                        computed_value=str(computed) if computed is not None else None,
                        difference=f"{format_number(abs(stated - computed))} điểm %"
                        if computed is not None
                        else "",
                        hint=f"Tính lại: {_trieu(part)} / {_trieu(whole)} = {format_number(exact, 3)} %"
                        if exact
                        else "",
                        figure_id=fig.pk,
                    )
                )
        else:
            target = fig.target
            computed = target_planned(target, fig.phase) if fig.phase_id else target_planned(target)
            if computed != fig.quantity:
                scope = f"giai đoạn {fig.phase.name}" if fig.phase_id else "cả chương trình"
                basis = "giá trị giai đoạn" if fig.phase_id else "tổng các giai đoạn"
                out.append(
                    Disagreement(
                        kind="target",
                        location=fig.location,
                        what=f"Chỉ tiêu «{target.name}» — {scope} ({basis})",
                        stated=format_number(fig.quantity),
                        computed=format_number(computed) if computed is not None else "chưa có",
                        unit=target.unit,
                        stated_value=str(fig.quantity),
                        computed_value=str(computed) if computed is not None else None,
                        difference=format_number(abs(fig.quantity - computed))
                        if computed is not None
                        else "",
                        hint=_phase_breakdown(target) if not fig.phase_id else "",
                        figure_id=fig.pk,
                        target_id=target.pk,
                    )
                )
    # A target that states an overall value and values per phase must add up.
    for target in program.targets.prefetch_related("values__phase"):
        values = list(target.values.all())
        if target.overall_value is None or not values:
            continue
        checked += 1
        total = sum(v.value for v in values)
        if total != target.overall_value:
            out.append(
                Disagreement(
                    kind="target",
                    location=target.location or "Mục tiêu cụ thể",
                    what=f"Chỉ tiêu «{target.name}» — cả chương trình (tổng các giai đoạn)",
                    stated=format_number(target.overall_value),
                    computed=format_number(total),
                    unit=target.unit,
                    stated_value=str(target.overall_value),
                    computed_value=str(total),
                    difference=format_number(abs(total - target.overall_value)),
                    hint=_phase_breakdown(target),
                    target_id=target.pk,
                )
            )
    return CheckResult(program=program, checked=checked, disagreements=out)


def _phase_breakdown(target) -> str:
    values = sorted(target.values.select_related("phase"), key=lambda v: v.phase.year_from)
    if not values:
        return ""
    parts = " + ".join(f"{format_number(v.value)} ({v.phase.name})" for v in values)
    return f"Các giai đoạn: {parts}."


def _without_source(fig: StatedFigure):
    return _NoSource(fig)


class _NoSource:
    """A stated figure seen without its funding source (to describe the whole a share is taken of)."""

    def __init__(self, fig):
        self._fig = fig
        self.funding_source_id = None
        self.funding_source = None

    def __getattr__(self, name):
        return getattr(self._fig, name)


def _cell(fig: StatedFigure) -> str:
    content = fig.content.code if fig.content_id else ""
    source = fig.funding_source.code if fig.funding_source_id else ""
    return f"{content}|{source}|{_column_key(fig)}"
