"""Demo data, in order. Each app that has demo data provides `demo.load()` (idempotent)."""

import importlib
import importlib.util

from django.conf import settings
from django.db import transaction

DEMO_MODULES = [
    "khuyencong.beneficiaries.demo",
    "khuyencong.accounts.demo",
    "khuyencong.programs.demo",
    "khuyencong.projects.demo",
    "khuyencong.reports.demo",
    "khuyencong.awards.demo",
    "khuyencong.loans.demo",
    "khuyencong.clusters.demo",
    "khuyencong.rankings.demo",
    "khuyencong.activities.demo",
    "khuyencong.surveys.demo",
    "khuyencong.opendata.demo",
]

DEMO_USERS = [
    ("cuc", "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công — quản trị"),
    ("vinhlong", "Sở Công Thương Vĩnh Long (gồm Bến Tre cũ) — cán bộ"),
    ("vinhlong.lanhdao", "Sở Công Thương Vĩnh Long — lãnh đạo phê duyệt"),
    ("thainguyen", "Sở Công Thương Thái Nguyên (gồm Bắc Kạn cũ) — cán bộ"),
    ("coso", "Cơ sở thạch dừa Minh Tâm (Phường 6, TP Bến Tre cũ) — cơ sở"),
]


def load_base() -> None:
    """Administrative units, regions and catalogues: what every environment (tests included) needs."""
    from khuyencong.catalog.services import catalog_load_defaults
    from khuyencong.geo.services import admin_units_load, regions_load

    admin_units_load()
    regions_load()
    catalog_load_defaults()
    from khuyencong.activities.defaults import load as activities_catalogue_load

    activities_catalogue_load()


def load_demo(*, stdout=None) -> None:
    load_base()
    for name in DEMO_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        with transaction.atomic():
            module.load()
        if stdout:
            stdout.write(f"  dữ liệu mẫu: {name.split('.')[1]}")


def demo_password() -> str:
    return settings.DEMO_PASSWORD
