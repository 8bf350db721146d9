"""A report's figures, computed from the records as they stood at the period's end.

Uses the projects app's as-of selector (`projects.selectors.with_figures(qs, as_of=)`) for each đề án's
status, progress and money on that day; history reconstruction lives there, not here.

The figures are one JSON-able dict (the same shape is frozen into `Report.figures` on submission, and is
what hand-entered paper reports fill in):

    as_of, source, plan, approved, disbursed (state budget: every source but the counterpart),
    counterpart, counterpart_disbursed, all_sources {plan, approved, disbursed} (counterpart included),
    project_count (cancelled left out), cancelled [same rows as projects, outside every total],
    by_source  [{code, name, plan, approved, disbursed}],
    by_content [{code, name, projects, approved, disbursed}],
    plans      [{title, level, year, plan, total, cancelled, lines: [{key, count, text}]}]
               (a last line "01 đề án đã hủy" when some were cancelled),
    projects   [{code, title, level, content, beneficiary, commune, approved, disbursed, status, status_label,
                 progress}],
    outputs    [{code, name, unit, value}],
    previous_year {label, plan, approved, disbursed},  targets [{code, name, unit, target, achieved}]
"""

import datetime as dt
from collections import OrderedDict

from khuyencong.core.money import percent_of

from .periods import Period
from .record_figures import record_outputs, record_sections

LEVEL_SOURCE = {"national": "national", "local": "local"}

# Status groups the way the seeds write them: "02/10 đề án đã hoàn thành".
GROUPS = [
    ("done", "đã hoàn thành", {"completed", "accepted", "settled"}),
    ("in_progress", "đang thực hiện", {"in_progress"}),
    ("stop_requested", "xin dừng thực hiện", {"stop_requested"}),
    ("stopped", "đã dừng thực hiện", {"stopped"}),
    ("not_started", "chưa thực hiện", {"draft", "registered", "appraised", "approved", "contracted"}),
    ("cancelled", "đã hủy", {"cancelled"}),
]


def group_of(status: str) -> str:
    for key, _label, statuses in GROUPS:
        if status in statuses:
            return key
    return "not_started"


def empty_figures(as_of: dt.date, source: str = "computed") -> dict:
    return {
        "as_of": as_of.isoformat(),
        "source": source,
        "plan": 0,
        "approved": 0,
        "disbursed": 0,
        "counterpart": 0,
        "counterpart_disbursed": 0,
        "by_source": [],
        "by_content": [],
        "plans": [],
        "projects": [],
        "cancelled": [],
        "outputs": [],
        "sections": [],
        "previous_year": None,
        "targets": [],
    }


def normalise_figures(figures: dict, *, as_of: dt.date, source: str) -> dict:
    """Fill a hand-entered figures dict to the full shape, with integer money."""
    out = empty_figures(as_of, source)
    for key, value in (figures or {}).items():
        out[key] = value
    for key in ("plan", "approved", "disbursed", "counterpart", "counterpart_disbursed"):
        out[key] = int(out.get(key) or 0)
    if not out["by_source"] and out["plan"]:
        out["by_source"] = []
    out["source"] = source
    out["as_of"] = as_of.isoformat()
    return out


def status_lines(statuses_progress: list[tuple[str, int | None]]) -> list[dict]:
    """[(status, progress)] → the seed's lines: "02/10 đề án đã hoàn thành", "04/10 đề án đã hoàn thành
    được 50% khối lượng công việc", "02/10 đề án xin dừng thực hiện", "02/10 đề án chưa thực hiện"."""
    total = len(statuses_progress)
    by_group: dict[str, list[int | None]] = OrderedDict((key, []) for key, _l, _s in GROUPS)
    for status, progress in statuses_progress:
        by_group[group_of(status)].append(progress)
    lines = []
    for key, label, _s in GROUPS:
        items = by_group[key]
        if not items:
            continue
        text = f"{len(items):02d}/{total:02d} đề án {label}"
        if key == "in_progress":
            values = {p for p in items if p is not None}
            if len(values) == 1 and next(iter(values)) > 0:
                share = next(iter(values))
                text = f"{len(items):02d}/{total:02d} đề án đã hoàn thành được {share}% khối lượng công việc"
            elif values:
                text += f" (tiến độ {min(values)}-{max(values)}%)"
        lines.append(
            {
                "key": key,
                "count": len(items),
                "total": total,
                "text": text,
                "progress": sorted({p for p in items if p is not None}),
            }
        )
    return lines


