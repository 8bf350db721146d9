"""Dashboard figures: plan vs execution by source over the years, money by content, by province, đề án by
status, programme targets vs achieved — each chart with its table (same numbers) — from either source the
aggregation offers:

- live records: today's records (the per-plan summary `PlanFigure`, fast), or, with a period chosen, each
  year's records as they stood at that period's end (business dates, the as-of selectors);
- accepted reports: the frozen figures of the reports the Cục accepted for the chosen period of each year.

Cancelled đề án count nowhere (a separate "01 đề án đã hủy" line); the counterpart appears beside the state
budget in the money summary table."""

from collections import OrderedDict

from django.db.models import Q, Sum
from django.utils import timezone

from khuyencong.core import dataversion
from khuyencong.core.collation import vi_order
from khuyencong.core.listing import int_param
from khuyencong.core.money import percent_of
from khuyencong.core.scoping import scope_for

from .compute import GROUPS, batch_counts, group_of
from .documents import INT, MONEY, PERCENT, TEXT, Table
from .figures import COUNTERPART_KEY, plan_figures_sync
from .models import PlanFigure
from .record_figures import aggregate_sections, record_outputs, record_sections, section_table

LEVELS = OrderedDict([("national", "KCQG"), ("local", "KCĐP")])
SOURCES = OrderedDict(
    [
        ("live", "Tính trực tiếp từ dữ liệu đề án"),
        ("accepted", "Tổng hợp từ các báo cáo đã được Cục tiếp nhận (số liệu đã chốt)"),
    ]
)
# "" = today's records (live only); otherwise each year's period, its end being the "as of" day.
PERIOD_KINDS = OrderedDict(
    [
        ("", "Số liệu hiện nay"),
        ("year", "Cả năm"),
        ("nine_months", "9 tháng"),
        ("half", "6 tháng"),
        ("quarter", "Quý"),
    ]
)


def dashboard_filters(user, params) -> dict:
    """Years and province from the query, clamped to the reader's scope."""
    from django.db.models import Max

    from khuyencong.projects.models import AnnualPlan

    # Default: the five years up to the latest plan year on record (not past this year).
    latest = AnnualPlan.objects.exclude(status="registered").aggregate(m=Max("year"))["m"]
    today = timezone.localdate()
    this_year = min(today.year, latest or today.year)

    def year(name, default):
        try:
            value = int(params.get(name) or default)
        except (TypeError, ValueError):
            value = default
        return max(2000, min(2100, value))

    source = params.get("source") if params.get("source") in SOURCES else "live"
    kind = params.get("kind") if params.get("kind") in PERIOD_KINDS else ""
    if source == "accepted" and not kind:
        kind = "half"
    try:
        number = max(1, min(4, int(params.get("number") or 1))) if kind == "quarter" else 0
    except (TypeError, ValueError):
        number = 1
    if source == "accepted" and not params.get("year_to"):
        from django.db.models import Max as _Max

        from .models import Report, ReportStatus

        last = Report.objects.filter(status=ReportStatus.ACCEPTED, period_kind=kind).aggregate(
            m=_Max("year")
        )["m"]
        this_year = last or this_year
    year_to = year("year_to", this_year)
    year_from = year("year_from", year_to - 4)
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    scope = scope_for(user)
    province = None
    if scope.sees_all:
        province = int_param(params.get("province"))  # None when missing, not a number or out of range
    elif scope.kind == "province":
        province = scope.province_id
    else:
        # A commune/district office, an establishment: the dashboard sums whole provinces' plans, which they
        # may
        # not see; it shows them nothing (their own đề án are in the đề án list).
        province = -1
    return {
        "year_from": year_from,
        "year_to": year_to,
        "province": province,
        "sees_all": scope.sees_all,
        "narrow_scope": scope.kind in ("units", "establishment"),
        "source": source,
        "kind": kind,
        "number": number,
    }


def period_of(f: dict, year: int):
    """The period of `year` the dashboard reads (None: today's records)."""
    from .periods import Period

    return Period.make(f["kind"], year, f["number"] or None) if f["kind"] else None


