"""No English string, slug or raw code reaches a page of the Vietnamese UI.

The crawl logs in as each demo user and walks every page it can reach from the URL configuration's lists and
forms, following the links, htmx URLs and GET forms it finds (each page shape a few times, not every page of
every list); error pages are opened on purpose. On each HTML page it reads what a user sees — the text outside
script/style, option texts, placeholders, titles, aria-labels, button values, what text fields hold — and
fails on English placeholders and words, on the raw values of the models' choices ("national", "accepted",
"in_progress"), period keys ("2019-half"), amounts printed as bare integers ("200000000") and a "Nội dung"
shown as a bare number.
"""

import re
from collections import defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from lxml import html as lxml_html

# English words and placeholders that Django, DRF, django-filter and simple_history print by default, or a
# template left in English. Matched as whole words, case-sensitive, so Vietnamese text never matches.
ENGLISH = [
    "Select an option",
    "---------",
    "This field",
    "None",
    "True",
    "False",
    "Submit",
    "Search",
    "Next",
    "Previous",
    "Page",
    "of",
    "Log in",
    "Login",
    "Logout",
    "Log out",
    "Password",
    "Username",
    "Unknown",
    "Yes",
    "No",
    "Save",
    "Cancel",
    "Delete",
    "Edit",
    "Filter",
    "Filters",
    "Choose",
    "Select",
    "Loading",
    "Clear",
    "Changed",
    "Created",
    "Deleted",
    "Ready",
    "Running",
    "Successful",
    "Failed",
    "Download",
    "Upload",
    "Required",
    "Optional",
    "required",
    "Enter a valid",
    "Currently",
    "Change",
    "null",
    "undefined",
    "NaN",
    "N/A",
    "Not found",
    "Forbidden",
    "Server Error",
    "Bad Request",
    "Permission denied",
]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")

# Choice values that are also ordinary words or file types, printed on purpose (".xlsx", "Word (.docx)").
NOT_SLUGS = {"docx", "xlsx", "+", "-", "~"}
PERIOD_KEY_RE = re.compile(r"\b(19|20)\d\d-(half|quarter|q[1-4]|nine_months|year|custom)\b")
# A whole number of million đồng or more printed without thousand separators.
RAW_MONEY_RE = re.compile(r"(?<![\w.,])[1-9]\d{0,5}000000(?![\w.,])")
BARE_NUMBER_RE = re.compile(r"^\d+$")

MAX_PER_SHAPE = 2
MAX_PAGES = 1500
SKIP_PATH = re.compile(r"^/(static/|media/|admin/|logout/|i18n/|api/(?!docs/))")
DOWNLOAD = re.compile(r"\.(xlsx|docx|pdf|csv|zip)$|/(download|docx|xlsx)/$")
# Pages opened on purpose: the error pages.
ERROR_PAGES = ["/khong-co-trang-nay/", "/projects/999999999/", "/establishments/999999999/"]


def _slugs():
    from django.apps import apps

    from khuyencong.reports import aggregation, dashboard

    values = set(aggregation.SOURCES) | set(aggregation.ROLLUPS) | set(dashboard.SOURCES)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value != label and value not in NOT_SLUGS:
                    values.add(value)
    return values


def _slug_re(values):
    return re.compile(
        r"(?<![\w./@-])(" + "|".join(sorted(map(re.escape, values), key=len, reverse=True)) + r")(?![\w/@-])"
    )


def visible_texts(root):
    """(where, text) pairs of what a reader sees or hears on the page."""
    out = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = node.tag
        skipped = any(a.tag in ("script", "style", "template") for a in node.iterancestors()) or tag in (
            "script",
            "style",
            "template",
        )
        if not skipped:
            if node.text and node.text.strip():
                out.append((tag, node.text.strip()))
        if node.tail and node.tail.strip():
            parent = node.getparent()
            if parent is not None and parent.tag not in ("script", "style", "template"):
                if not any(a.tag in ("script", "style", "template") for a in parent.iterancestors()):
                    out.append((parent.tag, node.tail.strip()))
        if skipped:
            continue
        for attr in ("placeholder", "title", "aria-label", "alt", "data-confirm"):
            if node.get(attr):
                out.append((f"{tag}@{attr}", node.get(attr).strip()))
        if tag == "input" and node.get("type", "text") in ("submit", "button", "text", "search", "reset"):
            if node.get("value"):
                out.append((f"input@value[{node.get('name')}]", node.get("value").strip()))
    return out


