"""A report's figures, computed from the records as they stood at the period's end.

Uses the projects app's as-of selector (`projects.selectors.with_figures(qs, as_of=)`) for each đề án's
status, progress and money on that day; history reconstruction lives there, not here.

The figures are one JSON-able dict (the same shape is frozen into `Report.figures` on submission, and is
what hand-entered paper reports fill in):

    as_of, source, plan, approved, disbursed, counterpart,
    by_source  [{code, name, plan, approved, disbursed}],
    by_content [{code, name, projects, approved, disbursed}],
    plans      [{title, level, year, plan, total, lines: [{key, count, text}]}],
    projects   [{code, title, level, content, beneficiary, commune, approved, disbursed, status, status_label,
                 progress}],
    outputs    [{code, name, unit, value}],
    previous_year {label, plan, approved, disbursed},  targets [{code, name, unit, target, achieved}]
"""

import datetime as dt
from collections import OrderedDict

from khuyencong.core.money import percent_of

from .periods import Period

LEVEL_SOURCE = {"national": "national", "local": "local"}

# Status groups the way the seeds write them: "02/10 đề án đã hoàn thành".
GROUPS = [
    ("done", "đã hoàn thành", {"completed", "accepted", "settled"}),
    ("in_progress", "đang thực hiện", {"in_progress"}),
    ("stop_requested", "xin dừng thực hiện", {"stop_requested"}),
    ("stopped", "đã dừng thực hiện", {"stopped"}),
    ("not_started", "chưa thực hiện", {"draft", "registered", "appraised", "approved", "contracted"}),
    ("cancelled", "đã hủy", {"cancelled"}),
]


def group_of(status: str) -> str:
    for key, _label, statuses in GROUPS:
        if status in statuses:
            return key
    return "not_started"


def empty_figures(as_of: dt.date, source: str = "computed") -> dict:
    return {"as_of": as_of.isoformat(), "source": source, "plan": 0, "approved": 0, "disbursed": 0,
            "counterpart": 0, "by_source": [], "by_content": [], "plans": [], "projects": [], "outputs": [],
            "previous_year": None, "targets": []}


def normalise_figures(figures: dict, *, as_of: dt.date, source: str) -> dict:
    """Fill a hand-entered figures dict to the full shape, with integer money."""
    out = empty_figures(as_of, source)
    for key, value in (figures or {}).items():
        out[key] = value
    for key in ("plan", "approved", "disbursed", "counterpart"):
        out[key] = int(out.get(key) or 0)
    if not out["by_source"] and out["plan"]:
        out["by_source"] = []
    out["source"] = source
    out["as_of"] = as_of.isoformat()
    return out


def status_lines(statuses_progress: list[tuple[str, int | None]]) -> list[dict]:
    """[(status, progress)] → the seed's lines: "02/10 đề án đã hoàn thành", "04/10 đề án đã hoàn thành
    được 50% khối lượng công việc", "02/10 đề án xin dừng thực hiện", "02/10 đề án chưa thực hiện"."""
    total = len(statuses_progress)
    by_group: dict[str, list[int | None]] = OrderedDict((key, []) for key, _l, _s in GROUPS)
    for status, progress in statuses_progress:
        by_group[group_of(status)].append(progress)
    lines = []
    for key, label, _s in GROUPS:
        items = by_group[key]
        if not items:
            continue
        text = f"{len(items):02d}/{total:02d} đề án {label}"
        if key == "in_progress":
            values = {p for p in items if p is not None}
            if len(values) == 1 and next(iter(values)) > 0:
                text = f"{len(items):02d}/{total:02d} đề án đã hoàn thành được {next(iter(values))}% khối lượng công việc"
            elif values:
                text += f" (tiến độ {min(values)}-{max(values)}%)"
        lines.append({"key": key, "count": len(items), "total": total, "text": text,
                      "progress": sorted({p for p in items if p is not None})})
    return lines


def _plans_for(unit, period: Period):
    from khuyencong.projects.models import AnnualPlan

    years = range(period.start.year, period.end.year + 1)
    qs = AnnualPlan.objects.filter(year__in=list(years)).exclude(status="registered")
    if unit.level == 1:
        if unit.era == "current":
            return qs.filter(province_id=unit.id)
        return qs.filter(unit_id=unit.id)
    return qs.none()


def _projects_for(unit, period: Period):
    from khuyencong.projects.models import Project

    years = list(range(period.start.year, period.end.year + 1))
    qs = Project.objects.filter(plan__year__in=years).exclude(plan__status="registered")
    if unit.level == 1:
        if unit.era == "current":
            return qs.filter(province_id=unit.id)
        return qs.filter(plan__unit_id=unit.id)
    return qs.filter(commune__in=_subtree(unit))


