"""Reads over annual plans and đề án, scoped to the reader.

`program_execution` is the seam through which đề án feed a programme's progress page (programs app):
approved and disbursed money by (content code, funding source code, year), and achieved outputs by
(indicator code, year), for one current province.

"As of" a date: a đề án's status and progress are those of its last StatusChange up to the end of that day,
its approved money that of the ProjectFunding history rows up to then, its disbursed money the sum of
disbursements dated up to then — so a 6-month report stays right when đề án change later.
"""

import datetime as dt
import functools
import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404

from khuyencong.core.listing import int_param
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import fold

from . import workflow
from .models import (
    AnnualPlan,
    Batch,
    Disbursement,
    Level,
    Project,
    ProjectBeneficiary,
    ProjectFunding,
    ProjectOutput,
    Status,
    StatusChange,
    asof_day_q,
)


@dataclass
class ExecutionFigures:
    # (activity content code, funding source code, year) -> {"approved": int đồng, "disbursed": int đồng}
    money: dict[tuple[str, str, int], dict[str, int]] = field(default_factory=dict)
    # (output indicator code, year) -> achieved quantity (int)
    outputs: dict[tuple[str, int], int] = field(default_factory=dict)


# Money of stopped or cancelled đề án is not "approved execution" any more (what was paid still counts).
NOT_EXECUTING = [Status.CANCELLED, Status.STOPPED]


