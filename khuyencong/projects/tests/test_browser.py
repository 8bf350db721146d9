"""In Chromium: an officer registers a đề án for an establishment, an approver appraises and approves it, the
officer records 50 % progress; the timeline shows all of it with the actors."""

import pytest

from khuyencong import testing
from khuyencong.browser import browser_page, login
from khuyencong.projects.models import Project, Status
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.browser


def _switch_user(page, url, username, password):
    page.context.clear_cookies()
    login(page, url, username, password)
    page.wait_for_selector("[data-testid=user-org]")


def _transition(page, target, fields=None):
    box = page.locator(f"[data-testid=transition-{target}]")
    box.locator("summary").click()
    for name, value in (fields or {}).items():
        field = box.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")


def test_register_approve_progress_timeline(live_server, base_data_transactional, settings):
    officer = testing.province_user("Vĩnh Long", "vl.canbo", "officer")
    officer.last_name, officer.first_name = "Trần Thị", "Bình"
    officer.save()
    testing.make_user("vl.lanhdao", officer.organisation, "approver", last_name="Lê Văn", first_name="Cường")
    plan = f.plan(officer, "Bến Tre", 2018, "national")
    est = f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Bình")
    cap_pk = f.machinery_cap().pk  # no ORM inside the browser block (Playwright runs an event loop there)
    url = live_server.url
    with browser_page() as page:
        login(page, url, "vl.canbo", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/projects/new/?plan={plan.pk}")
        page.fill("#id_code", "BT18-QG-01")
        page.fill("#id_title", "Hỗ trợ ứng dụng máy đóng gói kẹo dừa")
        page.select_option("#id_content", label="3. Mô hình trình diễn, ứng dụng máy móc")
        page.select_option("#id_support_cap", str(cap_pk))
        page.select_option("#id_establishments", str(est.pk))
        page.fill("#id_start_date", "2018-06-01")
        page.fill("#id_end_date", "2018-12-31")
        page.fill("#id_requested_national", "200 triệu")
        page.fill("#id_requested_counterpart", "250 triệu")
        page.fill("#id_effective_date", "02/04/2018")  # last year's đề án entered today, on its own dates
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if not page.locator("[data-testid=project-status]").count():
            raise AssertionError(page.inner_text("main"))
        assert "Cơ sở kẹo dừa Thanh Bình" in page.inner_text("[data-testid=beneficiaries]")
        _transition(page, "registered", {"effective_date": "02/05/2018"})
        assert page.inner_text("[data-testid=project-status]") == "Đã đăng ký"
        project_url = page.url

        _switch_user(page, url, "vl.lanhdao", settings.DEMO_PASSWORD)
        page.goto(project_url)
        _transition(
            page,
            "appraised",
            {"appraisal_result": "passed", "appraisal_notes": "Hồ sơ đầy đủ", "effective_date": "20/05/2018"},
        )
        _transition(page, "approved", {"decision_no": "125/QĐ-SCT", "decision_date": "2018-06-10"})
        assert page.inner_text("[data-testid=project-status]") == "Đã phê duyệt"

        _switch_user(page, url, "vl.canbo", settings.DEMO_PASSWORD)
        page.goto(project_url)
        _transition(
            page,
            "in_progress",
            {"progress_pct": "50", "progress_date": "2018-06-30", "note": "Đã lắp đặt 1/2 số máy"},
        )
        assert page.inner_text("[data-testid=project-status]") == "Đang thực hiện"
        assert "Tiến độ: 50 %" in page.inner_text("[data-testid=project-progress]")
        items = page.locator("[data-testid=timeline-item]").all_inner_texts()
        page.screenshot(path="var/screenshot-project.png", full_page=True)
    text = "\n".join(items)
    assert len(items) == 5  # created, registered, appraised, approved, 50 %
    assert "Đăng ký đề án" in items[1] and "Trần Thị Bình" in items[1]
    assert "Phê duyệt, giao kinh phí" in items[3] and "Lê Văn Cường" in items[3] and "125/QĐ-SCT" in items[3]
    # The approval on its decision date, with the approved money before → after.
    assert "ngày 10/06/2018" in items[3] and "ghi nhận lúc" in items[3]
    assert "Được phê duyệt — KCQG: 0 đồng → 200.000.000 đồng" in items[3]
    assert "ngày 02/05/2018" in items[1] and "ngày 20/05/2018" in items[2]
    assert "tiến độ 50 %" in items[4] and "Trần Thị Bình" in items[4] and "Đã lắp đặt 1/2 số máy" in items[4]
    assert "Thẩm định" in text
    p = Project.objects.get(code="BT18-QG-01")
    assert p.status == Status.IN_PROGRESS and p.progress_pct == 50
    assert p.fundings.get(source__code="national").approved == 200_000_000
