"""The browser watchdog: a Playwright session that hangs is ended by killing the driver and Chromium, so the
test fails (and is rerun) instead of holding CI until its wall clock."""

import os
import time

import pytest

from khuyencong import browser

pytestmark = pytest.mark.browser


def test_a_hung_session_is_killed_and_fails(monkeypatch):
    monkeypatch.setattr(browser, "WATCHDOG_SECONDS", 4)
    started = time.monotonic()
    with pytest.raises(Exception) as failure:
        with browser.browser_page() as page:
            page.set_content("<p>Đang chờ</p>")
            page.wait_for_timeout(60_000)  # stands for a call that never returns
    assert time.monotonic() - started < 40
    assert not [
        pid
        for pid in browser._descendants(os.getpid())
        if b"chrom" in open(f"/proc/{pid}/cmdline", "rb").read()
    ], "Chromium outlived the watchdog"
    assert "closed" in str(failure.value).lower() or "target" in str(failure.value).lower(), failure.value
