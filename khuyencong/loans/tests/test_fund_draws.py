"""An annual plan draws on the revolving fund: what was repaid (and recovered) and not yet used.

The loan: 100.000.000 đồng lent 15/07/2018 by a recoverable đề án of Bến Tre's 2018 local plan; 45.000.000
repaid on 15/04/2019, so the fund of (today's) Vĩnh Long holds 45.000.000 đồng to lend again from that day."""

import datetime as dt
import io

import openpyxl
import pytest

from khuyencong.core.errors import DomainError, NotAllowed

from .. import selectors, services
from ..models import FundDraw, Loan
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    services.repayment_record(actor=vinhlong_officer, loan=ln, date=dt.date(2019, 4, 15), amount=45_000_000)
    return Loan.objects.get(pk=ln.pk)


def _available(loan, day):
    return selectors.fund_available(loan.province_id, day)


def _draw(approver, plan, amount, day=dt.date(2019, 5, 2), no="25/QĐ-UBND"):
    return services.fund_draw_record(
        actor=approver, plan=plan, amount=amount, decision_no=no, decision_date=day, note="Cho vay lại"
    )


def test_a_draw_lowers_available_by_exactly_its_amount(loan, vinhlong_approver):
    plan = loan.project.plan
    assert _available(loan, dt.date(2019, 5, 2)) == 45_000_000
    draw = _draw(vinhlong_approver, plan, 20_000_000)
    assert _available(loan, dt.date(2019, 5, 2)) == 25_000_000
    assert _available(loan, dt.date(2019, 5, 1)) == 45_000_000  # not before its decision date
    assert draw.province_id == loan.province_id and draw.history.count() == 1
    led = selectors.fund_ledger(Loan.objects.all(), end=dt.date(2019, 12, 31))
    assert led["drawn_total"] == 20_000_000 and led["available"] == 25_000_000
    assert [d.pk for d in led["draws"]] == [draw.pk]
    assert led["repaid_total"] == 45_000_000  # the draw changes nothing else
    assert led["outstanding"] == 55_000_000


def test_a_draw_over_the_available_is_refused_naming_it(loan, vinhlong_approver):
    plan = loan.project.plan
    with pytest.raises(DomainError) as exc:
        _draw(vinhlong_approver, plan, 45_000_001)
    assert exc.value.field == "amount"
    assert "còn 45.000.000 đồng có thể cho vay lại" in exc.value.message
    _draw(vinhlong_approver, plan, 20_000_000)
    with pytest.raises(DomainError) as exc:
        _draw(vinhlong_approver, plan, 30_000_000, no="26/QĐ-UBND")
    assert "còn 25.000.000 đồng có thể cho vay lại" in exc.value.message
    # Before the repayment the fund held nothing.
    with pytest.raises(DomainError) as exc:
        _draw(vinhlong_approver, plan, 1_000_000, day=dt.date(2019, 4, 1), no="27/QĐ-UBND")
    assert "đến ngày 01/04/2019: còn 0 đồng có thể cho vay lại" in exc.value.message
    assert FundDraw.objects.count() == 1


def test_a_back_dated_draw_cannot_spend_what_a_later_draw_used(loan, vinhlong_approver):
    plan = loan.project.plan
    _draw(vinhlong_approver, plan, 40_000_000, day=dt.date(2019, 6, 1))
    with pytest.raises(DomainError) as exc:
        _draw(vinhlong_approver, plan, 10_000_000, day=dt.date(2019, 5, 1), no="26/QĐ-UBND")
    assert "đến ngày 01/06/2019: còn 5.000.000 đồng có thể cho vay lại" in exc.value.message
    _draw(vinhlong_approver, plan, 5_000_000, day=dt.date(2019, 5, 1), no="26/QĐ-UBND")
    assert _available(loan, dt.date(2019, 12, 31)) == 0


def test_only_an_approver_records_a_draw_and_only_for_a_local_plan(loan, vinhlong_officer, vinhlong_approver):
    from khuyencong.projects.tests import factories as pf

    with pytest.raises(NotAllowed):
        _draw(vinhlong_officer, loan.project.plan, 1_000_000)
    national = pf.plan(vinhlong_officer, "Bến Tre", 2019, "national")
    with pytest.raises(DomainError) as exc:
        _draw(vinhlong_approver, national, 1_000_000)
    assert exc.value.field == "plan" and "khuyến công địa phương" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.fund_draw_record(
            actor=vinhlong_approver,
            plan=loan.project.plan,
            amount=1_000_000,
            decision_no="",
            decision_date=None,
        )
    assert exc.value.field == "decision_no"


def test_relending_by_the_plans_projects_spends_the_draw_first(loan, vinhlong_officer, vinhlong_approver):
    plan = loan.project.plan
    _draw(vinhlong_approver, plan, 30_000_000)
    # A đề án of the same plan lends 20.000.000 again from the fund: inside the draw, available stays
    # 15.000.000.
    project = f.recoverable_project(vinhlong_officer, amount=50_000_000)
    assert project.plan_id == plan.pk
    f.disbursed(
        vinhlong_officer,
        vinhlong_approver,
        project=project,
        principal=20_000_000,
        contract_date=dt.date(2019, 5, 10),
        disbursed_on=dt.date(2019, 5, 15),
        from_revolving_fund=True,
    )
    assert _available(loan, dt.date(2019, 6, 1)) == 15_000_000
    fund = selectors.plan_fund(plan, dt.date(2019, 6, 1))
    assert fund["total"] == 30_000_000 and fund["relent"] == 20_000_000


