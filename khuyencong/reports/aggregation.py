"""Regional and national aggregation of periodic figures, from accepted reports (their frozen snapshots)
or recomputed from live records, with units shown as they were (pre-2025 provinces) or rolled up into
today's provinces."""

import datetime as dt
from collections import OrderedDict

from khuyencong.core.collation import vi_key, vi_order
from khuyencong.core.money import percent_of
from khuyencong.core.scoping import scope_for
from khuyencong.geo.models import AdminUnit, Region

from .compute import merge_record_outputs
from .periods import Period
from .record_figures import aggregate_sections, record_outputs, record_sections, section_table

SOURCES = OrderedDict(
    [
        ("accepted", "Tổng hợp từ các báo cáo đã được Cục tiếp nhận (số liệu đã chốt)"),
        ("live", "Tính trực tiếp từ dữ liệu đề án hiện có (tại ngày cuối kỳ)"),
    ]
)
ROLLUPS = OrderedDict(
    [
        ("as_was", "Đơn vị như khi báo cáo (tỉnh trước sắp xếp 2025)"),
        ("current", "Gộp vào tỉnh hiện nay (sau sắp xếp 2025)"),
    ]
)
REFORM = dt.date(2025, 6, 12)


def region_label(region: Region | None) -> str:
    return region.name if region else "Toàn quốc"


def reporting_units(region: Region | None, period: Period) -> list[AdminUnit]:
    """The province-level units that report for this period: pre-2025 provinces before the reform."""
    era = AdminUnit.Era.OLD if period.end < REFORM else AdminUnit.Era.CURRENT
    qs = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, era=era).select_related("current_province")
    if region is not None:
        members = list(region.members.values_list("province_id", "province__current_province_id"))
        if era == AdminUnit.Era.OLD:
            qs = qs.filter(pk__in=[m for m, _c in members])
        else:
            qs = qs.filter(pk__in={c for _m, c in members if c} | {m for m, _c in members})
    return list(qs.order_by(vi_order("name")))


def _visible(user, units: list[AdminUnit]) -> list[AdminUnit]:
    scope = scope_for(user)
    if scope.sees_all:
        return units
    if scope.kind in ("province", "units"):
        return [u for u in units if (u.current_province_id or u.id) == scope.province_id]
    return []


SOURCE_CODES = ("national", "local", "counterpart")
CENTRAL_LABEL = "Kế hoạch khuyến công quốc gia do Cục trực tiếp thực hiện (không gắn với một tỉnh)"


def _empty_row(unit: AdminUnit | None) -> dict:
    return {
        "unit_id": unit.id if unit else None,
        "code": unit.code if unit else "",
        "name": unit.name if unit else CENTRAL_LABEL,
        "central": unit is None,
        "plan": 0,
        "approved": 0,
        "disbursed": 0,
        "counterpart": 0,
        "counterpart_disbursed": 0,
        "paid": {code: 0 for code in SOURCE_CODES},
        "approved_by": {code: 0 for code in SOURCE_CODES},
        "projects": 0,
        "projects_unknown": 0,
        "cancelled": 0,
        "reports": 0,
        "members": [],
        "outputs": {},
        "missing": [],
    }


def _add(row: dict, fig: dict) -> None:
    """Add one unit's figures (a report snapshot or the live figures: the same shape) into a table row."""
    for key in ("plan", "approved", "disbursed", "counterpart", "counterpart_disbursed"):
        row[key] += int(fig.get(key) or 0)
    counted = fig.get("project_count")
    if counted is None and not fig.get("projects"):
        row["projects_unknown"] += 1  # a hand-entered report that gives no đề án count
    row["projects"] += int(counted) if counted is not None else len(fig.get("projects") or [])
    row["cancelled"] += (
        len(fig.get("cancelled") or [])
        if isinstance(fig.get("cancelled"), list)
        else int(fig.get("cancelled") or 0)
    )
    by_source = {r.get("code"): r for r in fig.get("by_source") or []}
    for code in ("national", "local"):
        row["paid"][code] += int((by_source.get(code) or {}).get("disbursed") or 0)
        row["approved_by"][code] += int((by_source.get(code) or {}).get("approved") or 0)
    row["paid"]["counterpart"] += int(fig.get("counterpart_disbursed") or 0)
    row["approved_by"]["counterpart"] += int(fig.get("counterpart") or 0)


def _finish(r: dict) -> None:
    r["rate"] = percent_of(r["disbursed"], r["plan"])
    r["all_approved"] = r["approved"] + r["counterpart"]
    r["all_disbursed"] = r["disbursed"] + r["counterpart_disbursed"]
    # Each source's share of the money approved to đề án, the counterpart included.
    total = sum(r["approved_by"].values())
    r["share"] = {code: percent_of(v, total) for code, v in r["approved_by"].items()}


