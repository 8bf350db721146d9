"""Playwright driving Debian's Chromium (never a downloaded browser)."""

import contextlib
import os
import signal
import threading

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


# A browser session that lasts longer than this is hung (Playwright's driver has been seen to wait on its
# connection forever on a loaded 2-core machine, while starting and again while closing): the watchdog kills
# the driver and Chromium, every pending call then fails ("connection closed") and the test fails — and is
# rerun — instead of hanging CI. The slowest real session (axe at two widths over every main page) takes
# ~110 s on a loaded machine.
WATCHDOG_SECONDS = int(os.environ.get("BROWSER_WATCHDOG_SECONDS", "300"))


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill_browser_processes() -> None:
    """SIGKILL the Playwright driver and Chromium started by this process (its descendants running them)."""
    for pid in _descendants(os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if b"playwright" in cmdline or b"chrom" in cmdline:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def browser_page(*, width: int = 1280, height: int = 900, locale: str = "vi-VN"):
    """A fresh page in headless Chromium; Django's ORM may be used from the test meanwhile. `locale`: the
    browser's language (e.g. "en-US" to check that dates still read dd/mm/yyyy)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the sync API runs an event loop in this thread
    watchdog = threading.Timer(WATCHDOG_SECONDS, _kill_browser_processes)
    watchdog.daemon = True
    watchdog.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
                page = context.new_page()
                page.set_default_timeout(15000)
                yield page
            finally:
                browser.close()
    finally:
        watchdog.cancel()


def login(page, live_server_url: str, username: str, password: str) -> None:
    page.goto(f"{live_server_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
