"""In Chromium: an officer files last year's plan, picks the year (the unit list reloads with that year's
units
only), adds two batches typed "3 tỷ" and "1,2 tỷ" with dates dd/mm/yyyy, and reads 4.200 triệu assigned."""

import os

import pytest

from khuyencong import testing
from khuyencong.browser import browser_page, login
from khuyencong.projects.models import AnnualPlan

pytestmark = pytest.mark.browser


def test_officer_files_plan_and_batches(live_server, base_data_transactional, settings):
    testing.province_user("Vĩnh Long", "vl.kehoach", "officer")
    bt = testing.old_province("Bến Tre").pk
    url = live_server.url
    with browser_page() as page:
        login(page, url, "vl.kehoach", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/projects/plans/new/?year=2026")
        assert page.locator("#id_unit option").all_inner_texts()[1:] == ["Tỉnh Vĩnh Long (hiện nay)"]
        page.fill("#id_year", "2017")
        page.locator("#id_year").press("Tab")  # leaving the box fires one change: the unit list reloads
        page.wait_for_selector("#id_unit option:has-text('Tỉnh Bến Tre (trước 1/7/2025)')", state="attached")
        assert "(hiện nay)" not in " ".join(page.locator("#id_unit option").all_inner_texts())
        page.select_option("#id_unit", str(bt))
        page.select_option("#id_level", "local")
        page.fill("#id_registered_total", "4,2 tỷ")
        page.fill("#id_effective_date", "10/01/2017")
        page.click("button:has-text('Lưu')")
        page.wait_for_selector("[data-testid=plan-money]")
        for no, day, amount in (("01/QĐ-UBND", "15/02/2017", "3 tỷ"), ("02/QĐ-UBND", "20/03/2017", "1,2 tỷ")):
            page.locator("details:has([data-testid=batch-form]) summary").click()
            form = page.locator("[data-testid=batch-form]")
            form.locator("[name=decision_no]").fill(no)
            form.locator("[name=decision_date]").fill(day)
            form.locator("[name=amount_local]").fill(amount)
            form.locator("button[type=submit]").click()
            page.wait_for_selector(".alert-success")
        assert page.inner_text("[data-testid=assigned-total]") == "4.200"
        assert page.inner_text("[data-testid=plan-status]") == "Đã giao kế hoạch"
        assert "15/02/2017" in page.inner_text("[data-testid=batches]")
        if os.environ.get("KC_SHOT"):
            page.screenshot(path=os.environ["KC_SHOT"], full_page=True)
    plan = AnnualPlan.objects.get(unit_id=bt, year=2017, level="local")
    assert [b.total for b in plan.batches.order_by("number")] == [3_000_000_000, 1_200_000_000]
