"""National-scale benchmark of the reports app (and the pages it leans on).

Run on a database filled by `manage.py generate_national --seed 1` (SQLite or PostgreSQL):

    DATABASE_URL=sqlite:////tmp/kc_nat.sqlite3 .venv/bin/python bench/national.py [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_nat .venv/bin/python bench/national.py

For each operation it prints the median of several runs and the ratio to the best hand-written SQL that gives
the same answer from the same tables the code reads (the dashboard: its summary table `reports_planfigure`;
the lists: the đề án/establishment tables and the maintained as-of table `projects_projectasof`), and says
which.
Exports are timed without tracemalloc; their memory is measured in a separate run (a child process doing one
export; its peak RSS). Targets: pages and dashboards ≤ 300 ms (≤ 600 ms on SQLite for the lists), national
annual report ≤ 10 s and ≤ 500 MB, đề án export (100.000) ≤ 10 s and ≤ 200 MB, establishment export (300.000)
≤ 25 s and ≤ 200 MB.

    … bench/national.py --only lists        # just the list pages and exports (issue 12)
    … bench/national.py --only opendata     # the public open-data pages (issue 18)
"""

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import time
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
    parser.add_argument("--only", choices=["lists", "reports", "opendata"], default=None)
    parser.add_argument("--export-once", default=None, help=argparse.SUPPRESS)  # child process: one export
    args = parser.parse_args()
    if args.export_once:
        return export_once(args.export_once)

    from khuyencong.accounts.models import User
    from khuyencong.core import dataversion
    from khuyencong.geo.models import AdminUnit
    from khuyencong.projects.models import Project
    from khuyencong.reports import dashboard as dashboard_module
    from khuyencong.reports import documents
    from khuyencong.reports.aggregation import aggregate
    from khuyencong.reports.compute import compute_figures
    from khuyencong.reports.dashboard import compute_dashboard, dashboard_data, dashboard_filters
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
    print(
        f"# Benchmark on {vendor}: {n_projects:,} đề án, {n_changes:,} status changes, {n_est:,} "
        f"establishments; "
        f"median of {args.runs} runs"
    )
    rows = []

    def record(name, ms, raw_ms, target, note="", basis=""):
        ratio = ms / raw_ms if raw_ms else None
        rows.append((name, ms, raw_ms, ratio, target, note, basis))
        raw_text = (
            f"raw SQL {raw_ms:8.1f} ms   ratio {ratio:5.2f}" if raw_ms else "raw SQL        —            "
        )
        print(f"{name:<52} {ms:9.1f} ms   {raw_text}   target {target} {note}   [raw: {basis}]", flush=True)

    # Raw SQL: the dashboard's figures in one statement over the tables it reads — the plans and batches and
    # the per-plan summary `reports_planfigure` (plan money by year and level, approved/disbursed by year and
    # level, disbursed by content, assigned money by province, đề án by status, outputs by indicator).
    def dashboard_sql(province_id):
        where = "AND p.province_id = ?" if province_id else ""
        sql = f"""
        SELECT 'plan', CAST(p.year AS VARCHAR(20)), p.level, SUM(b.total), 0 FROM projects_batch b
          JOIN projects_annualplan p ON p.id = b.plan_id
          WHERE p.year BETWEEN ? AND ? AND p.status <> 'registered' {where} GROUP BY p.year, p.level
        UNION ALL
        SELECT 'total', CAST(p.year AS VARCHAR(20)), p.level, SUM(f.value), SUM(f.disbursed)
          FROM reports_planfigure f JOIN projects_annualplan p ON p.id = f.plan_id
          WHERE f.kind = 'total' AND p.year BETWEEN ? AND ? AND p.status <> 'registered' {where}
          GROUP BY p.year, p.level
        UNION ALL
        SELECT 'content', f.key, '', SUM(f.value), SUM(f.disbursed) FROM reports_planfigure f
          JOIN projects_annualplan p ON p.id = f.plan_id
          WHERE f.kind = 'money' AND p.year BETWEEN ? AND ? AND p.status <> 'registered' {where}
              GROUP BY f.key
        UNION ALL
        SELECT 'province', CAST(p.unit_id AS VARCHAR(20)), '', SUM(b.total), 0 FROM projects_batch b
          JOIN projects_annualplan p ON p.id = b.plan_id
          WHERE p.year BETWEEN ? AND ? AND p.status <> 'registered' {where} GROUP BY p.unit_id
        UNION ALL
        SELECT 'status', f.key, '', SUM(f.value), 0 FROM reports_planfigure f JOIN projects_annualplan p
          ON p.id = f.plan_id WHERE f.kind = 'status' AND p.year BETWEEN ? AND ? {where} GROUP BY f.key
        UNION ALL
        SELECT 'output', f.key, '', SUM(f.value), 0 FROM reports_planfigure f JOIN projects_annualplan p
          ON p.id = f.plan_id WHERE f.kind = 'output' AND p.year BETWEEN ? AND ? {where} GROUP BY f.key
        """
        params = []
        for _ in range(6):
            params += [year_from, year_to] + ([province_id] if province_id else [])
        return (ph(sql) if vendor == "postgresql" else sql), params

    if args.only == "lists":
        lists_and_exports(args, cuc, record, vendor)
        return rows
    if args.only == "opendata":
        open_data(args, record, vendor)
        return rows

    from khuyencong.projects.models import AnnualPlan

    for label, pid in (
        ("province dashboard (Vĩnh Long, 20 years)", province.pk),
        ("national dashboard (20 years)", None),
    ):
        params = {"year_from": year_from, "year_to": year_to, **({"province": pid} if pid else {})}
        sql, sql_params = dashboard_sql(pid)
        raw_ms, _ = median_ms(raw(sql, sql_params), args.runs)
        # Computed each time (`compute_dashboard`): the page keeps its figures until the data changes
        # (core.dataversion), so `dashboard_data` would time a cache read after the warm-up. The statement
        # answers the plan figures (from the summary table); the dashboard also adds the sections of the
        # other records (awards, activities, loans, clusters: ~30 small queries over their own tables),
        # which no single statement gives: they are timed apart, without a ratio.
        ms, _ = median_ms(lambda p=params: compute_dashboard(dashboard_filters(cuc, p)), args.runs)
        record(label + ", computed", ms, None, "≤ 300 ms", basis="— (plan figures + records' sections)")

        def plan_figures(p=params):
            f = dashboard_filters(cuc, p)
            acc = dashboard_module._Acc(list(range(f["year_from"], f["year_to"] + 1)))
            dashboard_module._fill_from_summary(acc, f)
            return dashboard_module._tables(acc, f), dashboard_module._money_summary(acc)

        def sections(p=params):
            f = dashboard_filters(cuc, p)
            acc = dashboard_module._Acc(list(range(f["year_from"], f["year_to"] + 1)))
            dashboard_module._fill_from_records(acc, f)
            return acc

        ms, _ = median_ms(plan_figures, args.runs)
        record(label + ": plan figures", ms, raw_ms, "≤ 300 ms, ratio ≤ 3", basis="summary table")
        ms, _ = median_ms(sections, args.runs)
        record(label + ": records' sections", ms, None, "(part of the 300 ms)", basis="—")
        # The first view after changes: three plans' records changed since the last view (their marks are
        # written by the change itself), so the view rebuilds their summary rows first.
        plan_ids = list(
            AnnualPlan.objects.filter(**({"province_id": pid} if pid else {}))
            .order_by("pk")
            .values_list("pk", flat=True)
        )

        def after_change(p=params, ids=plan_ids):
            # What a change to three plans' records does: marks them and bumps the kept figures' version.
            mark_plans(ids[:: max(1, len(ids) // 3)][:3])
            dataversion.bump(dataversion.FIGURES)
            return dashboard_data(cuc, p)

        ms, _ = median_ms(after_change, args.runs)
        record(
            label + ", first view after changes to 3 plans",
            ms,
            None,
            "≤ 300 ms",
            basis="— (rebuilds 3 plans' summary from the base tables, then as computed)",
        )

    # National annual report (live records, as of 31/12, rolled up into today's provinces), .xlsx and .docx.
    year = 2024
    period = Period.make(YEAR, year)
    asof_sql = """
        SELECT p.unit_id, COUNT(*), SUM(CASE WHEN st.to_status NOT IN ('stopped','cancelled') THEN
            f.s ELSE 0 END),
               SUM(COALESCE(d.s, 0))
        FROM projects_project pr JOIN projects_annualplan p ON p.id = pr.plan_id
        JOIN (SELECT sc.project_id, sc.to_status FROM projects_statuschange sc
              WHERE sc.id = (SELECT s2.id FROM projects_statuschange s2 WHERE s2.project_id = sc.project_id
                             AND s2.effective_date <= ? ORDER BY s2.effective_date DESC, s2.id DESC
                                 LIMIT 1)) st
             ON st.project_id = pr.id
        LEFT JOIN (SELECT project_id, SUM(approved) s FROM projects_projectfunding GROUP BY project_id) f
             ON f.project_id = pr.id
        LEFT JOIN (SELECT project_id, SUM(amount) s FROM projects_disbursement WHERE date <= ?
            GROUP BY project_id) d
             ON d.project_id = pr.id
        WHERE p.year = ? GROUP BY p.unit_id
    """
    asof_params = [dt.date(year, 12, 31).isoformat(), dt.date(year, 12, 31).isoformat(), year]
    if vendor == "postgresql":
        asof_sql = ph(asof_sql)
    for fmt in ("xlsx", "docx"):

        def national_report(fmt=fmt):
            agg = aggregate(user=cuc, region=None, period=period, source="live", rollup="current")
            return (documents.aggregate_xlsx if fmt == "xlsx" else documents.aggregate_docx)(agg)

        ms, content = median_ms(national_report, max(2, args.runs // 2))
        rss = child_peak_rss(f"report-{fmt}")
        raw_ms, _ = median_ms(raw(asof_sql, asof_params), max(2, args.runs // 2))
        record(
            f"national annual report {year} (.{fmt})",
            ms,
            raw_ms,
            "≤ 10 s, ≤ 500 MB",
            f"(peak RSS of a process making it once: {rss:.0f} MB; {len(content) // 1024} KB)",
            basis="one as-of aggregation over the base tables",
        )

    # A province's 6-month report as of a past date.
    half = Period.make(HALF, 2018)
    ms, fig = median_ms(lambda: compute_figures(old_province, half), args.runs)
    prov_sql = asof_sql.replace(
        "WHERE p.year = ",
        "WHERE p.unit_id = %s AND p.year = "
        if vendor == "postgresql"
        else "WHERE p.unit_id = ? AND p.year = ",
    )
    prov_params = ["2018-06-30", "2018-06-30", old_province.pk, 2018]
    raw_ms, _ = median_ms(raw(prov_sql, prov_params), args.runs)
    record(
        "province 6-month report as of 30/06/2018 (Long An)",
        ms,
        raw_ms,
        "≤ 300 ms",
        f"({len(fig['projects'])} đề án)",
        basis="one as-of aggregation over the base tables",
    )

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
    record(
        "national dashboard page (HTML, 20 years; figures kept until a change)",
        ms,
        dash_raw_ms,
        "≤ 300 ms, ratio ≤ 3",
        basis="summary table",
    )

    lists_and_exports(args, cuc, record, vendor)
    return rows


def child_peak_rss(kind: str) -> float:
    """Peak RSS (MB) of a fresh process (Django loaded) that makes one export of `kind` and exits."""
    out = subprocess.run(
        [sys.executable, __file__, "--export-once", kind],
        capture_output=True,
        text=True,
        env=os.environ,
        check=True,
    ).stdout
    return float(out.strip().splitlines()[-1])


EXPORTS = {
    "projects": "/projects/?format=xlsx",
    "projects-asof": "/projects/?format=xlsx&as_of=30/06/2018",
    "establishments": "/establishments/?format=xlsx",
}


def _cuc_client():
    from khuyencong.accounts.models import User

    cuc = User.objects.filter(username="cuc").first() or User.objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(cuc, backend="django.contrib.auth.backends.ModelBackend")
    return cuc, client


def _download(client, url) -> int:
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _wsgi_download(user, url: str) -> int:
    """One request through Django's WSGI handler, as gunicorn serves it (the test client keeps more in memory
    than a server does: ~800 MB more for the 300.000-row export)."""
    from io import BytesIO
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.handlers.wsgi import WSGIHandler

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "https",
        "HTTPS": "on",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    status = []
    body = WSGIHandler()(environ, lambda s, h, exc_info=None: status.append(s))
    size = sum(len(chunk) for chunk in body)
    if hasattr(body, "close"):
        body.close()
    assert status and status[0].startswith("200"), (url, status)
    return size


def export_once(kind: str):
    cuc, client = _cuc_client()
    if kind.startswith("report-"):
        from khuyencong.reports import documents
        from khuyencong.reports.aggregation import aggregate
        from khuyencong.reports.periods import YEAR, Period

        agg = aggregate(
            user=cuc, region=None, period=Period.make(YEAR, 2024), source="live", rollup="current"
        )
        (documents.aggregate_xlsx if kind == "report-xlsx" else documents.aggregate_docx)(agg)
    else:
        _wsgi_download(cuc, EXPORTS[kind])
    print(own_peak_rss_mb())


def own_peak_rss_mb() -> float:
    """This process's peak RSS in MB since it started: `VmHWM` of /proc/self/status on Linux. Not
    `ru_maxrss`: Linux carries the parent's resident size at fork() over exec() into the child's ru_maxrss,
    so a child started by a benchmark that holds 800 MB reported 800 MB whatever it used itself."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lists_and_exports(args, cuc, record, vendor):
    """Issue 12: the Cục's lists over the whole country, each against the same answer by hand (count, the
    page's
    50 rows with their figures and beneficiary names, the totals row) from the same tables, and the
    exports."""
    from khuyencong.geo.models import AdminUnit
    from khuyencong.projects.models import AnnualPlan

    client = Client()
    client.force_login(cuc, backend="django.contrib.auth.backends.ModelBackend")
    agg_names = "string_agg(e.name, '; ')" if vendor == "postgresql" else "group_concat(e.name, '; ')"
    names = (
        f"(SELECT {agg_names} FROM projects_projectbeneficiary pb JOIN beneficiaries_establishment e "
        "ON e.id = pb.establishment_id WHERE pb.project_id = pr.id)"
    )
    cp = "(SELECT id FROM catalog_fundingsource WHERE code = 'counterpart')"
    live = (
        f"(SELECT SUM(f.requested) FROM projects_projectfunding f WHERE f.project_id = pr.id AND "
        f"f.source_id <> {cp}),"
        f" (SELECT SUM(f.approved) FROM projects_projectfunding f WHERE f.project_id = pr.id AND "
        f"f.source_id <> {cp}),"
        " (SELECT SUM(d.amount) FROM projects_disbursement d WHERE d.project_id = pr.id)"
    )

    def list_raw(where="1 = 1", params=(), order="pr.code, pr.id", as_of=None, sort_join=False):
        """The best statements by hand for a list page: its count and totals row in one statement over the
        day's (or the current) as-of rows — joined to the đề án only when a filter needs them —, then the
        page's 50 rows with their figures and beneficiary names."""
        day = "a.bucket IN (%s, 0) AND a.valid_from <= %s AND a.valid_to > %s" if as_of else "a.bucket = 0"
        dparams = [int(as_of[:4]), as_of, as_of] if as_of else []
        if as_of:
            join = f"JOIN projects_projectasof a ON a.project_id = pr.id AND {day}"
            figures = "a.status, a.progress_pct, a.requested, a.approved, a.disbursed"
        else:
            join = f"LEFT JOIN projects_projectasof a ON a.project_id = pr.id AND {day}" if sort_join else ""
            figures = "pr.status, pr.progress_pct, " + live
        # The plan and content joins only where the filter needs them (the best statement leaves them out).
        pc = (
            "JOIN projects_annualplan p ON p.id = pr.plan_id JOIN catalog_activitycontent c ON c.id = "
            "pr.content_id"
            if ("p." in where.replace("pr.", "") or "c." in where)
            else ""
        )
        needs_project = "pr." in where or "p." in where or "c." in where
        counted = "CASE WHEN a.status <> 'cancelled' THEN a.{} END"
        sums = ", ".join(f"SUM({counted.format(c)})" for c in ("requested", "approved", "disbursed"))
        summary = (
            f"SELECT COUNT(*), {sums} FROM projects_projectasof a "
            + (f"JOIN projects_project pr ON pr.id = a.project_id {pc} " if needs_project else "")
            + f"WHERE {day} AND {where}"
        )
        if not as_of:  # the count is of every đề án, with or without an as-of row
            summary = f"SELECT COUNT(*) FROM projects_project pr {pc} WHERE {where}; " + summary
        page = (
            f"SELECT pr.id, pr.code, pr.title, p.year, p.level, c.code, {figures}, {names} "
            f"FROM projects_project pr JOIN projects_annualplan p ON p.id = pr.plan_id "
            f"JOIN catalog_activitycontent c ON c.id = pr.content_id {join} WHERE {where} "
            f"ORDER BY {order} LIMIT 50"
        )
        page_params = [*(dparams if (as_of or sort_join) else []), *params]

        def run():
            with connection.cursor() as cur:
                for statement in summary.split("; "):
                    cur.execute(statement, [*(dparams if "a." in statement else []), *params])
                    cur.fetchall()
                cur.execute(page, page_params)
                return cur.fetchall()

        return run

    def search_where(words):
        parts, params = [], []
        for (
            w
        ) in words:  # the đề án's search column (code, title and its beneficiaries' text), as the code reads
            parts.append("pr.search_text LIKE %s")
            params.append(f"%{w}%")
        return " AND ".join(parts), params

    def page(url):
        def run():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    target = "≤ 300 ms" if vendor == "postgresql" else "≤ 600 ms"
    province = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")
    q_where, q_params = search_where(["che", "bien"])
    cases = [
        ("đề án list, no filter (100.000)", "/projects/", list_raw()),
        (
            "đề án list, filtered (province, year, content)",
            f"/projects/?province={province.pk}&year=2018&content=3",
            list_raw("pr.province_id = %s AND p.year = %s AND c.code = %s", [province.pk, 2018, "3"]),
        ),
        ("đề án list, ?q= two words (che bien)", "/projects/?q=che+bien", list_raw(q_where, q_params)),
        (
            "đề án list, sorted by approved money",
            "/projects/?sort=-approved",
            list_raw(order="a.approved DESC, pr.id", sort_join=True),
        ),
        (
            "đề án list as of 30/06/2018, national",
            "/projects/?as_of=30/06/2018",
            list_raw(as_of="2018-06-30"),
        ),
        (
            "đề án list as of 30/06/2018, in progress",
            "/projects/?as_of=30/06/2018&status=in_progress",
            list_raw("a.status = %s", ["in_progress"], as_of="2018-06-30"),
        ),
        (
            "đề án list as of 31/12/2012, sorted by disbursed",
            "/projects/?as_of=31/12/2012&sort=-disbursed",
            list_raw(order="a.disbursed DESC, pr.id", as_of="2012-12-31"),
        ),
        (
            "đề án list as of 30/06/2018 + ?q= + sort by status",
            "/projects/?as_of=30/06/2018&q=che+bien&sort=status",
            list_raw(q_where, q_params, order="a.status, pr.id", as_of="2018-06-30"),
        ),
    ]
    cases += [
        ("API đề án list, no filter", "/api/v1/projects/", list_raw()),
        (
            "API đề án list as of 30/06/2018",
            "/api/v1/projects/?as_of=2018-06-30",
            list_raw(as_of="2018-06-30"),
        ),
    ]
    for label, url, raw_run in cases:
        raw_ms, _ = median_ms(raw_run, args.runs)
        ms, _ = median_ms(page(url), args.runs)
        record(label, ms, raw_ms, target, basis="count + 50 rows with figures + totals; base + as-of tables")

    est_cols = (
        "SELECT e.id, e.name, t.code, e.tax_code, c.name, pv.name FROM beneficiaries_establishment e "
        "JOIN catalog_establishmenttype t ON t.id = e.establishment_type_id "
        "JOIN geo_adminunit c ON c.id = e.commune_id LEFT JOIN geo_adminunit pv ON pv.id = e.province_id "
    )

    def est_raw(where="1 = 1", params=()):
        def run():
            with connection.cursor() as cur:
                cur.execute(f"SELECT COUNT(*) FROM beneficiaries_establishment e WHERE {where}", list(params))
                cur.fetchall()
                cur.execute(est_cols + f"WHERE {where} ORDER BY e.name, e.id LIMIT 50", list(params))
                return cur.fetchall()

        return run

    like3 = " AND ".join(["e.search_text LIKE %s"] * 3)
    for label, url, raw_run in [
        ("establishment list, no filter (300.000)", "/establishments/", est_raw()),
        (
            "establishment search (3 words)",
            "/establishments/?q=minh%20phat%20che%20bien",
            est_raw(like3, ["%minh%", "%phat%", "%che%"]),
        ),
    ]:
        raw_ms, _ = median_ms(raw_run, args.runs)
        ms, _ = median_ms(page(url), args.runs)
        record(label, ms, raw_ms, target, basis="count + 50 rows; establishment table")

    def plans_raw():
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM projects_annualplan")
            cur.fetchall()
            cur.execute(
                "SELECT pl.id, pl.year, pl.level, u.name, pl.registered_total, "
                "(SELECT SUM(b.total) FROM projects_batch b WHERE b.plan_id = pl.id), "
                "(SELECT COUNT(*) FROM projects_project pr WHERE pr.plan_id = pl.id) "
                "FROM projects_annualplan pl JOIN geo_adminunit u ON u.id = pl.unit_id "
                "ORDER BY pl.year DESC, pl.id LIMIT 50"
            )
            cur.fetchall()
            cur.execute(
                "SELECT (SELECT SUM(registered_total) FROM projects_annualplan), "
                "(SELECT SUM(total) FROM projects_batch), (SELECT COUNT(*) FROM projects_project)"
            )
            return cur.fetchall()

    raw_ms, _ = median_ms(plans_raw, args.runs)
    ms, _ = median_ms(page("/projects/plans/"), args.runs)
    record(
        "plan list (2.456 plans)", ms, raw_ms, target, basis="count + 50 rows + totals; plans, batches, đề án"
    )

    plan = AnnualPlan.objects.filter(year=2018, level="national").order_by("pk").first()

    def plan_raw(as_of=None):
        def run():
            with connection.cursor() as cur:
                if as_of:
                    cur.execute(
                        "SELECT pr.id, pr.code, a.status, a.requested, a.approved, a.disbursed, "
                        + names
                        + " FROM projects_project pr JOIN projects_projectasof a ON a.project_id = pr.id "
                        "AND a.valid_from <= %s AND a.valid_to > %s WHERE pr.plan_id = %s ORDER BY pr.code",
                        [as_of, as_of, plan.pk],
                    )
                else:
                    cur.execute(
                        f"SELECT pr.id, pr.code, pr.status, {live}, {names} FROM projects_project pr "
                        "WHERE pr.plan_id = %s ORDER BY pr.code",
                        [plan.pk],
                    )
                return cur.fetchall()

        return run

    for label, url, raw_run in [
        (f"plan page ({plan.projects.count()} đề án)", f"/projects/plans/{plan.pk}/", plan_raw()),
        (
            "plan page as of 30/06/2018",
            f"/projects/plans/{plan.pk}/?as_of=30/06/2018",
            plan_raw("2018-06-30"),
        ),
    ]:
        raw_ms, _ = median_ms(raw_run, args.runs)
        ms, _ = median_ms(page(url), args.runs)
        record(label, ms, raw_ms, target, basis="the plan's đề án with figures (live / as-of table)")

    def reports_raw():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT r.id, u.name, r.period_end, r.status, r.figures FROM reports_report r "
                "JOIN geo_adminunit u ON u.id = r.unit_id ORDER BY r.period_end DESC, r.id"
            )
            return cur.fetchall()

    raw_ms, _ = median_ms(reports_raw, args.runs)
    ms, _ = median_ms(page("/reports/"), args.runs)
    record("reports list", ms, raw_ms, target, basis="every report row (the page adds up their figures)")

    # Exports: timed in this process without tracemalloc; memory = peak RSS of a child doing one export.
    export_sql = (
        f"SELECT pr.code, pr.title, p.year, p.level, c.code, pr.status, pr.progress_pct, fu.r, fu.a, "
        f"d.s FROM projects_project pr JOIN projects_annualplan p ON p.id = pr.plan_id "
        f"JOIN catalog_activitycontent c ON c.id = pr.content_id "
        f"LEFT JOIN (SELECT project_id, SUM(requested) r, SUM(approved) a FROM projects_projectfunding "
        f"WHERE source_id <> {cp} GROUP BY project_id) fu ON fu.project_id = pr.id "
        f"LEFT JOIN (SELECT project_id, SUM(amount) s FROM projects_disbursement GROUP BY project_id) d "
        f"ON d.project_id = pr.id ORDER BY pr.code, pr.id"
    )
    names_sql = (
        "SELECT pb.project_id, e.name FROM projects_projectbeneficiary pb "
        "JOIN beneficiaries_establishment e ON e.id = pb.establishment_id"
    )

    def export_raw():
        with connection.cursor() as cur:
            cur.execute(export_sql)
            n = len(cur.fetchall())
            cur.execute(names_sql)
            cur.fetchall()
            return n

    def est_export_raw():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT e.*, t.code, c.name, c.era, d.name, pv.name, s.name, cp.name "
                "FROM beneficiaries_establishment e "
                "JOIN catalog_establishmenttype t ON t.id = e.establishment_type_id "
                "JOIN geo_adminunit c ON c.id = e.commune_id LEFT JOIN geo_adminunit d ON d.id = c.parent_id "
                "LEFT JOIN geo_adminunit pv ON pv.id = d.parent_id "
                "LEFT JOIN catalog_sector s ON s.id = e.sector_id "
                "LEFT JOIN geo_adminunit cp ON cp.id = e.province_id ORDER BY e.name, e.id"
            )
            return len(cur.fetchall())

    runs = max(1, min(3, args.runs))
    for label, kind, target_e, raw_run in [
        ("đề án → Excel, 100.000 rows", "projects", "≤ 10 s, ≤ 200 MB", export_raw),
        ("đề án as of 30/06/2018 → Excel (65.000 rows)", "projects-asof", "≤ 10 s, ≤ 200 MB", None),
        ("establishments → Excel, 300.000 rows", "establishments", "≤ 25 s, ≤ 200 MB", est_export_raw),
    ]:
        t = time.perf_counter()
        size = _wsgi_download(cuc, EXPORTS[kind])
        times = [(time.perf_counter() - t) * 1000]
        for _ in range(runs - 1):
            t = time.perf_counter()
            _wsgi_download(cuc, EXPORTS[kind])
            times.append((time.perf_counter() - t) * 1000)
        ms = statistics.median(times)
        raw_ms = statistics.median([median_ms(raw_run, 1)[0]]) if raw_run else 0
        rss = child_peak_rss(kind)
        record(
            label,
            ms,
            raw_ms,
            target_e,
            f"(peak RSS of a process making it once: {rss:.0f} MB; {size // 1024} KB)",
            basis="reading the same rows and figures in one statement (no file)",
        )


def open_data(args, record, vendor):
    """Issue 18: the public pages of /du-lieu-mo/ over the national dataset, every province publishing from
    2010 (the bench adds the settings the generator does not make). The dataset is built once (timed: the
    task worker's job) and the pages read this process's copy; the raw SQL is the national page's answer
    from the base tables: the plan totals of every published plan and the first 50 approved đề án with
    their money."""
    from khuyencong.geo.models import AdminUnit
    from khuyencong.opendata import data
    from khuyencong.opendata.models import PublishSetting

    made = 0
    for unit in AdminUnit.objects.filter(level=1, era="current"):
        made += PublishSetting.objects.get_or_create(
            province=unit, defaults={"publish": True, "from_year": 2010}
        )[1]
    if made:
        print(f"(publishing every province from 2010: {made} settings added)")
    t = time.perf_counter()
    built = data.build()
    build_s = time.perf_counter() - t
    print(
        f"open dataset built in {build_s:.1f} s (by the task worker): {len(built['projects']):,} đề án, "
        f"{len(built['plans']):,} plans",
        flush=True,
    )
    data.forget_local_copy()
    data.dataset()  # the first read anywhere: builds and shares the copy
    anonymous = Client()
    statuses = tuple(data.PUBLISHED_STATUSES)
    marks = ", ".join(["?"] * len(statuses))
    sql = f"""
        SELECT p.id, p.year, p.level, SUM(f.requested),
               SUM(CASE WHEN pr.status IN ({marks}) THEN f.approved END),
               (SELECT SUM(d.amount) FROM projects_disbursement d
                  JOIN projects_project q ON q.id = d.project_id WHERE q.plan_id = p.id),
               (SELECT SUM(b.amount) FROM projects_batchallocation b
                  JOIN projects_batch bb ON bb.id = b.batch_id WHERE bb.plan_id = p.id)
          FROM projects_annualplan p JOIN opendata_publishsetting s ON s.province_id = p.province_id
          JOIN projects_project pr ON pr.plan_id = p.id JOIN projects_projectfunding f ON f.project_id = pr.id
         WHERE s.publish AND p.year >= s.from_year AND p.unit_id IS NOT NULL AND pr.status <> 'cancelled'
         GROUP BY p.id, p.year, p.level
    """
    page_sql = f"""
        SELECT pr.id, pr.code, pr.title, SUM(f.approved) FROM projects_project pr
          JOIN projects_annualplan p ON p.id = pr.plan_id
          JOIN opendata_publishsetting s ON s.province_id = p.province_id
          JOIN projects_projectfunding f ON f.project_id = pr.id
         WHERE s.publish AND p.year >= s.from_year AND pr.status IN ({marks})
         GROUP BY pr.id, pr.code, pr.title ORDER BY pr.id LIMIT 50
    """
    ph_ = ph if vendor == "postgresql" else (lambda x: x)
    totals_raw = raw(ph_(sql), list(statuses))
    page_raw = raw(ph_(page_sql), list(statuses))

    def both():
        totals_raw()
        page_raw()

    raw_ms, _ = median_ms(both, args.runs)
    province = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")

    def get(url):
        def run():
            response = anonymous.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    for label, url in [
        ("open data, national page", "/du-lieu-mo/"),
        ("open data, national page 500", "/du-lieu-mo/?page=500"),
        ("open data, one year (2018)", "/du-lieu-mo/?year=2018"),
        ("open data, one province", f"/du-lieu-mo/?province={province.pk}"),
        ("public API, national, first page", "/api/v1/public/projects/"),
    ]:
        ms, _ = median_ms(get(url), args.runs)
        record(label, ms, raw_ms, "≤ 300 ms", basis="plan totals + first 50 đề án from the base tables")
    ms, _ = median_ms(get("/du-lieu-mo/de-an.csv"), max(1, args.runs // 2))
    record("open data, national đề án CSV", ms, 0, "—")


if __name__ == "__main__":
    main()
