"""National-scale benchmark of the reports app (and the pages it leans on).

Run on a database filled by `manage.py generate_national --seed 1` (SQLite or PostgreSQL):

    DATABASE_URL=sqlite:////tmp/kc_nat.sqlite3 .venv/bin/python bench/national.py [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_nat .venv/bin/python bench/national.py

For each operation it prints the median of several runs and the ratio to the same aggregation done as one
hand-written SQL query. Targets: pages and dashboards ≤ 300 ms, national annual report ≤ 10 s with peak
memory ≤ 500 MB, establishment search ≤ 200 ms on PostgreSQL, dashboard ratio to raw SQL ≤ 3.
"""

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def median_ms(fn, runs: int) -> tuple[float, object]:
    fn()  # warm-up (query plans, caches)
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def raw(sql: str, params: list):
    def run():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    return run


def ph(sql: str) -> str:
    return sql.replace("?", "%s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from khuyencong.accounts.models import User
    from khuyencong.geo.models import AdminUnit
    from khuyencong.projects.models import Project
    from khuyencong.reports import documents
    from khuyencong.reports.aggregation import aggregate
    from khuyencong.reports.compute import compute_figures
    from khuyencong.reports.dashboard import dashboard_data
    from khuyencong.reports.figures import mark_plans
    from khuyencong.reports.periods import HALF, YEAR, Period

    vendor = connection.vendor
    n_projects = Project.objects.count()
    from khuyencong.beneficiaries.models import Establishment
    n_est = Establishment.objects.count()
    from khuyencong.projects.models import StatusChange
    n_changes = StatusChange.objects.count()
    cuc = User.objects.filter(username="cuc").first() or User.objects.filter(is_superuser=True).first()
    province = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")
    old_province = AdminUnit.objects.get(era="old", level=1, short_name="Long An")
    year_from, year_to = 2006, 2025
    print(f"# Benchmark on {vendor}: {n_projects:,} đề án, {n_changes:,} status changes, {n_est:,} establishments; "
          f"median of {args.runs} runs")
    rows = []

    def record(name, ms, raw_ms, target, note=""):
        ratio = ms / raw_ms if raw_ms else None
        rows.append((name, ms, raw_ms, ratio, target, note))
        print(f"{name:<46} {ms:9.1f} ms   raw SQL {raw_ms:8.1f} ms   ratio {ratio:5.2f}   target {target} {note}",
              flush=True)

    # Raw SQL: the dashboard's figures in one statement (plan, approved, disbursed by year and level; money by
    # content; by province; đề án by status; outputs by indicator).
    def dashboard_sql(province_id):
        where_b = "AND p.province_id = ?" if province_id else ""
        where_p = "AND pr.province_id = ?" if province_id else ""
        sql = f"""
        SELECT 'plan', CAST(p.year AS VARCHAR(20)), p.level, SUM(b.total) FROM projects_batch b JOIN projects_annualplan p ON p.id = b.plan_id
          WHERE p.year BETWEEN ? AND ? AND p.status <> 'registered' {where_b} GROUP BY p.year, p.level
        UNION ALL
        SELECT 'approved', CAST(p.year AS VARCHAR(20)), p.level, SUM(f.approved) FROM projects_projectfunding f
          JOIN projects_project pr ON pr.id = f.project_id JOIN projects_annualplan p ON p.id = pr.plan_id
          JOIN catalog_fundingsource s ON s.id = f.source_id
          WHERE p.year BETWEEN ? AND ? AND s.code <> 'counterpart' AND pr.status NOT IN ('stopped','cancelled') {where_p}
          GROUP BY p.year, p.level
        UNION ALL
        SELECT 'paid', CAST(p.year AS VARCHAR(20)), p.level, SUM(d.amount) FROM projects_disbursement d
          JOIN projects_project pr ON pr.id = d.project_id JOIN projects_annualplan p ON p.id = pr.plan_id
          WHERE p.year BETWEEN ? AND ? {where_p} GROUP BY p.year, p.level
        UNION ALL
        SELECT 'content', c.code, '', SUM(d.amount) FROM projects_disbursement d
          JOIN projects_project pr ON pr.id = d.project_id JOIN projects_annualplan p ON p.id = pr.plan_id
          JOIN catalog_activitycontent c ON c.id = pr.content_id
          WHERE p.year BETWEEN ? AND ? {where_p} GROUP BY c.code
        UNION ALL
        SELECT 'province', CAST(p.unit_id AS VARCHAR(20)), '', SUM(b.total) FROM projects_batch b JOIN projects_annualplan p ON p.id = b.plan_id
          WHERE p.year BETWEEN ? AND ? {where_b} GROUP BY p.unit_id
        UNION ALL
        SELECT 'status', pr.status, '', COUNT(*) FROM projects_project pr JOIN projects_annualplan p ON p.id = pr.plan_id
          WHERE p.year BETWEEN ? AND ? {where_p} GROUP BY pr.status
        UNION ALL
        SELECT 'output', CAST(o.indicator_id AS VARCHAR(20)), '', SUM(o.quantity) FROM projects_projectoutput o
          JOIN projects_project pr ON pr.id = o.project_id JOIN projects_annualplan p ON p.id = pr.plan_id
          WHERE p.year BETWEEN ? AND ? {where_p} GROUP BY o.indicator_id
        """
        params = []
        for _ in range(7):
            params += [year_from, year_to] + ([province_id] if province_id else [])
        return (ph(sql) if vendor == "postgresql" else sql), params

    from khuyencong.projects.models import AnnualPlan

    for label, pid in (("province dashboard (Vĩnh Long, 20 years)", province.pk),
                       ("national dashboard (20 years)", None)):
        params = {"year_from": year_from, "year_to": year_to, **({"province": pid} if pid else {})}
        sql, sql_params = dashboard_sql(pid)
        raw_ms, _ = median_ms(raw(sql, sql_params), args.runs)
        ms, _ = median_ms(lambda p=params: dashboard_data(cuc, p), args.runs)
        record(label, ms, raw_ms, "≤ 300 ms, ratio ≤ 3")
        # The first view after changes: three plans' records changed since the last view (their marks are
        # written by the change itself), so the view rebuilds their summary rows first.
        plan_ids = list(AnnualPlan.objects.filter(**({"province_id": pid} if pid else {}))
                        .order_by("pk").values_list("pk", flat=True))

        def after_change(p=params, ids=plan_ids):
            mark_plans(ids[:: max(1, len(ids) // 3)][:3])
            return dashboard_data(cuc, p)
        ms, _ = median_ms(after_change, args.runs)
        record(label + ", first view after changes to 3 plans", ms, raw_ms, "≤ 300 ms, ratio ≤ 3")

    # National annual report (live records, as of 31/12, rolled up into today's provinces), .xlsx and .docx.
    year = 2024
    period = Period.make(YEAR, year)
    end = dt.datetime(year, 12, 31, 23, 59, 59)
    asof_sql = """
        SELECT p.unit_id, COUNT(*), SUM(CASE WHEN st.to_status NOT IN ('stopped','cancelled') THEN f.s ELSE 0 END),
               SUM(COALESCE(d.s, 0))
        FROM projects_project pr JOIN projects_annualplan p ON p.id = pr.plan_id
        JOIN (SELECT sc.project_id, sc.to_status FROM projects_statuschange sc
              WHERE sc.id = (SELECT s2.id FROM projects_statuschange s2 WHERE s2.project_id = sc.project_id
                             AND s2.changed_at <= ? ORDER BY s2.changed_at DESC, s2.id DESC LIMIT 1)) st
             ON st.project_id = pr.id
        LEFT JOIN (SELECT project_id, SUM(approved) s FROM projects_projectfunding GROUP BY project_id) f
             ON f.project_id = pr.id
        LEFT JOIN (SELECT project_id, SUM(amount) s FROM projects_disbursement WHERE date <= ? GROUP BY project_id) d
             ON d.project_id = pr.id
        WHERE p.year = ? GROUP BY p.unit_id
    """
    asof_params = [end if vendor == "postgresql" else end.isoformat(" "), dt.date(year, 12, 31).isoformat(), year]
    if vendor == "postgresql":
        asof_sql = ph(asof_sql)
    for fmt in ("xlsx", "docx"):
        def national_report(fmt=fmt):
            agg = aggregate(user=cuc, region=None, period=period, source="live", rollup="current")
            return (documents.aggregate_xlsx if fmt == "xlsx" else documents.aggregate_docx)(agg)
        tracemalloc.start()
        ms, content = median_ms(national_report, max(2, args.runs // 2))
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        raw_ms, _ = median_ms(raw(asof_sql, asof_params), max(2, args.runs // 2))
        record(f"national annual report {year} (.{fmt})", ms, raw_ms, "≤ 10 s, ≤ 500 MB",
               f"(peak Python alloc {peak:.0f} MB, process max RSS {rss:.0f} MB, {len(content) // 1024} KB)")

    # A province's 6-month report as of a past date.
    half = Period.make(HALF, 2018)
    ms, fig = median_ms(lambda: compute_figures(old_province, half), args.runs)
    prov_sql = asof_sql.replace("WHERE p.year = ", "WHERE p.unit_id = %s AND p.year = " if vendor == "postgresql"
                                else "WHERE p.unit_id = ? AND p.year = ")
    prov_params = [asof_params[0].replace("12-31", "06-30") if isinstance(asof_params[0], str)
                   else dt.datetime(2018, 6, 30, 23, 59, 59), "2018-06-30", old_province.pk, 2018]
    raw_ms, _ = median_ms(raw(prov_sql, prov_params), args.runs)
    record("province 6-month report as of 30/06/2018 (Long An)", ms, raw_ms, "≤ 300 ms",
           f"({len(fig['projects'])} đề án)")

    client = Client()
    client.force_login(cuc, backend="django.contrib.auth.backends.ModelBackend")

    def page(url):
        def run():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return run

    sql, sql_params = dashboard_sql(None)
    dash_raw_ms, _ = median_ms(raw(sql, sql_params), args.runs)
    ms, _ = median_ms(page(f"/reports/dashboard/?year_from={year_from}&year_to={year_to}"), args.runs)
    record("national dashboard page (HTML, 20 years)", ms, dash_raw_ms, "≤ 300 ms, ratio ≤ 3")

    ms, _ = median_ms(page(f"/projects/?province={province.pk}&year=2018&content=3"), args.runs)
    list_sql = """SELECT pr.id, pr.code, pr.title, pr.status FROM projects_project pr
                  JOIN projects_annualplan p ON p.id = pr.plan_id JOIN catalog_activitycontent c ON c.id = pr.content_id
                  WHERE pr.province_id = ? AND p.year = ? AND c.code = ? ORDER BY p.year, pr.code LIMIT 50"""
    raw_ms, _ = median_ms(raw(ph(list_sql) if vendor == "postgresql" else list_sql, [province.pk, 2018, "3"]),
                          args.runs)
    record("đề án list page, filtered (province, year, content)", ms, raw_ms, "≤ 300 ms")

    ms, _ = median_ms(page("/establishments/?q=minh%20phat%20che%20bien"), args.runs)
    est_sql = """SELECT id, name FROM beneficiaries_establishment
                 WHERE search_text LIKE ? AND search_text LIKE ? AND search_text LIKE ? ORDER BY name LIMIT 50"""
    raw_ms, _ = median_ms(raw(ph(est_sql) if vendor == "postgresql" else est_sql,
                              ["%minh%", "%phat%", "%che bien%"]), args.runs)
    record("establishment search page (3 words)", ms, raw_ms, "≤ 200 ms on PostgreSQL")
    return rows


if __name__ == "__main__":
    main()