def _plans_for(unit, period: Period):
    from khuyencong.projects.models import AnnualPlan

    years = range(period.start.year, period.end.year + 1)
    qs = AnnualPlan.objects.filter(year__in=list(years)).exclude(status="registered")
    if unit.level == 1:
        if unit.era == "current":
            return qs.filter(province_id=unit.id)
        return qs.filter(unit_id=unit.id)
    return qs.none()


def _projects_for(unit, period: Period):
    from khuyencong.projects.models import Project

    years = list(range(period.start.year, period.end.year + 1))
    qs = Project.objects.filter(plan__year__in=years).exclude(plan__status="registered")
    if unit.level == 1:
        if unit.era == "current":
            return qs.filter(province_id=unit.id)
        return qs.filter(plan__unit_id=unit.id)
    return qs.filter(commune__in=_subtree(unit))


def _subtree(unit):
    from khuyencong.geo.models import AdminUnit

    ids = {unit.id}
    ids |= set(AdminUnit.objects.filter(parent=unit).values_list("id", flat=True))
    return list(ids)


def batch_counts(batch, as_of: dt.date) -> bool:
    """A batch assigns money once decided; an undated supplementary batch is only a registration."""
    if batch.decision_date is not None:
        return batch.decision_date <= as_of
    return not batch.is_supplementary


def plan_amount(plan, as_of: dt.date, carried: dict | None = None) -> int:
    """What a plan assigns by `as_of`: its batches decided by then, plus the earlier batches whose đề án were
    carried over into it ("đợt 2 năm 2015 chuyển sang năm 2016")."""
    total = sum(b.total for b in plan.batches.all() if batch_counts(b, as_of))
    for b in (carried or {}).get(plan.pk, []):
        if batch_counts(b, as_of):
            total += b.total
    return total


def plan_amounts(plan, as_of: dt.date, carried: dict | None = None) -> dict[str, int]:
    """`plan_amount` per funding source code (from the batches' allocations; their sum is each batch's
    total)."""
    out: dict[str, int] = {}
    for b in [*plan.batches.all(), *(carried or {}).get(plan.pk, [])]:
        if batch_counts(b, as_of):
            for a in b.allocations.all():
                out[a.source.code] = out.get(a.source.code, 0) + a.amount
    return out


def carried_batches(plans) -> dict:
    """plan id -> the distinct earlier batches its đề án were carried over from."""
    from khuyencong.projects.models import Batch

    out: dict[int, list] = {}
    rows = (
        Batch.objects.filter(carried_projects__plan__in=[p.pk for p in plans])
        .values_list("carried_projects__plan_id", "pk")
        .distinct()
    )
    batches = {
        b.pk: b
        for b in Batch.objects.filter(pk__in={pk for _p, pk in rows}).prefetch_related("allocations__source")
    }
    for plan_id, pk in rows:
        if batches[pk] not in out.setdefault(plan_id, []):
            out[plan_id].append(batches[pk])
    return out


