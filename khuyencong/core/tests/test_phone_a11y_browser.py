"""Every main page on a 360 px phone and a 1366 px screen, in Chromium, as the province's officer and as the
Cục (the demo data):

- the page never scrolls sideways at 360 px (document width ≤ the screen): wide tables scroll inside their own
  box, with their first column kept in view;
- axe-core (vendored in static/vendor/axe-core/, loaded from the site's own static files since the CSP forbids
  inline scripts) finds no "serious" or "critical" violation at either width: contrast ≥ 4,5:1, a label on
  every control, scrollable boxes reachable by keyboard, …;
- the skip link is the first stop of the keyboard and leads to the content; sortable headers show an arrow
  (checked once, as the officer).
"""

import re

import pytest

from khuyencong.browser import browser_page, login

pytestmark = pytest.mark.browser

PHONE, SCREEN = 360, 1366
AXE = "/static/vendor/axe-core/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""
# Elements sticking out of the screen that no scrolling box of their own contains: what widens the page.
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let p = el.parentElement, held = false;
    for (; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") { held = true; break; }
    }
    const name = el.tagName.toLowerCase() + "." + el.className;
    if (!held) out.push(name + " → " + Math.round(box.right) + " px");
  }
  return out.slice(0, 5);
}"""

# Main pages: fixed ones, then the first record each list links to (so the reader's own records are used).
PAGES = {
    "vinhlong": [
        "/",
        "/projects/",
        "/establishments/",
        "/projects/plans/",
        "/reports/",
        "/reports/dashboard/",
    ]
    + ["/programs/", "/password-change/", "/activities/"],
    "cuc": ["/", "/projects/", "/establishments/", "/projects/plans/", "/reports/", "/reports/dashboard/"]
    + [
        "/programs/",
        "/password-change/",
        "/accounts/users/",
        "/accounts/organisations/",
        "/accounts/users/new/",
    ],
}
RECORDS = [
    ("/projects/", r"^/projects/\d+/$"),
    ("/establishments/", r"^/establishments/\d+/$"),
    ("/projects/plans/", r"^/projects/plans/\d+/$"),
    ("/reports/", r"^/reports/\d+/$"),
    ("/programs/", r"^/programs/\d+/$"),
    ("/activities/", r"^/activities/\d+/$"),
    ("/accounts/users/", r"^/accounts/users/\d+/$"),
    ("/accounts/organisations/", r"^/accounts/organisations/\d+/$"),
]


@pytest.fixture
def demo(live_server, base_data_transactional):
    from khuyencong.core.demo import load_demo

    load_demo()
    return live_server.url


def _open(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if page.locator("#dashboard-data").count():
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-by_year') !== undefined")


def _record_pages(page, base, pages):
    found = []
    for listing, pattern in RECORDS:
        if listing not in pages:
            continue
        _open(page, base + listing)
        hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
        match = next((h for h in hrefs if re.match(pattern, h)), None)
        assert match, f"{listing} links to no record"
        found.append(match)
    return found


def _check(page, url, width):
    """What is wrong with the page at this width: sideways scrolling (phone) and axe's violations."""
    problems = []
    if width == PHONE:
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{scroll} px wide: {page.evaluate(WIDER_THAN_SCREEN)}")
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.add_script_tag(url=origin + AXE)
    problems += page.evaluate(RUN_AXE)
    return [f"{width} px {url}: {p}" for p in problems]


def test_main_pages_fit_a_phone_and_pass_axe(demo, settings):
    """One demo database for both readers (loading it is the slow part)."""
    base = demo
    for username in ("vinhlong", "cuc"):
        problems = []
        with browser_page(width=PHONE, height=780) as page:
            login(page, base, username, settings.DEMO_PASSWORD)
            page.wait_for_selector("h1")
            pages = PAGES[username] + _record_pages(page, base, PAGES[username])
            for width in (PHONE, SCREEN):
                page.set_viewport_size({"width": width, "height": 780 if width == PHONE else 900})
                for url in pages:
                    _open(page, base + url)
                    problems += _check(page, url, width)
            # The menu opened on the phone: its links are readable too.
            page.set_viewport_size({"width": PHONE, "height": 780})
            _open(page, base + "/")
            page.click(".navbar-toggler")
            page.wait_for_selector("#mainnav.show")
            problems += _check(page, "/ (menu mở)", PHONE)
            assert problems == [], username
            if username == "vinhlong":
                page.set_viewport_size({"width": SCREEN, "height": 900})
                _skip_link_and_sort_arrows(page, base)
                _targets_on_two_axes(page, base)


def _skip_link_and_sort_arrows(page, base):
    """The skip link is the keyboard's first stop and leads to the content; sortable headers show arrows."""
    _open(page, base + "/projects/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.href]")
    assert focused[0] == "Bỏ qua đến nội dung chính" and focused[1].endswith("#main")
    assert page.is_visible("a.kc-skip-link")  # shown while it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # Every sortable header shows it can be sorted (⇅); the sorted one says which way (▲/▼).
    arrows = page.eval_on_selector_all(
        "th a.kc-sort", "els => els.map(e => getComputedStyle(e, '::after').content)"
    )
    assert arrows and all("⇅" in a for a in arrows), arrows
    page.click("th a.kc-sort >> text=Mã")
    page.wait_for_url(re.compile(r"sort=code"))
    assert "▲" in page.eval_on_selector(
        "th a.kc-sort.sort-asc", "e => getComputedStyle(e, '::after').content"
    )
    assert page.get_attribute("th a.kc-sort.sort-asc", "aria-label") == "Mã, đang xếp tăng dần"


def _targets_on_two_axes(page, base):
    """The programme's targets count people and things: two axes, each titled with its units, and each
    target's bars on the axis of its own unit."""
    _open(page, base + "/reports/dashboard/")
    page.wait_for_function("() => Chart.getChart('chart-targets') !== undefined")
    chart = page.evaluate(
        """() => { const c = Chart.getChart('chart-targets');
        return {titles: [c.options.scales.x.title.text, c.options.scales.x2.title.text],
                sets: c.data.datasets.map(d => [d.label, d.xAxisID, d.data]), labels: c.data.labels}; }"""
    )
    assert chart["titles"][0] == "Số người, lao động"
    assert chart["titles"][1].startswith("Số cơ sở")
    people = chart["labels"].index("Lao động được đào tạo nghề")
    machines = chart["labels"].index("Máy móc thiết bị được hỗ trợ ứng dụng")
    by_axis = {axis: data for label, axis, data in chart["sets"] if label.startswith("Mục tiêu")}
    assert by_axis["x"][people] == 1350 and by_axis["x"][machines] is None
    assert by_axis["x2"][people] is None
    # The table beside the chart says the same.
    assert "1.350" in page.inner_text("[data-table=targets]")


def test_login_page_fits_a_phone_and_passes_axe(live_server, base_data_transactional):
    with browser_page(width=PHONE, height=780) as page:
        _open(page, live_server.url + "/login/")
        assert _check(page, "/login/", PHONE) == []
