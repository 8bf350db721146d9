import io

import openpyxl
import pytest

from khuyencong.reports import demo
from khuyencong.reports.models import ReportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_regional_job_runs_with_progress_and_gives_a_file(
    cuc_admin, as_user, django_capture_on_commit_callbacks
):
    demo.load_southern_2019(cuc_admin)
    client = as_user(cuc_admin)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            "/reports/jobs/",
            {
                "region": "phia-nam",
                "kind": "half",
                "year": 2019,
                "source": "accepted",
                "rollup": "as_was",
                "fmt": "xlsx",
            },
        )
        # Nothing runs before the job row is committed.
        assert ReportJob.objects.get().status == "queued"
    assert len(queued) == 1
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.status, job.progress, job.attempts) == ("done", 100, 1)
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "Tải tệp kết quả" in page and 'aria-valuenow="100"' in page and "every 1s" not in page
    partial = client.get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="job-progress"')
    content = b"".join(client.get(f"/reports/jobs/{job.pk}/download/").streaming_content)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Kinh phí theo tỉnh"]
    headers = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    assert ws.cell(ws.max_row, headers.index("Kế hoạch được giao (triệu đồng)") + 1).value == 85865


def test_running_job_page_polls(cuc_admin, as_user):
    job = ReportJob.objects.create(
        created_by=cuc_admin, period_key="2019-half", source="accepted", rollup="as_was"
    )
    page = as_user(cuc_admin).get(f"/reports/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Đang chờ" in page


def test_failed_job_shows_why_and_can_be_retried(
    cuc_admin, as_user, monkeypatch, api_as, django_capture_on_commit_callbacks
):
    from khuyencong.reports import aggregation

    def boom(**kwargs):
        raise RuntimeError("Mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(aggregation, "aggregate", boom)
    client = as_user(cuc_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/reports/jobs/",
            {
                "region": "national",
                "kind": "year",
                "year": 2018,
                "source": "live",
                "rollup": "current",
                "fmt": "docx",
            },
        )
    job = ReportJob.objects.get()
    assert job.status == "failed" and "Mất kết nối cơ sở dữ liệu" in job.error
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "Mất kết nối cơ sở dữ liệu" in page and "Chạy lại" in page
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 404
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and job.error == ""
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 200
    r = api_as(cuc_admin).post(f"/api/v1/reports/jobs/{job.pk}/retry/")
    assert r.status_code == 400 and "Chỉ chạy lại được tác vụ bị lỗi" in r.json()["error"]["message"]


def test_jobs_are_scoped(cuc_admin, vinhlong_officer, as_user, api_as, django_capture_on_commit_callbacks):
    job = ReportJob.objects.create(
        created_by=cuc_admin, period_key="2019-half", source="accepted", rollup="as_was"
    )
    client = as_user(vinhlong_officer)
    for url in (f"/reports/jobs/{job.pk}/", f"/reports/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/reports/jobs/{job.pk}/retry/").status_code == 404
    api = api_as(vinhlong_officer)
    assert api.get(f"/api/v1/reports/jobs/{job.pk}/").status_code == 404
    assert api.post(f"/api/v1/reports/jobs/{job.pk}/retry/").status_code == 404
    assert api.get("/api/v1/reports/jobs/").json()["count"] == 0
    r = api.post("/api/v1/reports/jobs/", {"region": "phia-nam", "kind": "half", "year": 2019}, format="json")
    assert r.status_code == 403 and "Chỉ Cục" in r.json()["error"]["message"]
    cuc = api_as(cuc_admin)
    with django_capture_on_commit_callbacks(execute=True):
        r = cuc.post(
            "/api/v1/reports/jobs/", {"region": "phia-nam", "kind": "half", "year": 2019}, format="json"
        )
    assert r.status_code == 201
    detail = cuc.get(f"/api/v1/reports/jobs/{r.json()['id']}/").json()
    assert detail["status"] == "done" and detail["download_url"]


def test_queued_job_page_says_when_no_worker_was_seen_for_a_minute(cuc_admin, as_user):
    from datetime import timedelta

    from django.utils import timezone

    from khuyencong.ops.models import WorkerHeartbeat

    job = ReportJob.objects.create(
        created_by=cuc_admin, period_key="2019-half", source="accepted", rollup="as_was"
    )
    client = as_user(cuc_admin)
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "Không thấy tiến trình chạy nền (worker) nào trong 1 phút qua" in page
    assert "chưa từng có worker nào chạy" in page and "make run" in page

    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="may-chu", pid=42, started_at=now, seen_at=now - timedelta(seconds=75)
    )
    partial = client.get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    seen = timezone.localtime(beat.seen_at).strftime("%H:%M:%S %d/%m/%Y")
    assert "trong 1 phút qua" in partial and f"lần cuối thấy lúc {seen}" in partial

    WorkerHeartbeat.objects.filter(pk="w1").update(seen_at=now - timedelta(seconds=20))
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "Đang chờ" in page and "Không thấy tiến trình chạy nền" not in page

    # A finished job has nothing to wait for: no warning even with no worker.
    WorkerHeartbeat.objects.all().delete()
    ReportJob.objects.filter(pk=job.pk).update(status="failed", error="x")
    assert "Không thấy tiến trình chạy nền" not in client.get(f"/reports/jobs/{job.pk}/").content.decode()


def test_a_job_whose_transaction_rolls_back_queues_nothing(cuc_admin, django_capture_on_commit_callbacks):
    from django.db import transaction

    from khuyencong.reports import services
    from khuyencong.reports.periods import Period

    with django_capture_on_commit_callbacks(execute=True) as queued:
        try:
            with transaction.atomic():
                services.report_job_create(
                    actor=cuc_admin,
                    region=None,
                    period=Period.parse("2018-year"),
                    source="live",
                    rollup="current",
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert queued == [] and not ReportJob.objects.exists()
