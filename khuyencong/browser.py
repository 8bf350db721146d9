"""Playwright driving Debian's Chromium (never a downloaded browser)."""

import contextlib
import os

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextlib.contextmanager
def browser_page(*, width: int = 1280, height: int = 900, locale: str = "vi-VN"):
    """A fresh page in headless Chromium; Django's ORM may be used from the test meanwhile. `locale`: the
    browser's language (e.g. "en-US" to check that dates still read dd/mm/yyyy)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the sync API runs an event loop in this thread
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
            page = context.new_page()
            page.set_default_timeout(15000)
            yield page
        finally:
            browser.close()


def login(page, live_server_url: str, username: str, password: str) -> None:
    page.goto(f"{live_server_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
