"""Pure arithmetic of a loan (no database): the instalment schedule and the replay of repayments.

A schedule is equal principal instalments after the grace period, the last absorbing the rounding, integer
đồng, summing exactly to the principal. Interest, if any, is charged per instalment for the months since the
previous one (the first carries the grace months too): rate × months ÷ 12 on the original principal (flat) or
on the balance before the instalment (declining), rounded to the đồng half up, each instalment on its own.
The late-payment penalty is the penalty rate per year on each instalment's unpaid principal for each day past
its due date (÷ 365), kept exact and rounded to the đồng (half up) when a payment meets it.

The position "as of" a date replays the payments dated up to it: each goes to the oldest due instalment first
(interest, then principal), then to the late-payment penalty, then to instalments not yet due. Nothing here is
stored: arrears are a read."""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from khuyencong.core.errors import DomainError

from .models import FREQUENCY_MONTHS


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Line:
    seq: int
    due_date: dt.date
    principal: int
    interest: int = 0


def build_schedule(
    *,
    principal: int,
    start: dt.date,
    term_months: int,
    grace_months: int,
    frequency: str,
    interest_rate_pct=0,
    interest_method: str = "none",
) -> list[Line]:
    """The instalments of `principal` lent on `start`: (term − grace) / period equal instalments, the first
    one period after the grace ends."""
    every = FREQUENCY_MONTHS[frequency]
    if principal <= 0:
        raise DomainError("Số tiền vay phải lớn hơn 0.", field="principal")
    if term_months <= grace_months:
        raise DomainError(
            f"Thời hạn vay ({term_months} tháng) phải dài hơn thời gian ân hạn ({grace_months} tháng).",
            field="term_months",
        )
    span = term_months - grace_months
    if span % every:
        raise DomainError(
            f"Thời hạn trả gốc ({span} tháng sau ân hạn) không chia hết cho kỳ trả nợ ({every} tháng).",
            field="term_months",
        )
    n = span // every
    base = principal // n
    rate = Decimal(str(interest_rate_pct or 0)) / 100
    lines, balance = [], principal
    for k in range(1, n + 1):
        due = add_months(start, grace_months + k * every)
        part = base if k < n else principal - base * (n - 1)
        months = grace_months + every if k == 1 else every
        interest = 0
        if rate and interest_method != "none":
            on = principal if interest_method == "flat" else balance
            interest = _round(Decimal(on) * rate * months / 12)
        lines.append(Line(seq=k, due_date=due, principal=part, interest=interest))
        balance -= part
    return lines


@dataclass
class Position:
    """A loan as of a date."""

    as_of: dt.date
    disbursed: int = 0  # principal lent by the date
    paid: int = 0  # net repayments by the date (reversals dated by then removed)
    paid_principal: int = 0
    paid_interest: int = 0
    paid_penalty: int = 0
    outstanding: int = 0  # principal not yet repaid (0 once written off)
    overdue: int = 0  # principal (and interest) of instalments due before the date, unpaid
    penalty_due: int = 0
    days_past_due: int = 0
    oldest_due: dt.date | None = None
    bucket: str = ""  # label of the arrears bucket, "" when not overdue
    bucket_index: int | None = None
    written_off: int = 0  # principal written off by the date
    recovered: int = 0  # paid after the write-off decision
    next_due: dt.date | None = None
    next_amount: int = 0
    lines: list = field(
        default_factory=list
    )  # [{"seq","due_date","principal","interest","paid","remaining"}]
    allocations: dict = field(default_factory=dict)  # repayment pk → [(what, amount)]

    @property
    def total_owed(self) -> int:
        """What a payment may still cover: principal and interest left on the schedule, and the penalty."""
        return sum(line["remaining"] for line in self.lines) + self.penalty_due


def bucket_of(days: int, buckets) -> tuple[int | None, str]:
    if days <= 0:
        return None, ""
    for i, (low, high, label) in enumerate(buckets):
        if days >= low and (high is None or days <= high):
            return i, label
    return len(buckets) - 1, buckets[-1][2]


