"""A small HTTP client and process helpers for the end-to-end checks that drive a real server.

Used by `bin/prod-smoke` (gunicorn + worker on PostgreSQL, DEBUG=0) and by the `make run` test
(`bin/serve` on SQLite). Standard library only, so it runs against any server without Django loaded."""

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The pages every deployment must serve to a logged-in officer (the nav links are crawled on top).
MAIN_PAGES = [
    "/",
    "/establishments/",
    "/programs/",
    "/projects/",
    "/projects/plans/",
    "/reports/",
    "/reports/dashboard/",
    "/reports/aggregate/",
    "/reports/completeness/",
    "/reports/jobs/",
    "/api/v1/",
    "/api/docs/",
    "/api/schema/",
]
# Links a crawl must not follow: they change state or leave the application.
NO_CRAWL = ("/logout/", "/i18n/", "/admin/")


class SmokeError(AssertionError):
    pass


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """Cookies, CSRF and redirects, like a browser behind a TLS proxy when `https_proxy` is set
    (the proxy's X-Forwarded-Proto header, so SECURE_SSL_REDIRECT and secure cookies work as deployed)."""

    base: str
    https_proxy: bool = False
    timeout: float = 60
    cookies: dict = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        data: dict | None = None,
        headers: dict | None = None,
        follow: bool = True,
    ) -> Response:
        url = urljoin(self.base, path)
        for _ in range(10):
            parts = urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            hdrs = {"Host": parts.netloc, "Accept-Language": "vi", **(headers or {})}
            if self.https_proxy:
                hdrs["X-Forwarded-Proto"] = "https"
            if self.cookies:
                hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data)
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
                hdrs["Referer"] = url.replace("http://", "https://", 1) if self.https_proxy else url
            conn.request(method, target, body=body, headers=hdrs)
            raw = conn.getresponse()
            payload = raw.read()
            conn.close()
            for header in raw.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for key, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, payload, url)
            if follow and raw.status in (301, 302, 303, 307, 308):
                location = response.headers["location"]
                if location.startswith("https://") and self.https_proxy:
                    raise SmokeError(
                        f"{method} {path}: redirected to {location} although the proxy said https"
                    )
                url = urljoin(url, location)
                method, data = ("GET", None) if raw.status in (301, 302, 303) else (method, data)
                continue
            return response
        raise SmokeError(f"{method} {path}: too many redirects")

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        return self.request("POST", path, data={"csrfmiddlewaretoken": self.csrf_token(), **data}, **kwargs)

    def csrf_token(self) -> str:
        if "csrftoken" not in self.cookies:
            self.get("/login/")
        return self.cookies["csrftoken"]

    def login(self, username: str, password: str) -> None:
        self.cookies.clear()
        page = self.get("/login/")
        expect(page, 200)
        response = self.post("/login/", {"username": username, "password": password, "next": "/"})
        if "sessionid" not in self.cookies or response.url.rstrip("/").endswith("/login"):
            raise SmokeError(f"login as {username} failed ({response.status})")


def expect(response: Response, status: int = 200) -> Response:
    if response.status != status:
        snippet = re.sub(r"\s+", " ", response.text)[:400]
        raise SmokeError(f"{response.url}: {response.status}, expected {status}: {snippet}")
    return response


HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"', re.I)
NAV_HREF = re.compile(r'<a\b[^>]*class="[^"]*\bnav-link\b[^"]*"[^>]*\bhref="(/[^"#]*)"', re.I)
ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(/static/[^"]+)"', re.I)


def crawl(browser: Browser, pages=MAIN_PAGES, *, follow_nav: bool = True) -> dict[str, int]:
    """GET every page and every nav link found on them (and their static assets); each must answer 200."""
    todo = list(pages)
    seen: dict[str, int] = {}
    assets: set[str] = set()
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        response = browser.get(path)
        seen[path] = response.status
        expect(response, 200)
        text = response.text
        if "text/html" in response.headers.get("content-type", ""):
            assets.update(html.unescape(a) for a in ASSET.findall(text))
            if follow_nav:
                for link in NAV_HREF.findall(text):
                    link = html.unescape(link)
                    if not link.startswith(NO_CRAWL) and link not in seen:
                        todo.append(link)
    for asset in sorted(assets):
        expect(browser.get(asset), 200)
        seen[asset] = 200
    return seen


def wait_for_job(browser: Browser, job_path: str, *, timeout: float = 180) -> str:
    """Poll a report job page until it shows 100 % and its download button; return the page."""
    deadline = time.monotonic() + timeout
    while True:
        page = expect(browser.get(job_path)).text
        if 'aria-valuenow="100"' in page and "Tải tệp kết quả" in page:
            return page
        if 'data-status="failed"' in page:
            text = re.sub(r"<[^>]+>|\s+", " ", page)
            raise SmokeError(f"{job_path} failed: {text[-600:]}")
        if time.monotonic() > deadline:
            raise SmokeError(f"{job_path} did not reach 100 % in {timeout:.0f} s: {page[-800:]}")
        time.sleep(0.5)


def run_report_job(browser: Browser, *, form: dict | None = None, timeout: float = 180) -> tuple[str, bytes]:
    """Order a regional report job through the page, wait for 100 %, download the file."""
    form = form or {
        "region": "phia-nam",
        "kind": "half",
        "year": "2019",
        "source": "accepted",
        "rollup": "as_was",
        "fmt": "xlsx",
    }
    response = browser.post("/reports/jobs/", form, follow=False)
    expect(response, 302)
    job_path = urlsplit(response.headers["location"]).path
    if not re.fullmatch(r"/reports/jobs/\d+/", job_path):
        raise SmokeError(f"job creation redirected to {job_path}")
    page = wait_for_job(browser, job_path, timeout=timeout)
    download = expect(browser.get(job_path + "download/"))
    if not download.body.startswith(b"PK"):
        raise SmokeError(f"{job_path}download/ is not an Office file")
    return page, download.body


def free_port() -> int:
    """A free local port: from KC_PORTS ("8201-8210") when set, else one the kernel picks."""
    spec = os.environ.get("KC_PORTS", "")
    candidates = []
    if spec:
        low, _, high = spec.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    for port in candidates or [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SmokeError(f"no free port in {spec}")


def wait_for_http(
    base: str,
    process: subprocess.Popen,
    *,
    path: str = "/login/",
    timeout: float = 60,
    https_proxy: bool = False,
) -> None:
    deadline = time.monotonic() + timeout
    browser = Browser(base, https_proxy=https_proxy, timeout=5)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SmokeError(f"server exited with {process.returncode} before answering")
        try:
            browser.get(path)
            return
        except OSError:
            time.sleep(0.3)
    raise SmokeError(f"{base} did not answer in {timeout:.0f} s")


def port_closed(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def stop(process: subprocess.Popen, *, sig=signal.SIGTERM, timeout: float = 30) -> int:
    """Signal a process started with start_new_session=True (its whole group) and wait for it."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
            raise SmokeError(f"pid {process.pid} ignored {signal.Signals(sig).name} for {timeout:.0f} s")
    return process.returncode
