"""The task worker's heartbeat: written by `manage.py run_worker`, read by the job pages."""

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections
from django.utils import timezone

from .models import WorkerHeartbeat

log = logging.getLogger(__name__)

BEAT_SECONDS = 10
# A worker not seen for this long counts as gone (several missed beats, so a busy database is not enough).
STALE_AFTER = timedelta(seconds=60)


def beat(*, worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


class Heartbeat:
    """A daemon thread that touches this worker's row every BEAT_SECONDS, also while a task runs."""

    def __init__(self, worker_id: str, *, every: float = BEAT_SECONDS):
        self.worker_id = worker_id
        self.every = every
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        beat(worker_id=self.worker_id, started_at=self.started_at)  # seen at once, before the first task
        # Rows of workers gone for a day are only noise.
        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                beat(worker_id=self.worker_id, started_at=self.started_at)
            except Exception:  # a locked or restarting database: try again at the next beat
                log.warning("worker heartbeat failed", exc_info=True)
            finally:
                connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.every + 5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            log.warning("could not remove the worker heartbeat", exc_info=True)


@dataclass(frozen=True)
class WorkerStatus:
    alive: bool
    last_seen: datetime | None  # the most recent beat of any worker, None if no worker ever ran


def worker_status(*, now: datetime | None = None) -> WorkerStatus:
    now = now or timezone.now()
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return WorkerStatus(alive=last is not None and now - last <= STALE_AFTER, last_seen=last)