def replay(
    *,
    as_of: dt.date,
    disbursed_on: dt.date | None,
    principal: int,
    schedules: list,
    payments: list,
    penalty_rate_pct=0,
    buckets,
    written_off_on: dt.date | None = None,
    written_off_amount: int = 0,
) -> Position:
    """`schedules`: [(effective_from, [Line…])] in order; `payments`: [(key, date, amount)] already net of
    reversals dated by `as_of`, in order."""
    pos = Position(as_of=as_of)
    if disbursed_on is None or disbursed_on > as_of or not schedules:
        return pos
    pos.disbursed = principal
    current = schedules[0]
    for sched in schedules[1:]:
        if sched[0] <= as_of:
            current = sched
    start, lines = current
    first = current is schedules[0]
    earlier = [p for p in payments if p[1] <= as_of and not first and p[1] < start]
    mine = [p for p in payments if p[1] <= as_of and (first or p[1] >= start)]
    paid_before = sum(p[2] for p in earlier)
    remaining = [[ln.interest, ln.principal] for ln in lines]  # per instalment: interest, principal left
    rate = Decimal(str(penalty_rate_pct or 0)) / 100
    penalty, accrued_to = Decimal(0), start

    def accrue(to: dt.date):
        nonlocal penalty, accrued_to
        if rate and to > accrued_to:
            # Overdue principal is constant between events; each instalment accrues from its due date.
            for ln, rem in zip(lines, remaining, strict=True):
                if rem[1] and ln.due_date < to:
                    since = max(ln.due_date, accrued_to)
                    penalty += Decimal(rem[1]) * rate * (to - since).days / 365
        accrued_to = max(accrued_to, to)

    pen_paid = 0
    for key, day, amount in mine:
        accrue(day)
        parts = []
        left = amount
        # 1. instalments due by the payment date, oldest first (interest, then principal)
        for ln, rem in zip(lines, remaining, strict=True):
            if left <= 0 or ln.due_date > day:
                break
            for j in (0, 1):
                take = min(left, rem[j])
                if take:
                    rem[j] -= take
                    left -= take
                    parts.append(
                        (f"Kỳ {ln.seq} ({ln.due_date:%d/%m/%Y})" + (" — lãi" if j == 0 else ""), take)
                    )
        # 2. the penalty
        owed_penalty = _round(penalty) - pen_paid
        if left > 0 and owed_penalty > 0:
            take = min(left, owed_penalty)
            pen_paid += take
            left -= take
            parts.append(("Tiền phạt chậm trả", take))
        # 3. instalments not yet due (paying early), oldest first
        for ln, rem in zip(lines, remaining, strict=True):
            if left <= 0:
                break
            for j in (0, 1):
                take = min(left, rem[j])
                if take:
                    rem[j] -= take
                    left -= take
                    parts.append((f"Kỳ {ln.seq} ({ln.due_date:%d/%m/%Y}) — trả trước hạn", take))
        if left > 0:
            parts.append(("Trả thừa", left))
        pos.allocations[key] = parts
    accrue(as_of)
    pos.paid = paid_before + sum(p[2] for p in mine)
    pos.paid_penalty = pen_paid
    pos.paid_interest = sum(ln.interest for ln in lines) - sum(r[0] for r in remaining)
    pos.paid_principal = pos.paid - pos.paid_penalty - pos.paid_interest
    pos.penalty_due = max(0, _round(penalty) - pen_paid)
    pos.outstanding = sum(r[1] for r in remaining)
    for ln, rem in zip(lines, remaining, strict=True):
        pos.lines.append(
            {
                "seq": ln.seq,
                "due_date": ln.due_date,
                "principal": ln.principal,
                "interest": ln.interest,
                "paid": ln.principal + ln.interest - rem[0] - rem[1],
                "remaining": rem[0] + rem[1],
                "overdue": ln.due_date < as_of and (rem[0] + rem[1]) > 0,
            }
        )
        if rem[0] + rem[1] and ln.due_date < as_of:
            pos.overdue += rem[0] + rem[1]
            if pos.oldest_due is None:
                pos.oldest_due = ln.due_date
        elif rem[0] + rem[1] and pos.next_due is None:
            pos.next_due, pos.next_amount = ln.due_date, rem[0] + rem[1]
    if pos.oldest_due is not None:
        pos.days_past_due = (as_of - pos.oldest_due).days
        pos.bucket_index, pos.bucket = bucket_of(pos.days_past_due, buckets)
    if written_off_on is not None and written_off_on <= as_of:
        pos.written_off = written_off_amount
        pos.recovered = sum(p[2] for p in mine if p[1] > written_off_on)
        pos.outstanding = pos.overdue = pos.penalty_due = pos.days_past_due = 0
        pos.oldest_due, pos.bucket, pos.bucket_index = None, "", None
    return pos