def compute_figures(unit, period: Period, *, with_comparisons: bool = True) -> dict:
    """Figures of `unit` (a province of either era, or a commune/district office) as of `period.end`.

    Cancelled đề án count nowhere (neither in "Số đề án" nor in any amount): they are listed apart
    (`cancelled`, and a "01 đề án đã hủy" line under their plan). Stopped ones stay counted with what was
    paid; their approved money no longer counts. Money by source comes from the funding rows and payments
    of each source (business dates only), the counterpart included in `all_sources`."""
    from khuyencong.catalog.models import ActivityContent, FundingSource
    from khuyencong.projects.models import ProjectBeneficiary, ProjectOutput
    from khuyencong.projects.selectors import cancelled_text, money_by_project_source, with_figures

    as_of = period.end
    fig = empty_figures(as_of)
    plans = list(
        _plans_for(unit, period).prefetch_related("batches__allocations__source").order_by("year", "level")
    )
    everything = list(
        with_figures(_projects_for(unit, period), as_of=as_of)
        .select_related("plan", "content", "commune", "commune__parent")
        .order_by("plan__year", "plan__level", "code")
    )
    projects = [p for p in everything if p.asof_status != "cancelled"]
    cancelled = [p for p in everything if p.asof_status == "cancelled"]
    # Beneficiary names in one narrow query (not whole establishment rows through a prefetch).
    names: dict[int, list[str]] = {}
    for project_id, name in (
        ProjectBeneficiary.objects.filter(project_id__in=[p.pk for p in everything])
        .order_by("pk")
        .values_list("project_id", "establishment__name")
    ):
        names.setdefault(project_id, []).append(name)
    sources = {s.code: s for s in FundingSource.objects.all()}
    money_by_source: dict[str, dict] = OrderedDict()

    def src_row(code):
        if code not in money_by_source:
            s = sources.get(code)
            money_by_source[code] = {
                "code": code,
                "name": s.name if s else code,
                "plan": 0,
                "approved": 0,
                "disbursed": 0,
            }
        return money_by_source[code]

    for code in ("national", "local"):
        src_row(code)
    carried = carried_batches(plans)
    plan_total = 0
    for plan in plans:
        for code, amount in plan_amounts(plan, as_of, carried).items():
            plan_total += amount
            src_row(code)["plan"] += amount
    money = money_by_project_source([p.pk for p in projects], as_of=as_of)
    counterpart = {"approved": 0, "disbursed": 0}
    by_content: dict[str, dict] = OrderedDict()
    for c in ActivityContent.objects.valid_on(as_of).order_by("order", "code"):
        by_content.setdefault(
            c.code,
            {"code": c.code, "name": c.short_name or c.name, "projects": 0, "approved": 0, "disbursed": 0},
        )
    for p in projects:
        executing = p.asof_status not in ("stopped", "cancelled")
        approved = disbursed = 0
        for code, m in money.get(p.pk, {}).items():
            m_approved = m["approved"] if executing else 0
            if code == "counterpart":
                counterpart["approved"] += m_approved
                counterpart["disbursed"] += m["disbursed"]
                continue
            row = src_row(code)
            row["approved"] += m_approved
            row["disbursed"] += m["disbursed"]
            approved += m_approved
            disbursed += m["disbursed"]
        crow = by_content.setdefault(
            p.content.code,
            {
                "code": p.content.code,
                "name": p.content.short_name or p.content.name,
                "projects": 0,
                "approved": 0,
                "disbursed": 0,
            },
        )
        crow["projects"] += 1
        crow["approved"] += approved
        crow["disbursed"] += disbursed
        fig["approved"] += approved
        fig["disbursed"] += disbursed
        fig["projects"].append(_project_row(p, names, approved, disbursed))
    fig["counterpart"] = counterpart["approved"]
    fig["counterpart_disbursed"] = counterpart["disbursed"]
    fig["all_sources"] = {
        "plan": plan_total,
        "approved": fig["approved"] + counterpart["approved"],
        "disbursed": fig["disbursed"] + counterpart["disbursed"],
    }
    fig["project_count"] = len(projects)
    fig["cancelled"] = [_project_row(p, names, 0, 0) for p in cancelled]
    fig["plan"] = plan_total
    fig["by_source"] = [r for r in money_by_source.values()]
    fig["by_content"] = [r for r in by_content.values() if r["projects"] or r["approved"]]
    for plan in plans:
        rows = [
            (p["status"], p["progress"])
            for p in fig["projects"]
            if p["level"] == plan.level and p["year"] == plan.year
        ]
        dropped = sum(1 for p in fig["cancelled"] if p["level"] == plan.level and p["year"] == plan.year)
        lines = status_lines(rows)
        if dropped:
            lines.append(
                {
                    "key": "cancelled",
                    "count": dropped,
                    "total": len(rows),
                    "text": cancelled_text(dropped),
                    "progress": [],
                }
            )
        fig["plans"].append(
            {
                "title": _plan_title(plan),
                "level": plan.level,
                "year": plan.year,
                "plan": plan_amount(plan, as_of, carried),
                "total": len(rows),
                "cancelled": dropped,
                "lines": lines,
            }
        )
    outputs = (
        ProjectOutput.objects.filter(project_id__in=[p.pk for p in projects], date__lte=as_of)
        .values("indicator__code", "indicator__name", "indicator__unit")
        .order_by("indicator__code")
    )
    totals: dict[str, dict] = OrderedDict()
    for row in _sum_outputs(outputs):
        totals[row["code"]] = row
    fig["outputs"] = merge_record_outputs(list(totals.values()), record_outputs(unit, period.start, as_of))
    fig["sections"] = record_sections(unit, period.start, as_of)
    if with_comparisons:
        prev = compute_figures(unit, period.same_period_previous_year(), with_comparisons=False)
        fig["previous_year"] = {
            "label": period.same_period_previous_year().label,
            "plan": prev["plan"],
            "approved": prev["approved"],
            "disbursed": prev["disbursed"],
        }
        fig["targets"] = programme_targets(unit, period, fig)
    return fig


