import time
from datetime import timedelta

import pytest
from django.utils import timezone

from khuyencong.ops.heartbeat import Heartbeat, worker_status
from khuyencong.ops.models import WorkerHeartbeat


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
        first = WorkerHeartbeat.objects.get(pk="w-test").seen_at
        assert not WorkerHeartbeat.objects.filter(pk="old").exists()  # gone for a day: removed at start
        deadline = time.monotonic() + 10
        while WorkerHeartbeat.objects.get(pk="w-test").seen_at == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert WorkerHeartbeat.objects.get(pk="w-test").seen_at > first  # the thread beats on its own
        status = worker_status()
        assert status.alive and status.last_seen >= first
        assert not worker_status(now=status.last_seen + timedelta(seconds=61)).alive
        assert worker_status(now=status.last_seen + timedelta(seconds=59)).alive
    finally:
        heartbeat.stop()
    assert not WorkerHeartbeat.objects.exists()
    assert worker_status() == worker_status().__class__(alive=False, last_seen=None)
