"""Issue 10, acceptance of item 1: last year's local plan entered today through the API only, on its own
business dates, gives the right "as of 30/6/2017" figures and 6-month report.

What is entered through the API: 12 đề án (4,2 tỷ requested from the local source), each registered, appraised
and approved on its own decision date, progress 50 % on 15/5, payments of 2,1 tỷ dated before 30/6, one đề án
cancelled, a payment dated 10/7, the 6-month report prepared and submitted, then a back-dated payment.

The plan is created through the API too (registered at 4,2 tỷ), with two batches assigning 3 tỷ and 1,2 tỷ
from the local source: the plan's money as of 30/6 reads assigned 4.200 triệu, paid 2.100 triệu, 50,0 %, and
"11 đề án" with the cancelled one on its own line.
"""

import pytest

from khuyencong import testing
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db

TR = 1_000_000


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def _as_of(api, plan_id, day):
    body = _ok(api.get(f"/api/v1/projects/?plan={plan_id}&as_of={day}&page_size=100", secure=True))
    rows = body["results"]
    assert body["count"] == len(rows)
    return rows


def test_last_years_local_plan_entered_today_reports_right(vinhlong_officer, vinhlong_approver, api_as):
    establishments = [f.establishment("Bến Tre").pk for _ in range(12)]

    def post(client_user, url, body, status=200):
        return _ok(api_as(client_user).post(url, body, format="json", secure=True), status)

    from khuyencong.projects.models import AnnualPlan

    unit = testing.old_province("Bến Tre")
    created = post(
        vinhlong_officer,
        "/api/v1/plans/",
        {
            "unit": unit.pk,
            "year": 2017,
            "level": "local",
            "registered_total": "4,2 tỷ",
            "title": "Kế hoạch khuyến công địa phương năm 2017",
            "effective_date": "05/01/2017",
        },
        status=201,
    )
    plan = AnnualPlan.objects.get(pk=created["id"])
    assert plan.registered_total == 4_200 * TR
    post(
        vinhlong_officer,
        f"/api/v1/plans/{plan.pk}/batches/",
        {
            "number": 1,
            "decision_no": "15/QĐ-UBND",
            "decision_date": "20/01/2017",
            "issuer": "UBND tỉnh Bến Tre",
            "amounts": {"local": "3 tỷ"},
        },
        status=201,
    )
    post(
        vinhlong_officer,
        f"/api/v1/plans/{plan.pk}/batches/",
        {
            "number": 2,
            "decision_no": "88/QĐ-UBND",
            "decision_date": "05/04/2017",
            "issuer": "UBND tỉnh Bến Tre",
            "amounts": {"local": "1,2 tỷ"},
        },
        status=201,
    )

    ids = []
    for i in range(12):
        p = post(
            vinhlong_officer,
            "/api/v1/projects/",
            {
                "plan": plan.pk,
                "code": f"BT17-DP-{i + 1:02d}",
                "title": f"Đào tạo nghề đan lục bình, lớp {i + 1}",
                "content": "1",
                "establishments": [establishments[i]],
                "effective_date": "2017-02-10",
                "start_date": "2017-04-01",
                "end_date": "2017-12-31",
                "funding": {"local": {"requested": "350 triệu"}},
            },
            status=201,
        )
        url = f"/api/v1/projects/{p['id']}/transitions/"
        p = post(
            vinhlong_officer,
            url,
            {"to_status": "registered", "expected_version": p["version"], "effective_date": "2017-02-15"},
        )
        p = post(
            vinhlong_approver,
            url,
            {
                "to_status": "appraised",
                "appraisal_result": "passed",
                "expected_version": p["version"],
                "effective_date": "2017-03-01",
            },
        )
        p = post(
            vinhlong_approver,
            url,
            {
                "to_status": "approved",
                "decision_no": f"{100 + i}/QĐ-SCT",
                "decision_date": f"2017-03-{10 + i:02d}",
                "expected_version": p["version"],
            },
        )
        assert {x["source"]: x["approved"] for x in p["fundings"]} == {"local": 350 * TR}
        if i < 11:
            p = post(
                vinhlong_officer,
                url,
                {
                    "to_status": "in_progress",
                    "progress_pct": 50,
                    "progress_date": "2017-05-15",
                    "expected_version": p["version"],
                },
            )
        else:
            p = post(
                vinhlong_approver,
                url,
                {
                    "to_status": "cancelled",
                    "note": "Cơ sở xin rút",
                    "expected_version": p["version"],
                    "effective_date": "2017-06-25",
                },
            )
        ids.append(p["id"])
    for pk in ids[:7]:  # 7 × 300 triệu = 2,1 tỷ paid before 30/6
        post(
            vinhlong_officer,
            f"/api/v1/projects/{pk}/disbursements/",
            {
                "kind": "payment",
                "source": "local",
                "date": "2017-06-20",
                "amount": "300 triệu",
                "document_no": "UNC 06/2017",
            },
            status=201,
        )

    rows = _as_of(api_as(vinhlong_officer), plan.pk, "2017-06-30")
    assert sum(r["disbursed_total"] for r in rows) == 2_100 * TR
    money = _ok(api_as(vinhlong_officer).get(f"/api/v1/plans/{plan.pk}/money/?as_of=2017-06-30", secure=True))
    assert money["state"]["assigned"] == 4_200 * TR and money["state"]["paid"] == 2_100 * TR
    assert money["state"]["rate"] in ("0.5", "0.50", "0.5000", "50.0", "50")
    assert (money["count"], money["cancelled"]) == (11, 1)
    # The plan page as of 30/6 says it the Vietnamese way.
    from django.test import Client

    page = Client()
    page.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    html = page.get(f"/projects/plans/{plan.pk}/?as_of=30/06/2017", secure=True).content.decode()
    assert "4.200" in html and "2.100" in html and "50,0 %" in html
    assert "01 đề án đã hủy" in html and "11/11 đề án" in html
    statuses = sorted((r["status"], r["progress_pct"]) for r in rows)
    assert statuses.count(("in_progress", 50)) == 11
    assert [s for s, _p in statuses if s == "cancelled"] == ["cancelled"]
    # On 31/3 the cancelled đề án was still approved, and nothing was paid yet.
    early = _as_of(api_as(vinhlong_officer), plan.pk, "2017-03-31")
    assert (
        sorted({r["status"] for r in early}) == ["approved"] and sum(r["disbursed_total"] for r in early) == 0
    )

    bt = testing.old_province("Bến Tre")
    report = post(
        vinhlong_officer, "/api/v1/reports/", {"unit": bt.pk, "kind": "half", "year": 2017}, status=201
    )
    live = _ok(api_as(vinhlong_officer).get(f"/api/v1/reports/{report['id']}/figures/", secure=True))[
        "figures"
    ]
    assert live["as_of"] == "2017-06-30" and live["disbursed"] == 2_100 * TR

    # A payment dated 10/7 changes nothing as of 30/6.
    post(
        vinhlong_officer,
        f"/api/v1/projects/{ids[7]}/disbursements/",
        {"kind": "payment", "source": "local", "date": "2017-07-10", "amount": "100 triệu"},
        status=201,
    )
    assert (
        sum(r["disbursed_total"] for r in _as_of(api_as(vinhlong_officer), plan.pk, "2017-06-30"))
        == 2_100 * TR
    )
    assert (
        _ok(api_as(vinhlong_officer).get(f"/api/v1/reports/{report['id']}/figures/", secure=True))["figures"][
            "disbursed"
        ]
        == 2_100 * TR
    )

    # The centre prepares and the Department submits the report on their own dates: the figures are frozen.
    url = f"/api/v1/reports/{report['id']}/transitions/"
    report = post(
        vinhlong_officer,
        url,
        {"to_status": "prepared", "expected_version": report["version"], "effective_date": "2017-07-12"},
    )
    report = post(
        vinhlong_approver,
        url,
        {"to_status": "submitted", "expected_version": report["version"], "effective_date": "2017-07-14"},
    )
    assert report["status"] == "submitted" and report["submitted_at"].startswith("2017-07-14")

    # A back-dated correction (a voucher of 28/6 entered today) changes the live as-of figures; the submitted
    # report keeps what it was submitted with.
    post(
        vinhlong_officer,
        f"/api/v1/projects/{ids[8]}/disbursements/",
        {"kind": "payment", "source": "local", "date": "2017-06-28", "amount": "50 triệu"},
        status=201,
    )
    assert (
        sum(r["disbursed_total"] for r in _as_of(api_as(vinhlong_officer), plan.pk, "2017-06-30"))
        == 2_150 * TR
    )
    frozen = _ok(api_as(vinhlong_officer).get(f"/api/v1/reports/{report['id']}/figures/", secure=True))[
        "figures"
    ]
    assert frozen["disbursed"] == 2_100 * TR
    # The submitted report's page says today's figures for the same period differ, and names the change.
    html = page.get(f"/reports/{report['id']}/", secure=True).content.decode()
    assert "Số liệu hiện nay của kỳ này khác với số liệu đã gửi" in html
    assert "28/06/2017" in html
    assert frozen["project_count"] == 11 and len(frozen["cancelled"]) == 1
