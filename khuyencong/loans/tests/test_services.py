import datetime as dt

import pytest

from khuyencong.core.errors import DomainError, NotAllowed

from .. import engine, selectors, services
from ..models import Loan, LoanStatus, WriteOffCause
from . import factories as f

pytestmark = pytest.mark.django_db


def _loan(pk):
    return selectors.with_ledger(Loan.objects.filter(pk=pk)).get()


def test_schedule_100m_7_quarterly_after_6_month_grace():
    lines = engine.build_schedule(
        principal=100_000_000,
        start=dt.date(2018, 7, 15),
        term_months=27,
        grace_months=6,
        frequency="quarterly",
    )
    assert len(lines) == 7
    assert sum(ln.principal for ln in lines) == 100_000_000
    assert all(isinstance(ln.principal, int) for ln in lines)
    assert [ln.principal for ln in lines[:-1]] == [14_285_714] * 6
    assert lines[-1].principal == 14_285_716  # the last absorbs the rounding
    dates = [ln.due_date for ln in lines]
    assert dates == sorted(dates) and len(set(dates)) == 7
    assert dates[0] == dt.date(2019, 4, 15)  # 6 months' grace + one quarter
    assert dates[-1] == dt.date(2020, 10, 15)


def test_disbursement_stores_the_schedule(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    assert ln.status == LoanStatus.DISBURSED and ln.schedule_no == 1
    inst = list(ln.schedules.get(number=1).instalments.order_by("seq"))
    assert sum(i.principal for i in inst) == ln.principal == 100_000_000
    assert ln.steps.filter(to_status=LoanStatus.DISBURSED).exists()


def test_principal_above_approved_recoverable_amount_is_refused(vinhlong_officer):
    f.terms(vinhlong_officer)
    project = f.recoverable_project(vinhlong_officer, amount=50_000_000)
    with pytest.raises(DomainError) as exc:
        f.loan(vinhlong_officer, project=project, principal=60_000_000)
    assert "50.000.000 đồng" in exc.value.message


def test_repayment_above_outstanding_is_refused_naming_it(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    services.repayment_record(actor=vinhlong_officer, loan=ln, date=dt.date(2019, 4, 15), amount=30_000_000)
    with pytest.raises(DomainError) as exc:
        services.repayment_record(
            actor=vinhlong_officer, loan=ln, date=dt.date(2019, 5, 1), amount=80_000_000
        )
    assert exc.value.code == "over_outstanding"
    assert "70.000.000 đồng" in exc.value.message
    assert ln.repayments.count() == 1


def test_payment_splits_across_two_overdue_instalments_oldest_first(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    # Instalments of 15/04/2019 and 15/07/2019 are both overdue on 01/08/2019.
    rep = services.repayment_record(
        actor=vinhlong_officer, loan=ln, date=dt.date(2019, 8, 1), amount=20_000_000
    )
    pos = selectors.position(_loan(ln.pk), dt.date(2019, 8, 1))
    assert pos.lines[0]["remaining"] == 0
    assert pos.lines[1]["paid"] == 20_000_000 - 14_285_714
    assert pos.lines[1]["remaining"] == 14_285_714 * 2 - 20_000_000
    assert [a for _w, a in pos.allocations[rep.pk]] == [14_285_714, 20_000_000 - 14_285_714]
    assert pos.oldest_due == dt.date(2019, 7, 15)
    assert _loan(ln.pk).status == LoanStatus.REPAYING


def test_95_days_late_is_91_180_and_a_later_payment_does_not_change_it(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    as_of = dt.date(2019, 4, 15) + dt.timedelta(days=95)
    pos = selectors.position(_loan(ln.pk), as_of)
    assert pos.days_past_due == 95
    assert pos.bucket == "91–180 ngày"
    # The oldest unpaid instalment is paid after the as-of date: the as-of result stays.
    services.repayment_record(
        actor=vinhlong_officer, loan=ln, date=as_of + dt.timedelta(days=3), amount=28_571_428
    )
    again = selectors.position(_loan(ln.pk), as_of)
    assert (again.days_past_due, again.bucket, again.overdue) == (95, "91–180 ngày", pos.overdue)
    later = selectors.position(_loan(ln.pk), as_of + dt.timedelta(days=3))
    assert later.bucket == ""


def test_reversing_a_repayment_restores_the_arrears(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    as_of = dt.date(2019, 9, 1)
    before = selectors.position(_loan(ln.pk), as_of)
    rep = services.repayment_record(
        actor=vinhlong_officer, loan=ln, date=dt.date(2019, 8, 20), amount=28_571_428
    )
    assert selectors.position(_loan(ln.pk), as_of).bucket == ""
    rev = services.repayment_reverse(
        actor=vinhlong_officer, repayment=rep, date=dt.date(2019, 8, 25), reason="Nhập nhầm chứng từ"
    )
    assert rev.kind == "reversal" and rev.reverses_id == rep.pk
    rep.refresh_from_db()
    assert rep.amount == 28_571_428  # never edited
    after = selectors.position(_loan(ln.pk), as_of)
    assert (after.outstanding, after.overdue, after.bucket, after.days_past_due) == (
        before.outstanding,
        before.overdue,
        before.bucket,
        before.days_past_due,
    )
    # As of a date between the payment and its reversal, the payment still counts.
    assert selectors.position(_loan(ln.pk), dt.date(2019, 8, 22)).bucket == ""


def test_paying_everything_repays_and_a_reversal_reopens(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    rep = services.repayment_record(
        actor=vinhlong_officer, loan=ln, date=dt.date(2019, 1, 1), amount=100_000_000
    )
    assert Loan.objects.get(pk=ln.pk).status == LoanStatus.REPAID
    services.repayment_reverse(actor=vinhlong_officer, repayment=rep, date=dt.date(2019, 1, 2), reason="Sai")
    assert Loan.objects.get(pk=ln.pk).status == LoanStatus.REPAYING


def _propose(officer, ln):
    ln = Loan.objects.get(pk=ln.pk)
    return services.loan_transition(
        actor=officer,
        loan=ln,
        to_status="propose_writeoff",
        expected_version=ln.version,
        effective_date=dt.date(2021, 3, 1),
        writeoff_cause="khong-con-o-dia-phuong",
        writeoff_reason="Chủ cơ sở đã chuyển đi nơi khác",
        writeoff_evidence="Xác nhận của UBND xã",
    )


def test_officer_cannot_write_off_and_approver_needs_a_decision_number(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    ln = _propose(vinhlong_officer, ln)
    assert ln.status == LoanStatus.DISBURSED and ln.writeoff_cause.code == "khong-con-o-dia-phuong"
    with pytest.raises(NotAllowed) as exc:
        services.loan_transition(
            actor=vinhlong_officer,
            loan=ln,
            to_status=LoanStatus.WRITTEN_OFF,
            expected_version=ln.version,
            writeoff_decision_no="5/QĐ-UBND",
            writeoff_decision_date=dt.date(2021, 4, 1),
        )
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        services.loan_transition(
            actor=vinhlong_approver,
            loan=ln,
            to_status=LoanStatus.WRITTEN_OFF,
            expected_version=ln.version,
            writeoff_decision_date=dt.date(2021, 4, 1),
        )
    assert "số quyết định xóa nợ" in exc.value.message
    ln = services.loan_transition(
        actor=vinhlong_approver,
        loan=ln,
        to_status=LoanStatus.WRITTEN_OFF,
        expected_version=ln.version,
        writeoff_decision_no="5/QĐ-UBND",
        writeoff_decision_date=dt.date(2021, 4, 1),
    )
    assert ln.status == LoanStatus.WRITTEN_OFF and ln.written_off_amount == 100_000_000
    pos = selectors.position(_loan(ln.pk), dt.date(2021, 5, 1))
    assert pos.outstanding == 0 and pos.written_off == 100_000_000
    assert selectors.position(_loan(ln.pk), dt.date(2021, 3, 31)).outstanding == 100_000_000


def test_write_off_needs_a_proposal(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    with pytest.raises(DomainError) as exc:
        services.loan_transition(
            actor=vinhlong_approver,
            loan=ln,
            to_status=LoanStatus.WRITTEN_OFF,
            expected_version=ln.version,
            writeoff_decision_no="5/QĐ-UBND",
            writeoff_decision_date=dt.date(2021, 4, 1),
        )
    assert exc.value.code == "writeoff_not_proposed"


def test_rescheduling_keeps_the_old_schedule(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    services.repayment_record(actor=vinhlong_officer, loan=ln, date=dt.date(2019, 4, 15), amount=14_285_714)
    ln = Loan.objects.get(pk=ln.pk)
    ln = services.loan_transition(
        actor=vinhlong_approver,
        loan=ln,
        to_status=LoanStatus.RESCHEDULED,
        expected_version=ln.version,
        decision_no="9/QĐ-SCT",
        decision_date=dt.date(2019, 10, 1),
        term_months=24,
        frequency="yearly",
    )
    assert ln.schedule_no == 2 and ln.schedules.count() == 2
    new = ln.schedules.get(number=2)
    assert new.principal == 100_000_000 - 14_285_714
    assert sum(new.instalments.values_list("principal", flat=True)) == new.principal
    assert selectors.position(_loan(ln.pk), dt.date(2019, 11, 1)).bucket == ""
    assert selectors.position(_loan(ln.pk), dt.date(2019, 9, 1)).bucket == "31–90 ngày"


def test_causes_catalogue():
    assert WriteOffCause.objects.filter(code="kinh-doanh-that-bai").exists()
    assert WriteOffCause.objects.filter(name="Chủ cơ sở không còn ở địa phương").exists()


def test_fund_ledger(vinhlong_officer, vinhlong_approver):
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    services.repayment_record(actor=vinhlong_officer, loan=ln, date=dt.date(2019, 4, 15), amount=14_285_714)
    led = selectors.fund_ledger(Loan.objects.all(), end=dt.date(2019, 12, 31))
    assert led["lent_total"] == 100_000_000 and led["repaid_total"] == 14_285_714
    assert led["outstanding"] == 100_000_000 - 14_285_714 and led["available"] == 14_285_714