def _subtree(unit):
    from khuyencong.geo.models import AdminUnit

    ids = {unit.id}
    ids |= set(AdminUnit.objects.filter(parent=unit).values_list("id", flat=True))
    return list(ids)


def batch_counts(batch, as_of: dt.date) -> bool:
    """A batch assigns money once decided; an undated supplementary batch is only a registration."""
    if batch.decision_date is not None:
        return batch.decision_date <= as_of
    return not batch.is_supplementary


def plan_amount(plan, as_of: dt.date, carried: dict | None = None) -> int:
    """What a plan assigns by `as_of`: its batches decided by then, plus the earlier batches whose đề án were
    carried over into it ("đợt 2 năm 2015 chuyển sang năm 2016")."""
    total = sum(b.total for b in plan.batches.all() if batch_counts(b, as_of))
    for b in (carried or {}).get(plan.pk, []):
        if batch_counts(b, as_of):
            total += b.total
    return total


def plan_amounts(plan, as_of: dt.date, carried: dict | None = None) -> dict[str, int]:
    """`plan_amount` per funding source code (from the batches' allocations; their sum is each batch's total)."""
    out: dict[str, int] = {}
    for b in [*plan.batches.all(), *(carried or {}).get(plan.pk, [])]:
        if batch_counts(b, as_of):
            for a in b.allocations.all():
                out[a.source.code] = out.get(a.source.code, 0) + a.amount
    return out


def carried_batches(plans) -> dict:
    """plan id -> the distinct earlier batches its đề án were carried over from."""
    from khuyencong.projects.models import Batch

    out: dict[int, list] = {}
    rows = (Batch.objects.filter(carried_projects__plan__in=[p.pk for p in plans])
            .values_list("carried_projects__plan_id", "pk").distinct())
    batches = {b.pk: b for b in Batch.objects.filter(pk__in={pk for _p, pk in rows})
               .prefetch_related("allocations__source")}
    for plan_id, pk in rows:
        if batches[pk] not in out.setdefault(plan_id, []):
            out[plan_id].append(batches[pk])
    return out


def compute_figures(unit, period: Period, *, with_comparisons: bool = True) -> dict:
    """Figures of `unit` (a province of either era, or a commune/district office) as of `period.end`."""
    from khuyencong.catalog.models import ActivityContent, FundingSource
    from khuyencong.projects.models import ProjectBeneficiary, ProjectFunding, ProjectOutput
    from khuyencong.projects.selectors import with_figures

    as_of = period.end
    fig = empty_figures(as_of)
    plans = list(_plans_for(unit, period).prefetch_related("batches__allocations__source").order_by("year", "level"))
    projects = list(
        with_figures(_projects_for(unit, period), as_of=as_of)
        .select_related("plan", "content", "commune", "commune__parent")
        .order_by("plan__year", "plan__level", "code")
    )
    # Beneficiary names in one narrow query (not whole establishment rows through a prefetch).
    names: dict[int, list[str]] = {}
    for project_id, name in (ProjectBeneficiary.objects.filter(project_id__in=[p.pk for p in projects])
                             .order_by("pk").values_list("project_id", "establishment__name")):
        names.setdefault(project_id, []).append(name)
    sources = {s.code: s for s in FundingSource.objects.all()}
    money_by_source: dict[str, dict] = OrderedDict()

    def src_row(code):
        if code not in money_by_source:
            s = sources.get(code)
            money_by_source[code] = {"code": code, "name": s.name if s else code, "plan": 0, "approved": 0,
                                     "disbursed": 0}
        return money_by_source[code]

    for code in ("national", "local"):
        src_row(code)
    carried = carried_batches(plans)
    plan_total = 0
    for plan in plans:
        for code, amount in plan_amounts(plan, as_of, carried).items():
            plan_total += amount
            src_row(code)["plan"] += amount
    counterpart = dict(
        ProjectFunding.objects.filter(project_id__in=[p.pk for p in projects], source__code="counterpart")
        .values_list("project_id", "approved")
    )
    by_content: dict[str, dict] = OrderedDict()
    for c in ActivityContent.objects.valid_on(as_of).order_by("order", "code"):
        by_content.setdefault(c.code, {"code": c.code, "name": c.short_name or c.name, "projects": 0, "approved": 0,
                                       "disbursed": 0})
    for p in projects:
        executing = p.asof_status not in ("stopped", "cancelled")
        approved = p.approved_total if executing else 0
        row = src_row(LEVEL_SOURCE.get(p.plan.level, p.plan.level))
        row["approved"] += approved
        row["disbursed"] += p.disbursed_total
        crow = by_content.setdefault(p.content.code, {"code": p.content.code, "name": p.content.short_name or p.content.name,
                                                      "projects": 0, "approved": 0, "disbursed": 0})
        crow["projects"] += 1
        crow["approved"] += approved
        crow["disbursed"] += p.disbursed_total
        fig["approved"] += approved
        fig["disbursed"] += p.disbursed_total
        fig["counterpart"] += counterpart.get(p.pk, 0)
        beneficiaries = names.get(p.pk, [])
        commune = p.commune
        fig["projects"].append({
            "code": p.code, "title": p.title, "level": p.plan.level, "year": p.plan.year,
            "content": p.content.code, "beneficiary": "; ".join(beneficiaries),
            "commune": (f"{commune.name}, {commune.parent.name}" if commune and commune.parent_id else
                        (commune.name if commune else "")),
            "approved": approved, "disbursed": p.disbursed_total, "status": p.asof_status,
            "status_label": _status_label(p.asof_status), "progress": p.asof_progress,
        })
    fig["plan"] = plan_total
    fig["by_source"] = [r for r in money_by_source.values()]
    fig["by_content"] = [r for r in by_content.values() if r["projects"] or r["approved"]]
    for plan in plans:
        rows = [(p["status"], p["progress"]) for p in fig["projects"] if p["level"] == plan.level and p["year"] == plan.year]
        fig["plans"].append({"title": _plan_title(plan), "level": plan.level, "year": plan.year,
                             "plan": plan_amount(plan, as_of, carried), "total": len(rows), "lines": status_lines(rows)})
    outputs = (ProjectOutput.objects.filter(project_id__in=[p.pk for p in projects], date__lte=as_of)
               .values("indicator__code", "indicator__name", "indicator__unit")
               .order_by("indicator__code"))
    totals: dict[str, dict] = OrderedDict()
    for row in _sum_outputs(outputs):
        totals[row["code"]] = row
    fig["outputs"] = list(totals.values())
    if with_comparisons:
        prev = compute_figures(unit, period.same_period_previous_year(), with_comparisons=False)
        fig["previous_year"] = {"label": period.same_period_previous_year().label, "plan": prev["plan"],
                                "approved": prev["approved"], "disbursed": prev["disbursed"]}
        fig["targets"] = programme_targets(unit, period, fig)
    return fig


