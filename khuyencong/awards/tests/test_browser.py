"""In Chromium: an establishment user enters a product with 3 photos and submits it; the officer closes
registration and forwards the dossiers to the council; two jurors score it; the approver decides the results;
the product appears in the public catalogue with its certificate; the officer then forwards it, with the
same dossier, to the open regional round (liên thông)."""

import datetime as dt

import pytest
from django.utils import timezone

from khuyencong import testing
from khuyencong.awards.demo import png_bytes
from khuyencong.beneficiaries.tests.factories import establishment
from khuyencong.browser import browser_page, login
from khuyencong.geo.models import Region

from .. import services
from ..models import AwardLevel, Certificate, Entry, RoundStatus

pytestmark = pytest.mark.browser


def _as(page, url, username, password):
    page.context.clear_cookies()
    login(page, url, username, password)
    page.wait_for_selector("[data-testid=user-org]")


def _ok(page):
    page.wait_for_load_state()
    if page.locator(".alert-danger").count():
        raise AssertionError(page.inner_text(".alert-danger"))


def test_enter_score_decide_publish(live_server, base_data_transactional, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    officer = testing.province_user("Vĩnh Long", "vl.canbo", "officer")
    testing.make_user("vl.lanhdao", officer.organisation, "approver")
    own = establishment("Bến Tre", name="Cơ sở kẹo dừa Hai Tuyết")
    testing.make_user(
        "coso.haituyet", testing.make_org("establishment", None, own.name, establishment=own), "viewer"
    )
    r = services.round_create(
        actor=officer,
        title="Bình chọn sản phẩm CNNT tiêu biểu thử nghiệm",
        level=AwardLevel.PROVINCE,
        year=today.year,
        unit=testing.old_province("Bến Tre"),
        registration_start=today - dt.timedelta(days=5),
        registration_end=today + dt.timedelta(days=30),
        scoring_start=today - dt.timedelta(days=2),
        scoring_end=today + dt.timedelta(days=30),
        quota=5,
    )
    services.round_transition(
        actor=officer, award_round=r, to_status=RoundStatus.OPEN, expected_version=r.version
    )
    jurors = []
    for name in ("gk.mot", "gk.hai"):
        user = testing.make_user(name, officer.organisation, "viewer", last_name="Giám khảo", first_name=name)
        services.juror_add(actor=officer, award_round=r, user=user)
        jurors.append(name)
    cuc = testing.make_user("cuc.admin", testing.make_org("ministry", None, "Cục Khuyến công"), "admin")
    regional = services.round_create(
        actor=cuc,
        title="Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Nam thử nghiệm",
        level=AwardLevel.REGION,
        year=today.year,
        region=Region.objects.get(code="phia-nam"),
        registration_start=today,
        registration_end=today + dt.timedelta(days=30),
        scoring_start=today + dt.timedelta(days=31),
        scoring_end=today + dt.timedelta(days=40),
        quota=10,
    )
    services.round_transition(
        actor=cuc, award_round=regional, to_status=RoundStatus.OPEN, expected_version=regional.version
    )
    photos = []
    for i in range(3):
        path = tmp_path / f"anh-{i}.png"
        path.write_bytes(png_bytes((40 * i, 120, 60)))
        photos.append(str(path))
    url, password, pk = live_server.url, settings.DEMO_PASSWORD, r.pk
    until = (Certificate.end_date(today, r.validity_years)).strftime("%d/%m/%Y")
    with browser_page() as page:
        _as(page, url, "coso.haituyet", password)
        page.goto(f"{url}/awards/rounds/{pk}/entries/new/")
        page.fill("#id_name", "Kẹo dừa sữa Hai Tuyết")
        page.select_option("#id_establishment", label=own.name)
        page.select_option("#id_group", "food")
        page.click("main button:has-text('Đăng ký')")
        _ok(page)
        for path in photos:
            page.set_input_files("#id_file", path)
            page.click("main button:has-text('Tải lên')")
            _ok(page)
        assert page.locator("[data-testid=files] li").count() == 3
        page.click("main button:has-text('Nộp hồ sơ')")
        _ok(page)
        assert page.inner_text("[data-testid=entry-status]") == "Đã nộp hồ sơ"
        entry_url = page.url

        _as(page, url, "vl.canbo", password)
        page.goto(f"{url}/awards/rounds/{pk}/")
        page.click("main button:has-text('Kết thúc nhận hồ sơ')")
        _ok(page)
        assert page.inner_text("[data-testid=round-status]") == "Đang chấm điểm"

        for name, points in zip(jurors, (("36", "36", "9", "9"), ("34", "34", "8", "8")), strict=True):
            _as(page, url, name, password)
            page.goto(entry_url)
            for field, value in zip(page.locator("main input[name^=c_]").all(), points, strict=True):
                field.fill(value)
            page.click("main button:has-text('Lưu phiếu chấm')")
            _ok(page)
            assert page.locator("[data-testid=sheets] tbody tr").count() == 1  # only their own

        _as(page, url, "vl.lanhdao", password)
        page.goto(f"{url}/awards/rounds/{pk}/")
        page.fill("input[name=decision_no]", "77/QĐ-UBND")
        page.fill("input[name=decision_date]", today.strftime("%d/%m/%Y"))
        page.click("main button:has-text('Quyết định công nhận')")
        _ok(page)
        assert "Được công nhận" in page.inner_text("[data-testid=entries]")

        page.context.clear_cookies()
        page.goto(f"{url}/san-pham-tieu-bieu/?q=keo dua hai tuyet")
        table = page.inner_text("[data-testid=public-products]")
        assert "Kẹo dừa sữa Hai Tuyết" in table and "số 77/QĐ-UBND/01" in table
        assert page.locator("[data-testid=public-products] img").count() == 1
        page.click("[data-testid=public-products] a:has-text('Kẹo dừa sữa Hai Tuyết')")
        page.wait_for_load_state()
        body = page.inner_text("main")
        assert "77/QĐ-UBND/01" in body and until in body
        assert page.locator("main img").count() == 3  # public photos once recognised

        # liên thông: the officer forwards the recognised product to the open regional round
        _as(page, url, "vl.canbo", password)
        page.goto(f"{url}/awards/rounds/{pk}/")
        page.check("input[name=entries]")
        page.select_option("select[name=target]", label=regional.title)
        page.fill("input[name=registered_on]", today.strftime("%d/%m/%Y"))
        page.click("main button:has-text('Chuyển sản phẩm đã chọn lên')")
        _ok(page)
        assert "Đã chuyển 1 sản phẩm lên" in page.inner_text("main")
    moved = Entry.objects.get(round=regional)
    assert moved.product.name == "Kẹo dừa sữa Hai Tuyết" and moved.status == "submitted"
    assert moved.forwarded_from.certificate.number == "77/QĐ-UBND/01"
    assert moved.product.files.filter(kind="photo").count() == 3  # the same dossier travels up