def source_label(f: dict) -> str:
    """What the dashboard says about its numbers."""
    years = f"kế hoạch năm {f['year_from']}–{f['year_to']}"
    if f["source"] == "accepted":
        p = period_of(f, f["year_to"])
        return (
            f"{SOURCES['accepted']}: báo cáo {p.label.lower().replace(str(f['year_to']), '').strip()} "
            f"các năm {f['year_from']}–{f['year_to']}; tiền tính bằng triệu đồng."
        )
    if f["kind"]:
        p = period_of(f, f["year_to"])
        return (
            f"{SOURCES['live']} tại ngày cuối kỳ ({p.label.lower()} và cùng kỳ các năm trước), {years}; "
            "tiền tính bằng triệu đồng."
        )
    return f"Số liệu trực tiếp từ dữ liệu đề án hiện có, {years}; tiền tính bằng triệu đồng."


class _Acc:
    """What every source fills in; the tables are built from it the same way."""

    def __init__(self, years):
        self.years = years
        self.cell = {(y, lv): {"plan": 0, "approved": 0, "disbursed": 0} for y in years for lv in LEVELS}
        self.prov: dict = OrderedDict()  # key -> [name, plan, disbursed]
        self.content: dict = OrderedDict()  # code -> [label, approved, disbursed]
        self.groups = {k: 0 for k, _l, _s in GROUPS}
        self.outputs: dict = OrderedDict()  # code -> [name, unit, quantity]
        self.counterpart = {"approved": 0, "disbursed": 0}
        self.reports = 0
        self.sections: list[dict] = []  # figures' sections (reports/record_figures.py), summed

    def at(self, year, level):
        return self.cell.setdefault((year, level), {"plan": 0, "approved": 0, "disbursed": 0})

    def province(self, key, name):
        return self.prov.setdefault(key, [name, 0, 0])

    def content_row(self, code, name):
        return self.content.setdefault(code, [f"{code}. {name}", 0, 0])

    def output(self, code, name, unit, value):
        self.outputs.setdefault(code, [name, unit, 0])[2] += int(value or 0)


# The apps of every table the dashboard reads: each change to one of their models bumps the data version
# `core.dataversion.FIGURES` (connected in apps.py).
FIGURE_APPS = (
    "geo",
    "catalog",
    "beneficiaries",
    "programs",
    "projects",
    "reports",
    "awards",
    "loans",
    "clusters",
    "rankings",
    "activities",
    "portal",
    "surveys",
)


def dashboard_data(user, params) -> dict:
    """The dashboard's tables for the filters (years, province, source, period), from the chosen source:
    the same for every reader of that scope until a record they come from changes, so kept under the data
    versions of their tables (`core.dataversion`; today's date in Việt Nam is part of the key, for the
    loans' arrears and the default years). `reports.tests.test_dashboard` checks the live ones against the
    records themselves after each kind of change."""
    f = dashboard_filters(user, params)
    return dataversion.remember(
        dataversion.FIGURES,
        ("dashboard", sorted(f.items()), timezone.localdate()),
        lambda: compute_dashboard(f),
    )


def compute_dashboard(f: dict) -> dict:
    """`dashboard_data` computed from the records (nothing kept) for the filters of `dashboard_filters`."""
    years = list(range(f["year_from"], f["year_to"] + 1))
    acc = _Acc(years)
    if f["source"] == "accepted":
        _fill_from_reports(acc, f)
    elif f["kind"]:
        _fill_live_as_of(acc, f)
    else:
        _fill_from_summary(acc, f)
    if f["source"] != "accepted":
        _fill_from_records(acc, f)
    return {
        "filters": f,
        "tables": _tables(acc, f)
        + [section_table(s) for s in aggregate_sections([{"sections": acc.sections}])],
        "summary": _money_summary(acc),
        "cancelled": acc.groups["cancelled"],
        "cancelled_text": _cancelled_text(acc.groups["cancelled"]),
        "source_label": source_label(f),
        "reports": acc.reports,
    }


def _cancelled_text(n: int) -> str:
    from khuyencong.projects.selectors import cancelled_text

    return cancelled_text(n) if n else ""


def _plan_scope(f, prefix=""):
    q = Q(**{f"{prefix}plan__year__gte": f["year_from"], f"{prefix}plan__year__lte": f["year_to"]})
    q &= ~Q(**{f"{prefix}plan__status": "registered"})
    if f["province"] is not None:
        q &= Q(**{f"{prefix}plan__province_id": f["province"]})
    return q


