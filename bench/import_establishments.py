"""Benchmark: import a 10.000-row establishments file (all-or-nothing Excel import), then re-import it.

    .venv/bin/python bench/import_establishments.py            # throwaway SQLite file under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench .venv/bin/python bench/import_establishments.py

Runs migrate and load_base() on that database first (the SQLite file is recreated each run), builds the file
with the import template's columns over the old communes of Bến Tre, Trà Vinh, Vĩnh Long (with district) and
current communes of Vĩnh Long (without), as a Vĩnh Long officer would, and prints the times.
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "/tmp/kc_bench_import_establishments.sqlite3"
if not os.environ.get("DATABASE_URL"):
    for suffix in ("", "-wal", "-shm"):
        Path(DEFAULT_DB + suffix).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402
from django.core.management import call_command  # noqa: E402

from khuyencong import testing  # noqa: E402
from khuyencong.beneficiaries import imports  # noqa: E402
from khuyencong.beneficiaries.models import Establishment  # noqa: E402
from khuyencong.beneficiaries.validators import make_tax_code  # noqa: E402
from khuyencong.core.demo import load_base  # noqa: E402
from khuyencong.geo.models import AdminUnit  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
TYPES = ["HKD", "HKD", "HTX", "DN", "THT"]
SECTORS = [
    "Chế biến nông, lâm, thủy sản và thực phẩm",
    "Thủ công mỹ nghệ",
    "Sản xuất vật liệu xây dựng",
    "Cơ khí, sản xuất thiết bị, máy móc, phụ tùng",
    "Ngành nghề khác",
]
PRODUCTS = [
    "Kẹo dừa",
    "Thạch dừa",
    "Chỉ xơ dừa",
    "Bánh tráng",
    "Gốm đỏ",
    "Đan lục bình",
    "Máy sấy",
    "Nước mắm",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Thạch", "Đặng"]


def communes():
    """(commune, district, province) names: old units with their district, current ones without."""
    vl = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")
    out = []
    for u in (
        AdminUnit.objects.filter(level=3, era="old", current_province=vl)
        .select_related("parent", "parent__parent")
        .order_by("code")
    ):
        out.append((u.name, u.parent.name, u.parent.parent.name))
    for u in AdminUnit.objects.filter(level=3, era="current", current_province=vl).select_related("parent"):
        out.append((u.name, "", u.parent.name))
    # keep only names that are unambiguous in their district/province (as a real file would be)
    seen = {}
    for c in out:
        key = (imports.unit_key(c[0]), imports.unit_key(c[1]), imports.unit_key(c[2]))
        seen[key] = seen.get(key, 0) + 1
    return [
        c for c in out if seen[(imports.unit_key(c[0]), imports.unit_key(c[1]), imports.unit_key(c[2]))] == 1
    ]


def build_file(n: int) -> bytes:
    places = communes()
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Cơ sở CNNT")
    ws.write_row(0, 0, imports.HEADERS)
    keys = [k for _, k in imports.COLUMNS]
    for i in range(n):
        commune, district, province = places[i % len(places)]
        values = {
            "name": f"Cơ sở {PRODUCTS[i % len(PRODUCTS)].lower()} số {i + 1}",
            "establishment_type": TYPES[i % len(TYPES)],
            "tax_code": make_tax_code("13", 2_000_000 + i * 3),
            "business_reg_no": f"55A{800000 + i}",
            "business_reg_date": f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2000 + i % 25}",
            "representative_name": f"{SURNAMES[i % len(SURNAMES)]} Văn {i}",
            "representative_gender": "Nữ" if i % 3 == 0 else "Nam",
            "woman_owned": "Có" if i % 3 == 0 else "Không",
            "ethnic_minority_owned": "Có" if i % 11 == 0 else "Không",
            "street": f"Số {i % 300 + 1}, ấp {i % 9 + 1}",
            "commune_name": commune,
            "district_name": district,
            "province_name": province,
            "sector": SECTORS[i % len(SECTORS)],
            "main_products": PRODUCTS[i % len(PRODUCTS)],
            "employees": 3 + i % 90,
            "founded_year": 1990 + i % 35,
            "phone": f"0275 {3800000 + i}",
            "email": "",
            "craft_village": "",
            "notes": "",
        }
        ws.write_row(i + 1, 0, [values[k] for k in keys])
    wb.close()
    return buf.getvalue()


def main() -> None:
    db = os.environ["DATABASE_URL"]
    print(f"Cơ sở dữ liệu: {db.split('@')[-1]}")
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_base()
    print(f"migrate + load_base: {time.perf_counter() - t:.1f} s")
    officer = (
        testing.province_user("Vĩnh Long", "bench.officer", "officer")
        if not testing.User.objects.filter(username="bench.officer").exists()
        else testing.User.objects.get(username="bench.officer")
    )
    Establishment.objects.filter(tax_code__startswith="13").delete()
    t = time.perf_counter()
    content = build_file(ROWS)
    print(f"tạo tệp {ROWS} dòng: {time.perf_counter() - t:.2f} s ({len(content) / 1e6:.1f} MB)")

    t = time.perf_counter()
    result = imports.establishment_import(actor=officer, content=content, filename="bench.xlsx")
    first = time.perf_counter() - t
    print(f"nhập lần 1: {first:.2f} s — {result.message}")
    t = time.perf_counter()
    again = imports.establishment_import(actor=officer, content=content, filename="bench.xlsx")
    second = time.perf_counter() - t
    print(f"nhập lại: {second:.2f} s — {again.message}")
    assert result.created == ROWS and again.unchanged == ROWS
    assert Establishment.objects.count() >= ROWS and Establishment.history.count() >= ROWS
    print(f"RESULT rows={ROWS} import_s={first:.2f} reimport_s={second:.2f} limit_s=20")


if __name__ == "__main__":
    main()
