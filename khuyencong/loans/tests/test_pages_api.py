import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.core.xlsx import Sheet, write_workbook

from .. import services
from ..models import Loan, LoanStatus, Repayment
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    services.repayment_record(actor=vinhlong_officer, loan=ln, date=dt.date(2019, 4, 15), amount=14_285_714)
    return Loan.objects.get(pk=ln.pk)


def _pages(ln):
    rep = ln.repayments.first()
    return {
        "get": [f"/loans/{ln.pk}/", f"/history/loans.loan/{ln.pk}/"],
        "post": [
            f"/loans/{ln.pk}/transition/",
            f"/loans/{ln.pk}/repayments/",
            f"/loans/{ln.pk}/repayments/{rep.pk}/reverse/",
            f"/loans/{ln.pk}/actions/",
        ],
        "api_get": [
            f"/api/v1/loans/{ln.pk}/",
            f"/api/v1/loans/{ln.pk}/repayments/",
            f"/api/v1/loans/{ln.pk}/transitions/",
            f"/api/v1/loans/{ln.pk}/actions/",
        ],
        "api_post": [
            (f"/api/v1/loans/{ln.pk}/repayments/", {"date": "2019-05-01", "amount": 1_000_000}),
            (f"/api/v1/loans/{ln.pk}/transitions/", {"to_status": "in_recovery", "note": "x"}),
            (f"/api/v1/loans/{ln.pk}/actions/", {"kind": "visit", "date": "2019-05-01", "note": "x"}),
        ],
    }


