"""Bounded load test of the production mode on the national dataset (127.0.0.1 only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_nat .venv/bin/python bench/load.py [--duration 60]
        [--port 8501] [--workers 3] [--users-cuc 7] [--users-province 13]

It starts gunicorn (`config.wsgi`, DEBUG=0, N sync workers) and the task worker (`manage.py db_worker`) on the
given database, creates the load-test accounts once (`load.cuc.N`: the Cục; `load.tinh.N`: officers of 13
provinces, spread over the current provinces that have đề án) with sessions made directly in the session
store,
then runs 20 simulated users for a fixed duration: each user loops over its scenario (lists with and without
filters, as of past dates, search, plan pages, dashboards, reports, and one Excel export in its run), with a
short think time between requests. Sessions use `X-Forwarded-Proto: https` as a TLS proxy would send.

Prints per page: requests, errors, p50/p95/p99 (ms) and overall requests/s. Targets: 0 errors, p95 ≤ 500 ms,
≥ 30 requests/s on 3 workers. Client: threads + requests (locust's model without its dependencies).
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Sessions are made here and read by gunicorn: both sides sign with the same key.
os.environ.setdefault("SECRET_KEY", "load-test-only-" + "x" * 40)


def make_sessions(n_cuc: int, n_prov: int) -> list[dict]:
    """The load-test accounts (created once) and a fresh session for each."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from khuyencong import testing
    from khuyencong.accounts.models import User
    from khuyencong.geo.models import AdminUnit
    from khuyencong.projects.models import AnnualPlan, Project

    users = []
    for i in range(n_cuc):
        user = User.objects.filter(username=f"load.cuc.{i}").first()
        if user is None:
            org = testing.make_org("ministry", None, f"Cục (tải thử {i})")
            user = testing.make_user(f"load.cuc.{i}", org, "admin")
        users.append({"user": user, "kind": "cuc", "province": None})
    provinces = list(
        AdminUnit.objects.filter(era="current", level=1)
        .annotate(n=Count("pk"))
        .order_by("name")
        .values_list("pk", "short_name")
    )
    with_projects = set(Project.objects.values_list("province_id", flat=True).distinct())
    provinces = [(pk, short) for pk, short in provinces if pk in with_projects][:n_prov]
    for i in range(n_prov):
        pk, short = provinces[i % len(provinces)]
        user = User.objects.filter(username=f"load.tinh.{i}").first()
        if user is None:
            user = testing.province_user(short, f"load.tinh.{i}", "officer")
        users.append({"user": user, "kind": "province", "province": pk})
    out = []
    for u in users:
        s = SessionStore()
        s[SESSION_KEY] = str(u["user"].pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = u["user"].get_session_auth_hash()
        s.create()
        prov = u["province"]
        plan = (
            AnnualPlan.objects.filter(**({"province_id": prov} if prov else {}), year=2018)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        out.append(
            {
                "cookie": f"{settings.SESSION_COOKIE_NAME}={s.session_key}",
                "kind": u["kind"],
                "province": prov,
                "plan": plan,
            }
        )
    return out


def scenario(user: dict, rng: random.Random) -> list[tuple[str, str]]:
    """(page name, URL) in the order a user browses; the export comes once per run (first loop only)."""
    year = rng.choice([2012, 2016, 2018, 2020, 2024])
    words = rng.choice(["che bien", "may tre", "do go", "nuoc mam", "gom"])
    pages = [
        ("đề án list", "/projects/"),
        ("đề án list, filtered", f"/projects/?year={year}&content=3"),
        ("đề án list as of", f"/projects/?as_of=30/06/{year}"),
        ("đề án list as of + status", f"/projects/?as_of=31/12/{year}&status=in_progress"),
        ("đề án search", f"/projects/?q={words.replace(' ', '+')}"),
        ("đề án list sorted by money", "/projects/?sort=-approved"),
        ("establishment list", "/establishments/"),
        ("establishment search", f"/establishments/?q={words.replace(' ', '+')}"),
        ("plan list", "/projects/plans/"),
        ("dashboard", f"/reports/dashboard/?year_from={year - 4}&year_to={year}"),
        ("reports list", "/reports/"),
    ]
    if user["plan"]:
        pages.append(("plan page", f"/projects/plans/{user['plan']}/"))
        pages.append(("plan page as of", f"/projects/plans/{user['plan']}/?as_of=30/06/2018"))
    rng.shuffle(pages)
    return pages


def export_url(user: dict) -> tuple[str, str]:
    if user["kind"] == "cuc":  # the Cục exports one year of the whole country (~5.000 đề án)
        return "export đề án (Cục: one year, national)", "/projects/?year=2020&format=xlsx"
    return "export đề án (province: all years)", "/projects/?format=xlsx"


def run_user(base: str, user: dict, stop_at: float, seed: int, stats, lock, think: float):
    import requests

    rng = random.Random(seed)
    session = requests.Session()
    headers = {"Cookie": user["cookie"], "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    todo = [export_url(user)]
    while time.monotonic() < stop_at:
        for name, url in todo + scenario(user, rng):
            if time.monotonic() >= stop_at:
                break
            t = time.perf_counter()
            try:
                r = session.get(base + url, headers=headers, allow_redirects=False, timeout=60)
                ok = r.status_code == 200
                _ = r.content
            except Exception:  # a refused or timed-out request is an error
                ok = False
            ms = (time.perf_counter() - t) * 1000
            with lock:
                stats[name].append((ms, ok))
            time.sleep(rng.uniform(0, 2 * think))
        todo = []


def cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) CPU time of the whole machine so far, in clock ticks (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--users-cuc", type=int, default=7)
    parser.add_argument("--users-province", type=int, default=13)
    parser.add_argument("--think", type=float, default=0.25, help="mean pause between a user's requests (s)")
    args = parser.parse_args()
    assert args.duration <= 60, "bounded: at most 60 s"

    users = make_sessions(args.users_cuc, args.users_province)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "LOG_LEVEL": "ERROR",
    }
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "db_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import requests

        for _ in range(60):
            try:
                if (
                    requests.get(base + "/", timeout=10, headers={"X-Forwarded-Proto": "https"}).status_code
                    < 500
                ):
                    break
            except requests.RequestException:
                time.sleep(0.5)
        # Warm each worker (imports, first queries) before the clock starts.
        for _ in range(args.workers * 2):
            requests.get(
                base + "/projects/",
                headers={"Cookie": users[0]["cookie"], "X-Forwarded-Proto": "https"},
                timeout=60,
            )
        stats, lock = defaultdict(list), threading.Lock()
        started = time.monotonic()
        cpu_before = cpu_jiffies()
        stop_at = started + args.duration
        threads = [
            threading.Thread(target=run_user, args=(base, u, stop_at, i, stats, lock, args.think))
            for i, u in enumerate(users)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        cpu_after = cpu_jiffies()
    finally:
        for proc in (gunicorn, worker):
            proc.send_signal(signal.SIGTERM)
        for proc in (gunicorn, worker):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    total = sum(len(v) for v in stats.values())
    errors = sum(1 for v in stats.values() for _ms, ok in v if not ok)
    everything = [ms for v in stats.values() for ms, _ok in v]
    print(
        f"# Load test: {len(users)} users ({args.users_cuc} Cục, {args.users_province} provincial), "
        f"{args.workers} gunicorn workers + db_worker, {elapsed:.0f} s, think time ~{args.think} s"
    )
    print(f"{'page':<42} {'n':>5} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7}")
    for name in sorted(stats):
        values = [ms for ms, _ok in stats[name]]
        errs = sum(1 for _ms, ok in stats[name] if not ok)
        print(
            f"{name:<42} {len(values):>5} {errs:>4} {pct(values, 50):7.0f} {pct(values, 95):7.0f} "
            f"{pct(values, 99):7.0f}"
        )
    print(
        f"{'all':<42} {total:>5} {errors:>4} {pct(everything, 50):7.0f} {pct(everything, 95):7.0f} "
        f"{pct(everything, 99):7.0f}"
    )
    print(
        f"throughput: {total / elapsed:.1f} requests/s; errors: {errors}; "
        f"p95 {pct(everything, 95):.0f} ms; median {statistics.median(everything):.0f} ms"
    )
    if cpu_before and cpu_after and total:
        # The whole machine (gunicorn, PostgreSQL, the task worker and this client): what a request costs in
        # CPU, the figure that decides the throughput on a slower or busier machine.
        busy, all_ticks = cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]
        cores = os.cpu_count() or 1
        per_request = busy / os.sysconf("SC_CLK_TCK") / total * 1000
        print(
            f"machine CPU: {busy / all_ticks * 100:.0f} % busy of {cores} cores; "
            f"{per_request:.1f} ms of CPU per request (server, database and client)"
        )


if __name__ == "__main__":
    main()
