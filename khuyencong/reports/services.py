"""Writes on reports: create, edit the narrative, record hand-entered figures, move along the workflow
(the only writer of `Report.status`), deadlines, the Word template, and background report jobs."""

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from khuyencong.core.audit import save_audited
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.core.permissions import ADMIN, require_edit, require_role
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import run_transition

from . import workflow
from .models import Report, ReportDeadline, ReportJob, ReportStatus, ReportStatusChange, ReportTemplate
from .periods import CUSTOM, HALF, NINE_MONTHS, QUARTER, YEAR, Period

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

DEFAULT_DEADLINES = {QUARTER: 10, HALF: 15, NINE_MONTHS: 15, YEAR: 20, CUSTOM: 15}
NARRATIVE_FIELDS = ["results", "difficulties", "causes", "solutions", "next_plan"]
EDITABLE_FIELDS = [
    *NARRATIVE_FIELDS,
    "title",
    "number",
    "issuer_parent",
    "issuer",
    "place",
    "report_date",
    "signer_title",
    "signer_name",
    "recipients",
]


def scope_holds_report(user, report: Report) -> bool:
    scope = scope_for(user)
    if scope.sees_all:
        return True
    if scope.kind == "province":
        return report.province_id == scope.province_id
    if scope.kind == "units":
        return report.unit_id in scope.unit_ids
    return False


def scope_holds_unit(user, unit) -> bool:
    scope = scope_for(user)
    if scope.sees_all:
        return True
    if scope.kind == "province":
        return (unit.current_province_id or unit.id) == scope.province_id
    if scope.kind == "units":
        return unit.id in scope.unit_ids
    return False


def deadline_for(period: Period) -> dt.date:
    row = ReportDeadline.objects.filter(period_kind=period.kind).first()
    days = row.days_after_end if row else DEFAULT_DEADLINES[period.kind]
    return period.end + dt.timedelta(days=days)


@transaction.atomic
def report_deadline_set(
    *, actor: "User | None", period_kind: str, days_after_end: int, note: str = ""
) -> ReportDeadline:
    require_role(actor, ADMIN, action="đặt hạn nộp báo cáo")
    if days_after_end < 0 or days_after_end > 365:
        raise DomainError("Hạn nộp phải từ 0 đến 365 ngày sau cuối kỳ.", field="days_after_end")
    row = ReportDeadline.objects.filter(period_kind=period_kind).first() or ReportDeadline(
        period_kind=period_kind
    )
    row.days_after_end = days_after_end
    row.note = note
    save_audited(row, actor=actor, reason="Đặt hạn nộp báo cáo")
    return row


def default_document_fields(unit, period: Period) -> dict:
    if unit.level == 1:
        parent, issuer = f"UBND {unit.name.upper()}", "SỞ CÔNG THƯƠNG"
        place = unit.short_name or unit.name
        signer = "GIÁM ĐỐC"
    else:
        parent, issuer = f"UBND {unit.name.upper()}", "PHÒNG KINH TẾ"
        province = unit.current_province
        place = unit.short_name or unit.name
        if unit.parent_id and unit.parent.level == 1:
            place = unit.parent.short_name
        elif province is not None:
            place = province.short_name
        signer = "TRƯỞNG PHÒNG"
    return {
        "issuer_parent": parent,
        "issuer": issuer,
        "place": place,
        "signer_title": signer,
        "title": f"Báo cáo kết quả thực hiện kế hoạch khuyến công "
        f"{period.label[0].lower() + period.label[1:]}",
        "recipients": "- Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công;\n- Lưu: VT.",
    }


def previous_report(report: Report) -> Report | None:
    """The same unit's latest report ending before this one: its narrative is the starting draft."""
    return (
        Report.objects.filter(unit_id=report.unit_id, period_end__lt=report.period_end)
        .exclude(pk=report.pk)
        .order_by("-period_end", "-pk")
        .first()
    )