def test_outsider_gets_404_on_every_page_and_endpoint(loan, as_user, api_as, thainguyen_officer):
    client = as_user(thainguyen_officer)
    urls = _pages(loan)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert (
            client.post(url, {"reason": "x", "amount": "1.000.000", "date": "01/05/2019"}).status_code == 404
        ), url
    api = api_as(thainguyen_officer)
    for url in urls["api_get"]:
        assert api.get(url).status_code == 404, url
    for url, body in urls["api_post"]:
        assert api.post(url, body, format="json").status_code == 404, url
    assert api.get("/api/v1/loans/").json()["count"] == 0
    arrears = api.get("/api/v1/loans/arrears/?as_of=2019-09-01").json()
    assert arrears["results"] == [] and arrears["totals"] == {}
    page = client.get("/loans/")
    assert page.status_code == 200 and loan.contract_no not in page.content.decode()
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_list_detail_and_excel(loan, as_user, vinhlong_officer):
    client = as_user(vinhlong_officer)
    page = client.get("/loans/?as_of=01/09/2019")
    body = page.content.decode()
    assert loan.contract_no in body and "31–90 ngày" in body
    assert f'data-value="{100_000_000 - 14_285_714}"' in body
    assert (
        client.get("/loans/?bucket=overdue&as_of=01/09/2019").content.decode().count("badge text-bg-danger")
        == 1
    )
    xlsx = client.get("/loans/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    detail = client.get(f"/loans/{loan.pk}/?as_of=01/09/2019").content.decode()
    assert "Lịch trả nợ" in detail and "Kỳ 1 (15/04/2019): 14.285.714 đồng" in detail
    for url in (
        "/loans/terms/",
        "/loans/fund/",
        "/loans/import/",
        "/loans/new/",
        "/loans/import/?template=1",
    ):
        assert client.get(url).status_code == 200, url
    for url in ("/loans/terms/?format=xlsx", "/loans/fund/?format=xlsx&year=2019"):
        assert client.get(url)["Content-Type"].startswith("application/vnd.openxml"), url


def test_page_repayment_and_reversal(loan, as_user, vinhlong_officer):
    client = as_user(vinhlong_officer)
    r = client.post(
        f"/loans/{loan.pk}/repayments/", {"date": "01/08/2019", "amount": "900 triệu"}, follow=True
    )
    assert "lớn hơn số còn nợ: 85.714.286 đồng" in r.content.decode()
    client.post(f"/loans/{loan.pk}/repayments/", {"date": "01/08/2019", "amount": "14.285.714"})
    rep = loan.repayments.order_by("-pk").first()
    assert rep.amount == 14_285_714
    client.post(f"/loans/{loan.pk}/repayments/{rep.pk}/reverse/", {"reason": "Nhầm"})
    assert Repayment.objects.filter(reverses=rep).exists()


def test_api_writeoff_maker_checker(loan, api_as, vinhlong_officer, vinhlong_approver):
    api = api_as(vinhlong_officer)
    url = f"/api/v1/loans/{loan.pk}/transitions/"
    r = api.post(
        url,
        {
            "to_status": "propose_writeoff",
            "expected_version": loan.version,
            "effective_date": "2021-03-01",
            "writeoff_cause": "kinh-doanh-that-bai",
            "writeoff_reason": "Cơ sở ngừng sản xuất",
            "writeoff_evidence": "Biên bản xác minh",
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    version = r.json()["version"]
    r = api.post(
        url,
        {
            "to_status": "written_off",
            "expected_version": version,
            "writeoff_decision_no": "1/QĐ",
            "writeoff_decision_date": "2021-04-01",
        },
        format="json",
    )
    assert r.status_code == 403
    api = api_as(vinhlong_approver)
    r = api.post(
        url,
        {"to_status": "written_off", "expected_version": version, "writeoff_decision_date": "2021-04-01"},
        format="json",
    )
    assert r.status_code == 400 and "số quyết định xóa nợ" in r.json()["error"]["message"]
    r = api.post(
        url,
        {
            "to_status": "written_off",
            "expected_version": version,
            "writeoff_decision_no": "1/QĐ",
            "writeoff_decision_date": "2021-04-01",
        },
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == LoanStatus.WRITTEN_OFF
    assert r.json()["written_off_amount"] == 100_000_000 - 14_285_714
    steps = api.get(url).json()
    assert [s["to_status"] for s in steps][-1] == "written_off"


def test_api_arrears_as_of_and_repayments(loan, api_as, vinhlong_officer):
    api = api_as(vinhlong_officer)
    r = api.get("/api/v1/loans/arrears/?as_of=2019-10-20&group_by=province").json()
    row = r["results"][0]
    assert (row["days_past_due"], row["bucket"]) == (97, "91–180 ngày")
    assert r["groups"][0]["outstanding"] == 100_000_000 - 14_285_714
    assert r["totals"]["overdue"] == 2 * 14_285_714  # 15/07 and 15/10/2019
    r = api.post(
        f"/api/v1/loans/{loan.pk}/repayments/", {"date": "2019-10-25", "amount": 200_000_000}, format="json"
    )
    assert r.status_code == 400 and "85.714.286 đồng" in r.json()["error"]["message"]
    r = api.post(
        f"/api/v1/loans/{loan.pk}/repayments/", {"date": "2019-10-25", "amount": 14_285_714}, format="json"
    )
    assert r.status_code == 201
    again = api.get("/api/v1/loans/arrears/?as_of=2019-10-20").json()["results"][0]
    assert again["bucket"] == "91–180 ngày"
    r = api.post(
        f"/api/v1/loans/{loan.pk}/repayments/",
        {"reverses": r.json()["id"], "reason": "Sai", "date": "2019-10-26"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["kind"] == "reversal"
    assert api.get(f"/api/v1/loans/{loan.pk}/repayments/").status_code == 200


def test_home_tasks_list_overdue_loans(loan, vinhlong_officer):
    from khuyencong.core.todo import tasks_for

    keys = {t.key for t in tasks_for(vinhlong_officer, today=dt.date(2019, 9, 1))}
    assert "loans_overdue" in keys


def _book(loans, pays) -> SimpleUploadedFile:
    from ..imports import LOAN_COLUMNS, REPAYMENT_COLUMNS

    content = write_workbook(
        [
            Sheet(title="Khoản vay", headers=[h for h, _ in LOAN_COLUMNS], rows=loans),
            Sheet(title="Trả nợ", headers=[h for h, _ in REPAYMENT_COLUMNS], rows=pays),
        ]
    )
    return SimpleUploadedFile("so-no.xlsx", content)


def test_import_all_or_nothing(as_user, vinhlong_officer):
    f.terms(vinhlong_officer)
    project = f.recoverable_project(vinhlong_officer)
    est = project.establishments.first()
    good = [
        "7/HĐ-2012",
        "01/03/2018",
        project.code,
        2018,
        est.name,
        100_000_000,
        "3/QĐ",
        "01/03/2018",
        "15/03/2018",
        "Nhà xưởng",
        "",
    ]
    client = as_user(vinhlong_officer)
    bad = client.post(
        "/loans/import/",
        {
            "file": _book(
                [good],
                [["7/HĐ-2012", "15/12/2018", 900_000_000, "PT1"], ["9/HĐ-X", "15/12/2018", 1_000_000, ""]],
            )
        },
    )
    body = bad.content.decode()
    assert "lớn hơn số còn nợ" in body and "Không có khoản vay này" in body and "Số tiền (đồng)" in body
    assert not Loan.objects.exists()
    ok = client.post(
        "/loans/import/", {"file": _book([good], [["7/HĐ-2012", "15/12/2018", 14_285_714, "PT1"]])}
    )
    assert ok.status_code == 302
    ln = Loan.objects.get(contract_no="7/HĐ-2012")
    assert ln.status == LoanStatus.REPAYING and ln.repayments.count() == 1


def test_list_query_count_does_not_grow_with_the_rows(as_user, vinhlong_officer, vinhlong_approver):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.disbursed(vinhlong_officer, vinhlong_approver)
    client = as_user(vinhlong_officer)
    client.get("/loans/")  # warm the session and caches

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = (count("/loans/?as_of=01/09/2019"), count("/api/v1/loans/arrears/?as_of=2019-09-01"))
    for _ in range(3):
        f.disbursed(vinhlong_officer, vinhlong_approver)
    assert (count("/loans/?as_of=01/09/2019"), count("/api/v1/loans/arrears/?as_of=2019-09-01")) == one


def test_create_by_page_and_api(as_user, api_as, vinhlong_officer, thainguyen_officer):
    f.terms(vinhlong_officer)
    project = f.recoverable_project(vinhlong_officer, amount=200_000_000)
    est = project.establishments.first()
    client = as_user(vinhlong_officer)
    r = client.post(
        "/loans/new/",
        {
            "project": project.pk,
            "establishment": est.pk,
            "principal": "250 triệu",
            "contract_no": "1/HĐ",
            "contract_date": "01/07/2018",
        },
    )
    assert "còn lại: 200.000.000 đồng" in r.content.decode()
    r = client.post(
        "/loans/new/",
        {
            "project": project.pk,
            "establishment": est.pk,
            "principal": "120 triệu",
            "contract_no": "1/HĐ",
            "contract_date": "01/07/2018",
        },
    )
    loan = Loan.objects.get(contract_no="1/HĐ")
    assert r.status_code == 302 and loan.principal == 120_000_000 and loan.status == LoanStatus.DRAFTED
    api = api_as(vinhlong_officer)
    body = {
        "project": project.pk,
        "establishment": est.pk,
        "principal": 80_000_000,
        "contract_no": "2/HĐ",
        "contract_date": "2018-07-02",
    }
    r = api.post("/api/v1/loans/", body, format="json")
    assert r.status_code == 201 and r.json()["position"]["outstanding"] == 0
    r = api_as(thainguyen_officer).post("/api/v1/loans/", {**body, "contract_no": "3/HĐ"}, format="json")
    assert r.status_code == 404
