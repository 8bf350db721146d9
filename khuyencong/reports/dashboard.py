"""Dashboard figures from live records: plan vs execution by source over the years, money by content, by
province, đề án by status, programme targets vs achieved — each chart with its table (same numbers)."""

from collections import OrderedDict

from django.db.models import Q, Sum

from khuyencong.core.listing import int_param
from khuyencong.core.money import percent_of
from khuyencong.core.scoping import scope_for

from .compute import GROUPS, group_of
from .documents import INT, MONEY, PERCENT, TEXT, Table
from .figures import plan_figures_sync
from .models import PlanFigure

LEVELS = OrderedDict([("national", "KCQG"), ("local", "KCĐP")])


def dashboard_filters(user, params) -> dict:
    """Years and province from the query, clamped to the reader's scope."""
    import datetime as dt

    from django.db.models import Max

    from khuyencong.projects.models import AnnualPlan

    # Default: the five years up to the latest plan year on record (not past this year).
    latest = AnnualPlan.objects.exclude(status="registered").aggregate(m=Max("year"))["m"]
    this_year = min(dt.date.today().year, latest or dt.date.today().year)

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
        province = int_param(params.get("province"))  # None when missing, not a number or out of range
    elif scope.kind in ("province", "units"):
        province = scope.province_id
    else:
        province = -1  # sees nothing
    return {"year_from": year_from, "year_to": year_to, "province": province, "sees_all": scope.sees_all}