def _plans(f) -> dict:
    from khuyencong.projects.models import AnnualPlan

    by_unit = f["province"] is not None
    key, name = ("unit_id", "unit__name") if by_unit else ("province_id", "province__name")
    qs = AnnualPlan.objects.filter(year__gte=f["year_from"], year__lte=f["year_to"]).exclude(
        status="registered"
    )
    if by_unit:
        qs = qs.filter(province_id=f["province"])
    return {
        p["id"]: {
            "year": p["year"],
            "level": p["level"],
            "key": p[key],
            "name": p[name] or "Cục (kế hoạch quốc gia)",
        }
        for p in qs.values("id", "year", "level", key, name)
    }


def _fill_from_summary(acc: _Acc, f) -> None:
    """Today's records, through the per-plan summary (kept right by marks written with every change)."""
    from khuyencong.catalog.models import ActivityContent, OutputIndicator
    from khuyencong.projects.models import Batch, Project

    plans = _plans(f)
    decided = Q(decision_date__isnull=False) | Q(is_supplementary=False)
    for r in (
        Batch.objects.filter(_plan_scope(f), decided).values("plan_id").annotate(s=Sum("total")).order_by()
    ):
        plan = plans.get(r["plan_id"])
        if plan is None:
            continue
        acc.at(plan["year"], plan["level"])["plan"] += r["s"] or 0
        acc.province(plan["key"], plan["name"])[1] += r["s"] or 0
    # Batches of earlier years whose đề án were carried into a plan shown here count in that plan (once each).
    carried_ids = list(
        Project.objects.filter(carried_over_from__isnull=False).order_by().values_list("pk", flat=True)
    )
    carried = set(
        Project.objects.filter(_plan_scope(f), pk__in=carried_ids)
        .filter(
            Q(carried_over_from__decision_date__isnull=False) | Q(carried_over_from__is_supplementary=False)
        )
        .exclude(carried_over_from__plan__year__in=acc.years)
        .values_list("plan_id", "carried_over_from_id", "carried_over_from__total")
        .distinct()
        .order_by()
    )
    for plan_id, _pk, total in carried:
        plan = plans.get(plan_id)
        if plan is None:
            continue
        acc.at(plan["year"], plan["level"])["plan"] += total or 0
        acc.province(plan["key"], plan["name"])[1] += total or 0

    plan_figures_sync()
    figs = PlanFigure.objects.filter(_plan_scope(f))
    for plan_id, key, approved, disbursed in figs.filter(kind=PlanFigure.Kind.TOTAL).values_list(
        "plan_id", "key", "value", "disbursed"
    ):
        plan = plans.get(plan_id)
        if plan is None:
            continue
        if key == COUNTERPART_KEY:
            acc.counterpart["approved"] += approved
            acc.counterpart["disbursed"] += disbursed
            continue
        c = acc.at(plan["year"], plan["level"])
        c["approved"] += approved
        c["disbursed"] += disbursed
        if disbursed:
            acc.province(plan["key"], plan["name"])[2] += disbursed
    contents = {c.id: (c.code, c.short_name or c.name) for c in ActivityContent.objects.all()}
    indicators = {i.id: i for i in OutputIndicator.objects.all()}
    for r in (
        figs.exclude(kind=PlanFigure.Kind.TOTAL)
        .values("kind", "key")
        .annotate(a=Sum("value"), d=Sum("disbursed"))
        .order_by()
    ):
        if r["kind"] == PlanFigure.Kind.MONEY:
            row = acc.content_row(*contents[int(r["key"])])
            row[1] += r["a"] or 0
            row[2] += r["d"] or 0
        elif r["kind"] == PlanFigure.Kind.STATUS:
            acc.groups[group_of(r["key"])] += r["a"] or 0
        else:
            ind = indicators[int(r["key"])]
            acc.output(ind.code, ind.name, ind.unit, r["a"])


