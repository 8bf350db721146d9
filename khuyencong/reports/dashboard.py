"""Dashboard figures from live records: plan vs execution by source over the years, money by content, by
province, đề án by status, programme targets vs achieved — each chart with its table (same numbers)."""

from collections import OrderedDict

from django.db.models import Count, Q, Sum

from khuyencong.core.money import percent_of
from khuyencong.core.scoping import scope_for

from .compute import GROUPS, group_of
from .documents import INT, MONEY, PERCENT, TEXT, Table

LEVELS = OrderedDict([("national", "KCQG"), ("local", "KCĐP")])


def dashboard_filters(user, params) -> dict:
    """Years and province from the query, clamped to the reader's scope."""
    import datetime as dt

    this_year = dt.date.today().year

    def year(name, default):
        try:
            value = int(params.get(name) or default)
        except (TypeError, ValueError):
            value = default
        return max(2000, min(2100, value))

    year_to = year("year_to", this_year)
    year_from = year("year_from", year_to - 4)
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    scope = scope_for(user)
    province = None
    if scope.sees_all:
        try:
            province = int(params.get("province")) if params.get("province") else None
        except ValueError:
            province = None
    elif scope.kind in ("province", "units"):
        province = scope.province_id
    else:
        province = -1  # sees nothing
    return {"year_from": year_from, "year_to": year_to, "province": province, "sees_all": scope.sees_all}


def _projects(f):
    from khuyencong.projects.models import Project

    qs = Project.objects.filter(plan__year__gte=f["year_from"], plan__year__lte=f["year_to"]).exclude(
        plan__status="registered")
    if f["province"] is not None:
        qs = qs.filter(province_id=f["province"])
    return qs


