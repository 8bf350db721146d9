"""The shared engine through the API only: the version the client read is required (a stale or missing one
answers 409 and nothing changes), steps carry business dates in order and never in the future, and the history
shows the approval's money before → after."""

import datetime as dt

import pytest
from django.utils import timezone

from khuyencong.projects.models import Project, StatusChange
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, body, format="json", secure=True)


def _appraised(officer, approver, api_as, *, requested="200 triệu", establishments=1):
    """A đề án registered on 02/05/2018 and appraised on 20/05/2018, all through the API; returns (pk,
    version)."""
    plan = f.plan(officer)
    ests = [f.establishment().pk for _ in range(establishments)]
    r = _post(
        api_as(officer),
        "/api/v1/projects/",
        {
            "plan": plan.pk,
            "code": f"ENG-{ests[0]}",
            "title": "Hỗ trợ máy sấy",
            "content": "3",
            "support_cap": "tt28-may-moc-thiet-bi",
            "establishments": ests,
            "effective_date": "2018-04-01",
            "start_date": "2018-06-01",
            "end_date": "2018-12-31",
            "funding": {"national": {"requested": requested}, "counterpart": {"requested": "500 triệu"}},
        },
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    url = f"/api/v1/projects/{pk}/transitions/"
    r = _post(
        api_as(officer),
        url,
        {"to_status": "registered", "expected_version": r.json()["version"], "effective_date": "2018-05-02"},
    )
    assert r.status_code == 200, r.json()
    r = _post(
        api_as(approver),
        url,
        {
            "to_status": "appraised",
            "appraisal_result": "passed",
            "expected_version": r.json()["version"],
            "effective_date": "2018-05-20",
        },
    )
    assert r.status_code == 200, r.json()
    return pk, r.json()["version"]


def _state(pk):
    p = Project.objects.get(pk=pk)
    return (
        p.status,
        p.version,
        StatusChange.objects.filter(project=p).count(),
        p.history.count(),
        p.fundings.get(source__code="national").approved,
    )


def test_stale_or_missing_version_answers_409_and_changes_nothing(
    vinhlong_officer, vinhlong_approver, api_as
):
    pk, version = _appraised(vinhlong_officer, vinhlong_approver, api_as)
    url = f"/api/v1/projects/{pk}/transitions/"
    approve = {"to_status": "approved", "decision_no": "12/QĐ-SCT", "decision_date": "2018-06-10"}
    before = _state(pk)
    assert before[0] == "appraised" and before[4] == 0
    stale = _post(api_as(vinhlong_approver), url, {**approve, "expected_version": version - 1})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert "đã được người khác thay đổi" in stale.json()["error"]["message"]
    assert _state(pk) == before
    missing = _post(api_as(vinhlong_approver), url, approve)
    assert missing.status_code == 409
    assert missing.json()["error"]["details"] == {"missing": ["version"]}
    assert "Thiếu phiên bản" in missing.json()["error"]["message"]
    assert _state(pk) == before
    # The same request with the version the client read goes through, once.
    ok = _post(api_as(vinhlong_approver), url, {**approve, "expected_version": version})
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["version"] == version + 1
    again = _post(
        api_as(vinhlong_approver), url, {"to_status": "cancelled", "note": "Hủy", "expected_version": version}
    )
    assert again.status_code == 409
    assert _state(pk)[:3] == ("approved", version + 1, before[2] + 1)


def test_a_step_dated_before_the_approval_is_refused_naming_both_dates(
    vinhlong_officer, vinhlong_approver, api_as
):
    pk, version = _appraised(vinhlong_officer, vinhlong_approver, api_as)
    url = f"/api/v1/projects/{pk}/transitions/"
    r = _post(
        api_as(vinhlong_approver),
        url,
        {
            "to_status": "approved",
            "decision_no": "12/QĐ-SCT",
            "decision_date": "2018-06-10",
            "expected_version": version,
        },
    )
    assert r.status_code == 200
    version = r.json()["version"]
    before = _state(pk)
    early = _post(
        api_as(vinhlong_officer),
        url,
        {
            "to_status": "contracted",
            "contract_no": "45/HĐ",
            "contract_date": "2018-06-01",
            "expected_version": version,
        },
    )
    assert early.status_code == 400
    assert early.json()["error"]["message"] == (
        "Ngày hiệu lực (01/06/2018) không được trước ngày của bước trước (10/06/2018)."
    )
    details = early.json()["error"]["details"]
    assert (details["date"], details["previous"]) == ("2018-06-01", "2018-06-10")
    # An explicit effective_date is checked the same way, whatever the document date says.
    early = _post(
        api_as(vinhlong_officer),
        url,
        {
            "to_status": "contracted",
            "contract_no": "45/HĐ",
            "contract_date": "2018-06-15",
            "effective_date": "2018-05-30",
            "expected_version": version,
        },
    )
    assert early.status_code == 400 and "(30/05/2018)" in early.json()["error"]["message"]
    assert "(10/06/2018)" in early.json()["error"]["message"]
    paid_early = _post(
        api_as(vinhlong_officer),
        f"/api/v1/projects/{pk}/disbursements/",
        {"kind": "advance", "source": "national", "date": "2018-06-05", "amount": "50 triệu"},
    )
    assert paid_early.status_code == 400
    assert paid_early.json()["error"]["message"] == (
        "Ngày chi (05/06/2018) không được trước ngày quyết định phê duyệt đề án (10/06/2018)."
    )
    assert _state(pk) == before
    assert not Project.objects.get(pk=pk).disbursements.exists()
    ok = _post(
        api_as(vinhlong_officer),
        url,
        {
            "to_status": "contracted",
            "contract_no": "45/HĐ",
            "contract_date": "2018-06-15",
            "expected_version": version,
        },
    )
    assert ok.status_code == 200 and ok.json()["status"] == "contracted"
    timeline = api_as(vinhlong_officer).get(url, secure=True).json()
    assert [t["effective_date"] for t in timeline] == [
        "2018-04-01",
        "2018-05-02",
        "2018-05-20",
        "2018-06-10",
        "2018-06-15",
    ]


def test_a_future_date_is_refused(vinhlong_officer, vinhlong_approver, api_as):
    pk, version = _appraised(vinhlong_officer, vinhlong_approver, api_as)
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    before = _state(pk)
    r = _post(
        api_as(vinhlong_approver),
        f"/api/v1/projects/{pk}/transitions/",
        {
            "to_status": "approved",
            "decision_no": "12/QĐ-SCT",
            "decision_date": "2018-06-10",
            "effective_date": tomorrow.isoformat(),
            "expected_version": version,
        },
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        f"Ngày hiệu lực ({tomorrow:%d/%m/%Y}) không được sau ngày hôm nay ({today:%d/%m/%Y})."
    )
    assert _state(pk) == before
    r = _post(
        api_as(vinhlong_officer),
        f"/api/v1/projects/{pk}/outputs/",
        {"indicator": "may-moc", "quantity": 1, "date": tomorrow.isoformat()},
    )
    assert r.status_code == 400 and "không được sau ngày hôm nay" in r.json()["error"]["message"]


def test_the_approval_history_shows_the_approved_amount_before_and_after(
    vinhlong_officer, vinhlong_approver, api_as, as_user
):
    pk, version = _appraised(
        vinhlong_officer, vinhlong_approver, api_as, requested="350 triệu", establishments=2
    )
    r = _post(
        api_as(vinhlong_approver),
        f"/api/v1/projects/{pk}/transitions/",
        {
            "to_status": "approved",
            "decision_no": "88/QĐ-SCT",
            "decision_date": "2018-06-10",
            "expected_version": version,
        },
    )
    assert r.status_code == 200, r.json()
    assert {x["source"]: x["approved"] for x in r.json()["fundings"]}["national"] == 350_000_000
    approval = api_as(vinhlong_approver).get(f"/api/v1/projects/{pk}/transitions/", secure=True).json()[-1]
    assert approval["effective_date"] == "2018-06-10"
    assert approval["changes"]["status"] == ["appraised", "approved"]
    assert approval["changes"]["decision_no"] == ["", "88/QĐ-SCT"]
    money_before, money_after = approval["changes"]["funding"]
    assert (money_before["national"]["approved"], money_after["national"]["approved"]) == (0, 350_000_000)

    page = as_user(vinhlong_officer).get(f"/history/projects.project/{pk}/", secure=True).content.decode()
    rows = [r.split("</tr>")[0] for r in page.split('<tr data-testid="transition-row">')[1:]]
    row = next(r for r in rows if "Phê duyệt, giao kinh phí" in r)
    assert "ngày 10/06/2018" in row
    assert "<strong>Trạng thái</strong>: Đã thẩm định → Đã phê duyệt" in row
    assert "<strong>Được phê duyệt — KCQG</strong>: 0 đồng → 350.000.000 đồng" in row
    assert "<strong>Được phê duyệt — Đối ứng</strong>: 0 đồng → 500.000.000 đồng" in row
    assert "<strong>Ngày quyết định</strong>: (trống) → 10/06/2018" in row
    assert f"bởi {vinhlong_approver.display_name}" in row and "ghi nhận lúc" in row
    detail = as_user(vinhlong_officer).get(f"/projects/{pk}/", secure=True).content.decode()
    assert "Được phê duyệt — KCQG</strong>: 0 đồng → 350.000.000 đồng" in detail
