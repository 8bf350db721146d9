"""In Chromium: the province's officer records a repayment for a demo loan in arrears; the loan page moves it
to a lower arrears bucket and the province's outstanding total drops by the amount paid."""

import pytest
from django.utils import timezone

from khuyencong import testing
from khuyencong.browser import browser_page, login

from .. import engine, selectors
from ..models import Loan

pytestmark = pytest.mark.browser


def _ok(page):
    page.wait_for_load_state()
    if page.locator(".alert-danger").count():
        raise AssertionError(page.inner_text(".alert-danger"))


def _amount_lowering_the_bucket(loan, today) -> tuple[int, str]:
    """The oldest overdue instalment's remainder if paying it lowers the bucket, else all that is overdue."""
    pos = selectors.position(loan, today)
    oldest = next(line for line in pos.lines if line["overdue"])
    schedules = [
        (
            s.effective_from,
            [engine.Line(i.seq, i.due_date, i.principal, i.interest) for i in s.instalments.all()],
        )
        for s in loan.schedules.all()
    ]
    for amount in (oldest["remaining"], pos.overdue):
        after = engine.replay(
            as_of=today,
            disbursed_on=loan.disbursed_on,
            principal=loan.principal,
            schedules=schedules,
            payments=[*selectors.net_payments(loan.repayments.all(), today), (0, today, amount)],
            buckets=loan.terms.buckets,
            written_off_on=loan.writeoff_decision_date,
            written_off_amount=loan.written_off_amount,
        )
        if after.bucket_index is None or after.bucket_index < pos.bucket_index:
            return amount, after.bucket
    raise AssertionError("no payment lowers the bucket")


def test_officer_repayment_lowers_bucket_and_outstanding(live_server, base_data_transactional, settings):
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.loans import demo

    beneficiaries_demo.load()
    accounts_demo.load()
    demo.load()
    today = timezone.localdate()
    province = testing.current_province("Vĩnh Long")
    rows = selectors.arrears(Loan.objects.filter(province=province), today, bucket="overdue")
    row = min(rows, key=lambda r: r.pos.days_past_due)  # the rescheduled loan (Mỹ Thạnh) in the demo
    loan = selectors.with_ledger(Loan.objects.filter(pk=row.loan.pk)).select_related("terms").get()
    amount, lower = _amount_lowering_the_bucket(loan, today)
    url, password = live_server.url, settings.DEMO_PASSWORD
    with browser_page() as page:
        login(page, url, "vinhlong", password)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/loans/?province={province.pk}")
        before_total = int(page.get_attribute("[data-testid=outstanding-total]", "data-value"))
        page.goto(f"{url}/loans/{loan.pk}/")
        assert page.inner_text("[data-testid=bucket]") == f"Quá hạn {row.pos.bucket}"
        before_loan = int(page.get_attribute("[data-testid=outstanding]", "data-value"))
        form = page.locator("[data-testid=repayment-form]")
        form.locator("input[name=date]").fill(today.strftime("%d/%m/%Y"))
        form.locator("input[name=amount]").fill(f"{amount:,}".replace(",", "."))
        form.locator("input[name=document_no]").fill("PT-TRINH-DUYET")
        form.locator("button:has-text('Ghi nhận trả nợ')").click()
        _ok(page)
        assert page.inner_text("[data-testid=bucket]") == (f"Quá hạn {lower}" if lower else "Trong hạn")
        assert int(page.get_attribute("[data-testid=outstanding]", "data-value")) == before_loan - amount
        assert "PT-TRINH-DUYET" in page.inner_text("[data-testid=repayments]")
        page.goto(f"{url}/loans/?province={province.pk}")
        after_total = int(page.get_attribute("[data-testid=outstanding-total]", "data-value"))
        assert after_total == before_total - amount
