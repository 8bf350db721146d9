import pytest

from khuyencong.browser import browser_page, login

pytestmark = pytest.mark.browser


def load_demo_projects():
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.projects import demo as projects_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    projects_demo.load()


def test_dashboard_year_filter_changes_chart_table(live_server, base_data_transactional, settings):
    load_demo_projects()
    with browser_page() as page:
        login(page, live_server.url, "cuc", settings.DEMO_PASSWORD)
        page.wait_for_selector("h1")
        page.goto(f"{live_server.url}/reports/dashboard/?year_from=2018&year_to=2018")
        table = "[data-table=by_year] tfoot"
        assert "1.129" in page.inner_text(table)
        # The chart is drawn by Chart.js next to its table.
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-by_year') !== undefined")
        page.select_option("#f-year-from", "2016")
        page.select_option("#f-year-to", "2016")
        page.wait_for_function(
            "() => document.querySelector('[data-table=by_year] tfoot').innerText.includes('2.164')"
        )
        assert "1.129" not in page.inner_text(table)
        assert "2016" in page.inner_text("[data-table=by_year] tbody")
        page.wait_for_function("() => Chart.getChart('chart-by_year').data.labels.join(',') === '2016'")
        assert "year_from=2016" in page.url


def test_dashboard_is_readable_on_a_phone(live_server, base_data_transactional, settings):
    load_demo_projects()
    with browser_page(width=390, height=844) as page:
        login(page, live_server.url, "thainguyen", settings.DEMO_PASSWORD)
        page.wait_for_selector("h1")
        page.goto(f"{live_server.url}/reports/dashboard/?year_from=2018&year_to=2018")
        page.wait_for_selector("[data-table=by_province]")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390 + 1  # nothing forces horizontal scrolling of the page
        assert "Tỉnh Bắc Kạn" in page.inner_text("[data-table=by_province]")


def test_dashboard_switches_to_accepted_reports_and_says_so(live_server, base_data_transactional, settings):
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.accounts.models import User
    from khuyencong.reports import demo as reports_demo

    accounts_demo.load()
    reports_demo.load_southern_2019(User.objects.get(username="cuc"))
    with browser_page() as page:
        login(page, live_server.url, "cuc", settings.DEMO_PASSWORD)
        page.wait_for_selector("h1")
        page.goto(f"{live_server.url}/reports/dashboard/?year_from=2019&year_to=2019")
        assert "Số liệu trực tiếp từ dữ liệu đề án" in page.inner_text("[data-testid=dashboard-scope]")
        page.select_option("#f-source", "accepted")
        page.wait_for_function(
            "() => document.querySelector('[data-testid=dashboard-scope]').innerText.includes('đã được Cục "
            "tiếp nhận')"
        )
        assert "85.865" in page.inner_text("[data-table=by_year] tfoot")
        assert "16.578" in page.inner_text("[data-table=by_year] tfoot")
        # The period the server read (6 months: accepted reports have no "today") shows in the form.
        assert page.input_value("#f-kind") == "half"
        page.wait_for_function("() => Chart.getChart('chart-by_year') !== undefined")
