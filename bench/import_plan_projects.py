"""Benchmark: a 5.000-đề án plan file validated and imported (issue 13: ≤ 15 s, ≤ 300 MB peak, SQLite and
PostgreSQL). Builds a throwaway database (SQLite temp file, or DATABASE_URL's server with a `_bench`
database),
loads the base data, writes the file, then times preview (validate + roll back) and import separately and
prints
peak RSS of this process.

    .venv/bin/python bench/import_plan_projects.py [--rows 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python
    bench/import_plan_projects.py
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="kc-bench-import-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["VAR_DIR"] = tmp
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        print("PostgreSQL:", connection.settings_dict["NAME"])
    call_command("migrate", verbosity=0)
    call_command("load_admin_units", verbosity=0) if "load_admin_units" in _commands() else None
    from khuyencong.catalog.services import catalog_load_defaults

    catalog_load_defaults()
    from openpyxl import Workbook

    from khuyencong import testing
    from khuyencong.projects import plan_import, services
    from khuyencong.projects.models import Project

    officer = testing.province_user("Vĩnh Long", f"bench.{int(time.time())}", "officer")
    unit = testing.old_province("Bến Tre")
    plan = services.plan_create(actor=officer, unit=unit, year=2017, level="local", title="Bench 2017")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(plan_import.HEADERS)
    statuses = ["Đã phê duyệt", "Đang thực hiện", "Đã hoàn thành", "Đã đăng ký"]
    for i in range(args.rows):
        status = statuses[i % 4]
        row = {
            "title": f"Tập huấn số {i}",
            "content": "2",
            "registered_on": "10/01/2017",
            "requested": "80 triệu",
            "status": status,
            "status_date": "15/05/2017",
        }
        if status != "Đã đăng ký":
            row |= {
                "approved": "80 triệu",
                "decision_no": f"{i}/QĐ",
                "decision_date": "15/03/2017",
                "paid": "40 triệu",
                "paid_date": "20/05/2017",
            }
        if status == "Đang thực hiện":
            row["progress"] = 50
        ws.append([row.get(k) for _h, k in plan_import.COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    content = buf.getvalue()
    t0 = time.perf_counter()
    preview = plan_import.plan_projects_import(
        actor=officer, plan=plan, content=content, filename="b.xlsx", commit=False
    )
    t1 = time.perf_counter()
    result = plan_import.plan_projects_import(actor=officer, plan=plan, content=content, filename="b.xlsx")
    t2 = time.perf_counter()
    assert preview.created == result.created == args.rows == Project.objects.filter(plan=plan).count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows={args.rows} db={connection.vendor} preview={t1 - t0:.1f}s import={t2 - t1:.1f}s "
        f"peak_rss={peak:.0f}MB"
    )


def _commands():
    from django.core.management import get_commands

    return get_commands()


if __name__ == "__main__":
    main()
