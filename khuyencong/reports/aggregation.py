"""Regional and national aggregation of periodic figures, from accepted reports (their frozen snapshots)
or recomputed from live records, with units shown as they were (pre-2025 provinces) or rolled up into
today's provinces."""

import datetime as dt
from collections import OrderedDict

from khuyencong.core.money import percent_of
from khuyencong.core.scoping import scope_for
from khuyencong.geo.models import AdminUnit, Region

from .periods import Period

SOURCES = OrderedDict([
    ("accepted", "Tổng hợp từ các báo cáo đã được Cục tiếp nhận (số liệu đã chốt)"),
    ("live", "Tính trực tiếp từ dữ liệu đề án hiện có (tại ngày cuối kỳ)"),
])
ROLLUPS = OrderedDict([
    ("as_was", "Đơn vị như khi báo cáo (tỉnh trước sắp xếp 2025)"),
    ("current", "Gộp vào tỉnh hiện nay (sau sắp xếp 2025)"),
])
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
    return list(qs.order_by("name"))


def _visible(user, units: list[AdminUnit]) -> list[AdminUnit]:
    scope = scope_for(user)
    if scope.sees_all:
        return units
    if scope.kind in ("province", "units"):
        return [u for u in units if (u.current_province_id or u.id) == scope.province_id]
    return []


def _empty_row(unit: AdminUnit) -> dict:
    return {"unit_id": unit.id, "code": unit.code, "name": unit.name, "plan": 0, "approved": 0, "disbursed": 0,
            "counterpart": 0, "projects": 0, "reports": 0, "members": [], "outputs": {}, "missing": []}


def aggregate(*, user, region: Region | None, period: Period, source: str = "accepted", rollup: str = "as_was",
              progress=None) -> dict:
    if source not in SOURCES:
        source = "accepted"
    if rollup not in ROLLUPS:
        rollup = "as_was"
    units = _visible(user, reporting_units(region, period))
    per_unit = (_from_reports if source == "accepted" else _from_live)(units, period, progress)
    rows: dict[int, dict] = OrderedDict()
    output_meta: dict[str, dict] = OrderedDict()
    for unit in units:
        target = unit if rollup == "as_was" else (unit.current_province or unit)
        row = rows.setdefault(target.id, _empty_row(target))
        row["members"].append(unit.name)
        fig = per_unit.get(unit.id)
        if fig is None:
            row["missing"].append(unit.name)
            continue
        row["reports"] += 1
        for key in ("plan", "approved", "disbursed", "counterpart"):
            row[key] += int(fig.get(key) or 0)
        row["projects"] += len(fig.get("projects") or []) or int(fig.get("project_count") or 0)
        for o in fig.get("outputs") or []:
            output_meta.setdefault(o["code"], {"code": o["code"], "name": o["name"], "unit": o.get("unit", "")})
            row["outputs"][o["code"]] = row["outputs"].get(o["code"], 0) + int(o["value"] or 0)
    row_list = sorted(rows.values(), key=lambda r: r["name"])
    for r in row_list:
        r["rate"] = percent_of(r["disbursed"], r["plan"])
    totals = {key: sum(r[key] for r in row_list) for key in ("plan", "approved", "disbursed", "counterpart", "projects")}
    totals["rate"] = percent_of(totals["disbursed"], totals["plan"])
    outputs = [{**meta, "value": sum(r["outputs"].get(code, 0) for r in row_list)} for code, meta in output_meta.items()]
    return {
        "region": region, "region_label": region_label(region), "period": period, "source": source,
        "source_label": SOURCES[source], "rollup": rollup, "rollup_label": ROLLUPS[rollup],
        "rows": row_list, "totals": totals, "outputs": outputs,
        "units_total": len(units), "units_reported": sum(1 for u in units if u.id in per_unit),
        "missing": [u.name for u in units if u.id not in per_unit],
    }


def _from_reports(units: list[AdminUnit], period: Period, progress=None) -> dict[int, dict]:
    from .models import Report, ReportStatus

    qs = (Report.objects.filter(status=ReportStatus.ACCEPTED, period_kind=period.kind, period_start=period.start,
                                period_end=period.end, unit_id__in=[u.id for u in units])
          .only("unit_id", "figures"))
    out = {}
    for r in qs:
        out[r.unit_id] = r.figures or {}
    if progress:
        progress(60, "Đã đọc số liệu các báo cáo đã tiếp nhận")
    return out


def _from_live(units: list[AdminUnit], period: Period, progress=None) -> dict[int, dict]:
    """Totals per reporting unit straight from the đề án, as of the period's end (grouped queries)."""
    from django.db.models import Q, Sum

    from khuyencong.projects.models import Batch, Project, ProjectFunding, ProjectOutput
    from khuyencong.projects.selectors import with_figures

    as_of = period.end
    years = list(range(period.start.year, period.end.year + 1))
    ids = [u.id for u in units]
    current = bool(units) and units[0].era == AdminUnit.Era.CURRENT
    key = "plan__province_id" if current else "plan__unit_id"
    out: dict[int, dict] = {}

    def fig(uid):
        return out.setdefault(uid, {"plan": 0, "approved": 0, "disbursed": 0, "counterpart": 0, "project_count": 0,
                                    "outputs": []})

    for uid in ids:
        fig(uid)
    batches = (Batch.objects.filter(**{f"{key}__in": ids}, plan__year__in=years)
               .exclude(plan__status="registered")
               .filter(Q(decision_date__lte=as_of) | Q(decision_date__isnull=True, is_supplementary=False))
               .values(key).annotate(s=Sum("total")).order_by())
    for row in batches:
        fig(row[key])["plan"] += int(row["s"] or 0)
    carried = (Batch.objects.filter(**{f"carried_projects__{key}__in": ids}, carried_projects__plan__year__in=years)
               .filter(Q(decision_date__lte=as_of) | Q(decision_date__isnull=True, is_supplementary=False))
               .values_list(f"carried_projects__{key}", "pk", "total").distinct())
    for uid, _pk, total in set(carried):
        fig(uid)["plan"] += int(total or 0)
    if progress:
        progress(30, "Đã tính kế hoạch kinh phí")
    projects = Project.objects.filter(**{f"{key}__in": ids}, plan__year__in=years).exclude(plan__status="registered")
    rows = with_figures(projects, as_of=as_of).values_list(key, "asof_status", "approved_total", "disbursed_total")
    for uid, status, approved, disbursed in rows.iterator(chunk_size=5000):
        f = fig(uid)
        f["project_count"] += 1
        if status not in ("stopped", "cancelled"):
            f["approved"] += int(approved or 0)
        f["disbursed"] += int(disbursed or 0)
    if progress:
        progress(70, "Đã tính kinh phí phê duyệt, giải ngân")
    cp_key = f"project__{key}"
    for row in (ProjectFunding.objects.filter(**{f"{cp_key}__in": ids}, project__plan__year__in=years,
                                              source__code="counterpart")
                .values(cp_key).annotate(s=Sum("approved")).order_by()):
        fig(row[cp_key])["counterpart"] += int(row["s"] or 0)
    for row in (ProjectOutput.objects.filter(**{f"{cp_key}__in": ids}, project__plan__year__in=years, date__lte=as_of)
                .values(cp_key, "indicator__code", "indicator__name", "indicator__unit")
                .annotate(s=Sum("quantity")).order_by()):
        fig(row[cp_key])["outputs"].append({"code": row["indicator__code"], "name": row["indicator__name"],
                                            "unit": row["indicator__unit"], "value": int(row["s"] or 0)})
    if progress:
        progress(85, "Đã tính kết quả đầu ra")
    return out
