import io

import openpyxl
import pytest

from khuyencong.reports import demo
from khuyencong.reports.models import ReportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_regional_job_runs_with_progress_and_gives_a_file(cuc_admin, as_user):
    demo.load_southern_2019(cuc_admin)
    client = as_user(cuc_admin)
    response = client.post("/reports/jobs/", {"region": "phia-nam", "kind": "half", "year": 2019,
                                              "source": "accepted", "rollup": "as_was", "fmt": "xlsx"})
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
    job = ReportJob.objects.create(created_by=cuc_admin, period_key="2019-half", source="accepted", rollup="as_was")
    page = as_user(cuc_admin).get(f"/reports/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Đang chờ" in page


def test_failed_job_shows_why_and_can_be_retried(cuc_admin, as_user, monkeypatch, api_as):
    from khuyencong.reports import aggregation

    def boom(**kwargs):
        raise RuntimeError("Mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(aggregation, "aggregate", boom)
    client = as_user(cuc_admin)
    client.post("/reports/jobs/", {"region": "national", "kind": "year", "year": 2018, "source": "live",
                                   "rollup": "current", "fmt": "docx"})
    job = ReportJob.objects.get()
    assert job.status == "failed" and "Mất kết nối cơ sở dữ liệu" in job.error
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "Mất kết nối cơ sở dữ liệu" in page and "Chạy lại" in page
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 404
    monkeypatch.undo()
    client.post(f"/reports/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and job.error == ""
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 200
    r = api_as(cuc_admin).post(f"/api/v1/reports/jobs/{job.pk}/retry/")
    assert r.status_code == 400 and "Chỉ chạy lại được tác vụ bị lỗi" in r.json()["error"]["message"]


def test_jobs_are_scoped(cuc_admin, vinhlong_officer, as_user, api_as):
    job = ReportJob.objects.create(created_by=cuc_admin, period_key="2019-half", source="accepted", rollup="as_was")
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
    r = api_as(cuc_admin).post("/api/v1/reports/jobs/", {"region": "phia-nam", "kind": "half", "year": 2019},
                               format="json")
    assert r.status_code == 201 and r.json()["status"] == "done" and r.json()["download_url"]