def _sum_outputs(qs):
    from django.db.models import Sum

    for row in qs.annotate(total=Sum("quantity")):
        yield {"code": row["indicator__code"], "name": row["indicator__name"], "unit": row["indicator__unit"],
               "value": int(row["total"] or 0)}


def _status_label(status: str | None) -> str:
    from khuyencong.projects.models import Status

    return Status(status).label if status in Status.values else (status or "")


def _plan_title(plan) -> str:
    level = "Khuyến công quốc gia" if plan.level == "national" else "Khuyến công địa phương"
    return f"{level} năm {plan.year}"


def programme_targets(unit, period: Period, fig: dict) -> list[dict]:
    """Targets of the programme covering the period (programs app) against what the unit's đề án achieved
    from the start of the programme's phase up to the period's end."""
    import re

    from django.db.models import Sum

    try:
        from khuyencong.programs.selectors import targets_for_report
    except ImportError:
        return []
    from khuyencong.projects.models import ProjectOutput

    rows = targets_for_report(province_id=unit.current_province_id or unit.id, year=period.end.year)
    out = []
    for r in rows:
        match = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", str(r.get("phase") or ""))
        start = dt.date(int(match.group(1)), 1, 1) if match else period.start
        projects = _projects_for(unit, Period.make("custom", start=start, end=period.end))
        achieved = (ProjectOutput.objects.filter(project__in=projects, indicator__code=r["code"],
                                                 date__gte=start, date__lte=period.end)
                    .aggregate(s=Sum("quantity"))["s"] or 0)
        out.append({"code": r["code"], "name": r["name"], "unit": r.get("unit", ""), "target": int(r["target"] or 0),
                    "achieved": int(achieved), "phase": r.get("phase", "")})
    return out


def report_figures_live(report) -> dict:
    return compute_figures(report.unit, report.period)


def report_figures(report) -> dict:
    """What the report page shows: the frozen snapshot once submitted, hand-entered figures, or live."""
    if report.figures is not None and report.status in ("submitted", "accepted"):
        return report.figures
    if report.figures_source == "manual" and report.manual_figures:
        return report.manual_figures
    return report_figures_live(report)


def execution_rate(fig: dict):
    return percent_of(fig.get("disbursed", 0), fig.get("plan", 0))
