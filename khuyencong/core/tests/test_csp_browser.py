"""In Chromium, under the enforced Content-Security-Policy: a programme target named like a script breakout
fires no dialog on the province's dashboard, the charts still draw (the CSP blocks nothing of ours), and the
behaviours moved out of inline handlers (language switch, "use the previous text", back link) still work."""

import pytest

from khuyencong import testing
from khuyencong.browser import browser_page, login

pytestmark = pytest.mark.browser

TARGET = "</script><img src=x onerror=alert(3)>"
EST = '"><svg onload=alert(1)>'

# Records every CSP violation the page sees (the listener is installed before any page script runs).
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":"
                    + e.lineNumber);
});
"""


@pytest.fixture
def province(live_server, base_data_transactional, settings):
    from khuyencong.beneficiaries.tests import factories as est_factories
    from khuyencong.catalog.models import OutputIndicator
    from khuyencong.programs import services as prog_services
    from khuyencong.programs.tests.factories import make_program
    from khuyencong.reports.periods import HALF, Period
    from khuyencong.reports.tests.factories import make_report

    officer = testing.province_user("Vĩnh Long", "vl.csp", "officer")
    program = make_program(
        officer,
        title="Chương trình khuyến công 2016-2020",
        year_from=2016,
        year_to=2020,
        phases=(("2016-2020", 2016, 2020),),
    )
    prog_services.target_create(
        actor=officer,
        program=program,
        name=TARGET,
        unit="cơ sở",
        indicator=OutputIndicator.objects.order_by("code").first(),
        values={"2016-2020": 40},
    )
    est = est_factories.establishment(name=EST, actor=officer)
    make_report(officer, period=Period.make(HALF, 2015), results="Kết quả kỳ trước: 12 đề án.")
    report = make_report(officer, period=Period.make(HALF, 2016), copy_previous=False)
    return {
        "url": live_server.url,
        "password": settings.DEMO_PASSWORD,
        "province": est.province_id,
        "est": est.pk,
        "report": report.pk,
        "program": program.pk,
    }


def _open(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate("() => window.__csp")


def test_dashboard_with_a_payload_target_fires_nothing_and_draws(province):
    with browser_page() as page:
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(WATCH_CSP)
        login(page, province["url"], "vl.csp", province["password"])
        page.wait_for_selector("[data-testid=user-org]")

        url = (
            f"{province['url']}/reports/dashboard/?province={province['province']}"
            "&year_from=2018&year_to=2018"
        )
        assert _open(page, url) == []
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-targets') !== undefined")
        labels = page.evaluate("() => Chart.getChart('chart-targets').data.labels")
        assert TARGET in labels  # the chart shows the text as text
        assert TARGET in page.inner_text("[data-table=targets]")
        assert page.evaluate("() => document.querySelectorAll('img[src=x], svg[onload]').length") == 0
        # The year filter swaps the body through htmx and the charts are drawn again, still without a
        # violation.
        page.select_option("#f-year-from", "2017")
        page.wait_for_function("() => location.search.includes('year_from=2017')")
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-targets') !== undefined")
        assert page.evaluate("() => window.__csp") == []

        assert _open(page, f"{province['url']}/establishments/{province['est']}/") == []
        assert EST in page.inner_text("h1")
        assert page.evaluate("() => document.querySelectorAll('svg[onload]').length") == 0
        assert dialogs == [] and errors == []


def test_behaviours_moved_out_of_inline_handlers_work(province):
    with browser_page() as page:
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(WATCH_CSP)
        login(page, province["url"], "vl.csp", province["password"])
        page.wait_for_selector("[data-testid=user-org]")

        # "Dùng làm bản nháp" copies the previous period's text into the field.
        assert _open(page, f"{province['url']}/reports/{province['report']}/edit/") == []
        page.locator("[data-previous=results]").locator("xpath=..").locator("summary").click()
        page.get_by_role("button", name="Dùng làm bản nháp").first.click()
        assert page.input_value("#id_results") == "Kết quả kỳ trước: 12 đề án."

        # The error page's back link returns to the previous page.
        assert _open(page, f"{province['url']}/projects/999999999/") == []
        page.click("text=Quay lại")
        page.wait_for_url(f"{province['url']}/reports/{province['report']}/edit/")

        # The language switch submits on change.
        page.select_option("select[name=language]", "en")
        page.wait_for_function("() => document.documentElement.lang === 'en'")
        assert page.evaluate("() => window.__csp") == []
        assert errors == []


def test_main_pages_admin_and_browsable_api_break_no_rule(province):
    from khuyencong.accounts.models import User

    url = province["url"]
    cuc = testing.make_org("ministry", None, "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")
    testing.make_user("cuc.csp", cuc, "admin", is_staff=True, is_superuser=True)
    user_pk = User.objects.get(username="vl.csp").pk
    pages = [
        "/",
        "/establishments/",
        "/establishments/new/",
        "/programs/",
        "/projects/",
        "/projects/new/",
        "/projects/plans/",
        "/reports/",
        "/reports/new/",
        "/reports/jobs/",
        "/reports/aggregate/",
        "/reports/completeness/",
        "/reports/dashboard/",
        "/catalog/",
        "/admin-units/",
        "/password-change/",
        "/api/v1/establishments/",
        "/admin/",
        f"/admin/accounts/user/{user_pk}/change/",
    ]
    with browser_page() as page:
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(WATCH_CSP)
        assert _open(page, f"{url}/login/") == []
        login(page, url, "cuc.csp", province["password"])
        page.wait_for_selector("[data-testid=user-org]")
        for path in pages:
            assert _open(page, url + path) == [], path
        # The budget matrix keeps its look: its styles now come from app.css.
        assert _open(page, f"{url}/programs/{province['program']}/") == []
        assert (
            page.evaluate("() => getComputedStyle(document.querySelector('.kc-matrix th')).whiteSpace")
            == "nowrap"
        )
        assert errors == []