def aggregate(
    *,
    user,
    region: Region | None,
    period: Period,
    source: str = "accepted",
    rollup: str = "as_was",
    progress=None,
) -> dict:
    """Per province: đề án count, assigned (plan), approved, paid by source (KCQG, KCĐP, counterpart), the
    execution rate (paid ÷ assigned, state budget) and each source's share; the Cục's own national plans (a
    plan without a province) on their own line, from the records as of the period's end whatever the source
    (no province reports them)."""
    if source not in SOURCES:
        source = "accepted"
    if rollup not in ROLLUPS:
        rollup = "as_was"
    units = _visible(user, reporting_units(region, period))
    per_unit = (_from_reports if source == "accepted" else _from_live)(units, period, progress)
    rows: dict[int, dict] = OrderedDict()
    output_meta: dict[str, dict] = OrderedDict()

    def add_outputs(row, fig):
        for o in fig.get("outputs") or []:
            output_meta.setdefault(
                o["code"], {"code": o["code"], "name": o["name"], "unit": o.get("unit", "")}
            )
            row["outputs"][o["code"]] = row["outputs"].get(o["code"], 0) + int(o["value"] or 0)

    for unit in units:
        target = unit if rollup == "as_was" else (unit.current_province or unit)
        row = rows.setdefault(target.id, _empty_row(target))
        row["members"].append(unit.name)
        fig = per_unit.get(unit.id)
        if fig is None:
            row["missing"].append(unit.name)
            continue
        row["reports"] += 1
        _add(row, fig)
        add_outputs(row, fig)
    row_list = sorted(rows.values(), key=lambda r: vi_key(r["name"]))
    central = _central_live(user, region, period)
    if central is not None:
        row = _empty_row(None)
        _add(row, central)
        add_outputs(row, central)
        row_list.append(row)
    for r in row_list:
        _finish(r)
    keys = (
        "plan",
        "approved",
        "disbursed",
        "counterpart",
        "counterpart_disbursed",
        "projects",
        "projects_unknown",
        "cancelled",
    )
    totals = {key: sum(r[key] for r in row_list) for key in keys}
    totals["paid"] = {code: sum(r["paid"][code] for r in row_list) for code in SOURCE_CODES}
    totals["approved_by"] = {code: sum(r["approved_by"][code] for r in row_list) for code in SOURCE_CODES}
    _finish(totals)
    outputs = [
        {**meta, "value": sum(r["outputs"].get(code, 0) for r in row_list)}
        for code, meta in output_meta.items()
    ]
    sections = [
        section_table(sec) for sec in aggregate_sections([per_unit[u.id] for u in units if u.id in per_unit])
    ]
    return {
        "sections": sections,
        "region": region,
        "region_label": region_label(region),
        "period": period,
        "source": source,
        "source_label": SOURCES[source],
        "rollup": rollup,
        "rollup_label": ROLLUPS[rollup],
        "rows": row_list,
        "totals": totals,
        "outputs": outputs,
        "has_central": central is not None,
        "units_total": len(units),
        "units_reported": sum(1 for u in units if u.id in per_unit),
        "missing": [u.name for u in units if u.id not in per_unit],
    }


def _central_live(user, region: Region | None, period: Period) -> dict | None:
    """The Cục's own national plans of the period's years (plans without a province — `plan.unit` empty), as
    of the period's end, for the whole country only (a regional table has no national line) and for readers
    who
    see everything. None when there are none."""
    from khuyencong.projects.models import AnnualPlan

    if region is not None or not scope_for(user).sees_all:
        return None
    years = list(range(period.start.year, period.end.year + 1))
    plans = AnnualPlan.objects.filter(unit__isnull=True, year__in=years).exclude(status="registered")
    if not plans.exists():
        return None
    return _live_figures(plans, period)


def _from_reports(units: list[AdminUnit], period: Period, progress=None) -> dict[int, dict]:
    from .models import Report, ReportStatus

    qs = Report.objects.filter(
        status=ReportStatus.ACCEPTED,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        unit_id__in=[u.id for u in units],
    ).only("unit_id", "figures")
    out = {}
    for r in qs:
        out[r.unit_id] = r.figures or {}
    if progress:
        progress(60, "Đã đọc số liệu các báo cáo đã tiếp nhận")
    return out


def _from_live(units: list[AdminUnit], period: Period, progress=None) -> dict[int, dict]:
    """Totals per reporting unit straight from the đề án, as of the period's end (grouped queries): the same
    shape as a report snapshot, so a row adds either the same way."""
    from khuyencong.projects.models import AnnualPlan

    ids = [u.id for u in units]
    current = bool(units) and units[0].era == AdminUnit.Era.CURRENT
    key = "province_id" if current else "unit_id"
    years = list(range(period.start.year, period.end.year + 1))
    plans = AnnualPlan.objects.filter(**{f"{key}__in": ids}, year__in=years).exclude(status="registered")
    out = {uid: _empty_live() for uid in ids}
    out.update(_live_figures(plans, period, group=key, progress=progress))
    for unit in units:
        f = out[unit.id]
        f["outputs"] = merge_record_outputs(f["outputs"], record_outputs(unit, period.start, period.end))
        f["sections"] = record_sections(unit, period.start, period.end)
    return out


