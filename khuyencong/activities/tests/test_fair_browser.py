"""In Chromium: the officer creates a fair, adds three establishments with their booths by typing their names
in the searchable picker, marks the fair held; the activity page counts three participations and the
dashboard's «Lượt cơ sở tham gia hội chợ triển lãm» (programme targets and results) and its activities table
grow by three, as do the figures the periodic reports read (record_figures)."""

import datetime as dt

import pytest
from django.utils import timezone

from khuyencong import testing
from khuyencong.activities.models import ActivityKind
from khuyencong.beneficiaries.tests.factories import establishment
from khuyencong.browser import browser_page, login

pytestmark = pytest.mark.browser

NAMES = ["Cơ sở kẹo dừa Hai Tuyết", "Cơ sở bánh phồng Sơn Đốc", "HTX Thảm xơ dừa Thanh Tâm"]


def _ok(page):
    page.wait_for_load_state()
    if page.locator(".alert-danger").count():
        raise AssertionError(page.inner_text(".alert-danger"))


def _pick(page, select_id: str, typed: str, option_text: str) -> None:
    box = f"#{select_id}-ts-control"
    for _ in range(5):
        page.focus(box)
        page.wait_for_timeout(200)
        if page.evaluate(f"() => document.activeElement.id === '{select_id}-ts-control'"):
            break
    page.keyboard.type(typed, delay=30)
    page.click(f"#{select_id}-ts-dropdown .option:has-text('{option_text}')")


INDICATOR = "Lượt cơ sở tham gia hội chợ triển lãm"
FAIRS = "Hội chợ, triển lãm trong nước"


def _dashboard(page, url) -> tuple[int, int]:
    """(achieved participations in the targets table, participations in the activities table) — 0 when the
    dashboard shows no row for them."""
    page.goto(f"{url}/reports/dashboard/")
    page.wait_for_selector("table[data-table=targets]")

    def cell(table: str, label: str, index: int) -> int:
        row = page.locator(f"table[data-table={table}] tbody tr", has_text=label)
        if not row.count():
            return 0
        text = row.first.locator("td").nth(index).inner_text().strip()
        return int(text.replace(".", "") or 0)

    activities = cell("activities", FAIRS, 2) if page.locator("table[data-table=activities]").count() else 0
    return cell("targets", INDICATOR, 3), activities


def _luot(unit, start, end) -> int:
    from khuyencong.reports.record_figures import record_outputs

    return record_outputs(unit, start, end).get("luot-hoi-cho", 0)


def test_officer_creates_fair_adds_three_establishments_marks_held(
    live_server, base_data_transactional, settings
):
    testing.province_user("Vĩnh Long", "vl.hoicho", "officer")
    for name in NAMES:
        establishment("Bến Tre", name=name)
    establishment(
        "Bến Tre", name="Cơ sở kẹo dừa Hai Tuyết Chợ Lách"
    )  # a near namesake the typing must pass over
    bentre = testing.old_province("Bến Tre")
    kind = ActivityKind.objects.get(code="hoi-cho-trong-nuoc").pk
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=9), today - dt.timedelta(days=6)
    year_start = dt.date(start.year, 1, 1)
    before = _luot(bentre, year_start, today)
    url, unit_pk = live_server.url, bentre.pk
    with browser_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, url, "vl.hoicho", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        dashboard_before = _dashboard(page, url)
        page.goto(f"{url}/activities/new/")
        page.select_option("#id_kind", str(kind))
        page.fill("#id_title", "Hội chợ sản phẩm công nghiệp nông thôn tiêu biểu thử nghiệm")
        page.locator("#id_start_date").press_sequentially(start.strftime("%d/%m/%Y"))
        page.keyboard.press("Tab")
        page.locator("#id_end_date").press_sequentially(end.strftime("%d/%m/%Y"))
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        page.select_option("#id_unit", str(unit_pk))
        page.click("main button[type=submit]")
        _ok(page)
        page.wait_for_selector("[data-testid=activity-status]")
        assert page.inner_text("[data-testid=participation-count]") == "0"
        for i, name in enumerate(NAMES, start=1):
            _pick(page, "id_establishment", name, name)
            page.fill("#id_booths", str(i))
            page.click("[data-testid=participation-add]")
            _ok(page)
            assert page.inner_text("[data-testid=participation-count]") == str(i)
        rows = page.inner_text("[data-testid=participants]")
        assert all(name in rows for name in NAMES)
        assert "Cơ sở kẹo dừa Hai Tuyết Chợ Lách" not in rows
        page.click("[data-testid=transition-held]")
        _ok(page)
        assert page.inner_text("[data-testid=activity-status]") == "Đã tổ chức"
        assert page.inner_text("[data-testid=participation-count]") == "3"
        dashboard_after = _dashboard(page, url)
        assert errors == []
    assert dashboard_after == (dashboard_before[0] + 3, dashboard_before[1] + 3), (
        dashboard_before,
        dashboard_after,
    )
    assert _luot(bentre, year_start, today) == before + 3
