import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from khuyencong.ops.heartbeat import Heartbeat, worker_status
from khuyencong.ops.models import WorkerHeartbeat


def _retry(read):
    """read(), while the heartbeat thread writes. The SQLite test database is in memory with a shared cache,
    where a read that meets the writer's table lock fails at once ("database table is locked") instead of
    waiting as a database file or PostgreSQL does: try again a few times."""
    for _ in range(50):
        try:
            return read()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.02)
    return read()


def _seen_at(pk: str):
    return _retry(lambda: WorkerHeartbeat.objects.get(pk=pk).seen_at)


@pytest.mark.django_db(transaction=True)
def test_heartbeat_keeps_its_row_young_and_removes_it_when_stopped():
    WorkerHeartbeat.objects.create(
        worker_id="old",
        hostname="h",
        pid=1,
        started_at=timezone.now() - timedelta(days=3),
        seen_at=timezone.now() - timedelta(days=2),
    )
    assert worker_status() == worker_status().__class__(
        alive=False, last_seen=WorkerHeartbeat.objects.get().seen_at
    )

    heartbeat = Heartbeat("w-test", every=0.1)
    heartbeat.start()
    try:
        first = _seen_at("w-test")
        assert not _retry(WorkerHeartbeat.objects.filter(pk="old").exists)  # gone for a day: removed at start
        deadline = time.monotonic() + 10
        while _seen_at("w-test") == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _seen_at("w-test") > first  # the thread beats on its own
        status = _retry(worker_status)
        assert status.alive and status.last_seen >= first
        assert not worker_status(now=status.last_seen + timedelta(seconds=61)).alive
        assert worker_status(now=status.last_seen + timedelta(seconds=59)).alive
    finally:
        heartbeat.stop()
    assert not WorkerHeartbeat.objects.exists()
    assert worker_status() == worker_status().__class__(alive=False, last_seen=None)
