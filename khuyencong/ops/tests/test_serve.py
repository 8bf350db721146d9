"""`make run` end to end: bin/serve (runserver + run_worker) on a fresh SQLite database, as from a fresh
clone.

A report job ordered through the page reaches 100 % and its file downloads, with no second command; Ctrl-C
(SIGINT to the wrapper) stops both processes and the worker's heartbeat row goes with it."""

import io
import os
import signal
import sqlite3
import subprocess
import sys

import openpyxl
import pytest

from khuyencong import testdb
from khuyencong.ops import smoke

# django_db: the session then has its test database, and this run's migrated template with it.
pytestmark = [pytest.mark.own_database, pytest.mark.django_db]


def clean_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "TASKS_"))}
    env.pop("DATABASE_URL", None)
    env.update(VAR_DIR=str(tmp_path), DEBUG="1", DEMO_PASSWORD="thu-nghiem-2026", **extra)
    return env


def test_make_run_serves_pages_and_runs_a_report_job_to_its_file(tmp_path):
    env = clean_env(tmp_path)
    manage = [sys.executable, "manage.py"]
    # The schema the migrations make, from this run's migrated template (khuyencong/testdb.py; the template
    # itself was migrated from scratch): `migrate` below then only checks that nothing is left to apply.
    # (On PostgreSQL runs there is no SQLite template: the migrations then run from scratch here.)
    if testdb.sqlite_template_path().exists():
        testdb.build_sqlite_template_file(tmp_path / "khuyencong.sqlite3")
    # What `make run` does before serving (the Makefile's `setup` target).
    for step in (["migrate", "--noinput"], ["setup_demo"]):
        done = subprocess.run(
            manage + step, cwd=smoke.ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr

    port = smoke.free_port()
    log = open(tmp_path / "serve.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "bin/serve", f"127.0.0.1:{port}"],
        cwd=smoke.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        smoke.wait_for_http(base, server, timeout=90)
        browser = smoke.Browser(base)
        browser.login("cuc", "thu-nghiem-2026")
        page, content = smoke.run_report_job(browser, timeout=180)
        assert "Không thấy tiến trình chạy nền" not in page
        ws = openpyxl.load_workbook(io.BytesIO(content))["Kinh phí theo tỉnh"]
        cells = [c.value for row in ws.iter_rows() for c in row]
        # seed 002: the southern region's planned total (triệu), on the totals row
        assert 85865 in cells or 85865.0 in cells, [v for v in cells if isinstance(v, int | float)][-20:]

        # Ctrl-C: the wrapper stops the web server and the worker, and exits cleanly.
        os.kill(server.pid, signal.SIGINT)
        assert server.wait(timeout=30) == 0
        assert smoke.port_closed(port)
        with sqlite3.connect(tmp_path / "khuyencong.sqlite3") as db:
            assert db.execute("select count(*) from ops_workerheartbeat").fetchone() == (0,)
            assert db.execute("select status from django_tasks_database_dbtaskresult").fetchall() == [
                ("SUCCESSFUL",)
            ]
    finally:
        if server.poll() is None:
            smoke.stop(server, sig=signal.SIGKILL)
        log.seek(0)
        print(log.read())
        log.close()
    # Nothing of either process is left (each led its own process group under the wrapper).
    assert processes_with(f"VAR_DIR={tmp_path}") == []


def processes_with(marker: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if marker.encode() in f.read().split(b"\0"):
                    with open(f"/proc/{pid}/cmdline", "rb") as c:
                        found.append(c.read().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found
