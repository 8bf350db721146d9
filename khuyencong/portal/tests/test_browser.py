"""In Chromium: the establishment answers the demand survey, then submits an application with a quotation
attached (the caps checked while it types); the officer accepts it; the establishment sees it as a
registered đề án of next year's plan."""

import datetime as dt

import pytest
from django.utils import timezone

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import minh_tam
from khuyencong.browser import browser_page, login
from khuyencong.catalog.models import ActivityContent
from khuyencong.projects.models import Status
from khuyencong.surveys import services as survey_services
from khuyencong.surveys.models import CampaignStatus, Response

from ..models import Application

pytestmark = pytest.mark.browser


def _as(page, url, username, password):
    page.context.clear_cookies()
    login(page, url, username, password)
    page.wait_for_selector("[data-testid=user-org]")


def _ok(page):
    page.wait_for_load_state()
    if page.locator(".alert-danger").count():
        raise AssertionError(page.inner_text(".alert-danger"))


def test_survey_apply_accept(live_server, base_data_transactional, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    year = today.year + 1
    officer = testing.province_user("Vĩnh Long", "vl.canbo", "officer")
    own = minh_tam()
    testing.make_user(
        "coso.mt", testing.make_org("establishment", None, own.name, establishment=own), "officer"
    )
    c = survey_services.campaign_create(
        actor=officer,
        unit=testing.current_province("Vĩnh Long"),
        title=f"Khảo sát nhu cầu năm {year}",
        plan_year=year,
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    c = survey_services.campaign_transition(
        actor=officer, campaign=c, to_status=CampaignStatus.OPEN, expected_version=c.version
    )
    survey_services.invitations_create(actor=officer, campaign=c, establishments=[own])
    content = ActivityContent.objects.valid_on(today).filter(code="3").first()
    quote = tmp_path / "bao-gia.pdf"
    quote.write_bytes(b"%PDF-1.4\n% bao gia may chiet rot\n")
    url, password = live_server.url, settings.DEMO_PASSWORD
    title = "Hỗ trợ máy chiết rót nước màn dừa"
    with browser_page() as page:
        _as(page, url, "coso.mt", password)
        page.goto(f"{url}/portal/")
        page.click("[data-testid=open-surveys] a")
        page.select_option("#id_noi_dung", "3")
        page.fill("#id_nhu_cau", "Máy chiết rót, đóng nắp chai")
        page.fill("#id_kinh_phi", "150 triệu")
        page.fill("#id_doi_ung", "200 triệu")
        page.click("[data-testid=send-survey]")
        _ok(page)
        assert Response.objects.filter(invitation__establishment=own, on_paper=False).exists()

        page.click("[data-testid=new-application]")
        page.select_option("#id_content", str(content.pk))
        page.fill("#id_title", title)
        page.fill("#id_items", "Máy chiết rót, máy đóng nắp")
        page.fill("#id_requested", "150 triệu")
        page.fill("#id_counterpart", "200 triệu")
        page.wait_for_selector("[data-testid=cap-check]")
        assert "Trong mức hỗ trợ tối đa" in page.inner_text("[data-testid=cap-check]")
        page.click("main button:has-text('Lưu đăng ký')")
        _ok(page)
        page.select_option("#id_kind", "quotation")
        page.set_input_files("#id_file", str(quote))
        page.click("main button:has-text('Đính kèm')")
        _ok(page)
        assert "bao-gia.pdf" in page.inner_text("[data-testid=attachments]")
        page.click("[data-testid=submit-application]")
        _ok(page)
        assert page.inner_text("[data-testid=app-status]") == "Đã gửi, chờ xem xét"

        _as(page, url, "vl.canbo", password)
        page.goto(f"{url}/portal/queue/")
        page.click("[data-testid=queue] a")
        page.select_option("#id_to_status", "accepted")
        page.fill("#id_note", "Hồ sơ đầy đủ")
        page.click("[data-testid=review-application]")
        _ok(page)

        _as(page, url, "coso.mt", password)
        page.goto(f"{url}/portal/")
        projects = page.inner_text("[data-testid=own-projects]")
        assert title in projects and "Đã đăng ký" in projects and str(year) in projects
        assert "tiếp nhận" in page.inner_text("[data-testid=notifications]")
    app = Application.objects.get(title=title)
    assert app.project.status == Status.REGISTERED and app.project.plan.year == year
