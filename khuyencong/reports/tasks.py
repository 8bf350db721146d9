"""Background report jobs (Django Tasks; database backend in dev/prod, immediate in tests).

The task keeps its progress, status, error text and produced file in our own ReportJob row, which the
page polls (htmx). A failed job keeps the reason and can be retried."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from .models import ReportJob

log = logging.getLogger(__name__)


@task
def run_report_job(job_id: int) -> None:
    run_job(job_id)


def run_job(job_id: int) -> None:
    from . import documents
    from .aggregation import aggregate
    from .periods import Period
    from .services import report_job_progress

    job = ReportJob.objects.select_related("created_by", "region").get(pk=job_id)
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.Status.RUNNING,
        progress=5,
        error="",
        message="Bắt đầu",
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    try:
        period = Period.parse(job.period_key)

        def progress(pct, message):
            report_job_progress(job_id, 5 + int(pct * 0.85), message)

        agg = aggregate(
            user=job.created_by,
            region=job.region,
            period=period,
            source=job.source,
            rollup=job.rollup,
            progress=progress,
        )
        report_job_progress(job_id, 92, "Đang tạo tệp")
        content = documents.aggregate_xlsx(agg) if job.fmt == "xlsx" else documents.aggregate_docx(agg)
        name = f"tong-hop-{job.region.code if job.region else 'toan-quoc'}-{period.key}.{job.fmt}"
        with transaction.atomic():
            job.file.save(name, ContentFile(content), save=False)
            ReportJob.objects.filter(pk=job_id).update(
                file=job.file.name,
                status=ReportJob.Status.DONE,
                progress=100,
                message="Hoàn thành",
                finished_at=timezone.now(),
            )
    except Exception as exc:  # a failed job shows why, and can be retried
        log.exception("report job %s failed", job_id)
        text = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, error=text[:2000], message="Lỗi", finished_at=timezone.now()
        )