def dashboard_data(user, params) -> dict:
    """Five tables from the plans and batches in the filter and their per-plan summary figures (`PlanFigure`),
    arranged in Python. `reports.tests.test_dashboard` checks them against the records themselves."""
    from khuyencong.projects.models import AnnualPlan, Batch, Project

    f = dashboard_filters(user, params)
    years = list(range(f["year_from"], f["year_to"] + 1))
    by_unit = f["province"] is not None
    key, name = ("plan__unit_id", "plan__unit__name") if by_unit else ("plan__province_id", "plan__province__name")

    def scope(prefix=""):
        q = Q(**{f"{prefix}plan__year__gte": f["year_from"], f"{prefix}plan__year__lte": f["year_to"]})
        q &= ~Q(**{f"{prefix}plan__status": "registered"})
        if by_unit:
            q &= Q(**{f"{prefix}plan__province_id": f["province"]})
        return q

    from khuyencong.catalog.models import ActivityContent

    decided = Q(decision_date__isnull=False) | Q(is_supplementary=False)
    # Group by integer keys only (plan, content); names and years are attached in Python.
    pkey, pname = key.removeprefix("plan__"), name.removeprefix("plan__")
    plans = {p["id"]: {**p, key: p[pkey], name: p[pname]}
             for p in AnnualPlan.objects.filter(
                 year__gte=f["year_from"], year__lte=f["year_to"], **({"province_id": f["province"]} if by_unit else {}))
             .exclude(status="registered").values("id", "year", "level", pkey, pname)}
    contents = {c.id: (c.code, c.short_name or c.name) for c in ActivityContent.objects.all()}
    plan_rows = [{**plans[r["plan_id"]], "s": r["s"]} for r in
                 Batch.objects.filter(scope(), decided).values("plan_id").annotate(s=Sum("total")).order_by()]
    # Batches of earlier years whose đề án were carried into a plan shown here count in that plan (once each).
    # Read from the carried đề án side (few, indexed) rather than joining every đề án to its batch.
    carried_ids = list(Project.objects.filter(carried_over_from__isnull=False).order_by().values_list("pk", flat=True))
    carried = set(Project.objects.filter(scope(), pk__in=carried_ids)
                  .filter(Q(carried_over_from__decision_date__isnull=False)
                          | Q(carried_over_from__is_supplementary=False))
                  .exclude(carried_over_from__plan__year__in=years)
                  .values_list("plan__year", "plan__level", key, name, "carried_over_from_id",
                               "carried_over_from__total").distinct().order_by())

    zero = {"plan": 0, "approved": 0, "disbursed": 0}
    cell = {(y, lv): dict(zero) for y in years for lv in LEVELS}
    prov: dict = OrderedDict()
    content_rows: dict = OrderedDict()
    for r in plan_rows:
        cell.setdefault((r["year"], r["level"]), dict(zero))["plan"] += r["s"] or 0
        prov.setdefault(r[key], [r[name], 0, 0])[1] += r["s"] or 0
    for year_, level, uid, uname, _pk, total in carried:
        cell.setdefault((year_, level), dict(zero))["plan"] += total or 0
        prov.setdefault(uid, [uname, 0, 0])[1] += total or 0

    # Approved and disbursed money, đề án by status and outputs: from the per-plan summary (kept right by
    # marks written with every change; the plans marked since the last view are rebuilt first), grouped in SQL.
    plan_figures_sync()
    figs = PlanFigure.objects.filter(scope())
    # By year and by province: one total row a plan, placed with the plan attributes read above.
    for plan_id, approved, disbursed in figs.filter(kind=PlanFigure.Kind.TOTAL).values_list("plan_id", "value",
                                                                                            "disbursed"):
        plan = plans.get(plan_id)
        if plan is None:
            continue
        c = cell.setdefault((plan["year"], plan["level"]), dict(zero))
        c["approved"] += approved
        c["disbursed"] += disbursed
        if disbursed:
            prov.setdefault(plan[key], [plan[name], 0, 0])[2] += disbursed
    # By content, by status and outputs: one grouped query over the other rows.
    status_counts: dict[str, int] = {}
    quantities: dict[int, int] = {}
    for r in (figs.exclude(kind=PlanFigure.Kind.TOTAL).values("kind", "key")
              .annotate(a=Sum("value"), d=Sum("disbursed")).order_by()):
        if r["kind"] == PlanFigure.Kind.MONEY:
            code, cname = contents[int(r["key"])]
            row = content_rows.setdefault(code, [f"{code}. {cname}", 0, 0])
            row[1] += r["a"] or 0
            row[2] += r["d"] or 0
        elif r["kind"] == PlanFigure.Kind.STATUS:
            status_counts[r["key"]] = r["a"] or 0
        else:
            quantities[int(r["key"])] = r["a"] or 0

    by_year = Table("by_year", "Kế hoạch và thực hiện theo nguồn qua các năm",
                    ["Năm", "Nguồn", "Kế hoạch (triệu đồng)", "Phê duyệt (triệu đồng)", "Giải ngân (triệu đồng)",
                     "Tỷ lệ giải ngân"], [TEXT, TEXT, MONEY, MONEY, MONEY, PERCENT])
    for y in years:
        for lv, label in LEVELS.items():
            c = cell[(y, lv)]
            by_year.rows.append([str(y), label, c["plan"], c["approved"], c["disbursed"],
                                 percent_of(c["disbursed"], c["plan"])])
    tp = sum(c["plan"] for (y, _lv), c in cell.items() if y in years)
    td = sum(c["disbursed"] for (y, _lv), c in cell.items() if y in years)
    by_year.totals = [None, "Tổng cộng", tp, sum(c["approved"] for (y, _lv), c in cell.items() if y in years), td,
                      percent_of(td, tp)]
    by_content = Table("by_content", "Kinh phí theo nội dung hoạt động",
                       ["Nội dung", "Phê duyệt (triệu đồng)", "Giải ngân (triệu đồng)"], [TEXT, MONEY, MONEY],
                       rows=[content_rows[k] for k in sorted(content_rows)])
    by_content.totals = ["Tổng cộng", sum(r[1] for r in by_content.rows), sum(r[2] for r in by_content.rows)]
    by_province = Table("by_province", "Kinh phí theo tỉnh", ["Tỉnh", "Kế hoạch (triệu đồng)", "Giải ngân (triệu đồng)",
                        "Tỷ lệ giải ngân"], [TEXT, MONEY, MONEY, PERCENT],
                        rows=[[n, p, d, percent_of(d, p)] for n, p, d in sorted(prov.values(), key=lambda r: r[0])])
    pp, pd = sum(r[1] for r in by_province.rows), sum(r[2] for r in by_province.rows)
    by_province.totals = ["Tổng cộng", pp, pd, percent_of(pd, pp)]

    counts = {k: 0 for k, _l, _s in GROUPS}
    for status, n in status_counts.items():
        counts[group_of(status)] += n
    total = sum(counts.values())
    by_status = Table("by_status", "Đề án theo tình trạng", ["Tình trạng", "Số đề án", "Tỷ lệ"], [TEXT, INT, PERCENT],
                      rows=[[label[:1].upper() + label[1:], counts[k], percent_of(counts[k], total)]
                            for k, label, _s in GROUPS if counts[k]])
    by_status.totals = ["Tổng cộng", total, percent_of(total, total)]

    achieved = OrderedDict()
    from khuyencong.catalog.models import OutputIndicator

    indicators = {i.id: i for i in OutputIndicator.objects.all()}
    for indicator_id in sorted(quantities, key=lambda i: indicators[i].code):
        ind = indicators[indicator_id]
        achieved[ind.code] = [ind.name, ind.unit, None, quantities[indicator_id]]
    for code, target in _targets(f).items():
        row = achieved.setdefault(code, [target["name"], target.get("unit", ""), None, 0])
        row[2] = target["target"]
    targets = Table("targets", "Mục tiêu chương trình và kết quả đạt được",
                    ["Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Đạt được", "Tỷ lệ đạt"], [TEXT, TEXT, INT, INT, PERCENT],
                    rows=[[n, u, t, a, percent_of(a, t) if t else None] for n, u, t, a in achieved.values()])
    return {"filters": f, "tables": [by_year, by_content, by_province, by_status, targets]}


def _targets(f) -> dict:
    """Programme targets of the filtered province for the last year shown (programs app)."""
    if f["province"] in (None, -1):
        return {}
    try:
        from khuyencong.programs.selectors import targets_for_report
    except ImportError:
        return {}
    return {r["code"]: r for r in targets_for_report(province_id=f["province"], year=f["year_to"])}


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