def _project_row(p, names: dict, approved: int, disbursed: int) -> dict:
    commune = p.commune
    return {
        "code": p.code,
        "title": p.title,
        "level": p.plan.level,
        "year": p.plan.year,
        "content": p.content.code,
        "beneficiary": "; ".join(names.get(p.pk, [])),
        "commune": (
            f"{commune.name}, {commune.parent.name}"
            if commune and commune.parent_id
            else (commune.name if commune else "")
        ),
        "approved": approved,
        "disbursed": disbursed,
        "status": p.asof_status,
        "status_label": _status_label(p.asof_status),
        "progress": p.asof_progress,
    }


def counterpart_totals(fig: dict) -> dict:
    """State budget, counterpart and all sources of a figures dict (older snapshots lack the counterpart's
    payments: they count as 0)."""
    state = {
        "plan": int(fig.get("plan") or 0),
        "approved": int(fig.get("approved") or 0),
        "disbursed": int(fig.get("disbursed") or 0),
    }
    cp = {
        "plan": 0,
        "approved": int(fig.get("counterpart") or 0),
        "disbursed": int(fig.get("counterpart_disbursed") or 0),
    }
    return {"state": state, "counterpart": cp, "all": {k: state[k] + cp[k] for k in state}}


def _sum_outputs(qs):
    from django.db.models import Sum

    for row in qs.annotate(total=Sum("quantity")):
        yield {
            "code": row["indicator__code"],
            "name": row["indicator__name"],
            "unit": row["indicator__unit"],
            "value": int(row["total"] or 0),
        }


def merge_record_outputs(typed: list[dict], records: dict[str, int]) -> list[dict]:
    """Typed outputs with the indicators that other apps' records count replaced by the records' values
    (marked `"source": "records"`), in indicator-code order. Where the records hold nothing for an indicator
    in the window, a typed value stands (years typed before the records were kept)."""
    from khuyencong.catalog.models import OutputIndicator

    records = {code: v for code, v in records.items() if v or code not in {o["code"] for o in typed}}
    rows = {o["code"]: o for o in typed if o["code"] not in records}
    if records:
        meta = {i.code: i for i in OutputIndicator.objects.filter(code__in=list(records))}
        for code, value in records.items():
            i = meta.get(code)
            rows[code] = {
                "code": code,
                "name": i.name if i else code,
                "unit": i.unit if i else "",
                "value": int(value),
                "source": "records",
            }
    return [rows[c] for c in sorted(rows)]


def _status_label(status: str | None) -> str:
    from khuyencong.projects.models import Status

    return Status(status).label if status in Status.values else (status or "")


def _plan_title(plan) -> str:
    level = "Khuyến công quốc gia" if plan.level == "national" else "Khuyến công địa phương"
    return f"{level} năm {plan.year}"