def _fill_live_as_of(acc: _Acc, f) -> None:
    """Each year's plans as their records stood at the end of that year's period (business dates only)."""
    from khuyencong.catalog.models import ActivityContent
    from khuyencong.projects.models import Batch, Project, ProjectOutput
    from khuyencong.projects.selectors import money_by_project_source, with_figures

    plans = _plans(f)
    contents = {c.id: (c.code, c.short_name or c.name) for c in ActivityContent.objects.all()}
    for year in acc.years:
        as_of = period_of(f, year).end
        ids = [pk for pk, p in plans.items() if p["year"] == year]
        if not ids:
            continue
        for b in Batch.objects.filter(plan_id__in=ids):
            if batch_counts(b, as_of):
                plan = plans[b.plan_id]
                acc.at(year, plan["level"])["plan"] += b.total
                acc.province(plan["key"], plan["name"])[1] += b.total
        seen = set()
        for plan_id, batch in (
            (p.plan_id, p.carried_over_from)
            for p in Project.objects.filter(plan_id__in=ids, carried_over_from__isnull=False).select_related(
                "carried_over_from__plan"
            )
        ):
            if (plan_id, batch.pk) in seen or batch.plan.year == year or not batch_counts(batch, as_of):
                continue
            seen.add((plan_id, batch.pk))
            plan = plans[plan_id]
            acc.at(year, plan["level"])["plan"] += batch.total
            acc.province(plan["key"], plan["name"])[1] += batch.total
        rows = list(
            with_figures(Project.objects.filter(plan_id__in=ids).order_by(), as_of=as_of).values_list(
                "pk", "plan_id", "content_id", "asof_status"
            )
        )
        counted = {}
        for pk, plan_id, content_id, status in rows:
            acc.groups[group_of(status)] += 1
            if status != "cancelled":
                counted[pk] = (plans[plan_id], contents[content_id], status != "stopped")
        for pk, per_source in money_by_project_source(list(counted), as_of=as_of).items():
            plan, content, executing = counted[pk]
            for code, m in per_source.items():
                approved = m["approved"] if executing else 0
                if code == "counterpart":
                    acc.counterpart["approved"] += approved
                    acc.counterpart["disbursed"] += m["disbursed"]
                    continue
                c = acc.at(year, plan["level"])
                c["approved"] += approved
                c["disbursed"] += m["disbursed"]
                acc.province(plan["key"], plan["name"])[2] += m["disbursed"]
                row = acc.content_row(*content)
                row[1] += approved
                row[2] += m["disbursed"]
        for r in (
            ProjectOutput.objects.filter(project_id__in=list(counted), date__lte=as_of)
            .values("indicator__code", "indicator__name", "indicator__unit")
            .annotate(s=Sum("quantity"))
            .order_by()
        ):
            acc.output(r["indicator__code"], r["indicator__name"], r["indicator__unit"], r["s"])


def _fill_from_reports(acc: _Acc, f) -> None:
    """The frozen figures of the reports the Cục accepted for each year's period, for the units in scope."""
    from .models import Report, ReportStatus

    if f["province"] == -1:
        return
    by_unit = f["province"] is not None
    for year in acc.years:
        period = period_of(f, year)
        qs = (
            Report.objects.filter(
                status=ReportStatus.ACCEPTED,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
            )
            .select_related("unit", "province")
            .order_by(vi_order("unit__name"))
        )
        if by_unit:
            qs = qs.filter(province_id=f["province"])
        for report in qs:
            fig = report.figures or {}
            acc.reports += 1
            unit = report.unit if by_unit else report.province
            sources = {r.get("code"): r for r in fig.get("by_source") or []}
            for level in LEVELS:
                r = sources.get(level) or {}
                c = acc.at(year, level)
                for k in ("plan", "approved", "disbursed"):
                    c[k] += int(r.get(k) or 0)
            if not sources:  # a snapshot without its split by source: put it on the province's level
                c = acc.at(year, "local")
                for k in ("plan", "approved", "disbursed"):
                    c[k] += int(fig.get(k) or 0)
            row = acc.province(unit.pk, unit.name)
            row[1] += int(fig.get("plan") or 0)
            row[2] += int(fig.get("disbursed") or 0)
            for r in fig.get("by_content") or []:
                crow = acc.content_row(r["code"], r["name"])
                crow[1] += int(r.get("approved") or 0)
                crow[2] += int(r.get("disbursed") or 0)
            for p in fig.get("plans") or []:
                for line in p.get("lines") or []:
                    if line.get("key") in acc.groups:
                        acc.groups[line["key"]] += int(line.get("count") or 0)
            acc.counterpart["approved"] += int(fig.get("counterpart") or 0)
            acc.counterpart["disbursed"] += int(fig.get("counterpart_disbursed") or 0)
            for o in fig.get("outputs") or []:
                acc.output(o["code"], o["name"], o.get("unit", ""), o.get("value"))
            acc.sections.extend(fig.get("sections") or [])


