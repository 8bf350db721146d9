"""Issue 13's acceptance in Chromium: a province comes on board in an afternoon.

The Cục's admin creates the Sở Công Thương Cà Mau (unit found by typing "ca mau" without diacritics), its
officer and its approver in the one-form user creation; the officer logs in, must change the first password,
opens a 2019 plan, downloads the template, fills 20 đề án of 2019 in it (as an office copies its own list),
uploads it, reads the preview, confirms, and reads the 20 đề án with their statuses on the plan page; the same
file uploaded again changes nothing."""

import io
import os
from collections import Counter

import pytest
from openpyxl import load_workbook

from khuyencong import testing
from khuyencong.accounts.models import Organisation, User
from khuyencong.browser import browser_page, login
from khuyencong.projects.models import AnnualPlan, Project
from khuyencong.projects.tests.test_pickers_browser import _pick as pick

pytestmark = pytest.mark.browser

FIRST_PASSWORD = "BanDau!CaMau2026"
OWN_PASSWORD = "RiengCuaToi!2026xyz"
# The import writes row by row today (about 1 s a đề án on PostgreSQL on a busy machine): the upload and the
# confirmation may take longer than the page's default 15 s.
IMPORT_WAIT = 120_000

# (status written in the file, how many): the office's list of 2019.
STATUSES = [("Đã đăng ký", 5), ("Đã phê duyệt", 5), ("Đang thực hiện", 5), ("Đã hoàn thành", 5)]