def _content_after_label(root):
    """Text nodes as a reader meets them, to catch "Nội dung" followed by a bare number."""
    leaks = []
    for table in root.iter("table"):
        heads = [" ".join(th.text_content().split()) for th in table.xpath(".//thead//th")]
        for i, head in enumerate(heads):
            if head.rstrip(":") != "Nội dung":
                continue
            for row in table.xpath(".//tbody/tr"):
                cells = row.xpath("./td|./th")
                if i < len(cells) and BARE_NUMBER_RE.match(cells[i].text_content().strip()):
                    leaks.append(f"cột «Nội dung» chỉ có số {cells[i].text_content().strip()!r}")
                    break
    for dt in root.iter("dt", "th"):
        if " ".join(dt.text_content().split()).rstrip(":") == "Nội dung":
            dd = dt.getnext()
            if dd is not None and BARE_NUMBER_RE.match(dd.text_content().strip()):
                leaks.append(f"«Nội dung» chỉ có số {dd.text_content().strip()!r}")
    return leaks


def page_leaks(body: str, slug_re) -> list[str]:
    root = lxml_html.document_fromstring(body)
    leaks = []
    for where, text in visible_texts(root):
        for pattern, kind in (
            (ENGLISH_RE, "tiếng Anh"),
            (slug_re, "mã lựa chọn"),
            (PERIOD_KEY_RE, "mã kỳ"),
            (RAW_MONEY_RE, "số tiền chưa định dạng"),
        ):
            found = pattern.search(text)
            if found:
                leaks.append(f"{kind} {found.group(0)!r} in <{where}>: {text[:80]!r}")
    return leaks + _content_after_label(root)


def _shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/)", "/N", parts.path)
    keys = ",".join(sorted({k for k, _ in parse_qsl(parts.query)} - {"page", "sort"}))
    return f"{path}?{keys}"


def _links(root, here: str):
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attr in ("href", "hx-get", "data-url"):
            value = node.get(attr)
            if value:
                yield value
        if node.tag == "form" and node.get("method", "get").lower() == "get":
            # A filter form sent as it stands (its selected and typed values).
            fields = []
            for field in node.xpath(".//input[@name]|.//select[@name]"):
                if field.tag == "select":
                    chosen = field.xpath(".//option[@selected]/@value") or field.xpath(".//option/@value")[:1]
                    fields += [(field.get("name"), v) for v in chosen]
                elif field.get("type") not in ("checkbox", "radio", "submit") or field.get("checked"):
                    fields.append((field.get("name"), field.get("value", "")))
            yield (node.get("action") or here.split("?")[0]) + "?" + urlencode(fields)


def _normalise(url: str, here: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url or url.startswith(("#", "mailto:", "javascript:")):
        return None
    path = parts.path
    if not path.startswith("/"):
        path = urlsplit(here).path if not path else urlsplit(here).path.rsplit("/", 1)[0] + "/" + path
    if SKIP_PATH.match(path) or DOWNLOAD.search(path) or "format=xlsx" in parts.query:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, seeds: list[str], slug_re) -> tuple[dict[str, list[str]], set[str]]:
    """Walk from `seeds`; return {url: leaks} and the set of URLs opened."""
    seen_shape = defaultdict(int)
    queue = list(seeds)
    opened, leaks = set(), {}
    while queue and len(opened) < MAX_PAGES:
        url = queue.pop(0)
        if url in opened:
            continue
        shape = _shape(url)
        if seen_shape[shape] >= MAX_PER_SHAPE and url not in seeds:
            continue
        seen_shape[shape] += 1
        opened.add(url)
        response = client.get(url, headers={"hx-request": "true"} if "/data/" in url else {})
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code in (301, 302):
            target = _normalise(response["Location"], url)
            if target and target not in opened:
                queue.append(target)
            continue
        kind = response.get("Content-Type", "")
        if "text/html" not in kind or getattr(response, "streaming", False):
            continue
        body = response.content.decode()
        if not body.strip():
            continue
        found = page_leaks(body, slug_re)
        if found:
            leaks[url] = found
        root = lxml_html.document_fromstring(body)
        for link in _links(root, url):
            target = _normalise(link, url)
            if target and target not in opened:
                queue.append(target)
    return leaks, opened


def _seeds():
    from khuyencong.core.tests.test_outsider_sweep import _routes

    pages = ["/" + r for r in _routes() if "<" not in r]
    pages = [p for p in pages if not SKIP_PATH.match(p) and not DOWNLOAD.search(p)]
    return pages + ERROR_PAGES


