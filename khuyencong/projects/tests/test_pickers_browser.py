"""In Chromium: the officer opens the đề án form, picks the plan (its next code comes in), picks the province
and then a commune by typing "phuong 6", an establishment by its tax code and a new one made on the spot
(«Tạo mới»), saves; the đề án page shows the commune, both beneficiaries and who acts next."""

import pytest

from khuyencong import testing
from khuyencong.browser import browser_page, login
from khuyencong.core.audit import save_audited
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.browser


def _focus(page, select_id: str) -> None:
    """Go into a picker's box (as Tab would) and let it settle: Tom Select moves the focus back to the last
    picker in a moment after a pick (a deferred focus); keys typed in that moment would be lost."""
    box = f"#{select_id}-ts-control"
    for _ in range(5):
        page.focus(box)
        page.wait_for_timeout(200)
        if page.evaluate(f"() => document.activeElement.id === '{select_id}-ts-control'"):
            return
    raise AssertionError(f"{select_id} does not keep the focus")


def _pick(page, select_id: str, typed: str, option_text: str) -> None:
    """Type into a picker and click the option holding `option_text`."""
    _focus(page, select_id)
    page.keyboard.type(typed, delay=30)
    page.click(f"#{select_id}-ts-dropdown .option:has-text('{option_text}')")


def _collect_errors(page) -> list[str]:
    """Script errors and console errors (a CSP refusal is one) seen by the page."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
        ),
    )
    return errors


def test_officer_picks_commune_and_establishments(live_server, base_data_transactional, settings):
    officer = testing.province_user("Vĩnh Long", "vl.picker", "officer")
    f.plan(officer, "Bến Tre", 2018, "local")
    national = f.plan(officer, "Bến Tre", 2018, "national")
    est = f.establishment("Bến Tre", name="Cơ sở thạch dừa Minh Tâm")
    est.tax_code = "1300000027"
    save_audited(est, actor=None, reason="test")
    for n in range(1, 4):
        f.establishment("Bến Tre", name=f"Cơ sở kẹo dừa số {n}")
    url = live_server.url
    with browser_page() as page:
        errors = _collect_errors(page)
        login(page, url, "vl.picker", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/projects/new/")
        page.wait_for_selector("#id_commune-ts-control")
        # The plan brings its next code (per plan and year) into the editable code box.
        page.select_option("#id_plan", str(national.pk))
        page.wait_for_function("() => document.querySelector('#id_code').value === 'KCQG-2018-01'")
        # Province first: cleared, the commune list empties; picked again, its communes come back.
        page.click("#id_province + .ts-wrapper .clear-button")
        communes = "() => Object.keys(document.querySelector('#id_commune').tomselect.options).length"
        page.wait_for_function(f"{communes} === 0")
        _pick(page, "id_province", "vinh long", "Tỉnh Vĩnh Long")
        page.wait_for_function(f"{communes} > 100")
        _pick(page, "id_commune", "phuong 6", "Phường 6 — Thành phố Bến Tre, Tỉnh Bến Tre (trước 1/7/2025)")
        # An establishment by its tax code (searched on the server, scoped), then a new one made inline.
        _pick(page, "id_establishments", "1300000027", "Cơ sở thạch dừa Minh Tâm")
        _focus(page, "id_establishments")
        page.keyboard.type("Cơ sở bánh tráng Mỹ Lồng", delay=20)
        page.click("#id_establishments-ts-dropdown .create")
        box = page.locator("[data-testid=establishment-create]")
        box.wait_for(state="visible")
        assert box.locator("#qc-name").input_value() == "Cơ sở bánh tráng Mỹ Lồng"
        _pick(page, "qc-commune", "phuong 6 ben tre", "Phường 6 — Thành phố Bến Tre")
        box.locator("[data-qc-save]").click()
        box.wait_for(state="hidden")
        chosen = page.locator("#id_establishments + .ts-wrapper .item").all_inner_texts()
        assert any("Cơ sở thạch dừa Minh Tâm (MST 1300000027)" in t for t in chosen), chosen
        assert any("Cơ sở bánh tráng Mỹ Lồng" in t for t in chosen), chosen

        page.fill("#id_title", "Hỗ trợ máy đóng gói thạch dừa")
        page.select_option("#id_content", label="3. Mô hình trình diễn, ứng dụng máy móc")
        page.fill("#id_requested_national", "150 triệu")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if not page.locator("[data-testid=project-status]").count():
            raise AssertionError(page.inner_text("main"))
        main = page.inner_text("main")
        assert "KCQG-2018-01 — Hỗ trợ máy đóng gói thạch dừa" in main
        assert "Phường 6, Thành phố Bến Tre, Tỉnh Bến Tre" in main
        beneficiaries = page.inner_text("[data-testid=beneficiaries]")
        assert "Cơ sở thạch dừa Minh Tâm" in beneficiaries and "Cơ sở bánh tráng Mỹ Lồng" in beneficiaries
        assert page.inner_text("[data-testid=next-actor]") == (
            "Chờ cán bộ Sở Công Thương Vĩnh Long đăng ký đề án"
        )
        assert errors == []


def test_admin_picks_an_organisations_unit_by_typing(live_server, base_data_transactional, settings):
    """The organisation form's unit: one searchable picker (the separate search box is hidden)."""
    from khuyencong.geo.models import AdminUnit

    org = testing.make_org("ministry", None, "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")
    testing.make_user("cuc.picker", org, "admin")
    phuong6 = AdminUnit.objects.get(era="old", level=3, name="Phường 6", parent__name="Thành phố Bến Tre")
    url = live_server.url
    with browser_page() as page:
        errors = _collect_errors(page)
        login(page, url, "cuc.picker", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/accounts/organisations/new/")
        page.wait_for_selector("#id_unit-ts-control")
        assert not page.locator("[data-testid=unit-search]").is_visible()
        _pick(page, "id_unit", "phuong 6 ben tre", "Phường 6, Thành phố Bến Tre (trước 1/7/2025)")
        assert page.locator("#id_unit").input_value() == str(phuong6.pk)
        assert errors == []