def _shot(page, name):
    if os.environ.get("KC_SHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["KC_SHOT_DIR"], f"{name}.png"), full_page=True)


def _fill_plan_file(template: bytes) -> bytes:
    """The downloaded template with 20 rows typed in, communes taken from its «Mã hợp lệ» sheet."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Đề án"]
    headers = [c.value for c in ws[1]]
    codes = wb["Mã hợp lệ"]
    code_headers = [c.value for c in codes[1]]
    ci = code_headers.index("Xã, phường")
    communes = [
        (r[ci], r[ci + 1])
        for r in codes.iter_rows(min_row=2, values_only=True)
        if r[ci] and r[ci + 2] == "trước 1/7/2025"
    ]
    names = Counter(name for name, _d in communes)
    unique = [(n, d) for n, d in communes if names[n] == 1][:20]
    assert len(unique) == 20
    i = 0
    for status, count in STATUSES:
        for _ in range(count):
            commune, district = unique[i]
            i += 1
            month = 1 + i % 6
            row = {
                "Tên đề án": f"Hỗ trợ máy móc chế biến nông sản số {i}",
                "Nội dung hoạt động (mã 1-9)": "3",
                "Xã, phường": commune,
                "Huyện (trước 7/2025)": district,
                "Đơn vị thụ hưởng (MST hoặc tên; nhiều đơn vị cách nhau bởi ;)": f"Cơ sở chế biến Cà Mau {i}",
                "Tạo mới cơ sở chưa có (Có/Không)": "Có",
                "Ngày đăng ký": f"{10 + i % 15:02d}/{month:02d}/2019",
                "Kinh phí đề nghị hỗ trợ": "150 triệu",
                "Vốn đối ứng của cơ sở": "1,2 tỷ",
                "Trạng thái hiện tại": status,
            }
            if status != "Đã đăng ký":
                row |= {
                    "Kinh phí được phê duyệt": "120 triệu",
                    "Số quyết định phê duyệt": f"{i}/QĐ-SCT",
                    "Ngày quyết định phê duyệt": f"15/{month + 2:02d}/2019",
                }
            if status in ("Đang thực hiện", "Đã hoàn thành"):
                row |= {"Ngày của trạng thái": f"20/{month + 4:02d}/2019"}
            if status == "Đang thực hiện":
                row["Tiến độ (%)"] = "60%"
            ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_province_comes_on_board(live_server, base_data_transactional, tmp_path):
    cuc_org = testing.make_org("ministry", None, "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")
    cuc = testing.make_user("cuc.qt", cuc_org, "admin")
    url = live_server.url
    from django.conf import settings

    with browser_page() as page:
        # The Cục's admin: the organisation, found by typing the province without diacritics.
        login(page, url, cuc.username, settings.DEMO_PASSWORD)
        page.click("nav >> text=Người dùng")
        page.click("text=Tổ chức")
        page.click("[data-testid=org-new]")
        page.select_option("#id_kind", label="Sở Công Thương")
        page.fill("#id_name", "Sở Công Thương Cà Mau")
        # The unit is a searchable picker (the plain search box is hidden when it works).
        page.wait_for_selector("#id_unit-ts-control")
        assert not page.locator("[data-testid=unit-search]").is_visible()
        pick(page, "id_unit", "ca mau", "Tỉnh Cà Mau")
        assert page.eval_on_selector("#id_unit", "s => s.selectedOptions[0].textContent").startswith(
            "Tỉnh Cà Mau"
        )
        page.fill("#id_phone", "0290 3831 000")
        assert (
            page.locator("#id_parent option").first.inner_text()
            == "— không có (chỉ Trung tâm Khuyến công cần) —"
        )
        assert "Select" not in page.inner_text("main")
        _shot(page, "01-org-form")
        page.click("button:has-text('Lưu')")
        assert "Đã tạo tổ chức «Sở Công Thương Cà Mau»" in page.inner_text(".alert-success")
        # Its officer and its approver, each in one form with a first password.
        for username, full_name, role in (
            ("cm.canbo", "Nguyễn Thị Hồng", "Cán bộ nghiệp vụ"),
            ("cm.lanhdao", "Trần Văn Minh", "Lãnh đạo phê duyệt"),
        ):
            page.goto(f"{url}/accounts/users/")
            page.click("[data-testid=user-new]")
            page.fill("#id_full_name", full_name)
            page.fill("#id_username", username)
            page.fill("#id_email", f"{username}@camau.gov.vn")
            page.select_option("#id_organisation", label="Sở Công Thương Cà Mau")
            page.select_option("#id_role", label=role)
            page.fill("#id_password", FIRST_PASSWORD)
            _shot(page, f"02-user-{username}")
            page.click("button:has-text('Lưu')")
            assert page.inner_text("h1") == f"Đã tạo người dùng «{username}»"
            assert "phải đổi mật khẩu" in page.inner_text("main")
        # A third one without a password: a one-time link to give them.
        page.goto(f"{url}/accounts/users/new/")
        assert page.locator("#id_organisation option").first.inner_text() == "— chọn tổ chức —"
        page.fill("#id_full_name", "Lê Văn Xem")
        page.fill("#id_username", "cm.xem")
        page.select_option("#id_organisation", label="Sở Công Thương Cà Mau")
        page.select_option("#id_role", label="Xem")
        page.click("button:has-text('Lưu')")
        link = page.inner_text("[data-testid=set-password-link] code")
        assert link.startswith(f"{url}/set-password/")
        page.click("text=Đăng xuất")
        page.goto(link)
        page.fill("#id_new_password1", OWN_PASSWORD)
        page.fill("#id_new_password2", OWN_PASSWORD)
        page.click("button:has-text('Lưu mật khẩu')")
        page.wait_for_url(f"{url}/login/")
        assert "Đã đặt mật khẩu cho tài khoản «cm.xem»" in page.inner_text(".alert-success")
        login(page, url, "cm.xem", OWN_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        assert "/password-change/" not in page.url
        page.click("text=Đăng xuất")

        # The officer: first login asks for a new password.
        login(page, url, "cm.canbo", FIRST_PASSWORD)
        page.wait_for_url(f"{url}/password-change/")
        assert "lần đăng nhập đầu tiên" in page.inner_text("main")
        _shot(page, "03-password-change")
        page.fill("#id_old_password", FIRST_PASSWORD)
        page.fill("#id_new_password1", OWN_PASSWORD)
        page.fill("#id_new_password2", OWN_PASSWORD)
        page.click("button:has-text('Lưu mật khẩu mới')")
        assert "Đã đổi mật khẩu" in page.inner_text("main")

        # A plan of 2019 (the province of then: Cà Mau before 1/7/2025).
        page.goto(f"{url}/projects/plans/new/?year=2019")
        page.select_option("#id_unit", label="Tỉnh Cà Mau (trước 1/7/2025)")
        page.select_option("#id_level", "local")
        page.fill("#id_effective_date", "05/01/2019")
        page.click("button:has-text('Lưu')")
        page.wait_for_selector("[data-testid=plan-money]")
        plan_url = page.url
        page.click("[data-testid=plan-import]")
        with page.expect_download() as info:
            page.click("[data-testid=template]")
        info.value.save_as(tmp_path / "mau.xlsx")
        template = (tmp_path / "mau.xlsx").read_bytes()
        wb = load_workbook(io.BytesIO(template))
        assert wb.sheetnames == ["Đề án", "Hướng dẫn", "Mã hợp lệ"]
        headers = [c.value for c in wb["Đề án"][1]]
        assert headers[:3] == ["Mã đề án", "Tên đề án", "Nội dung hoạt động (mã 1-9)"]
        assert "Kinh phí đề nghị hỗ trợ" in headers and "Trạng thái hiện tại" in headers
        assert "Số tiền ghi kèm đơn vị" in " ".join(str(r[0].value) for r in wb["Hướng dẫn"].iter_rows())
        filled = tmp_path / "de-an-ca-mau-2019.xlsx"
        filled.write_bytes(_fill_plan_file(template))

        page.set_input_files("input[name=file]", str(filled))
        page.click("[data-testid=import-upload]", timeout=IMPORT_WAIT)
        preview = page.inner_text("[data-testid=import-preview]")
        _shot(page, "04-preview")
        assert preview.startswith("Sẽ nhập 20 dòng: 20 đề án mới, 0 đề án thay đổi"), preview
        page.click("[data-testid=import-confirm]", timeout=IMPORT_WAIT)
        page.wait_for_url(plan_url, timeout=IMPORT_WAIT)
        _shot(page, "05-plan")
        assert "Đã nhập 20 dòng: 20 đề án mới" in page.inner_text(".alert-success")
        shown = Counter(page.locator("[data-testid=projects] [data-testid=status]").all_inner_texts())
        assert shown == {"Đã đăng ký": 5, "Đã phê duyệt": 5, "Đang thực hiện": 5, "Đã hoàn thành": 5}
        assert page.locator("[data-testid=summary] li").all_inner_texts() == [
            "05/20 đề án đã hoàn thành",
            "05/20 đề án đã hoàn thành được 60% khối lượng công việc",
            "10/20 đề án chưa thực hiện",
        ]

        # The same file again: nothing to change.
        page.click("[data-testid=plan-import]")
        page.set_input_files("input[name=file]", str(filled))
        page.click("[data-testid=import-upload]", timeout=IMPORT_WAIT)
        again = page.inner_text("[data-testid=import-preview]")
        _shot(page, "06-again")
        assert again == "Sẽ nhập 20 dòng: 0 đề án mới, 0 đề án thay đổi, 20 đề án không thay đổi."
        assert "không cần nhập" in page.inner_text("[data-testid=import-nothing]")
        assert page.locator("[data-testid=import-confirm]").count() == 0

    org = Organisation.objects.get(name="Sở Công Thương Cà Mau")
    assert org.history.first().history_user == cuc
    officer = User.objects.get(username="cm.canbo")
    assert not officer.must_change_password and officer.check_password(OWN_PASSWORD)
    assert User.objects.get(username="cm.lanhdao").role == "approver"
    assert not User.objects.get(username="cm.xem").must_change_password
    plan = AnnualPlan.objects.get(year=2019, unit__short_name="Cà Mau", unit__era="old")
    assert Project.objects.filter(plan=plan).count() == 20