@pytest.fixture
def demo(db):
    from khuyencong.accounts.models import User
    from khuyencong.core.demo import load_demo
    from khuyencong.reports.models import ReportJob

    load_demo()
    # A background report, so the job pages (period, source and rollup of the job) are walked too.
    for username in ("cuc", "vinhlong"):
        ReportJob.objects.create(
            created_by=User.objects.get(username=username),
            period_key="2019-half",
            source="accepted",
            rollup="current",
        )


def test_no_english_or_raw_code_on_any_page_for_any_demo_user(demo):
    from khuyencong.accounts.models import User
    from khuyencong.core.demo import DEMO_USERS

    slug_re = _slug_re(_slugs())
    all_leaks, opened_all = {}, set()
    for username, _ in DEMO_USERS:
        client = Client()
        client.force_login(
            User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
        )
        leaks, opened = crawl(client, _seeds(), slug_re)
        opened_all |= opened
        for url, found in leaks.items():
            all_leaks[f"{username} {url}"] = found
    anonymous, _ = crawl(Client(), ["/login/", "/password-change/", "/khong-co-trang-nay/"], slug_re)
    all_leaks |= {f"anonymous {u}": f for u, f in anonymous.items()}
    # The walk really reached the record pages (a crawl that stops at the lists would prove nothing).
    for shape in ("/projects/N/", "/establishments/N/", "/projects/plans/N/", "/reports/N/", "/programs/N/"):
        assert any(_shape(u).startswith(shape) for u in opened_all), shape
    assert all_leaks == {}


def test_the_crawl_sees_a_leak():
    """The checks fire on what they must catch and stay quiet on Vietnamese text."""
    slug_re = _slug_re({"national", "accepted", "in_progress", "current"})
    page = (
        "<html><body><select><option value=''>- Select an option -</option></select>"
        "<p>Nguồn số liệu: accepted · Đơn vị: current</p><td>national</td><span>2019-half</span>"
        "<p>Mức hỗ trợ tối đa 200000000</p><input type='text' placeholder='Search'>"
        "<dl><dt>Nội dung</dt><dd>3</dd></dl><script>var x = 'None';</script></body></html>"
    )
    found = " | ".join(page_leaks(page, slug_re))
    for needle in (
        "Select an option",
        "'accepted'",
        "'national'",
        "2019-half",
        "200000000",
        "'Search'",
        "'3'",
    ):
        assert needle in found, needle
    assert "None" not in found  # scripts are not visible text
    clean = (
        "<html><body><p>Khuyến công quốc gia · Đã nghiệm thu · 200.000.000 đồng · 6 tháng năm 2019</p>"
        "<p>Nội dung 3: Đào tạo nghề</p><a title='Trang sau'>Sau »</a><p>Nông nghiệp, Nông thôn</p>"
        "<p>Mã số thuế 1300123456 · Tệp .xlsx · Word (.docx)</p></body></html>"
    )
    assert page_leaks(clean, slug_re) == []


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "message"),
    [
        ("post", "/api/v1/projects/", {}, 400, "plan: Trường này là bắt buộc."),
        ("post", "/api/v1/projects/", {"plan": "x"}, 400, "plan: Phải là số nguyên."),
        ("put", "/api/v1/me/tasks/", {}, 405, "Phương thức không được hỗ trợ."),
        ("get", "/api/v1/projects/?as_of=2019-13-01", None, 400, "as_of: Nhập một ngày hợp lệ."),
        (
            "get",
            "/api/v1/projects/?status=bogus",
            None,
            400,
            "status: Hãy chọn một giá trị hợp lệ: «bogus» không nằm trong các lựa chọn.",
        ),
        ("get", "/api/v1/establishments/?page=abc", None, 404, "Không tìm thấy hoặc bạn không có quyền xem."),
    ],
)
def test_api_error_messages_are_vietnamese(api_as, vinhlong_officer, method, url, body, status, message):
    api = api_as(vinhlong_officer)
    response = getattr(api, method)(url, body, format="json") if body is not None else api.get(url)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"] == message
    for messages in (error.get("details") or {}).values():
        for text in messages if isinstance(messages, list) else [messages]:
            assert not ENGLISH_RE.search(str(text)), text


def test_api_says_log_in_in_vietnamese(api_client):
    assert api_client.get("/api/v1/projects/").json()["error"]["message"] == "Bạn cần đăng nhập."