@transaction.atomic
def report_create(
    *, actor: "User | None", unit, period: Period, copy_previous: bool = True, **fields
) -> Report:
    require_edit(actor, "lập báo cáo")
    if not scope_holds_unit(actor, unit):
        raise NotAllowed("Bạn chỉ được lập báo cáo cho đơn vị mình quản lý.")
    if Report.objects.filter(
        unit=unit, period_kind=period.kind, period_start=period.start, period_end=period.end
    ).exists():
        raise DomainError(f"{unit.name} đã có báo cáo {period.label.lower()}.", field="period")
    report = Report(
        unit=unit,
        period_kind=period.kind,
        year=period.year,
        period_number=period.number,
        period_start=period.start,
        period_end=period.end,
        deadline=deadline_for(period),
    )
    for key, value in {**default_document_fields(unit, period), **fields}.items():
        if key not in EDITABLE_FIELDS:
            raise DomainError(f"Trường «{key}» không sửa được.")
        setattr(report, key, value)
    if copy_previous:
        prev = previous_report(report)
        if prev is not None:
            for name in NARRATIVE_FIELDS:
                if not getattr(report, name):
                    setattr(report, name, getattr(prev, name))
    report.full_clean(validate_constraints=False, validate_unique=False)
    save_audited(report, actor=actor, reason="Lập báo cáo")
    return report


def _refuse_if_not_editable(report: Report) -> None:
    if report.status == ReportStatus.ACCEPTED:
        raise DomainError(
            "Báo cáo đã được Cục tiếp nhận và đã khóa: không sửa được. "
            "Cục có thể mở lại báo cáo (nêu lý do) nếu cần sửa.",
            details={"status": report.status},
        )
    if report.status == ReportStatus.SUBMITTED:
        raise DomainError(
            "Báo cáo đã gửi Cục: không sửa được. Cục có thể trả lại để địa phương sửa.",
            details={"status": report.status},
        )


@transaction.atomic
def report_update(
    *, actor: "User | None", report_id: int, expected_version: int | None = None, changes: dict
) -> Report:
    """Edit the narrative and the document fields; refused once submitted or locked."""
    require_edit(actor, "sửa báo cáo")
    report = Report.objects.select_for_update().get(pk=report_id)
    if not scope_holds_report(actor, report):
        raise NotAllowed("Bạn không được sửa báo cáo của đơn vị khác.")
    _refuse_if_not_editable(report)
    if expected_version is not None and int(expected_version) != report.version:
        raise ConcurrentEditError()
    for key, value in changes.items():
        if key not in EDITABLE_FIELDS:
            raise DomainError(f"Trường «{key}» không sửa được.")
        setattr(report, key, value)
    report.version += 1
    save_audited(report, actor=actor, reason="Sửa nội dung báo cáo")
    return report


@transaction.atomic
def report_set_manual_figures(*, actor: "User | None", report_id: int, figures: dict | None) -> Report:
    """Figures of a paper report typed in (e.g. before the system existed); None goes back to computed."""
    from .compute import normalise_figures

    require_edit(actor, "nhập số liệu báo cáo")
    report = Report.objects.select_for_update().get(pk=report_id)
    if not scope_holds_report(actor, report):
        raise NotAllowed("Bạn không được sửa báo cáo của đơn vị khác.")
    _refuse_if_not_editable(report)
    report.manual_figures = (
        normalise_figures(figures, as_of=report.period_end, source="manual") if figures else None
    )
    report.figures_source = Report.FiguresSource.MANUAL if figures else Report.FiguresSource.COMPUTED
    report.version += 1
    save_audited(report, actor=actor, reason="Nhập số liệu báo cáo")
    return report


def report_transition(
    *,
    actor: "User | None",
    report_id: int,
    to_status: str,
    expected_version,
    reason: str = "",
    effective_date=None,
) -> Report:
    """Move a report along the table through the shared engine (core.workflow): row lock, the version the
    actor
    saw (missing or stale: 409), role, the Cục-only steps, the reason, business-date order (`effective_date`,
    the
    date of the sending or acceptance document; default today). Freezes the figures on submission; the
    snapshot
    time is the time of entry, the submission and acceptance dates are the business date."""
    from .compute import report_figures_live

    reason = (reason or "").strip()
    now = timezone.now()

    def authorize(report):
        if not scope_holds_report(actor, report):
            raise NotAllowed("Bạn không có quyền với báo cáo của đơn vị khác.")

    def check_rule(report, rule):
        if rule["actor"] == "ministry" and not scope_for(actor).sees_all:
            raise NotAllowed(f"Chỉ Cục được «{rule['label'].lower()}» báo cáo.")
        if rule["reason"] and not reason:
            raise DomainError(f"«{rule['label']}» cần nêu lý do.", field="reason")

    def apply(report, frm, to, data, day):
        moment = (
            now if day == timezone.localdate() else timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        )
        if workflow.TRANSITIONS[(frm, to)].get("snapshot"):
            if report.figures_source == Report.FiguresSource.MANUAL and report.manual_figures:
                report.figures = report.manual_figures
            else:
                report.figures = report_figures_live(report)
            report.snapshot_at = now
            report.submitted_at = moment
        if to == ReportStatus.ACCEPTED:
            report.accepted_at = moment
        if to == ReportStatus.DRAFT:
            report.accepted_at = None
            report.submitted_at = None if frm == ReportStatus.PREPARED else report.submitted_at

    def record(step):
        ReportStatusChange.objects.create(
            report=step.instance,
            actor=actor if actor.is_authenticated else None,
            changed_at=now,
            effective_date=step.effective_date,
            from_status=step.frm,
            to_status=step.to,
            reason=reason,
            changes=step.changes,
        )

    return run_transition(
        workflow=workflow.WORKFLOW,
        queryset=Report.objects.select_related("unit"),
        pk=report_id,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data={"reason": reason},
        tracked=["submitted_at", "accepted_at"],
        authorize=authorize,
        previous_date=last_step_date,
        check_rule=check_rule,
        apply=apply,
        record=record,
    )