def program_execution(*, province_id: int, year_from: int, year_to: int) -> ExecutionFigures:
    """Approved/disbursed money and achieved outputs of the province's đề án in [year_from, year_to]
    (money by the plan year; outputs by the year they were recorded). Aggregate queries only."""
    figures = ExecutionFigures()
    base = Q(
        project__province_id=province_id, project__plan__year__gte=year_from, project__plan__year__lte=year_to
    )
    approved = (
        ProjectFunding.objects.filter(base)
        .exclude(project__status__in=NOT_EXECUTING)
        .values("project__content__code", "source__code", "project__plan__year")
        .annotate(total=Sum("approved"))
        .order_by()
    )
    for row in approved:
        key = (row["project__content__code"], row["source__code"], row["project__plan__year"])
        figures.money.setdefault(key, {"approved": 0, "disbursed": 0})["approved"] += row["total"] or 0
    # A cancelled đề án counts nowhere, not even with a payment it had; a stopped one keeps what was paid.
    disbursed = (
        Disbursement.objects.filter(base)
        .exclude(project__status=Status.CANCELLED)
        .values("project__content__code", "source__code", "project__plan__year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in disbursed:
        key = (row["project__content__code"], row["source__code"], row["project__plan__year"])
        figures.money.setdefault(key, {"approved": 0, "disbursed": 0})["disbursed"] += row["total"] or 0
    outputs = (
        ProjectOutput.objects.filter(project__province_id=province_id)
        .annotate(year=ExtractYear("date"))
        .filter(year__gte=year_from, year__lte=year_to)
        .values("indicator__code", "year")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    for row in outputs:
        figures.outputs[(row["indicator__code"], row["year"])] = row["total"] or 0
    return figures


# ---------------------------------------------------------------------------------------------------- plans


def plan_list_for(*, user) -> QuerySet[AnnualPlan]:
    scope = scope_for(user)
    qs = AnnualPlan.objects.select_related("unit", "province")
    if scope.kind == "establishment":
        # An establishment sees its own đề án, never a plan (a plan's page and list carry the whole plan's
        # assigned and paid totals, which are other beneficiaries' money).
        return qs.none()
    if scope.kind == "units":
        # A commune office sees the plans its đề án belong to.
        projects = project_list_for(user=user)
        return qs.filter(pk__in=projects.values("plan_id"))
    return qs.filter(scope.q(province="province"))


def plan_list_with_totals(qs: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    """Plans with `n_projects` (their đề án) and `assigned_total` (the totals of the batches decided so far:
    what
    was assigned; a supplementary registration without a decision assigns nothing)."""
    batches = (
        Batch.objects.filter(plan=OuterRef("pk"), decision_date__isnull=False)
        .order_by()
        .values("plan")
        .annotate(s=Sum("total"))
        .values("s")
    )
    projects = (
        Project.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        assigned_total=Coalesce(Subquery(batches), 0),
        n_projects=Coalesce(Subquery(projects, output_field=IntegerField()), 0),
    )


def plan_filter(qs: QuerySet[AnnualPlan], params) -> QuerySet[AnnualPlan]:
    """Filters of the plan list: year, level, status, current province (a value that is not a number is
    ignored)."""
    year = int_param(params.get("year"))
    if year:
        qs = qs.filter(year=year)
    if params.get("level") in Level.values:
        qs = qs.filter(level=params["level"])
    if params.get("status") in AnnualPlan.PlanStatus.values:
        qs = qs.filter(status=params["status"])
    province = int_param(params.get("province"))
    if province:
        qs = qs.filter(province_id=province)
    return qs


def plan_get_for(*, user, pk: int) -> AnnualPlan:
    return get_object_or_404(plan_list_for(user=user), pk=pk)


COUNTERPART = "counterpart"


def money_by_project_source(
    project_ids: list[int], *, as_of: dt.date | None = None
) -> dict[int, dict[str, dict]]:
    """{project id: {source code: {"requested", "approved", "disbursed"}}} in đồng, every source including the
    counterpart: the funding rows (as they stood on `as_of`, business dates only) and the payments dated up to
    then. Grouped queries: one for money, one for payments."""
    out: dict[int, dict[str, dict]] = {}
    if not project_ids:
        return out

    def slot(pid, code):
        return out.setdefault(pid, {}).setdefault(code, {"requested": 0, "approved": 0, "disbursed": 0})

    if as_of is None:
        rows = ProjectFunding.objects.filter(project_id__in=project_ids).values_list(
            "project_id", "source__code", "requested", "approved"
        )
    else:
        H = ProjectFunding.history.model
        latest = (
            H.objects.filter(id=OuterRef("id"), effective_date__lte=as_of)
            .order_by("-effective_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = (
            H.objects.filter(
                project_id__in=project_ids, effective_date__lte=as_of, history_id=Subquery(latest)
            )
            .exclude(history_type="-")
            .values_list("project_id", "source__code", "requested", "approved")
        )
    for pid, code, requested, approved in rows:
        row = slot(pid, code)
        row["requested"] += requested or 0
        row["approved"] += approved or 0
    paid = Disbursement.objects.filter(project_id__in=project_ids)
    if as_of is not None:
        paid = paid.filter(date__lte=as_of)
    for pid, code, amount in (
        paid.values_list("project_id", "source__code")
        .annotate(s=Sum("amount"))
        .values_list("project_id", "source__code", "s")
        .order_by()
    ):
        slot(pid, code)["disbursed"] += amount or 0
    return out


def count_text(n: int, total: int, label: str) -> str:
    """The seeds' way of counting: "02/10 đề án đã hoàn thành"."""
    return f"{n:02d}/{total:02d} đề án {label}"


def cancelled_text(n: int) -> str:
    """The separate line for cancelled đề án, outside every count: "01 đề án đã hủy"."""
    return f"{n:02d} đề án đã hủy"


def batch_get_for(*, user, pk: int) -> Batch:
    """A batch of a plan the user may see (else 404)."""
    return get_object_or_404(Batch.objects.filter(plan__in=plan_list_for(user=user).values("pk")), pk=pk)


def plan_summary(
    *, plan: AnnualPlan, projects: QuerySet[Project] | None = None, as_of: dt.date | None = None
) -> dict:
    """The status summary ("02/10 đề án đã hoàn thành") and money by source of a plan's đề án.

    Cancelled đề án are left out of the count and of every amount and reported on their own line ("01 đề án
    đã hủy"); stopped ones stay in the count with what was paid (their approved money no longer counts). A
    group with no đề án prints no line (never
    "00/10"). Totals come twice: the state budget (every source but the counterpart) and all sources."""
    from khuyencong.catalog.models import FundingSource

    projects = plan.projects.all() if projects is None else projects
    rows = list(with_figures(projects, as_of=as_of))
    status_of = {p.pk: (p.asof_status if as_of else p.status) for p in rows}
    progress_of = {p.pk: (p.asof_progress if as_of else p.progress_pct) for p in rows}
    counted = [pk for pk, st in status_of.items() if st != Status.CANCELLED]
    cancelled = [pk for pk, st in status_of.items() if st == Status.CANCELLED]
    total = len(counted)
    counts = {key: 0 for key, _l, _s in workflow.REPORT_GROUPS}
    progress: dict[str, set] = {key: set() for key, _l, _s in workflow.REPORT_GROUPS}
    for pk in counted:
        key = workflow.report_group(status_of[pk])
        counts[key] += 1
        if progress_of.get(pk) is not None:
            progress[key].add(progress_of[pk])
    groups = []
    for key, label, _s in workflow.REPORT_GROUPS:
        if key == "cancelled" or not counts[key]:
            continue
        text = count_text(counts[key], total, label)
        values = progress[key]
        if key == "in_progress" and len(values) == 1 and next(iter(values)) > 0:
            text = count_text(
                counts[key], total, f"đã hoàn thành được {next(iter(values))}% khối lượng công việc"
            )
        groups.append({"key": key, "label": label, "count": counts[key], "text": text})
    money = money_by_project_source(counted, as_of=as_of)
    by_code: dict[str, dict] = {}
    for pk, per_source in money.items():
        executing = status_of[pk] not in NOT_EXECUTING
        for code, m in per_source.items():
            row = by_code.setdefault(code, {"requested": 0, "approved": 0, "disbursed": 0})
            row["requested"] += m["requested"]
            row["approved"] += m["approved"] if executing else 0  # a stopped đề án keeps only what was paid
            row["disbursed"] += m["disbursed"]
    sources = []
    for src in FundingSource.objects.filter(code__in=by_code).order_by("order"):
        sources.append(
            {
                "source__code": src.code,
                "source__short_name": src.short_name,
                "source__name": src.name,
                "source__order": src.order,
                **by_code[src.code],
            }
        )

    def add(codes):
        return {k: sum(by_code[c][k] for c in codes) for k in ("requested", "approved", "disbursed")}

    state = add([c for c in by_code if c != COUNTERPART])
    everything = add(list(by_code))
    dropped = money_by_project_source(cancelled, as_of=as_of)
    existing = projects.count() if as_of is not None else len(rows)
    return {
        "total": total,
        "groups": groups,
        "cancelled": {
            "count": len(cancelled),
            "text": cancelled_text(len(cancelled)) if cancelled else "",
            "approved": sum(
                m["approved"] for ps in dropped.values() for c, m in ps.items() if c != COUNTERPART
            ),
        },
        # Đề án of the plan entered with a later date than the as-of day (not counted there).
        "later": max(0, existing - len(rows)) if as_of is not None else 0,
        "sources": sources,
        **state,
        "counterpart": add([COUNTERPART] if COUNTERPART in by_code else []),
        "all_sources": everything,
    }


def plan_money(
    *, plan: AnnualPlan, as_of: dt.date | None = None, projects: QuerySet[Project] | None = None
) -> dict:
    """The plan's money per funding source and in total, as of a day (default today): registered (the đề án's
    requested money), assigned ("được giao": the batches decided on or before the day, with the earlier
    batches
    its đề án were carried over from), approved to đề án, unallocated (assigned − approved), paid, and the
    execution rate paid ÷ assigned (exact, shown "59,5 %"). Cancelled đề án are left out (and counted apart);
    stopped ones keep what was paid. Business dates only: the as-of figures do not depend on when a row was
    entered. `projects` is the reader's scoped đề án of the plan (default all of them)."""
    from django.utils import timezone

    from khuyencong.catalog.models import FundingSource
    from khuyencong.core.money import format_percent, percent_of

    from .models import BatchAllocation

    day = as_of or timezone.localdate()
    projects = plan.projects.all() if projects is None else projects
    if as_of is None:
        status = dict(projects.order_by().values_list("pk", "status"))
    else:
        last = (
            StatusChange.objects.filter(project=OuterRef("pk"), effective_date__lte=as_of)
            .order_by("-effective_date", "-pk")
            .values("to_status")[:1]
        )
        status = dict(
            projects.order_by().annotate(s=Subquery(last)).filter(s__isnull=False).values_list("pk", "s")
        )
    live = [pk for pk, s in status.items() if s != Status.CANCELLED]
    executing = {pk for pk, s in status.items() if s not in NOT_EXECUTING}
    if as_of is None:
        funding = ProjectFunding.objects.filter(project_id__in=live).values_list(
            "project_id", "source__code", "requested", "approved"
        )
    else:
        H = ProjectFunding.history.model
        latest = (
            H.objects.filter(id=OuterRef("id"), effective_date__lte=as_of)
            .order_by("-effective_date", "-history_id")
            .values("history_id")[:1]
        )
        funding = (
            H.objects.filter(project_id__in=live, effective_date__lte=as_of, history_id=Subquery(latest))
            .exclude(history_type="-")
            .values_list("project_id", "source__code", "requested", "approved")
        )
    figures: dict[str, dict[str, int]] = {}

    def row(code):
        return figures.setdefault(code, {"registered": 0, "assigned": 0, "approved": 0, "paid": 0})

    for project_id, code, requested, approved in funding.order_by():
        r = row(code)
        r["registered"] += requested or 0
        if project_id in executing:
            r["approved"] += approved or 0
    paid = Disbursement.objects.filter(project_id__in=live)
    if as_of is not None:
        paid = paid.filter(date__lte=as_of)
    for code, amount in (
        paid.values("source__code").annotate(s=Sum("amount")).values_list("source__code", "s")
    ):
        row(code)["paid"] += amount or 0
    carried = set(
        Batch.objects.filter(carried_projects__plan=plan).exclude(plan=plan).values_list("pk", flat=True)
    )
    assigned = (
        BatchAllocation.objects.filter(
            Q(batch__plan=plan) | Q(batch__in=carried), batch__decision_date__lte=day
        )
        .values("source__code")
        .annotate(s=Sum("amount"))
        .values_list("source__code", "s")
        .order_by()
    )
    for code, amount in assigned:
        row(code)["assigned"] += amount or 0
    from .services import plan_source_codes

    for code in plan_source_codes(plan):
        row(code)
    sources = {s.code: s for s in FundingSource.objects.filter(code__in=figures)}

    def finish(r: dict, *, label: str, public: bool) -> dict:
        out = {**r, "label": label, "public": public}
        out["unallocated"] = r["assigned"] - r["approved"] if public else None
        # Approved to đề án beyond what the batches assigned (e.g. no batch decided yet): said in words.
        out["over_assigned"] = max(0, -out["unallocated"]) if public else 0
        ratio = percent_of(r["paid"], r["assigned"]) if public else None
        out["rate"] = ratio
        out["rate_text"] = format_percent(ratio, 1) if ratio is not None else "—"
        return out

    rows = []
    for code in sorted(figures, key=lambda c: (sources[c].order, c) if c in sources else (999, c)):
        src = sources.get(code)
        rows.append(
            {
                "code": code,
                **finish(
                    figures[code], label=src.name if src else code, public=src.is_public if src else True
                ),
            }
        )
    keys = ("registered", "assigned", "approved", "paid")
    state = {k: sum(r[k] for r in rows if r["public"]) for k in keys}
    everything = {k: sum(r[k] for r in rows) for k in keys}
    everything["assigned"] = state["assigned"]
    return {
        "as_of": day,
        "rows": rows,
        "state": finish(state, label="Ngân sách nhà nước", public=True),
        "total": {
            **finish(everything, label="Tổng cộng (cả vốn đối ứng)", public=True),
            "unallocated": None,
            "rate": None,
            "rate_text": "—",
        },
        "count": len(live),
        "cancelled": len(status) - len(live),
        "carried": list(
            Batch.objects.filter(pk__in=carried)
            .select_related("plan")
            .prefetch_related("allocations__source")
        ),
    }


def _sources_as_of(project_ids: list[int], as_of: dt.date) -> list[dict]:
    """Money by source as the ProjectFunding rows stood at the end of `as_of` (from their history)."""
    from khuyencong.catalog.models import FundingSource

    H = ProjectFunding.history.model
    cut = as_of_cut(as_of)
    upto = {f"{cut.funding_col}__lte": cut.bound}
    latest = (
        H.objects.filter(id=OuterRef("id"), **upto)
        .order_by(f"-{cut.funding_col}", "-history_id")
        .values("history_id")[:1]
    )
    sums = {
        r["source_id"]: r
        for r in (
            H.objects.filter(project_id__in=project_ids, history_id=Subquery(latest), **upto)
            .exclude(history_type="-")
            .values("source_id")
            .annotate(requested=Sum("requested"), approved=Sum("approved"))
            .order_by()
        )
    }
    out = []
    for src in FundingSource.objects.filter(pk__in=sums).order_by("order"):
        out.append(
            {
                "source__code": src.code,
                "source__short_name": src.short_name,
                "source__name": src.name,
                "source__order": src.order,
                "requested": sums[src.pk]["requested"],
                "approved": sums[src.pk]["approved"],
            }
        )
    return out


# ---------------------------------------------------------------------------------------------------- đề án


def project_list_for(*, user) -> QuerySet[Project]:
    scope = scope_for(user)
    qs = Project.objects.select_related("plan", "plan__unit", "content", "province", "commune", "batch")
    if scope.kind == "establishment":
        return qs.filter(
            pk__in=Project.objects.filter(beneficiaries__establishment_id=scope.establishment_id).values("pk")
        )
    if scope.kind == "units":
        return qs.filter(
            Q(commune_id__in=scope.unit_ids)
            | Q(
                pk__in=Project.objects.filter(
                    beneficiaries__establishment__commune_id__in=scope.unit_ids
                ).values("pk")
            )
        )
    return qs.filter(scope.q(province="province"))


def project_get_for(*, user, pk: int) -> Project:
    return get_object_or_404(project_list_for(user=user), pk=pk)


def parse_as_of(value) -> dt.date | None:
    """`?as_of=` as typed (dd/mm/yyyy or ISO); a date that does not exist is refused in Vietnamese."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    from khuyencong.core.errors import DomainError

    raise DomainError(f"Ngày «{value}» không hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd).", field="as_of")


def project_filter(qs: QuerySet[Project], params) -> QuerySet[Project]:
    """Filters shared by the page, the export and the API: province, year, level, content, status,
    beneficiary,
    plan, q (folded text)."""
    get = params.get
    if get("province"):
        qs = qs.filter(province_id=_int(get("province")))
    if get("year"):
        qs = qs.filter(plan__year=_int(get("year")))
    if get("level"):
        qs = qs.filter(plan__level=get("level"))
    if get("content"):
        qs = qs.filter(content__code=get("content"))
    if get("plan"):
        qs = qs.filter(plan_id=_int(get("plan")))
    if get("status"):
        qs = qs.filter(status=get("status"))
    if get("beneficiary"):
        value = str(get("beneficiary")).strip()
        if value.isdecimal() and int_param(value) is not None:
            qs = qs.filter(
                pk__in=Project.objects.filter(beneficiaries__establishment_id=int(value)).values("pk")
            )
        else:
            qs = qs.filter(
                pk__in=Project.objects.filter(
                    beneficiaries__establishment__search_text__contains=fold(value)
                ).values("pk")
            )
    if str(get("overdue") or "").lower() in ("1", "on", "true"):
        qs = project_overdue(qs)
    if get("q"):
        # Every folded word in the đề án's search column: its code and title and its beneficiaries' text, one
        # trigram-indexed column (projects.search), so the words' index scans combine.
        for w in fold(str(get("q"))).split():
            qs = qs.filter(search_text__contains=w)
    return qs


# Started but not completed: past its end date, such a đề án is late ("Việc cần làm", `?overdue=1`).
RUNNING = (Status.APPROVED, Status.CONTRACTED, Status.IN_PROGRESS)


def project_overdue(qs: QuerySet[Project], today: dt.date | None = None) -> QuerySet[Project]:
    """The đề án past their end date and not completed: the home page's count and the list it links to."""
    from django.utils import timezone

    return qs.filter(end_date__lt=today or timezone.localdate(), status__in=RUNNING)


def _int(value) -> int:
    number = int_param(value)  # None when not a whole number or beyond what the database stores
    if number is None:
        raise Http404
    return number


# ------------------------------------------------------------------------------------------------- as of a da
#
# The one place that says which column dates a change for the as-of reads: every as-of query below (the
# correlated annotations of `with_figures`, the set-based page/total/export queries, the plan's money by
# source)
# takes its column, bound and tie-break from `AsOfCut`.


@dataclass(frozen=True)
class AsOfCut:
    status_col: str  # StatusChange column compared with `bound`; last change = highest (status_col, id)
    funding_col: str  # ProjectFunding history column; last row = highest (funding_col, history_id)
    bound: object  # the value both columns are compared with (<=)
    day: dt.date  # disbursements count up to this day (Disbursement.date <= day)


def as_of_cut(as_of: dt.date) -> AsOfCut:
    """Business dates only: the last step dated on or before `as_of`, the money row in force on that day."""
    return AsOfCut(status_col="effective_date", funding_col="effective_date", bound=as_of, day=as_of)


def _asof_status_qs(cut: AsOfCut):
    return StatusChange.objects.filter(
        project=OuterRef("pk"), **{f"{cut.status_col}__lte": cut.bound}
    ).order_by(f"-{cut.status_col}", "-pk")


def with_figures(qs: QuerySet[Project], *, as_of: dt.date | None = None) -> QuerySet[Project]:
    """Annotate requested/approved/disbursed totals; with `as_of`, also the status and progress as they stood
    then (`asof_status`, `asof_progress`), keeping only đề án that existed by that day.

    Correlated subqueries per row: right for a few hundred đề án (a plan, a report); the lists page through
    `project_page_rows` / `project_totals` instead, which stay set-based at national scale."""
    zero = Value(0, output_field=IntegerField())
    if as_of is None:
        funding = ProjectFunding.objects.filter(project=OuterRef("pk")).exclude(source__code="counterpart")
        requested = funding.values("project").annotate(s=Sum("requested")).values("s").order_by()
        approved = funding.values("project").annotate(s=Sum("approved")).values("s").order_by()
        disbursed = (
            Disbursement.objects.filter(project=OuterRef("pk"))
            .values("project")
            .annotate(s=Sum("amount"))
            .values("s")
            .order_by()
        )
        return qs.annotate(
            requested_total=Coalesce(Subquery(requested), zero),
            approved_total=Coalesce(Subquery(approved), zero),
            disbursed_total=Coalesce(Subquery(disbursed), zero),
        )
    cut = as_of_cut(as_of)
    last = _asof_status_qs(cut)
    H = ProjectFunding.history.model
    col = cut.funding_col
    latest = (
        H.objects.filter(id=OuterRef("id"), **{f"{col}__lte": cut.bound})
        .order_by(f"-{col}", "-history_id")
        .values("history_id")[:1]
    )
    hist = (
        H.objects.filter(project_id=OuterRef("pk"), history_id=Subquery(latest), **{f"{col}__lte": cut.bound})
        .exclude(history_type="-")
        .exclude(source__code="counterpart")
    )
    requested = hist.values("project_id").annotate(s=Sum("requested")).values("s").order_by()
    approved = hist.values("project_id").annotate(s=Sum("approved")).values("s").order_by()
    disbursed = (
        Disbursement.objects.filter(project=OuterRef("pk"), date__lte=cut.day)
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
        .order_by()
    )
    return (
        qs.annotate(
            asof_status=Subquery(last.values("to_status")[:1]),
            asof_progress=Subquery(last.values("progress_pct")[:1]),
        )
        .filter(asof_status__isnull=False)
        .annotate(
            requested_total=Coalesce(Subquery(requested), zero),
            approved_total=Coalesce(Subquery(approved), zero),
            disbursed_total=Coalesce(Subquery(disbursed), zero),
        )
    )


def _asof_join(qs: QuerySet[Project], as_of: dt.date | None) -> QuerySet[Project]:
    """Join each đề án to its maintained as-of row (`ProjectAsOf`) for that day — the current (open-ended) row
    without a date — as `asof` (a LEFT JOIN; one row per đề án at most)."""
    return qs.annotate(asof=FilteredRelation("asof_rows", condition=asof_day_q(as_of, "asof_rows__")))


def project_list_filter(qs: QuerySet[Project], params, *, as_of: dt.date | None = None) -> QuerySet[Project]:
    """`project_filter`, and with `as_of` only the đề án that existed by that day (a status change up to
    then),
    `status` then meaning the status they had that day — one join to the maintained as-of table. No per-row
    figures: a queryset to count, sort and paginate (`project_list_order`, `project_page_rows`)."""
    if as_of is None:
        return project_filter(qs, params)
    from . import asof

    asof.refresh()
    params = params.copy() if hasattr(params, "copy") else dict(params)
    status = params.pop("status", None)
    if isinstance(status, list):
        status = status[0] if status else None
    # One filter() call: a second one would join the as-of table again.
    return _asof_join(project_filter(qs, params), as_of).filter(
        asof__isnull=False, **({"asof__status": status} if status else {})
    )


# Sort paths that are figures: read from the as-of table (current row, or the day's row).
FIGURE_SORTS = {
    "requested_total": "asof__requested",
    "approved_total": "asof__approved",
    "disbursed_total": "asof__disbursed",
}
ASOF_SORTS = {"status": "asof__status", "progress_pct": "asof__progress_pct"}


@functools.cache
def _nullable(path: str) -> bool:
    """Can the đề án's column at this path (e.g. "plan__year") be NULL? The as-of figures can (LEFT JOIN)."""
    if path.startswith("asof__"):
        return True
    model, field = Project, None
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null:
            return True
        model = field.related_model or model
    return False


def _order(path: str, desc: bool):
    """ORDER BY one path: NULLs last descending and first ascending only where the column can be NULL. On a
    NOT NULL column the explicit NULLS FIRST/LAST keeps PostgreSQL from walking its index (the Cục's
    default list, by code, read 100.000 đề án to find 50)."""
    if _nullable(path):
        return F(path).desc(nulls_last=True) if desc else F(path).asc(nulls_first=True)
    return F(path).desc() if desc else F(path).asc()


def project_list_order(
    qs: QuerySet[Project], path: str, *, desc: bool, as_of: dt.date | None
) -> QuerySet[Project]:
    """Order the list by one sort path (then pk): a column of the đề án or its plan; a money figure or (as of
    a
    date) the status or progress from the maintained as-of table, joined once."""
    if path in FIGURE_SORTS or (as_of is not None and path in ASOF_SORTS):
        if as_of is None:
            from . import asof

            asof.refresh()
            qs = _asof_join(qs, None)
        path = FIGURE_SORTS.get(path) or ASOF_SORTS[path]
    return qs.order_by(_order(path, desc), "pk")


def project_figures(ids: list[int], *, as_of: dt.date | None = None) -> dict[int, dict]:
    """Figures of the given đề án (a page, an export chunk): requested/approved (public sources) and disbursed
    money — live from the records, or as of a date (with the status and progress then) from the maintained
    as-of table. A fixed number of queries whatever the number of ids."""
    out = {pid: {"requested_total": 0, "approved_total": 0, "disbursed_total": 0} for pid in ids}
    if not ids:
        return out
    if as_of is None:
        for pid, requested, approved in (
            ProjectFunding.objects.filter(project_id__in=ids)
            .exclude(source__code="counterpart")
            .values("project_id")
            .annotate(r=Sum("requested"), a=Sum("approved"))
            .values_list("project_id", "r", "a")
            .order_by()
        ):
            out[pid]["requested_total"], out[pid]["approved_total"] = int(requested or 0), int(approved or 0)
        for pid, amount in (
            Disbursement.objects.filter(project_id__in=ids)
            .values("project_id")
            .annotate(s=Sum("amount"))
            .values_list("project_id", "s")
            .order_by()
        ):
            out[pid]["disbursed_total"] = int(amount or 0)
        return out
    from .models import ProjectAsOf

    for pid, status, progress, requested, approved, disbursed in ProjectAsOf.objects.filter(
        asof_day_q(as_of), project_id__in=ids
    ).values_list("project_id", "status", "progress_pct", "requested", "approved", "disbursed"):
        out[pid].update(
            asof_status=status,
            asof_progress=progress,
            requested_total=requested,
            approved_total=approved,
            disbursed_total=disbursed,
        )
    return out


def project_page_rows(ids: list[int], *, as_of: dt.date | None = None) -> list[Project]:
    """The page's đề án in the given order, with what the list shows (plan, content, the batch carried over
    from,
    beneficiary names) and their figures as attributes (`requested_total`, … and, as of a date, `asof_status`,
    `asof_progress`) — a fixed number of queries whatever the page size."""
    projects = (
        Project.objects.filter(pk__in=ids)
        .select_related(
            "plan", "plan__unit", "content", "province", "carried_over_from", "carried_over_from__plan"
        )
        .prefetch_related(
            Prefetch(
                "beneficiaries",
                ProjectBeneficiary.objects.select_related("establishment")
                .only("id", "project_id", "establishment_id", "establishment__name")
                .order_by("pk"),
            )
        )
        .in_bulk(ids)
    )
    figures = project_figures(list(projects), as_of=as_of)
    rows = []
    for pid in ids:
        p = projects.get(pid)
        if p is None:
            continue
        for key, value in figures[pid].items():
            setattr(p, key, value)
        rows.append(p)
    return rows


LIST_ROW_COLUMNS = (
    "pk",
    "code",
    "title",
    "is_flagship",
    "status",
    "progress_pct",
    "plan__year",
    "plan__level",
    "content_id",
    "content__code",
    "content__short_name",
    "content__name",
    "carried_over_from_id",
    "carried_over_from__number",
    "carried_over_from__is_supplementary",
    "carried_over_from__plan__year",
)


def project_list_rows(ids: list[int], *, as_of: dt.date | None = None) -> list[dict]:
    """What the đề án table of the list and the plan page shows for these đề án, in the given order: one
    dict a row (code, title, year, level, content, the batch carried over from, beneficiary names, status
    and progress — as of a date when asked — and the three figures), read as values in three queries
    whatever the number of ids. The pages build no model instance for it (`project_page_rows` is the API's:
    ~350 instances a page of 50, half of the list's time)."""
    from khuyencong.catalog.models import ActivityContent

    if not ids:
        return []
    values = {v["pk"]: v for v in Project.objects.filter(pk__in=ids).values(*LIST_ROW_COLUMNS)}
    names: dict[int, list[str]] = {}
    for pid, name in (
        ProjectBeneficiary.objects.filter(project_id__in=list(values))
        .order_by("pk")
        .values_list("project_id", "establishment__name")
    ):
        names.setdefault(pid, []).append(name)
    figures = project_figures(list(values), as_of=as_of)
    rows = []
    for pid in ids:
        v = values.get(pid)
        if v is None:
            continue
        f = figures[pid]
        status = f.get("asof_status") if as_of else v["status"]
        rows.append(
            {
                "pk": pid,
                "code": v["code"],
                "title": v["title"],
                "is_flagship": v["is_flagship"],
                "carried_over_from": (
                    Batch.label(
                        v["carried_over_from__number"],
                        v["carried_over_from__is_supplementary"],
                        v["carried_over_from__plan__year"],
                    )
                    if v["carried_over_from_id"]
                    else ""
                ),
                "year": v["plan__year"],
                "level": v["plan__level"],
                "content": (
                    ActivityContent.label(v["content__code"], v["content__short_name"], v["content__name"])
                    if v["content_id"]
                    else ""
                ),
                "content_name": v["content__name"] or "",
                "beneficiaries": "; ".join(names.get(pid, ())),
                "status_label": Status(status).label if status else "",
                "progress": f.get("asof_progress") if as_of else v["progress_pct"],
                "requested_total": f["requested_total"],
                "approved_total": f["approved_total"],
                "disbursed_total": f["disbursed_total"],
            }
        )
    return rows


def project_totals(qs: QuerySet[Project], *, as_of: dt.date | None = None) -> dict[str, int]:
    """The totals row of a filtered list (every matching đề án, not just the page): requested, approved and
    disbursed money in one grouped query over the maintained as-of table (the current rows without a date)."""
    from .models import ProjectAsOf

    # Cancelled đề án stay listed but count in no total (issue 10), as of a date by their status then.
    if as_of is None:
        from . import asof

        asof.refresh()
        if not qs.query.where:  # every đề án (the Cục, no filter): the current rows alone, no join
            sums = (
                ProjectAsOf.objects.filter(asof_day_q(None))
                .exclude(status=Status.CANCELLED)
                .aggregate(requested=Sum("requested"), approved=Sum("approved"), disbursed=Sum("disbursed"))
            )
            return {key: int(value or 0) for key, value in sums.items()}
        qs = _asof_join(qs, None)
    counted = ~Q(asof__status=Status.CANCELLED)
    sums = qs.order_by().aggregate(
        requested=Sum("asof__requested", filter=counted),
        approved=Sum("asof__approved", filter=counted),
        disbursed=Sum("asof__disbursed", filter=counted),
    )
    return {key: int(value or 0) for key, value in sums.items()}


def project_day_rows(base: QuerySet[Project], params, *, as_of: dt.date | None):
    """The day's rows of the maintained as-of table when the list is every đề án that existed that day (a
    reader of national scope, no filter but the status then): they alone answer the count, the totals and a
    sort by figures, without joining the 100.000 đề án to them. None for any other list (then the joined
    queryset of `project_list_filter` answers)."""
    if as_of is None:
        return None
    params = params.copy() if hasattr(params, "copy") else dict(params)
    status = params.pop("status", None)
    if isinstance(status, list):
        status = status[0] if status else None
    if project_filter(base, params).query.where:
        return None
    from .models import ProjectAsOf

    rows = ProjectAsOf.objects.filter(asof_day_q(as_of))
    return rows.filter(status=status) if status else rows


def project_list_summary(
    qs: QuerySet[Project], *, as_of: dt.date | None = None, day_rows=None
) -> dict[str, int]:
    """The list's count and totals row (see `_project_list_summary`), kept until a đề án, its plan, money,
    steps or beneficiaries change (`core.dataversion`, group "projects"): the Cục's national list costs
    100 ms of SQL for the same answer each time otherwise. The key is the SQL of the list (its scope and
    filters) and the day."""
    from khuyencong.core import dataversion

    from . import asof

    asof.refresh()  # dirty as-of rows first: rebuilding them bumps the version
    parts = (
        dataversion.query_key(qs),
        as_of,
        dataversion.query_key(day_rows) if day_rows is not None else None,
    )
    return dataversion.remember(
        "projects", parts, lambda: _project_list_summary(qs, as_of=as_of, day_rows=day_rows)
    )


def _project_list_summary(
    qs: QuerySet[Project], *, as_of: dt.date | None = None, day_rows=None
) -> dict[str, int]:
    """The list's count and its totals row (requested, approved, disbursed; cancelled đề án counted but in
    no total) — as of a date in one statement over the joined list (or the day's as-of rows alone, see
    `project_day_rows`), so the as-of rows are read once, not once for the count and again for the totals."""
    if as_of is None:
        return {"count": qs.count(), **project_totals(qs)}
    if day_rows is not None:
        counted = ~Q(status=Status.CANCELLED)
        sums = day_rows.order_by().aggregate(
            count=Count("pk"),
            requested=Sum("requested", filter=counted),
            approved=Sum("approved", filter=counted),
            disbursed=Sum("disbursed", filter=counted),
        )
    else:
        counted = ~Q(asof__status=Status.CANCELLED)
        sums = qs.order_by().aggregate(
            count=Count("pk"),
            requested=Sum("asof__requested", filter=counted),
            approved=Sum("asof__approved", filter=counted),
            disbursed=Sum("asof__disbursed", filter=counted),
        )
    return {key: int(value or 0) for key, value in sums.items()}


def project_list_ids(
    ordered: QuerySet[Project], path: str, *, desc: bool, day_rows=None, few: int | None = None
):
    """The ids of the list in its order (what the paginator slices). Sorted by a figure or the status of the
    day, the day's as-of rows alone give them when `day_rows` is set (same order: value, then đề án id).
    When the day's rows are `few` (a status of the day matched by some thousands of đề án), their ids are
    read first and only those đề án sorted: walking the code index over every đề án until 50 match — the
    plan PostgreSQL picks — reads 60.000 đề án when the matches are all of one late year."""
    column = (FIGURE_SORTS.get(path) or ASOF_SORTS.get(path) or "").removeprefix("asof__")
    if day_rows is None and path in FIGURE_SORTS and not ordered.query.where:
        return CurrentFigureOrder(column, desc=desc)
    if day_rows is not None and column:
        order = F(column).desc(nulls_last=True) if desc else F(column).asc(nulls_first=True)
        return day_rows.order_by(order, "project_id").values_list("project_id", flat=True)
    if day_rows is not None and few is not None and few <= FEW_DAY_ROWS:
        ids = list(day_rows.order_by().values_list("project_id", flat=True))
        return (
            Project.objects.filter(_id_in(ids))
            .order_by(_order(path, desc), "pk")
            .values_list("pk", flat=True)
        )
    if day_rows is not None:
        # Walk the đề án in the sort's order and keep those with a row that day (a semi-join that stops at
        # the page): SQLite otherwise reads the 100.000 rows of the day and sorts them to find 50.
        on_day = Exists(day_rows.filter(project_id=OuterRef("pk")))
        return Project.objects.filter(on_day).order_by(_order(path, desc), "pk").values_list("pk", flat=True)
    return ordered.values_list("pk", flat=True)


class CurrentFigureOrder:
    """The ids of every đề án sorted by a current figure (`requested`, `approved`, `disbursed`), then by id:
    the Cục's national list sorted by money. The open as-of rows are walked in the order of their partial
    index (`projects_asof_open_*`, migration 0010) and the page's 50 ids read, instead of joining 100.000
    đề án to their rows and sorting them all. A đề án without an open row (before its first dated step) has
    no figure: last when descending, first when ascending, as in the joined list (`NULLS LAST/FIRST`)."""

    def __init__(self, column: str, *, desc: bool):
        self.column, self.desc = column, desc

    def _open_rows(self):
        from .models import ProjectAsOf

        table = ProjectAsOf._meta.db_table
        # The literal 0 (not a bound parameter): SQLite uses a partial index only for a WHERE it can prove.
        is_open = RawSQL(f'"{table}"."bucket" = {ProjectAsOf.OPEN}', (), output_field=BooleanField())
        order = F(self.column).desc() if self.desc else F(self.column).asc()
        return ProjectAsOf.objects.filter(is_open).order_by(order, "project_id")

    def _without_row(self) -> list[int]:
        """Đề án without an open row (usually none), kept until the đề án data changes."""
        from khuyencong.core import dataversion

        from .models import ProjectAsOf

        def compute():
            has_row = ProjectAsOf.objects.filter(project_id=OuterRef("pk"), bucket=ProjectAsOf.OPEN)
            return list(Project.objects.filter(~Exists(has_row)).order_by("pk").values_list("pk", flat=True))

        return dataversion.remember("projects", ("without-open-row",), compute)

    def __getitem__(self, page: slice) -> list[int]:
        start, stop = page.start or 0, page.stop
        rows = self._open_rows().values_list("project_id", flat=True)
        missing = self._without_row()
        if not missing:
            return list(rows[start:stop])
        if not self.desc:  # the đề án without a figure first
            head = missing[start:stop]
            rest_start = max(0, start - len(missing))
            rest_stop = None if stop is None else max(0, stop - len(missing))
            return head + (list(rows[rest_start:rest_stop]) if rest_stop != 0 else [])
        n_rows = rows.count()
        head = list(rows[start:stop]) if start < n_rows else []
        tail_start = max(0, start - n_rows)
        tail_stop = None if stop is None else max(0, stop - n_rows)
        return head + (missing[tail_start:tail_stop] if tail_stop != 0 else [])

    def __len__(self) -> int:
        return self._open_rows().count() + len(self._without_row())


def _id_in(ids: list[int]) -> RawSQL:
    """`đề án id in ids` as one parameter (an array on PostgreSQL, a JSON list on SQLite): thousands of
    separate parameters cost more to bind than the query takes to run. On PostgreSQL the array is unnested
    into a semi-join: as `id = ANY(array)` the planner walked the code index and compared every đề án with
    the whole array (4.549 ids of 30/06/2018 in progress: 1,0 s; now the ids are looked up, ~30 ms)."""
    column = f'"{Project._meta.db_table}"."id"'
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} IN (SELECT unnest(%s))", (ids,), output_field=BooleanField())
    return RawSQL(
        f"{column} IN (SELECT value FROM json_each(%s))", (json.dumps(ids),), output_field=BooleanField()
    )


# Up to this many matching đề án of a day, `project_list_ids` reads their ids before sorting (an IN list that
# both databases take in one statement).
FEW_DAY_ROWS = 20_000


def project_export_rows(qs: QuerySet[Project], *, as_of: dt.date | None = None, chunk: int = 5000):
    """Every đề án of an ordered, filtered list for an export, as one query read in chunks (a server-side
    cursor on PostgreSQL): the đề án's columns, its beneficiaries' names (one aggregated subquery) and its
    figures from the maintained as-of table (the current row, or that day's). Yields one tuple per đề án
    (code,
    title, year, level label, content code, beneficiary names, status label, progress, requested, approved,
    disbursed, cluster name); memory stays that of one chunk."""
    from . import asof

    asof.refresh()
    if as_of is None and "asof" not in qs.query._filtered_relations:
        qs = _asof_join(qs, None)
    names = (
        ProjectBeneficiary.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(
            n=StringAgg(
                "establishment__name",
                delimiter=Value("; "),
                **({"order_by": "pk"} if connection.features.supports_aggregate_order_by_clause else {}),
            )
        )
        .values("n")
    )
    status_col = "asof__status" if as_of else "status"
    progress_col = "asof__progress_pct" if as_of else "progress_pct"
    levels = dict(Level.choices)
    statuses = dict(Status.choices)
    rows = qs.annotate(names=Subquery(names)).values_list(
        "code",
        "title",
        "plan__year",
        "plan__level",
        "content__code",
        "names",
        status_col,
        progress_col,
        "asof__requested",
        "asof__approved",
        "asof__disbursed",
        "cluster__name",
    )
    for (
        code,
        title,
        year,
        level,
        content,
        names_,
        status,
        progress,
        requested,
        approved,
        disbursed,
        cluster,
    ) in rows.iterator(chunk_size=chunk):
        yield (
            code,
            title,
            year,
            levels.get(level, level),
            content,
            names_ or "",
            statuses.get(status, status),
            progress,
            requested or 0,
            approved or 0,
            disbursed or 0,
            cluster or "",
        )


def status_counts(qs: QuerySet[Project], *, as_of: dt.date | None = None) -> dict[str, int]:
    if as_of is None:
        return dict(qs.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts: dict[str, int] = {}
    for status in with_figures(qs, as_of=as_of).values_list("asof_status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def project_timeline(*, project: Project) -> list[dict]:
    """Transitions and revisions of a đề án, oldest first: who, when, what, note."""
    rows = []
    revisions = {r.number: r for r in project.revisions.all()}
    for c in project.status_changes.select_related("actor").order_by("effective_date", "pk"):
        if c.action == "create":
            label = "Tạo đề án"
        elif c.action in workflow.EVENTS:
            label = workflow.EVENTS[c.action]["label"]
        elif c.action == "progress":
            label = "Cập nhật tiến độ"
        else:
            rule = workflow.TRANSITIONS.get((c.from_status, c.to_status))
            label = rule["label"] if rule else c.get_to_status_display()
        rows.append(
            {
                "change": c,
                "when": c.effective_date,
                "recorded_at": c.changed_at,
                "label": label,
                "changes": c.changes or {},
                "actor": c.actor.display_name if c.actor else "Hệ thống",
                "from": c.get_from_status_display() if c.from_status else "",
                "to": c.get_to_status_display(),
                "note": c.note,
                "document_no": c.document_no,
                "document_date": c.document_date,
                "progress": c.progress_pct if c.to_status in (Status.IN_PROGRESS, Status.COMPLETED) else None,
                "revision": revisions.get((c.data or {}).get("revision")),
            }
        )
    return rows


REVISION_FIELDS = {
    "title": "Tên đề án",
    "description": "Nội dung, mục tiêu",
    "content": "Nội dung hoạt động",
    "support_cap": "Nội dung chi",
    "start_date": "Ngày bắt đầu",
    "end_date": "Ngày kết thúc",
    "commune": "Địa bàn",
    "implementing_unit": "Đơn vị thực hiện",
    "funding": "Kinh phí",
}


def _revision_value(field: str, value) -> str:
    from khuyencong.core.money import format_vnd

    if value in (None, ""):
        return "(trống)"
    if field == "funding" and isinstance(value, dict):
        from khuyencong.catalog.models import FundingSource

        names = dict(FundingSource.objects.values_list("code", "short_name"))
        return "; ".join(
            f"{names.get(code, code)}: đề nghị {format_vnd(v.get('requested', 0))}, "
            f"phê duyệt {format_vnd(v.get('approved', 0))}"
            for code, v in value.items()
        )
    if field.endswith("_date"):
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


def revision_rows(*, project: Project) -> list[dict]:
    """Adjustments and extensions, newest first, each change as (field label, old, new) for a side-by-side
    table."""
    rows = []
    for r in project.revisions.select_related("actor").order_by("-number"):
        fields = sorted(set(r.old_values) | set(r.new_values))
        rows.append(
            {
                "revision": r,
                "actor": r.actor.display_name if r.actor else "Hệ thống",
                "changes": [
                    (
                        REVISION_FIELDS.get(f, f),
                        _revision_value(f, r.old_values.get(f)),
                        _revision_value(f, r.new_values.get(f)),
                    )
                    for f in fields
                ],
            }
        )
    return rows


def establishment_support_rows(establishment) -> list[dict]:
    """The đề án that supported an establishment, for its support history (beneficiaries app)."""
    from django.urls import reverse

    rows = []
    projects = (
        Project.objects.filter(beneficiaries__establishment=establishment)
        .select_related("plan")
        .annotate(approved_sum=Sum("fundings__approved", filter=~Q(fundings__source__code="counterpart")))
        .order_by("-plan__year", "code")
    )
    for p in projects:
        rows.append(
            {
                "date": p.decision_date or p.start_date or dt.date(p.plan.year, 1, 1),
                "kind": "Đề án",
                "title": f"{p.code} — {p.title}",
                "amount": p.approved_sum or 0,
                "status": p.get_status_display(),
                "url": reverse("projects:detail", args=[p.pk]),
            }
        )
    return rows
