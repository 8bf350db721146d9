"""In Chromium, on the demo data: the approver's home says how many đề án await appraisal and the link lists
exactly those; the officer's count of late đề án links to exactly the late ones."""

import re

import pytest

from khuyencong.accounts.models import User
from khuyencong.browser import browser_page, login
from khuyencong.projects import selectors
from khuyencong.projects.models import Status

pytestmark = pytest.mark.browser


def _load_demo():
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.projects import demo as projects_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    projects_demo.load()


def _codes(user, **filters) -> set[str]:
    qs = selectors.project_list_for(user=user)
    if filters.get("overdue"):
        qs = selectors.project_overdue(qs)
    else:
        qs = qs.filter(**filters)
    return set(qs.values_list("code", flat=True))


def _follow(page, testid: str) -> tuple[int, set[str]]:
    link = page.locator(f"[data-testid={testid}]")
    count = int(re.match(r"(\d+) đề án", link.inner_text()).group(1))
    link.click()
    page.wait_for_selector("[data-testid=projects]")
    assert page.locator("main p.text-muted.small").first.inner_text().startswith(f"{count} đề án.")
    return count, set(
        page.locator("[data-testid=projects] tbody tr").evaluate_all("rs => rs.map(r => r.dataset.code)")
    )


def test_approver_home_links_to_exactly_the_projects_awaiting_appraisal(
    live_server, base_data_transactional, settings
):
    _load_demo()
    approver = User.objects.get(username="vinhlong.lanhdao")
    officer = User.objects.get(username="vinhlong")
    awaiting = _codes(approver, status=Status.REGISTERED)
    late = _codes(officer, overdue=True)
    assert awaiting and late  # the demo holds both
    url = live_server.url
    with browser_page() as page:
        login(page, url, "vinhlong.lanhdao", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=tasks]")
        assert (
            page.inner_text("[data-testid=task-projects_registered]")
            == f"{len(awaiting)} đề án chờ thẩm định"
        )
        count, listed = _follow(page, "task-projects_registered")
        assert count == len(awaiting) and listed == awaiting
        statuses = set(page.locator("[data-testid=projects] tbody [data-testid=status]").all_inner_texts())
        assert statuses == {"Đã đăng ký"}
        # Each of them says whose step it is.
        page.locator("[data-testid=projects] tbody tr a").first.click()
        assert page.inner_text("[data-testid=next-actor]").startswith("Chờ lãnh đạo Sở Công Thương")
        assert page.inner_text("[data-testid=next-actor]").endswith("thẩm định")

        page.context.clear_cookies()
        login(page, url, "vinhlong", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=tasks]")
        count, listed = _follow(page, "task-projects_overdue")
        assert count == len(late) and listed == late
        assert page.locator("#id_overdue").is_checked()