def dashboard_data(user, params) -> dict:
    from khuyencong.projects.models import Batch, Disbursement, ProjectFunding, ProjectOutput

    f = dashboard_filters(user, params)
    years = list(range(f["year_from"], f["year_to"] + 1))
    prov_q = Q() if f["province"] is None else Q(plan__province_id=f["province"])
    plan_rows = (Batch.objects.filter(prov_q, plan__year__in=years).exclude(plan__status="registered")
                 .filter(Q(decision_date__isnull=False) | Q(is_supplementary=False))
                 .values("plan__year", "plan__level").annotate(s=Sum("total")).order_by())
    projects = _projects(f)
    approved_rows = (ProjectFunding.objects.filter(project__in=projects.exclude(status__in=["stopped", "cancelled"]))
                     .exclude(source__code="counterpart")
                     .values("project__plan__year", "project__plan__level").annotate(s=Sum("approved")).order_by())
    paid_rows = (Disbursement.objects.filter(project__in=projects)
                 .values("project__plan__year", "project__plan__level").annotate(s=Sum("amount")).order_by())
    cell = {(y, lv): {"plan": 0, "approved": 0, "disbursed": 0} for y in years for lv in LEVELS}
    for r in plan_rows:
        cell.setdefault((r["plan__year"], r["plan__level"]), {"plan": 0, "approved": 0, "disbursed": 0})["plan"] += r["s"] or 0
    # Earlier batches whose đề án were carried into a year of the range count in that year's plan.
    carried = (Batch.objects.filter(carried_projects__plan__year__in=years)
               .filter(**({} if f["province"] is None else {"carried_projects__plan__province_id": f["province"]}))
               .exclude(plan__year__in=years)
               .filter(Q(decision_date__isnull=False) | Q(is_supplementary=False))
               .values_list("carried_projects__plan__year", "carried_projects__plan__level", "pk", "total").distinct())
    for year_, level, _pk, total in set(carried):
        cell[(year_, level)]["plan"] += total or 0
    for r in approved_rows:
        cell[(r["project__plan__year"], r["project__plan__level"])]["approved"] += r["s"] or 0
    for r in paid_rows:
        cell[(r["project__plan__year"], r["project__plan__level"])]["disbursed"] += r["s"] or 0
    by_year = Table("by_year", "Kế hoạch và thực hiện theo nguồn qua các năm",
                    ["Năm", "Nguồn", "Kế hoạch (triệu đồng)", "Phê duyệt (triệu đồng)", "Giải ngân (triệu đồng)",
                     "Tỷ lệ giải ngân"], [TEXT, TEXT, MONEY, MONEY, MONEY, PERCENT])
    for y in years:
        for lv, label in LEVELS.items():
            c = cell[(y, lv)]
            by_year.rows.append([str(y), label, c["plan"], c["approved"], c["disbursed"], percent_of(c["disbursed"], c["plan"])])
    tp = sum(c["plan"] for c in cell.values())
    td = sum(c["disbursed"] for c in cell.values())
    by_year.totals = [None, "Tổng cộng", tp, sum(c["approved"] for c in cell.values()), td, percent_of(td, tp)]

    content_rows = OrderedDict()
    for r in (ProjectFunding.objects.filter(project__in=projects.exclude(status__in=["stopped", "cancelled"]))
              .exclude(source__code="counterpart")
              .values("project__content__code", "project__content__short_name").annotate(s=Sum("approved"))
              .order_by("project__content__code")):
        content_rows[r["project__content__code"]] = [f"{r['project__content__code']}. {r['project__content__short_name']}",
                                                     r["s"] or 0, 0]
    for r in (Disbursement.objects.filter(project__in=projects)
              .values("project__content__code", "project__content__short_name").annotate(s=Sum("amount")).order_by()):
        row = content_rows.setdefault(r["project__content__code"],
                                      [f"{r['project__content__code']}. {r['project__content__short_name']}", 0, 0])
        row[2] += r["s"] or 0
    by_content = Table("by_content", "Kinh phí theo nội dung hoạt động",
                       ["Nội dung", "Phê duyệt (triệu đồng)", "Giải ngân (triệu đồng)"], [TEXT, MONEY, MONEY],
                       rows=[content_rows[k] for k in sorted(content_rows)])
    by_content.totals = ["Tổng cộng", sum(r[1] for r in by_content.rows), sum(r[2] for r in by_content.rows)]

    # By province: current provinces for the Cục; the pre-2025 provinces inside one current province otherwise.
    key, name = (("plan__province_id", "plan__province__name") if f["province"] is None
                 else ("plan__unit_id", "plan__unit__name"))
    prov = OrderedDict()
    for r in (Batch.objects.filter(prov_q, plan__year__in=years).exclude(plan__status="registered")
              .filter(Q(decision_date__isnull=False) | Q(is_supplementary=False))
              .values(key, name).annotate(s=Sum("total")).order_by(name)):
        prov[r[key]] = [r[name], r["s"] or 0, 0]
    for uid, uname, _pk, total in set(
            Batch.objects.filter(carried_projects__plan__year__in=years)
            .filter(**({} if f["province"] is None else {"carried_projects__plan__province_id": f["province"]}))
            .exclude(plan__year__in=years).filter(Q(decision_date__isnull=False) | Q(is_supplementary=False))
            .values_list(f"carried_projects__{key}", f"carried_projects__{name}", "pk", "total").distinct()):
        prov.setdefault(uid, [uname, 0, 0])[1] += total or 0
    for r in (Disbursement.objects.filter(project__in=projects).values(f"project__{key}", f"project__{name}")
              .annotate(s=Sum("amount")).order_by()):
        row = prov.setdefault(r[f"project__{key}"], [r[f"project__{name}"], 0, 0])
        row[2] += r["s"] or 0
    by_province = Table("by_province", "Kinh phí theo tỉnh", ["Tỉnh", "Kế hoạch (triệu đồng)", "Giải ngân (triệu đồng)",
                        "Tỷ lệ giải ngân"], [TEXT, MONEY, MONEY, PERCENT],
                        rows=[[n, p, d, percent_of(d, p)] for n, p, d in sorted(prov.values(), key=lambda r: r[0])])
    pp, pd = sum(r[1] for r in by_province.rows), sum(r[2] for r in by_province.rows)
    by_province.totals = ["Tổng cộng", pp, pd, percent_of(pd, pp)]

    counts = {k: 0 for k, _l, _s in GROUPS}
    for r in projects.values("status").annotate(n=Count("pk")).order_by():
        counts[group_of(r["status"])] += r["n"]
    total = sum(counts.values())
    by_status = Table("by_status", "Đề án theo tình trạng", ["Tình trạng", "Số đề án", "Tỷ lệ"], [TEXT, INT, PERCENT],
                      rows=[[label[:1].upper() + label[1:], counts[k], percent_of(counts[k], total)]
                            for k, label, _s in GROUPS if counts[k]])
    by_status.totals = ["Tổng cộng", total, percent_of(total, total)]

    achieved = OrderedDict()
    for r in (ProjectOutput.objects.filter(project__in=projects)
              .values("indicator__code", "indicator__name", "indicator__unit").annotate(s=Sum("quantity"))
              .order_by("indicator__code")):
        achieved[r["indicator__code"]] = [r["indicator__name"], r["indicator__unit"], None, r["s"] or 0]
    for code, target in _targets(f).items():
        row = achieved.setdefault(code, [target["name"], target.get("unit", ""), None, 0])
        row[2] = target["target"]
    targets = Table("targets", "Mục tiêu chương trình và kết quả đạt được",
                    ["Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Đạt được", "Tỷ lệ đạt"], [TEXT, TEXT, INT, INT, PERCENT],
                    rows=[[n, u, t, a, percent_of(a, t) if t else None] for n, u, t, a in achieved.values()])
    return {"filters": f, "tables": [by_year, by_content, by_province, by_status, targets]}