def _fill_from_records(acc: _Acc, f) -> None:
    """What other apps' records count (voting, activities, loans…) over the years shown, up to the end of
    the last year's period (or today): their indicators replace the typed outputs of the same codes, and
    their sections become tables."""
    import datetime as dt

    from khuyencong.catalog.models import OutputIndicator
    from khuyencong.geo.models import AdminUnit

    if f["province"] == -1:
        return
    unit = AdminUnit.objects.filter(pk=f["province"]).first() if f["province"] else None
    period = period_of(f, f["year_to"])
    end = period.end if period else min(timezone.localdate(), dt.date(f["year_to"], 12, 31))
    start = dt.date(f["year_from"], 1, 1)
    values = record_outputs(unit, start, end)
    meta = {i.code: i for i in OutputIndicator.objects.filter(code__in=list(values))}
    for code, value in values.items():
        if not value and code in acc.outputs:
            continue  # nothing recorded in the window: a typed value stands
        i = meta.get(code)
        acc.outputs[code] = [i.name if i else code, i.unit if i else "", int(value)]
    acc.sections.extend(record_sections(unit, start, end))


def _money_summary(acc: _Acc) -> Table:
    """State budget, counterpart and all sources side by side."""
    years = acc.years
    plan = sum(c["plan"] for (y, _lv), c in acc.cell.items() if y in years)
    approved = sum(c["approved"] for (y, _lv), c in acc.cell.items() if y in years)
    disbursed = sum(c["disbursed"] for (y, _lv), c in acc.cell.items() if y in years)
    t = Table(
        "summary",
        "Tổng hợp kinh phí theo nguồn",
        [
            "Nguồn",
            "Kế hoạch (triệu đồng)",
            "Phê duyệt (triệu đồng)",
            "Giải ngân (triệu đồng)",
            "Tỷ lệ giải ngân",
        ],
        [TEXT, MONEY, MONEY, MONEY, PERCENT],
    )
    t.rows = [
        ["Ngân sách nhà nước (KCQG + KCĐP)", plan, approved, disbursed, percent_of(disbursed, plan)],
        ["Vốn đối ứng, nguồn khác", None, acc.counterpart["approved"], acc.counterpart["disbursed"], None],
    ]
    t.totals = [
        "Tổng các nguồn (cả vốn đối ứng)",
        plan,
        approved + acc.counterpart["approved"],
        disbursed + acc.counterpart["disbursed"],
        None,
    ]
    return t


