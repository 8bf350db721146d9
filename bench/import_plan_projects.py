"""Benchmark: a 5.000-đề án plan file previewed, imported and re-imported (issue 13: ≤ 15 s each, ≤ 300 MB
peak, SQLite and PostgreSQL).

    .venv/bin/python bench/import_plan_projects.py [--rows 5000]          # throwaway SQLite file under /tmp
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE kc_bulkimport_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bulkimport_bench .venv/bin/python \
        bench/import_plan_projects.py
    psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE kc_bulkimport_bench'

Migrates that database and loads the base data (units, catalogues), creates a Vĩnh Long officer, a local
plan 2017 of old Bến Tre (on a fresh database) and 100 establishments, then writes the file in the import
template's columns: one đề án per row, in turn registered, approved, under contract, in progress, completed
and accepted (the last four with a payment), half with counterpart money and one beneficiary. Then it times,
separately: the preview (validate, nothing written), the import, and the re-import of the same file (every
row unchanged, nothing written); and prints the peak RSS of this process after each (ru_maxrss: no
tracemalloc, which would slow the timed runs).
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


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--profile", help="write cProfile stats of the import (not the preview) to this file")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="kc-bench-import-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["VAR_DIR"] = tmp
    import django

    django.setup()
    import xlsxwriter
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from khuyencong import testing
    from khuyencong.beneficiaries.models import Establishment
    from khuyencong.catalog.models import EstablishmentType
    from khuyencong.core.audit import save_audited
    from khuyencong.core.demo import load_base
    from khuyencong.geo.models import AdminUnit
    from khuyencong.projects import plan_import, services
    from khuyencong.projects.models import AnnualPlan, Project, StatusChange

    load_base()
    stamp = int(time.time())
    officer = testing.province_user("Vĩnh Long", f"bench.{stamp}", "officer")
    unit = testing.old_province("Bến Tre")
    year = 2017
    if AnnualPlan.objects.filter(unit=unit, year=year, level="local").exists():
        sys.exit("The plan of a previous run is there: drop and create the database again (see above).")
    plan = services.plan_create(
        actor=officer,
        unit=unit,
        year=year,
        level="local",
        title=f"Bench {year}",
        effective_date=f"01/10/{year - 1}",
    )
    hkd = EstablishmentType.objects.get(code="HKD")
    commune = AdminUnit.objects.filter(level=3, era="old", current_province=plan.province).order_by("code")[0]
    names = []
    for k in range(100):
        est = Establishment(name=f"Cơ sở bench {stamp} số {k}", establishment_type=hkd, commune=commune)
        names.append(save_audited(est, actor=None, reason="bench").name)

    y = str(year)
    statuses = [
        "Đã đăng ký",
        "Đã phê duyệt",
        "Đã ký hợp đồng",
        "Đang thực hiện",
        "Đã hoàn thành",
        "Đã nghiệm thu",
    ]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})
    ws = wb.add_worksheet("Đề án")
    ws.write_row(0, 0, plan_import.HEADERS)
    for i in range(args.rows):
        status = statuses[i % len(statuses)]
        row = {
            "code": f"KCĐP-{y}-{i + 1:05d}",
            "title": f"Tập huấn số {i}",
            "content": "2",
            "registered_on": f"10/01/{y}",
            "requested": "80 triệu",
            "status": status,
            "status_date": f"15/05/{y}",
        }
        if i % 2:
            row |= {"counterpart": "20 triệu", "beneficiaries": names[i % len(names)]}
        if status != "Đã đăng ký":
            row |= {"approved": "80 triệu", "decision_no": f"{i}/QĐ-SCT", "decision_date": f"15/03/{y}"}
        if status == "Đã ký hợp đồng":
            row |= {"contract_no": f"HĐ-{i}", "contract_date": f"01/04/{y}"}
        if status in ("Đang thực hiện", "Đã hoàn thành", "Đã nghiệm thu", "Đã ký hợp đồng"):
            row |= {"paid": "40 triệu", "paid_date": f"20/05/{y}"}
        if status == "Đang thực hiện":
            row["progress"] = 50
        if status == "Đã nghiệm thu":
            row |= {"status_date": f"30/06/{y}", "status_document": f"BB-{i}"}
        ws.write_row(i + 1, 0, [row.get(k) for _h, k in plan_import.COLUMNS])
    wb.close()
    content = buf.getvalue()
    del buf, wb, ws
    base = rss_mb()

    def run(commit: bool, profile: str | None = None):
        t, c = time.perf_counter(), time.process_time()
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        result = plan_import.plan_projects_import(
            actor=officer, plan=plan, content=content, filename="bench.xlsx", commit=commit
        )
        if profile:
            prof.disable()
            prof.dump_stats(profile)
        return result, time.perf_counter() - t, time.process_time() - c, rss_mb()

    preview, t_preview, c_preview, m_preview = run(False)
    assert preview.created == args.rows and not Project.objects.filter(plan=plan).exists()
    done, t_import, c_import, m_import = run(True, args.profile)
    assert done.created == args.rows == Project.objects.filter(plan=plan).count()
    changes = StatusChange.objects.filter(project__plan=plan).count()
    again, t_again, c_again, m_again = run(True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, args.rows)
    assert StatusChange.objects.filter(project__plan=plan).count() == changes
    db = connection.vendor + (
        f" ({connection.settings_dict['NAME']})" if connection.vendor != "sqlite" else ""
    )
    print(
        f"rows={args.rows} db={db} status_changes={changes}\n"
        f"  preview   {t_preview:6.1f} s (CPU {c_preview:5.1f} s)  peak RSS {m_preview:4.0f} MB\n"
        f"  import    {t_import:6.1f} s (CPU {c_import:5.1f} s)  peak RSS {m_import:4.0f} MB\n"
        f"  re-import {t_again:6.1f} s (CPU {c_again:5.1f} s)  peak RSS {m_again:4.0f} MB\n"
        f"  (peak RSS before the preview: {base:.0f} MB; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