def _targets(f) -> dict:
    """Programme targets for the filtered province and years (programs app, when it offers them)."""
    try:
        from khuyencong.programs import selectors as program_selectors
    except ImportError:
        return {}
    getter = getattr(program_selectors, "targets_for_dashboard", None)
    if getter is None or f["province"] in (None, -1):
        return {}
    try:
        return {r["code"]: r for r in getter(province_id=f["province"], year_from=f["year_from"], year_to=f["year_to"])}
    except Exception:
        return {}


def chart_payload(tables: list[Table]) -> dict:
    """What dashboard.js draws: labels and series per chart, in triệu đồng."""
    from .documents import cell

    t = {x.key: x for x in tables}
    years = sorted({r[0] for r in t["by_year"].rows})  # "2018" (text)
    out = {"by_year": {"labels": list(years), "series": []}}
    for lv in LEVELS.values():
        for idx, what in ((2, "Kế hoạch"), (4, "Giải ngân")):
            out["by_year"]["series"].append({"label": f"{what} {lv}", "data": [
                cell(next(r[idx] for r in t["by_year"].rows if r[0] == y and r[1] == lv), MONEY) for y in years]})
    out["by_content"] = {"labels": [r[0] for r in t["by_content"].rows],
                         "series": [{"label": "Phê duyệt", "data": [cell(r[1], MONEY) for r in t["by_content"].rows]},
                                    {"label": "Giải ngân", "data": [cell(r[2], MONEY) for r in t["by_content"].rows]}]}
    out["by_province"] = {"labels": [r[0] for r in t["by_province"].rows],
                          "series": [{"label": "Kế hoạch", "data": [cell(r[1], MONEY) for r in t["by_province"].rows]},
                                     {"label": "Giải ngân", "data": [cell(r[2], MONEY) for r in t["by_province"].rows]}]}
    out["by_status"] = {"labels": [r[0] for r in t["by_status"].rows],
                        "series": [{"label": "Số đề án", "data": [r[1] for r in t["by_status"].rows]}]}
    out["targets"] = {"labels": [r[0] for r in t["targets"].rows],
                      "series": [{"label": "Mục tiêu", "data": [r[2] or 0 for r in t["targets"].rows]},
                                 {"label": "Đạt được", "data": [r[3] for r in t["targets"].rows]}]}
    return out