def _empty_live() -> dict:
    return {
        "plan": 0,
        "approved": 0,
        "disbursed": 0,
        "counterpart": 0,
        "counterpart_disbursed": 0,
        "project_count": 0,
        "cancelled": 0,
        "outputs": [],
        "by_source": [{"code": c, "plan": 0, "approved": 0, "disbursed": 0} for c in ("national", "local")],
    }


def _live_figures(plans, period: Period, *, group: str | None = None, progress=None):
    """Figures of the đề án of `plans` as of the period's end, the way a report counts them (cancelled left
    out, stopped keeping only what was paid), summed per `plan.<group>` (or in one dict when group is
    None)."""
    from django.db.models import Q, Sum

    from khuyencong.projects.models import Batch, Project, ProjectOutput
    from khuyencong.projects.selectors import money_by_project_source, with_figures

    as_of = period.end
    out: dict = {}

    def fig(uid):
        f = out.get(uid)
        if f is None:
            f = out[uid] = _empty_live()
        return f

    def src(f, code):
        return next(r for r in f["by_source"] if r["code"] == code)

    plan_key = {
        p["id"]: (p[group] if group else None, p["level"])
        for p in plans.values("id", "level", *([group] if group else []))
    }
    plan_ids = list(plan_key)
    decided = Q(decision_date__lte=as_of) | Q(decision_date__isnull=True, is_supplementary=False)
    for plan_id, total in (
        Batch.objects.filter(plan_id__in=plan_ids)
        .filter(decided)
        .values("plan_id")
        .annotate(s=Sum("total"))
        .values_list("plan_id", "s")
        .order_by()
    ):
        uid, level = plan_key[plan_id]
        fig(uid)["plan"] += int(total or 0)
        src(fig(uid), "national" if level == "national" else "local")["plan"] += int(total or 0)
    carried = (
        Batch.objects.filter(carried_projects__plan_id__in=plan_ids)
        .filter(decided)
        .values_list("carried_projects__plan_id", "pk", "total")
        .distinct()
    )
    for plan_id, _pk, total in set(carried):
        uid, level = plan_key[plan_id]
        fig(uid)["plan"] += int(total or 0)
        src(fig(uid), "national" if level == "national" else "local")["plan"] += int(total or 0)
    if progress:
        progress(30, "Đã tính kế hoạch kinh phí")
    rows = list(
        with_figures(Project.objects.filter(plan_id__in=plan_ids).order_by(), as_of=as_of).values_list(
            "pk", "plan_id", "asof_status"
        )
    )
    counted = {}
    for pk, plan_id, status in rows:
        uid = plan_key[plan_id][0]
        if status == "cancelled":
            fig(uid)["cancelled"] += 1
            continue
        fig(uid)["project_count"] += 1
        counted[pk] = (uid, status not in ("stopped", "cancelled"))
    ids = list(counted)
    for start in range(0, len(ids), 5000):
        for pk, per_source in money_by_project_source(ids[start : start + 5000], as_of=as_of).items():
            uid, executing = counted[pk]
            f = fig(uid)
            for code, m in per_source.items():
                approved = m["approved"] if executing else 0
                if code == "counterpart":
                    f["counterpart"] += approved
                    f["counterpart_disbursed"] += m["disbursed"]
                    continue
                f["approved"] += approved
                f["disbursed"] += m["disbursed"]
                if code in ("national", "local"):
                    src(f, code)["approved"] += approved
                    src(f, code)["disbursed"] += m["disbursed"]
    if progress:
        progress(70, "Đã tính kinh phí phê duyệt, giải ngân")
    outputs = (
        ProjectOutput.objects.filter(project_id__in=ids, date__lte=as_of)
        if len(ids) < 20000
        else ProjectOutput.objects.filter(project__plan_id__in=plan_ids, date__lte=as_of).exclude(
            project_id__in=[pk for pk, _p, st in rows if st == "cancelled"]
        )
    )
    for row in (
        outputs.values("project__plan_id", "indicator__code", "indicator__name", "indicator__unit")
        .annotate(s=Sum("quantity"))
        .order_by()
    ):
        uid = plan_key[row["project__plan_id"]][0]
        fig(uid)["outputs"].append(
            {
                "code": row["indicator__code"],
                "name": row["indicator__name"],
                "unit": row["indicator__unit"],
                "value": int(row["s"] or 0),
            }
        )
    if progress:
        progress(85, "Đã tính kết quả đầu ra")
    if group is None:
        return out.get(None) or _empty_live()
    return out