def _tables(acc: _Acc, f) -> list[Table]:
    years = acc.years
    cell = acc.cell
    by_year = Table(
        "by_year",
        "Kế hoạch và thực hiện theo nguồn qua các năm",
        [
            "Năm",
            "Nguồn",
            "Kế hoạch (triệu đồng)",
            "Phê duyệt (triệu đồng)",
            "Giải ngân (triệu đồng)",
            "Tỷ lệ giải ngân",
        ],
        [TEXT, TEXT, MONEY, MONEY, MONEY, PERCENT],
    )
    for y in years:
        for lv, label in LEVELS.items():
            c = cell[(y, lv)]
            by_year.rows.append(
                [
                    str(y),
                    label,
                    c["plan"],
                    c["approved"],
                    c["disbursed"],
                    percent_of(c["disbursed"], c["plan"]),
                ]
            )
    tp = sum(c["plan"] for (y, _lv), c in cell.items() if y in years)
    td = sum(c["disbursed"] for (y, _lv), c in cell.items() if y in years)
    by_year.totals = [
        None,
        "Tổng cộng",
        tp,
        sum(c["approved"] for (y, _lv), c in cell.items() if y in years),
        td,
        percent_of(td, tp),
    ]
    by_content = Table(
        "by_content",
        "Kinh phí theo nội dung hoạt động",
        ["Nội dung", "Phê duyệt (triệu đồng)", "Giải ngân (triệu đồng)"],
        [TEXT, MONEY, MONEY],
        rows=[acc.content[k] for k in sorted(acc.content)],
    )
    by_content.totals = ["Tổng cộng", sum(r[1] for r in by_content.rows), sum(r[2] for r in by_content.rows)]
    by_province = Table(
        "by_province",
        "Kinh phí theo tỉnh",
        ["Tỉnh", "Kế hoạch (triệu đồng)", "Giải ngân (triệu đồng)", "Tỷ lệ giải ngân"],
        [TEXT, MONEY, MONEY, PERCENT],
        rows=[[n, p, d, percent_of(d, p)] for n, p, d in sorted(acc.prov.values(), key=lambda r: r[0])],
    )
    pp, pd = sum(r[1] for r in by_province.rows), sum(r[2] for r in by_province.rows)
    by_province.totals = ["Tổng cộng", pp, pd, percent_of(pd, pp)]

    # Cancelled đề án are outside the count (the page shows them on their own line).
    counts = {k: n for k, n in acc.groups.items() if k != "cancelled"}
    total = sum(counts.values())
    by_status = Table(
        "by_status",
        "Đề án theo tình trạng",
        ["Tình trạng", "Số đề án", "Tỷ lệ"],
        [TEXT, INT, PERCENT],
        rows=[
            [label[:1].upper() + label[1:], counts[k], percent_of(counts[k], total)]
            for k, label, _s in GROUPS
            if k != "cancelled" and counts[k]
        ],
    )
    by_status.totals = ["Tổng cộng", total, percent_of(total, total)]

    achieved = OrderedDict(
        (code, [name, unit, None, q]) for code, (name, unit, q) in sorted(acc.outputs.items())
    )
    for code, target in _targets(f).items():
        row = achieved.setdefault(code, [target["name"], target.get("unit", ""), None, 0])
        row[2] = target["target"]
    targets = Table(
        "targets",
        "Mục tiêu chương trình và kết quả đạt được",
        ["Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Đạt được", "Tỷ lệ đạt"],
        [TEXT, TEXT, INT, INT, PERCENT],
        rows=[[n, u, t, a, percent_of(a, t) if t else None] for n, u, t, a in achieved.values()],
    )
    return [by_year, by_content, by_province, by_status, targets]


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
            out["by_year"]["series"].append(
                {
                    "label": f"{what} {lv}",
                    "data": [
                        cell(next(r[idx] for r in t["by_year"].rows if r[0] == y and r[1] == lv), MONEY)
                        for y in years
                    ],
                }
            )
    out["by_content"] = {
        "labels": [r[0] for r in t["by_content"].rows],
        "series": [
            {"label": "Phê duyệt", "data": [cell(r[1], MONEY) for r in t["by_content"].rows]},
            {"label": "Giải ngân", "data": [cell(r[2], MONEY) for r in t["by_content"].rows]},
        ],
    }
    out["by_province"] = {
        "labels": [r[0] for r in t["by_province"].rows],
        "series": [
            {"label": "Kế hoạch", "data": [cell(r[1], MONEY) for r in t["by_province"].rows]},
            {"label": "Giải ngân", "data": [cell(r[2], MONEY) for r in t["by_province"].rows]},
        ],
    }
    out["by_status"] = {
        "labels": [r[0] for r in t["by_status"].rows],
        "series": [{"label": "Số đề án", "data": [r[1] for r in t["by_status"].rows]}],
    }
    out["targets"] = {
        "labels": [r[0] for r in t["targets"].rows],
        # Targets count different things (people, establishments, classes): dashboard.js gives each unit its
        # own axis so a count of people does not dwarf a count of establishments.
        "units": [r[1] or "" for r in t["targets"].rows],
        "series": [
            {"label": "Mục tiêu", "data": [r[2] or 0 for r in t["targets"].rows]},
            {"label": "Đạt được", "data": [r[3] for r in t["targets"].rows]},
        ],
    }
    # The tables that other apps' records give (voting, activities, loans…): a bar per row of the last money
    # column (the outstanding debt of the loans' table, in triệu đồng), else of the first count.
    for table in tables:
        if table.key in out or not table.rows:
            continue
        money = [i for i, k in enumerate(table.kinds) if k == MONEY]
        counts = [i for i, k in enumerate(table.kinds) if k == INT]
        idx = money[-1] if money else (counts[0] if counts else None)
        if idx is None:
            continue
        out[table.key] = {
            "labels": [str(r[0]) for r in table.rows],
            "series": [
                {"label": table.headers[idx], "data": [cell(r[idx], table.kinds[idx]) for r in table.rows]}
            ],
        }
    return out
