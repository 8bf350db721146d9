"""`manage.py run_worker`: django-tasks-db's `db_worker` plus a heartbeat row the job pages read.

Takes every option of `db_worker` (`--interval`, `--queue-name`, `--reload`, `--batch`, …)."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from khuyencong.ops.heartbeat import Heartbeat


class Command(DbWorkerCommand):
    help = "Chạy tiến trình nền (tác vụ báo cáo) và ghi nhịp tim để trang tác vụ biết có worker đang chạy."

    def handle(self, *args, **options):
        reload = options.get("reload") and not options.get("batch")
        # With --reload the parent only restarts the child; the child (which runs the tasks) beats.
        heartbeat = None
        if not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            heartbeat = Heartbeat(options["worker_id"])
            heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            if heartbeat:
                heartbeat.stop()