def programme_targets(unit, period: Period, fig: dict) -> list[dict]:
    """Targets of the programme covering the period (programs app) against what the unit's đề án achieved
    from the start of the programme's phase up to the period's end."""
    import re

    from django.db.models import Sum

    try:
        from khuyencong.programs.selectors import targets_for_report
    except ImportError:
        return []
    from khuyencong.projects.models import ProjectOutput

    rows = targets_for_report(province_id=unit.current_province_id or unit.id, year=period.end.year)
    out = []
    from_records: dict[dt.date, dict[str, int]] = {}
    for r in rows:
        match = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", str(r.get("phase") or ""))
        start = dt.date(int(match.group(1)), 1, 1) if match else period.start
        if start not in from_records:
            from_records[start] = record_outputs(unit, start, period.end)
        if r["code"] in from_records[start]:
            achieved = from_records[start][r["code"]]
        else:
            projects = _projects_for(unit, Period.make("custom", start=start, end=period.end))
            achieved = (
                ProjectOutput.objects.filter(
                    project__in=projects, indicator__code=r["code"], date__gte=start, date__lte=period.end
                ).aggregate(s=Sum("quantity"))["s"]
                or 0
            )
        out.append(
            {
                "code": r["code"],
                "name": r["name"],
                "unit": r.get("unit", ""),
                "target": int(r["target"] or 0),
                "achieved": int(achieved),
                "phase": r.get("phase", ""),
            }
        )
    return out


def report_figures_live(report) -> dict:
    return compute_figures(report.unit, report.period)


def report_figures(report) -> dict:
    """What the report page shows: the frozen snapshot once submitted, hand-entered figures, or live."""
    if report.figures is not None and report.status in ("submitted", "accepted"):
        return report.figures
    if report.figures_source == "manual" and report.manual_figures:
        return report.manual_figures
    return report_figures_live(report)


def execution_rate(fig: dict):
    return percent_of(fig.get("disbursed", 0), fig.get("plan", 0))


# ------------------------------------------------------------------------------ submitted vs today's figures

COMPARED = ("plan", "approved", "disbursed", "counterpart", "counterpart_disbursed", "project_count")


def _comparable(fig: dict) -> dict:
    """The parts of a figures dict a reader compares: totals, money by source, the status lines, each đề án's
    status, progress and money. Keys an older snapshot lacks are left out on both sides by the caller."""
    return {
        **{k: fig.get(k) for k in COMPARED if k in fig},
        "by_source": sorted(
            (r.get("code"), r.get("plan"), r.get("approved"), r.get("disbursed"))
            for r in fig.get("by_source") or []
        ),
        "lines": [
            (p.get("level"), p.get("year"), [ln.get("text") for ln in p.get("lines") or []])
            for p in fig.get("plans") or []
        ],
        "projects": sorted(
            (p.get("code"), p.get("status"), p.get("progress"), p.get("approved"), p.get("disbursed"))
            for p in fig.get("projects") or []
        ),
    }


def report_drift(report) -> dict | None:
    """For a report already sent (its figures frozen at submission): do today's figures of the same period
    differ from the ones sent, and which entries made them differ — the đề án steps, payments and funding rows
    entered after the submission whose business date falls on or before the period's end (who, when, what).
    None for a report not sent or sent with hand-entered figures."""
    if (
        report.status not in ("submitted", "accepted")
        or report.figures is None
        or report.submitted_at is None
    ):
        return None
    if report.figures_source == "manual":
        return None
    live = report_figures_live(report)
    sent = _comparable(report.figures)
    now = _comparable(live)
    keys = [k for k in now if k in sent]
    differs = any(sent[k] != now[k] for k in keys)
    changes = changes_after(report)
    if not differs and not changes:
        return {"differs": False, "changes": [], "live": live, "rows": []}
    rows = [
        (label, report.figures.get(key), live.get(key))
        for key, label in (
            ("plan", "Kế hoạch kinh phí"),
            ("approved", "Phê duyệt (ngân sách nhà nước)"),
            ("disbursed", "Giải ngân (ngân sách nhà nước)"),
            ("counterpart", "Vốn đối ứng phê duyệt"),
        )
        if key in report.figures
    ]
    return {"differs": differs, "changes": changes, "live": live, "rows": rows}