def last_step_date(report: Report) -> dt.date | None:
    return (
        ReportStatusChange.objects.filter(report=report)
        .order_by("-effective_date", "-pk")
        .values_list("effective_date", flat=True)
        .first()
    )


# --- Word template -------------------------------------------------------------------------------


@transaction.atomic
def report_template_upload(*, actor: "User | None", name: str, file) -> ReportTemplate:
    require_role(actor, ADMIN, action="thay mẫu báo cáo Word")
    if not file.name.lower().endswith(".docx"):
        raise DomainError("Mẫu báo cáo phải là tệp Word .docx.", field="file")
    from .documents import check_template

    check_template(file)
    ReportTemplate.objects.filter(is_active=True).update(is_active=False)
    tpl = ReportTemplate(name=name or file.name, file=file, is_active=True, uploaded_by=actor)
    save_audited(tpl, actor=actor, reason="Tải lên mẫu báo cáo")
    return tpl


@transaction.atomic
def report_template_reset(*, actor: "User | None") -> None:
    """Back to the default template shipped with the application."""
    require_role(actor, ADMIN, action="thay mẫu báo cáo Word")
    for tpl in ReportTemplate.objects.filter(is_active=True):
        tpl.is_active = False
        save_audited(tpl, actor=actor, reason="Trở về mẫu mặc định")


# --- Background jobs -----------------------------------------------------------------------------


def report_job_create(
    *, actor: "User | None", region, period: Period, source: str, rollup: str, fmt: str = "xlsx"
) -> ReportJob:
    """Create the job row and queue its task (after the row is committed)."""
    from .aggregation import ROLLUPS, SOURCES

    if not scope_for(actor).sees_all:
        raise NotAllowed("Chỉ Cục được tạo báo cáo tổng hợp vùng, toàn quốc.")
    if source not in SOURCES or rollup not in ROLLUPS:
        raise DomainError("Tham số báo cáo tổng hợp không hợp lệ.")
    if fmt not in ReportJob.Format.values:
        raise DomainError("Định dạng tệp không hợp lệ.", field="fmt")
    with transaction.atomic():
        job = ReportJob.objects.create(
            created_by=actor, region=region, period_key=period.key, source=source, rollup=rollup, fmt=fmt
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def report_job_retry(*, actor: "User | None", job_id: int) -> ReportJob:
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.created_by_id != actor.id and not scope_for(actor).sees_all:
            raise NotAllowed("Bạn không được chạy lại tác vụ của người khác.")
        if job.status != ReportJob.Status.FAILED:
            raise DomainError("Chỉ chạy lại được tác vụ bị lỗi.")
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.QUEUED, progress=0, error="", message="Chờ chạy lại", finished_at=None
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: ReportJob) -> None:
    from .tasks import run_report_job

    def go():
        result = run_report_job.enqueue(job.pk)
        ReportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    # Queued once the job row is committed: a rolled-back job queues nothing, a worker never picks up a
    # task whose job it cannot read yet, and the immediate backend (tests) never runs a report inside the
    # caller's transaction.
    transaction.on_commit(go)


def report_job_progress(job_id: int, progress: int, message: str = "") -> None:
    ReportJob.objects.filter(pk=job_id).update(
        progress=max(0, min(100, int(progress))), message=message[:200]
    )
