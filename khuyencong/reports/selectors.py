"""Reads over reports, scoped to the reader; the completeness/timeliness table of a period and region."""

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from khuyencong.core.collation import vi_key
from khuyencong.core.listing import int_param
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import fold

from . import workflow
from .aggregation import reporting_units
from .models import Report, ReportJob
from .periods import Period


def report_list_for(*, user) -> QuerySet[Report]:
    scope = scope_for(user)
    return Report.objects.select_related("unit", "province").filter(scope.q(province="province", unit="unit"))


def report_get_for(*, user, pk: int) -> Report:
    return get_object_or_404(report_list_for(user=user), pk=pk)


# The list's "Hạn nộp" filter: a report sent after its deadline, one not sent and past it, ...
DEADLINE_FILTERS = [
    ("late", "Nộp muộn"),
    ("overdue", "Chưa nộp, quá hạn"),
    ("on_time", "Nộp đúng hạn"),
    ("pending", "Chưa đến hạn"),
]


def deadline_filter(qs: QuerySet[Report], value: str | None, *, today: dt.date | None = None):
    today = today or timezone.localdate()
    sent = Q(status__in=workflow.SENT, submitted_at__isnull=False)
    if value == "late":
        return qs.filter(sent, deadline__isnull=False, submitted_at__date__gt=F("deadline"))
    if value == "on_time":
        return qs.filter(sent, deadline__isnull=False, submitted_at__date__lte=F("deadline"))
    if value == "overdue":
        return qs.exclude(sent).filter(deadline__lt=today)
    if value == "pending":
        return qs.exclude(sent).filter(deadline__gte=today)
    return qs


def timeliness(report: Report, *, today: dt.date | None = None) -> dict | None:
    """How a report stands against its deadline, as the list shows it: {"state", "days", "text"} —
    "Nộp muộn 7 ngày", "Chưa nộp, quá hạn 12 ngày", "Nộp đúng hạn", "Còn 5 ngày"; None without a deadline."""
    if report.deadline is None:
        return None
    today = today or timezone.localdate()
    if report.status in workflow.SENT and report.submitted_at is not None:
        days = (timezone.localtime(report.submitted_at).date() - report.deadline).days
        if days > 0:
            return {"state": "late", "days": days, "text": f"Nộp muộn {days} ngày"}
        return {"state": "on_time", "days": 0, "text": "Nộp đúng hạn"}
    days = (today - report.deadline).days
    if days > 0:
        return {"state": "overdue", "days": days, "text": f"Chưa nộp, quá hạn {days} ngày"}
    if days == 0:
        return {"state": "pending", "days": 0, "text": "Hạn nộp hôm nay"}
    return {"state": "pending", "days": -days, "text": f"Còn {-days} ngày"}


def report_filter(qs: QuerySet[Report], params) -> QuerySet[Report]:
    get = params.get
    if get("deadline_state"):
        qs = deadline_filter(qs, get("deadline_state"))
    if get("kind"):
        qs = qs.filter(period_kind=get("kind"))
    if int_param(get("year")) is not None:
        qs = qs.filter(year=int_param(get("year")))
    if get("status"):
        qs = qs.filter(status=get("status"))
    if int_param(get("province")) is not None:
        qs = qs.filter(province_id=int_param(get("province")))
    if get("q"):
        for word in fold(get("q")).split():
            qs = qs.filter(Q(unit__search_text__contains=word) | Q(number__icontains=word))
    return qs


def job_list_for(*, user) -> QuerySet[ReportJob]:
    scope = scope_for(user)
    qs = ReportJob.objects.select_related("region", "created_by")
    if scope.sees_all:
        return qs
    return qs.filter(created_by=user)


def job_get_for(*, user, pk: int) -> ReportJob:
    return get_object_or_404(job_list_for(user=user), pk=pk)


def report_totals(qs) -> dict[str, int]:
    """The frozen plan and disbursed money of the listed reports, summed in the database (not by loading
    every report's figures)."""
    from django.db.models import BigIntegerField, Sum
    from django.db.models.fields.json import KeyTextTransform
    from django.db.models.functions import Cast

    sums = qs.order_by().aggregate(
        plan=Sum(Cast(KeyTextTransform("plan", "figures"), BigIntegerField())),
        disbursed=Sum(Cast(KeyTextTransform("disbursed", "figures"), BigIntegerField())),
    )
    return {k: int(v or 0) for k, v in sums.items()}


TIMELINESS = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa gửi", "pending": "Chưa đến hạn"}


def completeness(*, user, region, period: Period, today: dt.date | None = None) -> dict:
    """Which units submitted the period's report, on time or late against the deadline, which are missing."""
    from .services import deadline_for

    today = today or timezone.localdate()
    deadline = deadline_for(period)
    units = reporting_units(region, period)
    scope = scope_for(user)
    if not scope.sees_all:
        units = [
            u
            for u in units
            if scope.kind in ("province", "units") and (u.current_province_id or u.id) == scope.province_id
        ]
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(
            unit_id__in=[u.id for u in units],
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
        )
    }
    rows = []
    for unit in units:
        r = reports.get(unit.id)
        due = r.deadline if r and r.deadline else deadline
        sent_at = r.submitted_at if r and r.status in workflow.SENT else None
        if sent_at is not None:
            sent_day = timezone.localtime(sent_at).date()
            state = "on_time" if sent_day <= due else "late"
            days_late = max(0, (sent_day - due).days)
        else:
            sent_day, days_late = None, max(0, (today - due).days)
            state = "missing" if today > due else "pending"
        rows.append(
            {
                "unit": unit,
                "report": r,
                "status_label": r.get_status_display() if r else "Chưa lập",
                "deadline": due,
                "sent": sent_day,
                "state": state,
                "state_label": TIMELINESS[state],
                "days_late": days_late,
                "accepted": bool(r and r.status == "accepted"),
            }
        )
    order = {"on_time": 0, "late": 1, "pending": 2, "missing": 3}
    rows.sort(key=lambda x: (order[x["state"]], x["days_late"], vi_key(x["unit"].name)))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    counts = {k: sum(1 for r in rows if r["state"] == k) for k in TIMELINESS}
    return {
        "rows": rows,
        "deadline": deadline,
        "counts": counts,
        "period": period,
        "region": region,
        "total": len(rows),
    }


def missing_reports(*, user, today: dt.date | None = None, limit: int = 12) -> dict:
    """The reports the reader's provinces owe and have not sent although the deadline has passed: for the
    latest 6-month and yearly periods whose deadline is behind `today` (the report list flags them; the
    completeness page has the whole table). {"rows": [...up to limit], "count": n} — each row the unit, the
    period, the deadline, the days late and the completeness link's query."""
    from .periods import HALF, YEAR
    from .services import deadline_for

    today = today or timezone.localdate()
    rows = []
    for kind in (HALF, YEAR):
        year = today.year
        period = Period.make(kind, year)
        while deadline_for(period) >= today:
            year -= 1
            period = Period.make(kind, year)
        table = completeness(user=user, region=None, period=period, today=today)
        for row in table["rows"]:
            if row["state"] == "missing":
                rows.append(
                    {
                        "unit": row["unit"],
                        "period": period,
                        "deadline": row["deadline"],
                        "days_late": row["days_late"],
                        "query": f"region=national&kind={kind}&year={year}",
                    }
                )
    rows.sort(key=lambda r: (-r["days_late"], vi_key(r["unit"].name)))
    return {"rows": rows[:limit], "count": len(rows), "more": max(0, len(rows) - limit)}
