"""In Chromium set to English (en-US): an officer types "15/05/2017" in a date box and "250 triệu" in an
amount
box of the new-đề-án form; the date boxes are text boxes with the vendored Vietnamese calendar (not the
browser's native date input, whose format would follow its language), and the đề án page shows 15/05/2017 and
250.000.000 đồng."""

import pytest

from khuyencong import testing
from khuyencong.browser import browser_page, login
from khuyencong.projects.models import Project
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.browser


def test_officer_types_date_and_amount_in_an_english_browser(live_server, base_data_transactional, settings):
    officer = testing.province_user("Vĩnh Long", "vl.canbo", "officer")
    plan = f.plan(officer, "Bến Tre", 2017, "local")
    content_pk = f.content("1").pk  # no ORM inside the browser block (Playwright runs an event loop there)
    url = live_server.url
    with browser_page(locale="en-US") as page:
        assert page.evaluate("navigator.language") == "en-US"
        login(page, url, "vl.canbo", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/projects/new/?plan={plan.pk}")
        start = page.locator("#id_start_date")
        assert start.get_attribute("type") == "text"
        assert "vn-date" in start.get_attribute("class")

        # The calendar opens on the box, in Vietnamese (weeks start on Monday: T2).
        start.click()
        calendar = page.locator(".flatpickr-calendar.open")
        calendar.wait_for()
        weekdays = calendar.locator(".flatpickr-weekday").all_inner_texts()
        assert [w.strip() for w in weekdays] == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
        assert "Tháng" in calendar.locator(".flatpickr-monthDropdown-months").inner_text()

        # Typing works (and closes the calendar); the value stays dd/mm/yyyy.
        start.press_sequentially("15/05/2017")
        page.keyboard.press("Tab")
        assert start.input_value() == "15/05/2017"
        end = page.locator("#id_end_date")
        end.press_sequentially("31/02/2017")  # not a date: kept as typed, for the server to say why
        page.keyboard.press("Tab")
        assert end.input_value() == "31/02/2017"
        end.fill("")
        end.press_sequentially("2017-12-31")  # ISO is read and shown dd/mm/yyyy
        page.keyboard.press("Tab")
        assert end.input_value() == "31/12/2017"
        # A day picked with the mouse lands as dd/mm/yyyy too.
        end.click()
        calendar.wait_for()
        calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text="30").click()
        assert end.input_value() == "30/12/2017"
        page.keyboard.press("Escape")
        # The calendar shows the typed date's month.
        start.click()
        calendar.wait_for()
        assert calendar.locator(".flatpickr-day.selected").inner_text() == "15"
        page.wait_for_timeout(400)  # the opening animation, for the screenshot
        page.screenshot(path="var/screenshot-date-picker.png")
        assert calendar.locator(".flatpickr-monthDropdown-months option:checked").inner_text() == "Tháng năm"
        # Month and year share the header line (a long Vietnamese month name does not push the year out).
        month_box = calendar.locator(".flatpickr-monthDropdown-months").bounding_box()
        year = calendar.locator("input.cur-year")
        assert year.input_value() == "2017"
        year_box, header = year.bounding_box(), calendar.locator(".flatpickr-months").bounding_box()
        assert abs(year_box["y"] - month_box["y"]) < 10
        assert (
            header["x"] < year_box["x"] and year_box["x"] + year_box["width"] <= header["x"] + header["width"]
        )
        page.keyboard.press("Escape")

        page.fill("#id_code", "BT17-DP-01")
        page.fill("#id_title", "Tập huấn nâng cao năng lực quản lý")
        page.select_option("#id_content", str(content_pk))
        page.locator("#id_requested_local").press_sequentially("250 triệu")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if not page.locator("[data-testid=project-status]").count():
            raise AssertionError(page.inner_text("main"))
        main = page.inner_text("main")
        funding = page.inner_text("[data-testid=funding]")
        page.goto(page.url + "edit/")
        edit_start = page.input_value("#id_start_date")
        edit_amount = page.input_value("#id_requested_local")
    assert "15/05/2017 – 30/12/2017" in main
    assert "250.000.000 đồng" in funding
    assert edit_start == "15/05/2017" and edit_amount == "250.000.000"
    p = Project.objects.get(code="BT17-DP-01")
    assert str(p.start_date) == "2017-05-15"
    assert p.fundings.get(source__code="local").requested == 250_000_000
