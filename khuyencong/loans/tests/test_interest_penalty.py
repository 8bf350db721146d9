"""Interest and the late-payment penalty, against figures computed by hand.

Interest (engine.build_schedule): per instalment, rate × months ÷ 12 on the original principal (flat) or on
the balance before the instalment (declining); the first instalment carries the grace months too; each
instalment's interest is rounded to the đồng, half up. The penalty (engine.replay): the penalty rate per year
on each instalment's unpaid principal, for each day past its due date (÷ 365), rounded to the đồng when a
payment meets it. A payment goes to the due instalments oldest first (interest, then principal), then to the
penalty, then to instalments not yet due."""

import datetime as dt

import pytest

from .. import engine, selectors, services
from ..models import Loan
from . import factories as f

pytestmark = pytest.mark.django_db


def _schedule(method, **kw):
    args = {
        "principal": 100_000_000,
        "start": dt.date(2018, 7, 15),
        "term_months": 27,
        "grace_months": 6,
        "frequency": "quarterly",
        "interest_rate_pct": 5,
        "interest_method": method,
    }
    args.update(kw)
    return engine.build_schedule(**args)


def test_declining_interest_on_the_balance_before_each_instalment():
    lines = _schedule("declining")
    # 1st: 100.000.000 × 5 % × 9/12 (6 months' grace + a quarter) = 3.750.000
    # then balance × 5 % × 3/12 = balance × 0,0125:
    #   85.714.286 → 1.071.428,575 → 1.071.429     71.428.572 → 892.857,15 → 892.857
    #   57.142.858 →   714.285,725 →   714.286     42.857.144 → 535.714,3  → 535.714
    #   28.571.430 →   357.142,875 →   357.143     14.285.716 → 178.571,45 → 178.571
    assert [ln.interest for ln in lines] == [
        3_750_000,
        1_071_429,
        892_857,
        714_286,
        535_714,
        357_143,
        178_571,
    ]
    assert sum(ln.principal for ln in lines) == 100_000_000  # interest never touches the principal split
    assert all(isinstance(ln.interest, int) for ln in lines)


def test_flat_interest_on_the_original_principal():
    lines = _schedule("flat")
    # 100.000.000 × 5 % × 9/12 = 3.750.000, then 100.000.000 × 5 % × 3/12 = 1.250.000 each quarter
    assert [ln.interest for ln in lines] == [3_750_000] + [1_250_000] * 6
    assert sum(ln.interest for ln in lines) == 11_250_000


def test_interest_rounds_half_up_to_the_dong():
    # 1.000.050 over 3 months, monthly, 12 %/year = 1 % a month; instalments of 333.350.
    declining = _schedule(
        "declining",
        principal=1_000_050,
        term_months=3,
        grace_months=0,
        frequency="monthly",
        interest_rate_pct=12,
    )
    # 1.000.050 × 1 % = 10.000,5 → 10.001; 666.700 → 6.667; 333.350 → 3.333,5 → 3.334
    assert [(ln.principal, ln.interest) for ln in declining] == [
        (333_350, 10_001),
        (333_350, 6_667),
        (333_350, 3_334),
    ]
    flat = _schedule(
        "flat", principal=1_000_050, term_months=3, grace_months=0, frequency="monthly", interest_rate_pct=12
    )
    assert [ln.interest for ln in flat] == [10_001] * 3


def test_no_interest_method_or_zero_rate_charges_nothing():
    assert {ln.interest for ln in _schedule("none")} == {0}
    assert {ln.interest for ln in _schedule("declining", interest_rate_pct=0)} == {0}


def test_disbursement_stores_the_interest_of_the_terms(vinhlong_officer, vinhlong_approver):
    f.terms(vinhlong_officer, interest_rate_pct=5, interest_method="flat")
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    stored = list(ln.schedules.get(number=1).instalments.order_by("seq").values_list("interest", flat=True))
    assert stored == [3_750_000] + [1_250_000] * 6


@pytest.fixture
def penalty_loan(vinhlong_officer, vinhlong_approver):
    """100.000.000 over 12 months, quarterly, no grace, no interest, penalty 7,3 %/year — 0,02 % of the
    overdue principal a day: 5.000 đồng a day on a 25.000.000 instalment. Disbursed 15/07/2018, instalments of
    25.000.000 due 15/10/2018, 15/01/2019, 15/04/2019, 15/07/2019."""
    f.terms(vinhlong_officer, term_months=12, grace_months=0, penalty_rate_pct="7.3")
    return f.disbursed(vinhlong_officer, vinhlong_approver)


def _pos(loan, day):
    return selectors.position(selectors.with_ledger(Loan.objects.filter(pk=loan.pk)).get(), day)


