from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running task worker (`manage.py run_worker`), touched every few seconds.

    django-tasks-db keeps no record of its workers, so a queued job cannot tell a busy worker from none at
    all; this row can. A worker that stops cleanly deletes its row; one that is killed leaves a row that
    simply stops getting younger."""

    worker_id = models.CharField("Mã tiến trình", max_length=64, primary_key=True)
    hostname = models.CharField("Máy", max_length=255)
    pid = models.PositiveIntegerField("PID")
    started_at = models.DateTimeField("Khởi động lúc")
    seen_at = models.DateTimeField("Lần cuối thấy lúc", db_index=True)

    class Meta:
        verbose_name = "Tiến trình chạy nền"
        verbose_name_plural = "Tiến trình chạy nền"
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.hostname}:{self.pid}"
