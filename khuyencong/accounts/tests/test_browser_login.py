import pytest

from khuyencong import testing
from khuyencong.browser import browser_page, login

pytestmark = pytest.mark.browser


def test_officer_logs_in_sees_vietnamese_home_and_logs_out(live_server, base_data_transactional, settings):
    testing.province_user("Vĩnh Long", "vinhlong", "officer")
    with browser_page() as page:
        page.goto(live_server.url + "/")
        assert "/login/" in page.url
        login(page, live_server.url, "vinhlong", settings.DEMO_PASSWORD)
        page.wait_for_selector("h1")
        assert page.inner_text("h1") == "Hệ thống quản lý hoạt động khuyến công"
        assert page.get_attribute("html", "lang") == "vi"
        assert "Tỉnh Vĩnh Long" in page.inner_text("[data-testid=user-org]")
        page.screenshot(path="var/screenshot-home.png")
        page.click("text=Đăng xuất")
        page.wait_for_url("**/login/")
        assert page.is_visible("#id_username")


def test_wrong_password_shows_vietnamese_error(live_server, base_data_transactional):
    testing.province_user("Vĩnh Long", "vinhlong", "officer")
    with browser_page(width=390, height=844) as page:  # a phone
        login(page, live_server.url, "vinhlong", "mat-khau-sai")
        error = page.wait_for_selector("[data-testid=login-error]")
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in error.inner_text()
