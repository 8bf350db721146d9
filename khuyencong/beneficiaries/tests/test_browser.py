"""In Chromium: the Cục picks a province, the commune list loads (htmx) with old and current units, the new
establishment is saved; the list finds it without diacritics; a duplicate tax code is refused next to the
field."""

import pytest

from khuyencong import testing
from khuyencong.beneficiaries.models import Establishment
from khuyencong.beneficiaries.validators import make_tax_code
from khuyencong.browser import browser_page, login

pytestmark = pytest.mark.browser


def test_create_with_commune_list_then_search(live_server, base_data_transactional, settings):
    org = testing.make_org("ministry", None, "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")
    testing.make_user("cuc.browser", org, "admin")
    vinh_long = testing.current_province("Vĩnh Long")
    province_pk = vinh_long.pk
    tax_code = make_tax_code("13", 8080)
    url = live_server.url
    with browser_page() as page:
        login(page, url, "cuc.browser", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/establishments/new/")
        page.fill("#id_name", "Cơ sở kẹo dừa Tư Lành")
        page.select_option("#id_establishment_type", label="HKD — Hộ kinh doanh")
        page.fill("#id_tax_code", tax_code)
        page.select_option("#id_province", str(province_pk))
        page.wait_for_function("() => document.querySelectorAll('#id_commune option').length > 100")
        page.select_option(
            "#id_commune", label="Xã Phước Long — Huyện Giồng Trôm, Tỉnh Bến Tre (trước 1/7/2025)"
        )
        page.check("#id_woman_owned")
        page.click("main button[type=submit]")
        page.wait_for_selector("[data-testid=establishment]")
        detail = page.inner_text("main")
        assert tax_code in detail and "Tỉnh Vĩnh Long" in detail and "Phụ nữ làm chủ" in detail

        page.goto(f"{url}/establishments/?q=keo+dua+tu+lanh")
        rows = page.locator("[data-testid=establishments] tbody tr").all_inner_texts()
        assert len(rows) == 1 and "Cơ sở kẹo dừa Tư Lành" in rows[0]

        page.goto(f"{url}/establishments/new/")
        page.fill("#id_name", "Cơ sở khác")
        page.select_option("#id_establishment_type", label="HKD — Hộ kinh doanh")
        page.fill("#id_tax_code", tax_code)
        page.select_option("#id_province", str(province_pk))
        page.wait_for_function("() => document.querySelectorAll('#id_commune option').length > 100")
        page.select_option(
            "#id_commune", label="Xã Phước Long — Huyện Giồng Trôm, Tỉnh Bến Tre (trước 1/7/2025)"
        )
        page.click("main button[type=submit]")
        page.wait_for_selector("[data-testid=field-error]")
        errors = page.locator("[data-testid=field-error]").all_inner_texts()
    assert any(
        f"Mã số thuế {tax_code} đã có trong hệ thống" in e and "Cơ sở kẹo dừa Tư Lành" in e for e in errors
    )
    assert Establishment.objects.count() == 1