def test_pages_fund_draws_and_plan(loan, as_user, vinhlong_officer, vinhlong_approver):
    plan = loan.project.plan
    client = as_user(vinhlong_approver)
    page = client.get(f"/loans/fund/draws/?plan={plan.pk}")
    assert page.status_code == 200 and 'data-testid="fund-draw-form"' in page.content.decode()
    # Over the available: the form says how much is left.
    answer = client.post(
        "/loans/fund/draws/",
        {"plan": plan.pk, "amount": "50 triệu", "decision_no": "25/QĐ-UBND", "decision_date": "02/05/2019"},
    )
    assert answer.status_code == 400
    assert "còn 45.000.000 đồng có thể cho vay lại" in answer.content.decode()
    answer = client.post(
        "/loans/fund/draws/",
        {"plan": plan.pk, "amount": "20 triệu", "decision_no": "25/QĐ-UBND", "decision_date": "02/05/2019"},
    )
    assert answer.status_code == 302
    draw = FundDraw.objects.get()
    assert draw.amount == 20_000_000 and draw.actor == vinhlong_approver

    # The fund page: the draw per plan with a link to the plan, and available lowered by it.
    body = client.get("/loans/fund/").content.decode()
    assert f'href="/projects/plans/{plan.pk}/"' in body and "25/QĐ-UBND" in body
    assert 'data-testid="fund-available" data-value="25000000">25.000.000 đồng<' in body
    # The plan page shows the amount drawn among its money.
    body = client.get(f"/projects/plans/{plan.pk}/").content.decode()
    assert 'data-testid="plan-fund-total">20.000.000 đồng<' in body
    assert "Từ quỹ quay vòng (tiền thu hồi cho vay lại)" in body
    assert (
        client.get(f"/projects/plans/{plan.pk}/?as_of=01/05/2019").content.decode().count("25/QĐ-UBND") == 0
    )  # not yet decided on that day

    # The Excel export of the draws list (and a sheet of them in the fund's export).
    xlsx = client.get("/loans/fund/draws/?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    cells = [v for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v is not None]
    assert "25/QĐ-UBND" in cells and 20_000_000 in cells and str(plan) in cells
    book = openpyxl.load_workbook(io.BytesIO(client.get("/loans/fund/?format=xlsx").content), read_only=True)
    assert "25/QĐ-UBND" in [v for row in book.worksheets[1].iter_rows(values_only=True) for v in row]

    # The officer sees the list, not the form, and may not post one.
    client = as_user(vinhlong_officer)
    body = client.get("/loans/fund/draws/").content.decode()
    assert "25/QĐ-UBND" in body and 'data-testid="fund-draw-form"' not in body
    answer = client.post(
        "/loans/fund/draws/",
        {"plan": plan.pk, "amount": "1 triệu", "decision_no": "30/QĐ-UBND", "decision_date": "02/05/2019"},
    )
    assert answer.status_code == 403 and FundDraw.objects.count() == 1


def test_api_fund_draws(loan, api_as, vinhlong_approver, vinhlong_officer):
    plan = loan.project.plan
    api = api_as(vinhlong_approver)
    body = {"plan": plan.pk, "amount": 45_000_001, "decision_no": "25/QĐ-UBND", "decision_date": "2019-05-02"}
    answer = api.post("/api/v1/loans/fund-draws/", body, format="json")
    assert answer.status_code == 400
    assert "còn 45.000.000 đồng có thể cho vay lại" in answer.json()["error"]["message"]
    answer = api.post("/api/v1/loans/fund-draws/", {**body, "amount": 45_000_000}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["amount"] == 45_000_000 and answer.json()["plan"] == plan.pk
    listing = api_as(vinhlong_officer).get(f"/api/v1/loans/fund-draws/?plan={plan.pk}").json()
    assert listing["total"] == 45_000_000 and listing["available"] == 0
    assert [r["decision_no"] for r in listing["results"]] == ["25/QĐ-UBND"]
    answer = api_as(vinhlong_officer).post(
        "/api/v1/loans/fund-draws/", {**body, "amount": 1, "decision_no": "x"}, format="json"
    )
    assert answer.status_code == 403
    assert b"/api/v1/loans/fund-draws/" in api.get("/api/schema/").content


def test_outsider_gets_404_on_the_draw_page_and_endpoint(
    loan, as_user, api_as, vinhlong_approver, thainguyen_officer
):
    from khuyencong import testing

    plan = loan.project.plan
    draw = _draw(vinhlong_approver, plan, 20_000_000)
    outsider_approver = testing.make_user("tn.approver", thainguyen_officer.organisation, "approver")
    for user in (thainguyen_officer, outsider_approver):
        client = as_user(user)
        assert client.get(f"/loans/fund/draws/?plan={plan.pk}").status_code == 404
        post = {"plan": plan.pk, "amount": "1 triệu", "decision_no": "9/QĐ", "decision_date": "02/05/2019"}
        assert client.post("/loans/fund/draws/", post).status_code == 404
        assert "25/QĐ-UBND" not in client.get("/loans/fund/draws/").content.decode()
        assert "25/QĐ-UBND" not in client.get("/loans/fund/").content.decode()
        assert client.get(f"/history/loans.funddraw/{draw.pk}/").status_code == 404
        api = api_as(user)
        assert api.get(f"/api/v1/loans/fund-draws/?plan={plan.pk}").status_code == 404
        body = {"plan": plan.pk, "amount": 1_000_000, "decision_no": "9/QĐ", "decision_date": "2019-05-02"}
        assert api.post("/api/v1/loans/fund-draws/", body, format="json").status_code == 404
        assert api.get("/api/v1/loans/fund-draws/").json()["results"] == []
    assert FundDraw.objects.count() == 1
