"""Figures from the loan records for the periodic report (the report hook, reports.record_figures): the
section «Thu hồi vốn khuyến công có hoàn trả» — lent in the period, repaid, outstanding at the period end,
overdue by arrears bucket, written off with its causes. Business dates only: a payment dated after the
period's end is not in it."""

import datetime as dt

from .models import Loan, WriteOffCause

TITLE = "Thu hồi vốn khuyến công có hoàn trả"
HEADERS = ["Chỉ tiêu", "Số khoản vay", "Số tiền (đồng)"]
TEXT, MONEY, INT = "text", "money", "int"


def section_rows(qs, start: dt.date, end: dt.date) -> list[list]:
    from . import selectors

    rows_at_end = selectors.arrears(qs, end)
    lent = [r for r in rows_at_end if r.loan.disbursed_on and start <= r.loan.disbursed_on <= end]
    paid_count = paid = 0
    for r in rows_at_end:
        amounts = [a for _pk, d, a in selectors.net_payments(r.loan.repayments.all(), end) if d >= start]
        if amounts:
            paid_count += 1
            paid += sum(amounts)
    outstanding = [r for r in rows_at_end if r.pos.outstanding > 0]
    out = [
        ["Cho vay trong kỳ", len(lent), sum(r.loan.principal for r in lent)],
        ["Thu nợ trong kỳ (gốc, lãi, phạt)", paid_count, paid],
        ["Dư nợ cuối kỳ", len(outstanding), sum(r.pos.outstanding for r in outstanding)],
        [
            "Trong đó: nợ quá hạn",
            sum(1 for r in rows_at_end if r.pos.bucket),
            sum(r.pos.overdue for r in rows_at_end if r.pos.bucket),
        ],
    ]
    for b in selectors.by_bucket(rows_at_end):
        out.append([f"— quá hạn {b['bucket']}", b["count"], b["overdue"]])
    written = [
        r
        for r in rows_at_end
        if r.loan.writeoff_decision_date and start <= r.loan.writeoff_decision_date <= end
    ]
    out.append(["Xóa nợ trong kỳ", len(written), sum(r.loan.written_off_amount for r in written)])
    for cause in WriteOffCause.objects.order_by("order", "pk"):
        mine = [r for r in written if r.loan.writeoff_cause_id == cause.pk]
        if mine:
            out.append(
                [f"— do {cause.name.lower()}", len(mine), sum(r.loan.written_off_amount for r in mine)]
            )
    return out


def _section(scope):
    from khuyencong.reports.record_figures import Section

    qs = Loan.objects.filter(scope.place_q("establishment__commune")).select_related(
        "terms", "establishment", "province", "source"
    )
    if not qs.exists():
        return None
    return Section(
        key="loans",
        title=TITLE,
        headers=HEADERS,
        kinds=[TEXT, INT, MONEY],
        rows=section_rows(qs, scope.start, scope.end),
        totals=None,
        notes=[
            "Nợ quá hạn: số gốc (và lãi, nếu có) của các kỳ đã đến hạn chưa trả, xếp nhóm theo số ngày "
            "quá hạn "
            "của kỳ chưa trả sớm nhất, tính đến ngày cuối kỳ báo cáo.",
        ],
    )


def _outputs(scope) -> dict[str, int]:
    return {}


def register_report_hook() -> bool:
    try:
        from khuyencong.reports.record_figures import register
    except ImportError:  # the hook lands on main later (HOOK.md)
        return False
    register("loans", title=TITLE, order=60, outputs=_outputs, section=_section)
    return True
