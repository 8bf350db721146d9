"""Scoped reads of loans and their arrears. A loan follows its province (a Sở sees its province's loans), a
commune office its communes' establishments, an establishment only its own loans; anything else is 404.

Arrears are computed, never stored: `position(loan, as_of)` replays the current schedule and the repayments
dated up to `as_of` (a payment or reversal dated after it is ignored)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from khuyencong.core.scoping import scope_for

from . import engine
from .models import (
    DEFAULT_BUCKETS,
    FundDraw,
    Instalment,
    Loan,
    LoanStatus,
    LoanTerms,
    Repayment,
    Schedule,
)

REMINDER_DAYS = 30


def _scope_q(scope) -> Q:
    return scope.q(province="province", unit="establishment__commune", establishment="establishment")


def loan_list_for(*, user) -> QuerySet[Loan]:
    scope = scope_for(user)
    qs = Loan.objects.select_related(
        "project", "establishment", "province", "terms", "source", "writeoff_cause", "project__plan"
    )
    return qs.filter(_scope_q(scope))


def loan_get_for(*, user, pk) -> Loan:
    return get_object_or_404(loan_list_for(user=user), pk=pk)


def terms_list_for(*, user) -> QuerySet[LoanTerms]:
    scope = scope_for(user)
    if scope.kind == "all":
        return LoanTerms.objects.select_related("province")
    if scope.province_id is None:
        return LoanTerms.objects.none()
    return LoanTerms.objects.filter(province_id=scope.province_id).select_related("province")


def terms_in_force(*, province_id: int, day: dt.date) -> LoanTerms | None:
    return (
        LoanTerms.objects.filter(province_id=province_id, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


def with_ledger(qs: QuerySet[Loan]) -> QuerySet[Loan]:
    """Prefetch what `position` needs: schedules, instalments and repayments (a fixed query count)."""
    return qs.prefetch_related(
        Prefetch(
            "schedules",
            queryset=Schedule.objects.order_by("number").prefetch_related(
                Prefetch("instalments", queryset=Instalment.objects.order_by("seq"))
            ),
        ),
        Prefetch("repayments", queryset=Repayment.objects.order_by("date", "pk")),
    )


def net_payments(repayments, as_of: dt.date) -> list[tuple]:
    """(pk, date, amount) of the payments dated by `as_of` and not reversed by a reversal dated by then."""
    reps = list(repayments)
    reversed_on = {r.reverses_id: r.date for r in reps if r.kind == Repayment.Kind.REVERSAL}
    return [
        (r.pk, r.date, r.amount)
        for r in reps
        if r.kind == Repayment.Kind.PAYMENT
        and r.date <= as_of
        and not (r.pk in reversed_on and reversed_on[r.pk] <= as_of)
    ]


def position(loan: Loan, as_of: dt.date | None = None) -> engine.Position:
    as_of = as_of or timezone.localdate()
    schedules = [
        (
            s.effective_from,
            [engine.Line(i.seq, i.due_date, i.principal, i.interest) for i in s.instalments.all()],
        )
        for s in sorted(loan.schedules.all(), key=lambda s: s.number)
    ]
    return engine.replay(
        as_of=as_of,
        disbursed_on=loan.disbursed_on,
        principal=loan.principal,
        schedules=schedules,
        payments=net_payments(loan.repayments.all(), as_of),
        penalty_rate_pct=loan.terms.penalty_rate_pct,
        buckets=loan.terms.buckets or DEFAULT_BUCKETS,
        written_off_on=loan.writeoff_decision_date,
        written_off_amount=loan.written_off_amount,
    )


def loan_filter(qs, params) -> QuerySet[Loan]:
    if params.get("province"):
        qs = qs.filter(province_id=params["province"])
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("year"):
        qs = qs.filter(contract_date__year=params["year"])
    if params.get("establishment"):
        qs = qs.filter(establishment_id=params["establishment"])
    if params.get("source"):
        qs = qs.filter(source__code=params["source"])
    return qs


@dataclass
class Row:
    loan: Loan
    pos: engine.Position


def arrears(qs: QuerySet[Loan], as_of: dt.date, *, bucket: str | None = None) -> list[Row]:
    """One row per loan with its position as of the date; `bucket` keeps the loans of one bucket (its label,
    "overdue" for any, or "current" for loans not overdue)."""
    rows = [Row(loan, position(loan, as_of)) for loan in with_ledger(qs)]
    if bucket == "current":
        rows = [r for r in rows if not r.pos.bucket]
    elif bucket == "overdue":
        rows = [r for r in rows if r.pos.bucket]
    elif bucket:
        rows = [r for r in rows if r.pos.bucket == bucket]
    return rows


def totals(rows: list[Row]) -> dict:
    out = defaultdict(int)
    for r in rows:
        out["principal"] += r.loan.principal
        out["disbursed"] += r.pos.disbursed
        out["paid"] += r.pos.paid
        out["outstanding"] += r.pos.outstanding
        out["overdue"] += r.pos.overdue
        out["written_off"] += r.pos.written_off
        out["count"] += 1
    return dict(out)


def bucket_labels(rows: list[Row] | None = None) -> list[str]:
    labels = [b[2] for b in DEFAULT_BUCKETS]
    for r in rows or []:
        for b in r.loan.terms.buckets or []:
            if b[2] not in labels:
                labels.append(b[2])
    return labels


def by_bucket(rows: list[Row]) -> list[dict]:
    """Overdue amounts per bucket: [{"bucket", "count", "overdue", "outstanding"}] (every bucket listed)."""
    out = {
        label: {"bucket": label, "count": 0, "overdue": 0, "outstanding": 0} for label in bucket_labels(rows)
    }
    for r in rows:
        if r.pos.bucket:
            b = out[r.pos.bucket]
            b["count"] += 1
            b["overdue"] += r.pos.overdue
            b["outstanding"] += r.pos.outstanding
    return list(out.values())


def group_by(rows: list[Row], key: str) -> list[dict]:
    """Totals per establishment, province, year of lending or funding source."""
    getters = {
        "establishment": lambda loan: (loan.establishment_id, loan.establishment.name),
        "province": lambda loan: (loan.province_id, loan.province.name),
        "year": lambda loan: (loan.contract_date.year, str(loan.contract_date.year)),
        "source": lambda loan: (loan.source_id, loan.source.short_name),
    }
    groups: dict = {}
    for r in rows:
        k, name = getters[key](r.loan)
        g = groups.setdefault(k, {"key": k, "name": name, "rows": []})
        g["rows"].append(r)
    return [{"key": g["key"], "name": g["name"], **totals(g["rows"])} for g in groups.values()]


def reminders(qs: QuerySet[Loan], today: dt.date | None = None, days: int = REMINDER_DAYS) -> dict:
    """Instalments due in the next `days` days and loans overdue, as of today."""
    today = today or timezone.localdate()
    soon, late = [], []
    for r in arrears(qs.filter(status__in=OPEN_STATUSES), today):
        if r.pos.bucket:
            late.append(r)
        if r.pos.next_due and r.pos.next_due <= today + dt.timedelta(days=days):
            soon.append(r)
    return {"due_soon": soon, "overdue": late}


OPEN_STATUSES = [
    LoanStatus.DISBURSED,
    LoanStatus.REPAYING,
    LoanStatus.RESCHEDULED,
    LoanStatus.IN_RECOVERY,
]


def fund_ledger(
    qs: QuerySet[Loan],
    *,
    end: dt.date | None = None,
    start: dt.date | None = None,
    draws: QuerySet[FundDraw] | None = None,
) -> dict:
    """The revolving fund of the loans in `qs` (one province's, usually) between two dates: lent, repaid,
    written off, outstanding, drawn by annual plans and available to lend again.

    Available = money repaid (and recovered after write-off) by `end` − what the fund already paid out: per
    annual plan, the larger of what the plan drew from the fund (`draws`, decided by `end`; default: the
    draws of the provinces of `qs`) and what its đề án lent again from the fund (a plan's relending spends its
    draw first); loans lent again outside any draw count on their own."""
    end = end or timezone.localdate()
    start = start or dt.date(1900, 1, 1)
    if draws is None:
        draws = FundDraw.objects.filter(province_id__in=qs.order_by().values("province_id"))
    lent = repaid = written_off = relent = recovered = 0
    lent_all = repaid_all = written_all = 0
    relent_by_plan: dict[int, int] = defaultdict(int)
    for loan in with_ledger(qs.select_related("project")):
        in_period = loan.disbursed_on is not None and start <= loan.disbursed_on <= end
        if loan.disbursed_on and loan.disbursed_on <= end:
            lent_all += loan.principal
            if loan.from_revolving_fund:
                relent_by_plan[loan.project.plan_id] += loan.principal
        if in_period:
            lent += loan.principal
            relent += loan.principal if loan.from_revolving_fund else 0
        for _pk, day, amount in net_payments(loan.repayments.all(), end):
            repaid_all += amount
            if day >= start:
                repaid += amount
                if loan.writeoff_decision_date and day > loan.writeoff_decision_date:
                    recovered += amount
        if loan.writeoff_decision_date and loan.writeoff_decision_date <= end:
            written_all += loan.written_off_amount
            if loan.writeoff_decision_date >= start:
                written_off += loan.written_off_amount
    drawn_by_plan: dict[int, int] = defaultdict(int)
    drawn = 0
    rows = list(draws.filter(decision_date__lte=end).select_related("plan", "plan__unit"))
    for d in rows:
        drawn_by_plan[d.plan_id] += d.amount
        if d.decision_date >= start:
            drawn += d.amount
    used = sum(
        max(drawn_by_plan.get(plan, 0), relent_by_plan.get(plan, 0))
        for plan in set(drawn_by_plan) | set(relent_by_plan)
    )
    return {
        "lent": lent,
        "relent": relent,
        "repaid": repaid,
        "recovered": recovered,
        "written_off": written_off,
        "drawn": drawn,
        "lent_total": lent_all,
        "repaid_total": repaid_all,
        "written_off_total": written_all,
        "relent_total": sum(relent_by_plan.values()),
        "drawn_total": sum(drawn_by_plan.values()),
        "outstanding": lent_all - repaid_all - written_all + _recovered_total(qs, end),
        "available": repaid_all - used,
        "draws": [d for d in rows if d.decision_date >= start],
        "relent_by_plan": dict(relent_by_plan),
    }


def fund_available(province_id: int, day: dt.date, *, draws: QuerySet[FundDraw] | None = None) -> int:
    """What the province's revolving fund may still lend again (or a plan draw) on `day`."""
    loans = Loan.objects.filter(province_id=province_id)
    if draws is None:
        draws = FundDraw.objects.filter(province_id=province_id)
    return fund_ledger(loans, end=day, draws=draws)["available"]


def draw_list_for(*, user) -> QuerySet[FundDraw]:
    """Plan draws on the revolving fund the reader may see (the plans' scope: 404 outside it)."""
    from khuyencong.projects.selectors import plan_list_for

    return FundDraw.objects.filter(plan__in=plan_list_for(user=user)).select_related(
        "plan", "plan__unit", "province", "actor"
    )


def draw_get_for(*, user, pk) -> FundDraw:
    return get_object_or_404(draw_list_for(user=user), pk=pk)


def draw_filter(qs: QuerySet[FundDraw], params) -> QuerySet[FundDraw]:
    if params.get("plan"):
        qs = qs.filter(plan_id=params["plan"])
    if params.get("province"):
        qs = qs.filter(province_id=params["province"])
    if params.get("year"):
        qs = qs.filter(plan__year=params["year"])
    return qs


def plan_fund(plan, as_of: dt.date | None = None) -> dict | None:
    """A local annual plan's use of its province's revolving fund, for the plan page: the draws decided by
    `as_of` (default today), their total, and what the plan's đề án lent again from the fund. None for a plan
    that cannot draw (national or the Cục's own)."""
    if not can_draw(plan):
        return None
    day = as_of or timezone.localdate()
    rows = list(plan.fund_draws.filter(decision_date__lte=day).order_by("decision_date", "pk"))
    relent = sum(
        Loan.objects.filter(project__plan=plan, from_revolving_fund=True, disbursed_on__lte=day).values_list(
            "principal", flat=True
        )
    )
    return {"as_of": day, "draws": rows, "total": sum(d.amount for d in rows), "relent": relent}


def can_draw(plan) -> bool:
    """Only a province's local annual plan spends the province's revolving fund."""
    return plan.unit_id is not None and plan.level == "local"


def _recovered_total(qs, end) -> int:
    total = 0
    for loan in with_ledger(qs.filter(writeoff_decision_date__isnull=False, writeoff_decision_date__lte=end)):
        total += sum(
            a for _pk, d, a in net_payments(loan.repayments.all(), end) if d > loan.writeoff_decision_date
        )
    return total


def establishment_support_rows(establishment) -> list[dict]:
    """The establishment's loans, for its support history (beneficiaries app)."""
    from django.urls import reverse

    rows = []
    for loan in with_ledger(
        Loan.objects.filter(establishment=establishment).select_related("terms", "project")
    ):
        pos = position(loan)
        status = loan.get_status_display()
        if pos.outstanding:
            status += f"; dư nợ {pos.outstanding:,} đồng".replace(",", ".")
        if pos.bucket:
            status += f", quá hạn {pos.bucket}"
        rows.append(
            {
                "date": loan.disbursed_on or loan.contract_date,
                "kind": "Khuyến công có hoàn trả (cho vay)",
                "title": f"Hợp đồng vay {loan.contract_no} — đề án {loan.project.code}",
                "amount": loan.principal,
                "status": status,
                "url": reverse("loans:loan", args=[loan.pk]),
            }
        )
    return rows


def loan_tasks(user, role, today: dt.date) -> list[dict]:
    """The home page's "việc cần làm" (and the e-mail digest): loans overdue, instalments due soon."""
    if role not in ("officer", "approver", "admin"):
        return []
    found = reminders(loan_list_for(user=user), today)
    out = []
    if found["overdue"]:
        n = len(found["overdue"])
        oldest = max(r.pos.days_past_due for r in found["overdue"])
        out.append(
            {
                "key": "loans_overdue",
                "label": f"{n} khoản vay khuyến công có hoàn trả quá hạn (lâu nhất {oldest} ngày)",
                "count": n,
                "url": "/loans/?bucket=overdue",
                "level": "danger",
                "days": -oldest,
            }
        )
    if found["due_soon"]:
        n = len(found["due_soon"])
        first = min(r.pos.next_due for r in found["due_soon"])
        out.append(
            {
                "key": "loans_due_soon",
                "label": f"{n} khoản vay có kỳ trả nợ đến hạn trong {REMINDER_DAYS} ngày tới",
                "count": n,
                "url": "/loans/",
                "level": "warning",
                "due": first,
                "days": (first - today).days,
            }
        )
    return out