def test_late_payment_goes_to_the_oldest_instalment_then_the_penalty(penalty_loan, vinhlong_officer):
    ln = penalty_loan
    day = dt.date(2019, 2, 4)
    before = _pos(ln, day)
    # Kỳ 1 is 112 days late (15/10/2018 → 04/02/2019), kỳ 2 is 20 days late:
    # 25.000.000 × 0,0002 × 112 = 560.000 + 25.000.000 × 0,0002 × 20 = 100.000
    assert before.penalty_due == 660_000
    assert before.overdue == 50_000_000 and before.days_past_due == 112 and before.bucket == "91–180 ngày"

    # 40.000.000 on 04/02/2019: kỳ 1 in full, 15.000.000 of kỳ 2; nothing is left for the penalty.
    first = services.repayment_record(actor=vinhlong_officer, loan=ln, date=day, amount=40_000_000)
    pos = _pos(ln, day)
    assert pos.allocations[first.pk] == [
        ("Kỳ 1 (15/10/2018)", 25_000_000),
        ("Kỳ 2 (15/01/2019)", 15_000_000),
    ]
    assert pos.penalty_due == 660_000 and pos.paid_penalty == 0
    assert pos.overdue == 10_000_000 and pos.outstanding == 60_000_000
    assert pos.oldest_due == dt.date(2019, 1, 15) and pos.days_past_due == 20 and pos.bucket == "1–30 ngày"

    # 14.000.000 on 14/02/2019: the 10.000.000 left of kỳ 2 (10 more days late: 10.000.000 × 0,0002 × 10 =
    # 20.000 more penalty, 680.000 in all), then the penalty, then 3.320.000 early on kỳ 3.
    second = services.repayment_record(
        actor=vinhlong_officer, loan=ln, date=dt.date(2019, 2, 14), amount=14_000_000
    )
    pos = _pos(ln, dt.date(2019, 2, 14))
    assert pos.allocations[second.pk] == [
        ("Kỳ 2 (15/01/2019)", 10_000_000),
        ("Tiền phạt chậm trả", 680_000),
        ("Kỳ 3 (15/04/2019) — trả trước hạn", 3_320_000),
    ]
    assert pos.paid == 54_000_000 and pos.paid_penalty == 680_000 and pos.paid_principal == 53_320_000
    assert pos.penalty_due == 0 and pos.overdue == 0 and pos.bucket == "" and pos.days_past_due == 0
    assert pos.outstanding == 100_000_000 - 53_320_000

    # Kỳ 3 still owes 21.680.000; as of 01/05/2019 it is 16 days late: 21.680.000 × 0,0002 × 16 = 69.376.
    later = _pos(ln, dt.date(2019, 5, 1))
    assert later.overdue == 21_680_000 and later.days_past_due == 16 and later.bucket == "1–30 ngày"
    assert later.penalty_due == 69_376


def test_a_payment_above_principal_and_penalty_is_refused_naming_both(penalty_loan, vinhlong_officer):
    from khuyencong.core.errors import DomainError

    # On 04/02/2019 the whole debt is 100.000.000 of principal and 660.000 of penalty.
    with pytest.raises(DomainError) as exc:
        services.repayment_record(
            actor=vinhlong_officer, loan=penalty_loan, date=dt.date(2019, 2, 4), amount=100_660_001
        )
    assert "100.660.000 đồng" in exc.value.message
    services.repayment_record(
        actor=vinhlong_officer, loan=penalty_loan, date=dt.date(2019, 2, 4), amount=100_660_000
    )
    pos = _pos(penalty_loan, dt.date(2019, 12, 31))
    assert pos.outstanding == 0 and pos.penalty_due == 0 and pos.paid_penalty == 660_000


def test_interest_is_paid_before_the_principal_of_an_instalment(vinhlong_officer, vinhlong_approver):
    # 12 months, quarterly, no grace, 8 %/year declining: kỳ 1 = 25.000.000 + 100.000.000 × 2 % = 2.000.000.
    f.terms(
        vinhlong_officer, term_months=12, grace_months=0, interest_rate_pct=8, interest_method="declining"
    )
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    rep = services.repayment_record(
        actor=vinhlong_officer, loan=ln, date=dt.date(2018, 10, 15), amount=10_000_000
    )
    pos = _pos(ln, dt.date(2018, 10, 15))
    assert pos.allocations[rep.pk] == [
        ("Kỳ 1 (15/10/2018) — lãi", 2_000_000),
        ("Kỳ 1 (15/10/2018)", 8_000_000),
    ]
    assert pos.paid_interest == 2_000_000 and pos.paid_principal == 8_000_000
    assert pos.outstanding == 92_000_000
    # The next day kỳ 1 is overdue by its 17.000.000 of principal.
    assert _pos(ln, dt.date(2018, 10, 16)).overdue == 17_000_000


def test_loan_page_shows_interest_and_penalty(penalty_loan, vinhlong_officer, as_user):
    services.repayment_record(
        actor=vinhlong_officer, loan=penalty_loan, date=dt.date(2019, 2, 4), amount=40_000_000
    )
    body = as_user(vinhlong_officer).get(f"/loans/{penalty_loan.pk}/?as_of=04/02/2019").content.decode()
    assert "phạt chậm trả 7,3 %/năm trên gốc quá hạn" in body and "không tính lãi" in body
    assert 'data-testid="penalty-due">660.000 đồng<' in body  # the penalty still owed
    assert 'data-testid="paid-penalty">0 đồng<' in body


def test_loan_page_shows_the_interest_rate_and_interest_paid(vinhlong_officer, vinhlong_approver, as_user):
    f.terms(vinhlong_officer, interest_rate_pct="7.5", interest_method="flat")
    ln = f.disbursed(vinhlong_officer, vinhlong_approver)
    # kỳ 1 on 15/04/2019: 100.000.000 × 7,5 % × 9/12 = 5.625.000 of interest + 14.285.714 of principal
    services.repayment_record(actor=vinhlong_officer, loan=ln, date=dt.date(2019, 4, 15), amount=19_910_714)
    body = as_user(vinhlong_officer).get(f"/loans/{ln.pk}/?as_of=15/04/2019").content.decode()
    assert "lãi 7,5 %/năm, lãi tính trên gốc ban đầu" in body
    assert 'data-testid="paid-interest">5.625.000 đồng<' in body
    assert "Kỳ 1 (15/04/2019) — lãi: 5.625.000 đồng" in body
