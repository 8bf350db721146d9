"""How each criterion of the yearly assessment is measured. Each gives a rate from 0 to 1 (or None: no data);
the province's points for it are `weight × rate`, rounded to 2 decimals, and its total is the sum of those
rounded points (so the breakdown always adds up to the total). The weights are data (models.py).

1. Báo cáo định kỳ — the 6-month and yearly reports of the year, from the completeness table
   (reports.selectors.completeness): sent on time 100 %; late: 100 % less `late_penalty_per_day` % per day
   late, not below `late_floor` %; not sent after the deadline 0 %; a period not yet due is not counted
   (none due: full points).
2./3. Thực hiện kế hoạch KCQG / KCĐP — disbursed ÷ plan of that source (at most 100 %) in the province's
   latest report of the year that it sent (yearly, else 9 months, else 6 months), figures as frozen when sent.
   No report sent, or no plan from that source: 0 points.
4. Đề án dừng, gia hạn — 100 % less the share of the year's đề án (the province's plans of that year, not
   cancelled) that were stopped, asked to stop, or extended. No đề án recorded: full points.
5. Kết quả đầu ra — for each target of the province's programme covering the year (with a catalogue
   indicator), the output in the same report ÷ the year's share of the phase's target (the phase's value ÷
   its number of years), at most 100 %; the rate is their mean. No target or no report: 0 points.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from khuyencong.core.scoping import Scope

from .models import Criterion

# The method as the page shows it (Vietnamese; the module docstring says the same for developers).
METHOD = [
    "Mỗi tiêu chí cho một tỷ lệ đạt từ 0 đến 100 %; điểm của tiêu chí = điểm tối đa × tỷ lệ đạt, làm tròn 2 "
    "chữ số thập phân; tổng điểm là tổng các điểm đã làm tròn. Điểm tối đa của từng tiêu chí do Cục đặt cho "
    "từng năm.",
    "Báo cáo định kỳ: báo cáo 6 tháng và báo cáo năm (bảng theo dõi nộp báo cáo). Nộp đúng hạn 100 %; nộp "
    "muộn: trừ một số % mỗi ngày muộn, không thấp hơn mức tối thiểu; quá hạn chưa gửi 0 %; kỳ chưa đến hạn "
    "không tính (chưa kỳ nào đến hạn: đủ điểm).",
    "Thực hiện kế hoạch KCQG, KCĐP: giải ngân ÷ kế hoạch của nguồn đó (tối đa 100 %) theo báo cáo gần nhất "
    "của năm đã gửi (năm, nếu không có thì 9 tháng, 6 tháng), số liệu đã chốt khi gửi. Chưa gửi báo cáo "
    "hoặc không có kế hoạch nguồn đó: 0 điểm.",
    "Đề án dừng, gia hạn: 100 % trừ tỷ lệ đề án của kế hoạch năm (trừ đề án đã hủy) đã dừng, xin dừng hoặc "
    "gia hạn. Không có đề án trên hệ thống: đủ điểm.",
    "Kết quả đầu ra: với mỗi chỉ tiêu (có mã) của chương trình khuyến công của tỉnh bao trùm năm đó, kết "
    "quả trong báo cáo nói trên ÷ chỉ tiêu bình quân một năm của giai đoạn (tối đa 100 %); lấy bình quân. "
    "Chưa có chỉ tiêu hoặc chưa gửi báo cáo: 0 điểm.",
]

DEFAULT_WEIGHTS = {
    Criterion.REPORTING: Decimal(30),
    Criterion.NATIONAL_EXECUTION: Decimal(25),
    Criterion.LOCAL_EXECUTION: Decimal(15),
    Criterion.STOPPED_EXTENDED: Decimal(10),
    Criterion.OUTPUTS: Decimal(20),
}
DEFAULT_LATE_PENALTY, DEFAULT_LATE_FLOOR = Decimal(2), Decimal(50)
CENT = Decimal("0.01")


class _AllReader:
    """The assessment reads every province's completeness row; what each reader then sees is filtered by
    the rankings selectors."""

    is_authenticated = True
    _kc_scope = Scope("all")


@dataclass
class Weights:
    year: int | None  # the scheme's own year (None: the defaults)
    values: dict
    late_penalty: Decimal
    late_floor: Decimal


def weights_for(year: int) -> Weights:
    from .models import AssessmentScheme

    scheme = (
        AssessmentScheme.objects.filter(year__lte=year).order_by("-year").prefetch_related("weights").first()
    )
    if scheme is None:
        return Weights(None, dict(DEFAULT_WEIGHTS), DEFAULT_LATE_PENALTY, DEFAULT_LATE_FLOOR)
    values = {c: Decimal(0) for c in Criterion.values}
    values.update({w.criterion: w.weight for w in scheme.weights.all()})
    return Weights(scheme.year, values, scheme.late_penalty_per_day, scheme.late_floor)


def _pct(rate) -> str:
    from khuyencong.core.money import format_number

    return "—" if rate is None else f"{format_number(Decimal(rate * 100).quantize(Decimal('0.1')))} %"


def reporting_rates(region, year: int, weights: Weights, today: dt.date) -> dict[int, tuple]:
    from khuyencong.reports.periods import HALF, YEAR, Period
    from khuyencong.reports.selectors import completeness

    per_unit: dict[int, list] = {}
    for kind in (HALF, YEAR):
        period = Period.make(kind, year)
        table = completeness(user=_AllReader(), region=region, period=period, today=today)
        for row in table["rows"]:
            per_unit.setdefault(row["unit"].id, []).append((period, row))
    out = {}
    for unit_id, items in per_unit.items():
        rates, parts = [], []
        for period, row in items:
            state = row["state"]
            if state == "pending":
                parts.append(f"{period.label}: chưa đến hạn")
                continue
            if state == "on_time":
                rate = Decimal(1)
                parts.append(f"{period.label}: đúng hạn")
            elif state == "late":
                penalty = weights.late_penalty * row["days_late"]
                rate = max(weights.late_floor, Decimal(100) - penalty) / 100
                parts.append(f"{period.label}: muộn {row['days_late']} ngày")
            else:
                rate = Decimal(0)
                parts.append(f"{period.label}: chưa gửi")
            rates.append(rate)
        rate = sum(rates) / len(rates) if rates else Decimal(1)
        out[unit_id] = (rate, "; ".join(parts))
    return out


def latest_sent_report(unit, year: int):
    from khuyencong.reports import workflow
    from khuyencong.reports.models import Report
    from khuyencong.reports.periods import HALF, NINE_MONTHS, YEAR

    order = {YEAR: 0, NINE_MONTHS: 1, HALF: 2}
    reports = [
        r
        for r in Report.objects.filter(
            unit=unit, year=year, period_kind__in=list(order), status__in=workflow.SENT
        )
        if (r.figures or r.manual_figures)
    ]
    reports.sort(key=lambda r: order[r.period_kind])
    return reports[0] if reports else None


def execution_rate(report, code: str) -> tuple:
    if report is None:
        return None, "chưa gửi báo cáo"
    fig = report.figures or report.manual_figures or {}
    row = next((s for s in fig.get("by_source") or [] if s.get("code") == code), None)
    plan = int((row or {}).get("plan") or 0)
    if not plan:
        return None, f"không có kế hoạch nguồn này ({report.period.label})"
    done = int(row.get("disbursed") or 0)
    rate = min(Decimal(1), Decimal(done) / Decimal(plan))
    from khuyencong.core.money import format_in_unit

    return rate, f"{format_in_unit(done)}/{format_in_unit(plan)} triệu ({report.period.label})"


def stopped_extended_rate(unit, year: int) -> tuple:
    from khuyencong.projects.models import Project, Revision, Status

    projects = Project.objects.filter(plan__unit=unit, plan__year=year).exclude(
        status__in=[Status.CANCELLED, Status.DRAFT]
    )
    total = projects.count()
    if not total:
        return None, "không có đề án trên hệ thống"
    bad = (
        (
            projects.filter(status__in=[Status.STOPPED, Status.STOP_REQUESTED])
            | projects.filter(revisions__kind=Revision.Kind.EXTENSION)
        )
        .distinct()
        .count()
    )
    return Decimal(1) - Decimal(bad) / Decimal(total), f"{bad}/{total} đề án dừng hoặc gia hạn"


def _phase_years(phase) -> int:
    return max(1, phase.year_to - phase.year_from + 1) if phase else 1


def outputs_rate(unit, year: int, report) -> tuple:
    from khuyencong.programs.models import Program, Status
    from khuyencong.programs.selectors import target_planned

    programs = Program.objects.filter(owner_unit=unit, year_from__lte=year, year_to__gte=year).exclude(
        status=Status.SUPERSEDED
    )
    program = (
        programs.filter(status=Status.APPROVED).order_by("-year_from").first()
        or programs.order_by("-year_from").first()
    )
    if program is None:
        return None, "chưa có chương trình, chỉ tiêu trên hệ thống"
    phase = program.phases.filter(year_from__lte=year, year_to__gte=year).first()
    targets = []
    for t in (
        program.targets.filter(indicator__isnull=False).select_related("indicator").prefetch_related("values")
    ):
        value = target_planned(t, phase) if phase else target_planned(t)
        if value:
            years = _phase_years(phase) if phase else max(1, program.year_to - program.year_from + 1)
            targets.append((t.indicator.code, Decimal(value) / years))
    if not targets:
        return None, "chương trình chưa có chỉ tiêu gắn mã"
    if report is None:
        return None, "chưa gửi báo cáo"
    fig = report.figures or report.manual_figures or {}
    achieved = {o.get("code"): int(o.get("value") or 0) for o in fig.get("outputs") or []}
    rates = [min(Decimal(1), Decimal(achieved.get(code, 0)) / target) for code, target in targets]
    rate = sum(rates) / len(rates)
    met = sum(1 for r in rates if r >= 1)
    return rate, f"{len(targets)} chỉ tiêu, đạt {met} ({report.period.label})"


def points(weight: Decimal, rate) -> Decimal:
    return (weight * (rate if rate is not None else Decimal(0))).quantize(CENT, rounding=ROUND_HALF_UP)


def _stopped_points(weight, rate):
    return points(weight, Decimal(1) if rate is None else rate)


def assess(*, year: int, region, today: dt.date | None = None) -> dict:
    """Every reporting province of the region (None: the nation) for the year, scored and ranked. Rows are
    JSON-able (the shape a publication freezes)."""
    from django.utils import timezone

    from khuyencong.reports.aggregation import reporting_units
    from khuyencong.reports.periods import YEAR, Period

    today = today or timezone.localdate()
    weights = weights_for(year)
    units = reporting_units(region, Period.make(YEAR, year))
    reporting = reporting_rates(region, year, weights, today)
    rows = []
    for unit in units:
        report = latest_sent_report(unit, year)
        measures = [
            (Criterion.REPORTING, *reporting.get(unit.id, (Decimal(0), "không có số liệu")), points),
            (Criterion.NATIONAL_EXECUTION, *execution_rate(report, "national"), points),
            (Criterion.LOCAL_EXECUTION, *execution_rate(report, "local"), points),
            (Criterion.STOPPED_EXTENDED, *stopped_extended_rate(unit, year), _stopped_points),
            (Criterion.OUTPUTS, *outputs_rate(unit, year, report), points),
        ]
        criteria = []
        for code, rate, detail, scorer in measures:
            weight = weights.values.get(code, Decimal(0))
            p = scorer(weight, rate)
            criteria.append(
                {
                    "code": str(code),
                    "label": Criterion(code).label,
                    "weight": str(weight),
                    "rate": None if rate is None else float(rate),
                    "rate_text": _pct(rate),
                    "points": str(p),
                    "detail": detail,
                }
            )
        total = sum((Decimal(c["points"]) for c in criteria), Decimal(0))
        rows.append(
            {
                "unit_id": unit.id,
                "code": unit.code,
                "name": unit.name,
                "province_id": unit.current_province_id or unit.id,
                "total": str(total),
                "criteria": criteria,
            }
        )
    from khuyencong.core.collation import vi_key

    rows.sort(key=lambda r: (-Decimal(r["total"]), vi_key(r["name"])))
    previous, rank = None, 0
    for i, row in enumerate(rows, 1):
        if row["total"] != previous:
            rank, previous = i, row["total"]
        row["rank"] = rank
    return {
        "year": year,
        "rows": rows,
        "weights": {str(k): str(v) for k, v in weights.values.items()},
        "weights_year": weights.year,
        "max_total": str(sum(weights.values.values(), Decimal(0))),
        "computed_on": today.isoformat(),
    }