def changes_after(report, limit: int = 100) -> list[dict]:
    """Entries recorded after the report was sent, dated (business date) on or before its period's end, on the
    đề án and plans the report covers: newest entry first."""
    from khuyencong.core.money import format_vnd
    from khuyencong.projects import workflow as project_workflow
    from khuyencong.projects.models import Batch, Disbursement, ProjectFunding, StatusChange

    period = report.period
    since = report.submitted_at
    projects = _projects_for(report.unit, period)
    out = []

    def who(user):
        return user.display_name if user is not None else "Hệ thống"

    for c in (
        StatusChange.objects.filter(
            project__in=projects, changed_at__gt=since, effective_date__lte=period.end
        )
        .select_related("actor", "project")
        .order_by("-changed_at")[:limit]
    ):
        if c.action in project_workflow.EVENTS:
            label = project_workflow.EVENTS[c.action]["label"]
        elif c.action == "create":
            label = "Tạo đề án"
        else:
            rule = project_workflow.TRANSITIONS.get((c.from_status, c.to_status))
            label = rule["label"] if rule else c.get_to_status_display()
        out.append(
            {
                "at": c.changed_at,
                "who": who(c.actor),
                "project": c.project.code,
                "date": c.effective_date,
                "what": f"{label} (trạng thái: {c.get_to_status_display()})",
            }
        )
    kinds = {"+": "Thêm", "~": "Sửa", "-": "Xóa"}
    H = Disbursement.history.model
    for h in (
        H.objects.filter(project_id__in=projects.values("pk"), history_date__gt=since, date__lte=period.end)
        .select_related("history_user", "source")
        .order_by("-history_date")[:limit]
    ):
        out.append(
            {
                "at": h.history_date,
                "who": who(h.history_user),
                "project": _code(h.project_id),
                "date": h.date,
                "what": f"{kinds.get(h.history_type, 'Sửa')} khoản "
                f"{h.get_kind_display().lower()} {format_vnd(h.amount)} "
                f"({h.source.short_name or h.source.name})"
                + (f", chứng từ {h.document_no}" if h.document_no else ""),
            }
        )
    H = ProjectFunding.history.model
    for h in (
        H.objects.filter(
            project_id__in=projects.values("pk"), history_date__gt=since, effective_date__lte=period.end
        )
        .select_related("history_user", "source")
        .order_by("-history_date")[:limit]
    ):
        out.append(
            {
                "at": h.history_date,
                "who": who(h.history_user),
                "project": _code(h.project_id),
                "date": h.effective_date,
                "what": f"{kinds.get(h.history_type, 'Sửa')} kinh phí "
                f"{h.source.short_name or h.source.name}: đề nghị {format_vnd(h.requested)}, "
                f"phê duyệt {format_vnd(h.approved)}",
            }
        )
    plans = _plans_for(report.unit, period)
    H = Batch.history.model
    for h in (
        H.objects.filter(plan_id__in=plans.values("pk"), history_date__gt=since)
        .filter(_decided_by(period.end))
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    ):
        out.append(
            {
                "at": h.history_date,
                "who": who(h.history_user),
                "project": "",
                "date": h.decision_date,
                "what": f"{kinds.get(h.history_type, 'Sửa')} đợt giao kế hoạch "
                f"{h.number} ({h.decision_no or 'chưa có quyết định'}): {format_vnd(h.total)}",
            }
        )
    out.sort(key=lambda r: r["at"], reverse=True)
    return out[:limit]


def _decided_by(as_of: dt.date):
    from django.db.models import Q

    return Q(decision_date__lte=as_of) | Q(decision_date__isnull=True, is_supplementary=False)


def _code(project_id: int) -> str:
    from khuyencong.projects.models import Project

    code = Project.objects.filter(pk=project_id).values_list("code", flat=True).first()
    return code or f"#{project_id}"
