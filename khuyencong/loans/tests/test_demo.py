import datetime as dt

import pytest

from .. import selectors
from ..models import Loan, LoanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def loans_demo(db):
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.loans import demo

    beneficiaries_demo.load()
    accounts_demo.load()
    demo.load()
    demo.load()  # idempotent


def test_demo_2016_nine_months(loans_demo):
    from khuyencong.loans.figures import section_rows

    assert Loan.objects.count() == 6
    by_status = {loan.establishment.name: loan.status for loan in Loan.objects.all()}
    assert by_status["Cơ sở kẹo dừa Tư Lành Phước Long"] == LoanStatus.REPAID
    assert by_status["Cơ sở cơ khí Thới Lai"] == LoanStatus.WRITTEN_OFF
    assert by_status["Cơ sở bánh phồng Mỹ Thạnh"] == LoanStatus.RESCHEDULED
    rows = selectors.arrears(Loan.objects.all(), dt.date(2016, 9, 30))
    buckets = {r.loan.establishment.name: r.pos.bucket for r in rows}
    assert buckets["HTX Chỉ xơ dừa Định Thủy"] == "Trên 360 ngày"
    assert buckets["Cơ sở bánh phồng Mỹ Thạnh"] == "181–360 ngày"
    assert buckets["Cơ sở gốm Sơn Định"] == "31–90 ngày"
    section = {
        r[0]: r[1:] for r in section_rows(Loan.objects.all(), dt.date(2016, 1, 1), dt.date(2016, 9, 30))
    }
    assert section["Dư nợ cuối kỳ"] == [4, 140_000_000 + 20_000_000 + 75_000_000 + 64_000_000]
    assert section["Xóa nợ trong kỳ"] == [1, 96_000_000]
    assert section["— do chủ cơ sở không còn ở địa phương"] == [1, 96_000_000]


def test_report_section_from_the_hook(loans_demo):
    from khuyencong import testing
    from khuyencong.reports.record_figures import record_sections

    for unit in (testing.old_province("Bến Tre"), testing.current_province("Vĩnh Long"), None):
        sections = {s["key"]: s for s in record_sections(unit, dt.date(2016, 1, 1), dt.date(2016, 9, 30))}
        loans = sections["loans"]
        assert loans["title"] == "Thu hồi vốn khuyến công có hoàn trả"
        rows = {r[0]: r[1:] for r in loans["rows"]}
        assert rows["Dư nợ cuối kỳ"][1] == 299_000_000
        assert rows["— quá hạn Trên 360 ngày"] == [1, 140_000_000]
    from khuyencong.reports.compute import compute_figures
    from khuyencong.reports.periods import Period

    fig = compute_figures(
        testing.old_province("Bến Tre"), Period.make("nine_months", 2016), with_comparisons=False
    )
    assert "Thu hồi vốn khuyến công có hoàn trả" in [s["title"] for s in fig["sections"]]
    assert "loans" not in {
        s["key"]
        for s in record_sections(testing.old_province("Bắc Kạn"), dt.date(2016, 1, 1), dt.date(2016, 9, 30))
    }


def test_support_history_shows_the_loans(loans_demo):
    from khuyencong.beneficiaries.models import Establishment
    from khuyencong.loans.selectors import establishment_support_rows

    est = Establishment.objects.get(name="HTX Chỉ xơ dừa Định Thủy")
    rows = establishment_support_rows(est)
    assert len(rows) == 1 and rows[0]["amount"] == 200_000_000 and "quá hạn" in rows[0]["status"]


def test_dashboard_shows_the_outstanding_debt_as_a_chart_and_a_table(loans_demo):
    """The Cục's dashboard of 9 months 2016: the loans' table (through the report hook) and its chart, a bar
    per row of the amount in triệu đồng — the outstanding debt 299 triệu among them."""
    from khuyencong.accounts.models import User
    from khuyencong.reports.dashboard import chart_payload, dashboard_data

    cuc = User.objects.get(username="cuc")
    data = dashboard_data(cuc, {"year_from": "2016", "year_to": "2016", "kind": "nine_months"})
    table = next(t for t in data["tables"] if t.key == "loans")
    assert ["Dư nợ cuối kỳ", 4, 299_000_000] in table.rows
    chart = chart_payload(data["tables"])["loans"]
    assert chart["series"][0]["label"] == table.headers[-1]
    assert chart["series"][0]["data"][chart["labels"].index("Dư nợ cuối kỳ")] == 299


def test_dashboard_follows_a_repayment_at_once(loans_demo):
    """The dashboard's figures are kept until a table they come from changes (core.dataversion): a repayment
    recorded after a first read lowers the outstanding debt on the next one."""
    from khuyencong.accounts.models import User
    from khuyencong.loans import services
    from khuyencong.reports.dashboard import dashboard_data

    cuc = User.objects.get(username="cuc")
    params = {"year_from": "2016", "year_to": "2016", "kind": "nine_months"}

    def outstanding():
        table = next(t for t in dashboard_data(cuc, params)["tables"] if t.key == "loans")
        return next(r for r in table.rows if r[0] == "Dư nợ cuối kỳ")[1:]

    assert outstanding() == [4, 299_000_000]
    assert outstanding() == [4, 299_000_000]  # the kept answer
    loan = Loan.objects.get(establishment__name="HTX Chỉ xơ dừa Định Thủy")
    services.repayment_record(
        actor=cuc, loan=loan, date=dt.date(2016, 9, 20), amount=5_000_000, document_no="PT-09/2016"
    )
    assert outstanding() == [4, 294_000_000]
