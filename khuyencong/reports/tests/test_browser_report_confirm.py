"""In Chromium: sending a report asks first (static/js/app.js reads data-confirm) and says what happens
next; dismissing leaves the report as it was, accepting sends it."""

import pytest

from khuyencong.browser import browser_page, login

pytestmark = pytest.mark.browser


def test_sending_a_report_asks_for_confirmation(live_server, base_data_transactional, settings):
    from khuyencong import testing
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.accounts.models import User
    from khuyencong.reports.models import Report
    from khuyencong.reports.periods import HALF, Period
    from khuyencong.reports.services import report_create, report_transition

    accounts_demo.load()
    cuc = User.objects.get(username="cuc")
    report = report_create(
        actor=cuc, unit=testing.current_province("Vĩnh Long"), period=Period.make(HALF, 2019)
    )
    report_transition(actor=cuc, report_id=report.pk, to_status="prepared", expected_version=report.version)
    with browser_page() as page:
        login(page, live_server.url, "vinhlong.lanhdao", settings.DEMO_PASSWORD)
        page.wait_for_selector("h1")
        page.goto(f"{live_server.url}/reports/{report.pk}/")
        asked = []

        def answer(accept):
            def handler(dialog):
                asked.append(dialog.message)
                if accept:
                    dialog.accept()
                else:
                    dialog.dismiss()

            return handler

        page.once("dialog", answer(False))
        page.click("button:has-text('Duyệt và gửi Cục')")
        page.wait_for_timeout(300)
        assert asked and "Báo cáo sẽ được gửi lên Cục" in asked[0] and "không sửa được nữa" in asked[0]
        assert Report.objects.get(pk=report.pk).status == "prepared"
        page.once("dialog", answer(True))
        with page.expect_navigation():
            page.click("button:has-text('Duyệt và gửi Cục')")
        assert "Sở đã duyệt và gửi Cục" in page.inner_text("[data-testid=report-status]")
        assert Report.objects.get(pk=report.pk).status == "submitted"
        assert "Sửa nội dung" not in page.content()
