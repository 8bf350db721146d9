"""Writes over annual plans and đề án. Every function is keyword-only, runs in a transaction, checks the actor's
role and scope, and saves through core.audit so history has the actor.

Two clocks: every step takes the business date of its document (`effective_date`, or the document's own date
field: decision, contract, voucher; default today, never in the future, never before the previous step). That
date is what "as of" reads. History keeps the time of entry and who entered it.

`project_transition` is the only writer of `Project.status` (table in workflow.py).
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from khuyencong.catalog.models import FundingSource, SupportCap
from khuyencong.core.audit import save_audited
from khuyencong.core.concurrency import update_versioned
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.core.money import format_short, format_vnd, parse_money
from khuyencong.core.permissions import require_edit, role_of
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import TransitionRefused, Workflow, business_date, run_transition

from . import workflow
from .models import (
    AnnualPlan,
    Batch,
    Disbursement,
    Project,
    ProjectBeneficiary,
    ProjectFunding,
    ProjectOutput,
    Revision,
    Status,
    StatusChange,
)

EDITABLE = frozenset({Status.DRAFT, Status.REGISTERED, Status.APPRAISED})
PAYABLE = frozenset({Status.APPROVED, Status.CONTRACTED, Status.IN_PROGRESS, Status.COMPLETED, Status.ACCEPTED,
                     Status.STOP_REQUESTED, Status.STOPPED})
EDIT_FIELDS = ["code", "title", "description", "content", "support_cap", "batch", "commune", "implementing_unit",
               "implementing_org", "is_flagship", "legal_basis", "start_date", "end_date", "recoverable"]
ADJUST_FIELDS = ["title", "description", "content", "support_cap", "start_date", "end_date", "commune",
                 "implementing_unit"]


# ---------------------------------------------------------------------------------------------------- helpers

def _save(instance, *, actor, reason: str = ""):
    return save_audited(instance, actor=actor, reason=reason)


def _date(value, label: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        try:
            return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
        except ValueError:
            raise DomainError(f"Ngày không hợp lệ cho {label}: «{value}» (dạng dd/mm/yyyy).", field=field)


def _money(value, label: str, field: str) -> int:
    try:
        return parse_money(value)
    except DomainError as exc:
        raise DomainError(f"{label}: {exc.message}", field=field)


def _require_scope(actor, province_id: int) -> None:
    if not scope_for(actor).allows_province(province_id):
        raise NotAllowed("Đề án, kế hoạch này không thuộc phạm vi quản lý của bạn.")


def _source(value) -> FundingSource:
    if isinstance(value, FundingSource):
        return value
    try:
        return FundingSource.objects.get(code=value)
    except FundingSource.DoesNotExist:
        raise DomainError(f"Không có nguồn kinh phí «{value}».", field="source")


# ---------------------------------------------------------------------------------------------------- plans

def plan_create(*, actor, unit, year: int, level: str, status: str = AnnualPlan.PlanStatus.REGISTERED,
                title: str = "", registered_total=0, note: str = "", effective_date=None) -> AnnualPlan:
    require_edit(actor, "lập kế hoạch khuyến công")
    _require_scope(actor, unit.current_province_id or unit.id)
    with transaction.atomic():
        if AnnualPlan.objects.filter(unit=unit, year=year, level=level).exists():
            raise DomainError(f"Đã có kế hoạch {dict(AnnualPlan._meta.get_field('level').choices)[level].lower()} "
                              f"năm {year} của {unit.name}.", field="year")
        plan = AnnualPlan(unit=unit, year=year, level=level, status=status, title=title, note=note,
                          registered_total=_money(registered_total, "Kinh phí đăng ký", "registered_total"))
        plan.full_clean(exclude=["province"], validate_constraints=False)
        return _save(plan, actor=actor, reason="Lập kế hoạch")


def plan_set_status(*, plan: AnnualPlan, actor, status: str, effective_date=None) -> AnnualPlan:
    require_edit(actor, "cập nhật trạng thái kế hoạch")
    _require_scope(actor, plan.province_id)
    if status not in AnnualPlan.PlanStatus.values:
        raise DomainError(f"Trạng thái kế hoạch không hợp lệ: «{status}».", field="status")
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        locked.status = status
        locked.version += 1
        return _save(locked, actor=actor, reason="Cập nhật trạng thái kế hoạch")


def batch_create(*, actor, plan: AnnualPlan, number: int, decision_no: str = "", decision_date=None,
                 issuer: str = "", total=0, is_supplementary: bool = False, note: str = "", effective_date=None) -> Batch:
    require_edit(actor, "ghi đợt giao kế hoạch")
    _require_scope(actor, plan.province_id)
    with transaction.atomic():
        if Batch.objects.filter(plan=plan, number=number).exists():
            raise DomainError(f"Kế hoạch đã có đợt {number}.", field="number")
        batch = Batch(plan=plan, number=number, decision_no=decision_no, issuer=issuer,
                      decision_date=_date(decision_date, "ngày quyết định", "decision_date") if decision_date else None,
                      total=_money(total, "Tổng kinh phí", "total"), is_supplementary=is_supplementary, note=note)
        return _save(batch, actor=actor, reason="Ghi đợt giao kế hoạch")


# ---------------------------------------------------------------------------------------------------- đề án

def project_create(*, actor, plan: AnnualPlan, code: str, title: str, content, batch: Batch | None = None,
                   carried_over_from: Batch | None = None, establishments: Iterable = (), commune=None,
                   implementing_unit: str = "", implementing_org=None, is_flagship: bool = False, legal_basis=None,
                   start_date=None, end_date=None, recoverable: bool = False, support_cap: SupportCap | None = None,
                   description: str = "", funding: dict | None = None, note: str = "",
                   effective_date=None) -> Project:
    """A new đề án in status draft (with a StatusChange row "Tạo đề án"); `funding` maps a funding source code to
    {"requested": amount, "approved": amount}."""
    require_edit(actor, "tạo đề án")
    _require_scope(actor, plan.province_id)
    day = business_date(effective_date, label="Ngày lập đề án")
    if not code or not title:
        raise DomainError("Đề án cần có mã và tên.", field="title" if code else "code")
    with transaction.atomic():
        if batch is not None and batch.plan_id != plan.pk:
            raise DomainError("Đợt đã chọn không thuộc kế hoạch của đề án.", field="batch")
        if Project.objects.filter(plan=plan, code=code).exists():
            raise DomainError(f"Kế hoạch đã có đề án mã «{code}».", field="code")
        project = Project(
            plan=plan, code=code, title=title, content=content, batch=batch, carried_over_from=carried_over_from,
            commune=commune, implementing_unit=implementing_unit, implementing_org=implementing_org,
            is_flagship=is_flagship, legal_basis=legal_basis, recoverable=recoverable, support_cap=support_cap,
            description=description,
            start_date=_date(start_date, "ngày bắt đầu", "start_date") if start_date else None,
            end_date=_date(end_date, "ngày kết thúc", "end_date") if end_date else None,
        )
        if project.start_date and project.end_date and project.end_date < project.start_date:
            raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
        _save(project, actor=actor, reason="Tạo đề án")
        _set_beneficiaries(project, establishments, actor=actor)
        if funding:
            _apply_funding(project, funding, actor=actor, columns=("requested", "approved"), effective_date=day)
        _record_change(project=project, actor=actor, effective_date=day, from_status="",
                                    to_status=project.status, action="create", note=note or "Tạo đề án",
                                    progress_pct=0)
        return project


def _record_change(*, project, actor, effective_date: dt.date, **fields) -> StatusChange:
    change = StatusChange(project=project, actor=_user(actor), changed_at=timezone.now(),
                          effective_date=effective_date, **fields)
    return _save(change, actor=actor, reason="Chuyển trạng thái")


def last_step_date(project: Project) -> dt.date | None:
    """The business date of the đề án's latest step (a new step may not be dated before it)."""
    return (StatusChange.objects.filter(project=project).order_by("-effective_date", "-pk")
            .values_list("effective_date", flat=True).first())


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _set_beneficiaries(project: Project, establishments: Iterable, *, actor) -> None:
    wanted = {e.pk: e for e in establishments}
    for est in wanted.values():
        if est.province_id != project.province_id:
            raise DomainError(f"Cơ sở «{est.name}» không thuộc tỉnh của kế hoạch.", field="establishments")
    for link in list(project.beneficiaries.all()):
        if link.establishment_id not in wanted:
            link._history_user = _user(actor)
            link.delete()
    have = set(project.beneficiaries.values_list("establishment_id", flat=True))
    for pk, est in wanted.items():
        if pk not in have:
            _save(ProjectBeneficiary(project=project, establishment=est), actor=actor, reason="Đơn vị thụ hưởng")


def project_update(*, project: Project, actor, expected_version: int | None, changes: dict) -> Project:
    """Edit a đề án's description while it is not yet approved; a stale version is refused (nothing written)."""
    require_edit(actor, "sửa đề án")
    _require_scope(actor, project.province_id)
    unknown = set(changes) - set(EDIT_FIELDS) - {"establishments"}
    if unknown:
        raise DomainError(f"Không được sửa trực tiếp: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentEditError()
        if current.status not in EDITABLE:
            raise DomainError(f"Đề án đang ở trạng thái «{current.get_status_display()}»: không sửa trực tiếp được, "
                              "hãy dùng thao tác «Điều chỉnh» hoặc «Gia hạn».")
        changes = dict(changes)
        establishments = changes.pop("establishments", None)
        start, end = changes.get("start_date", current.start_date), changes.get("end_date", current.end_date)
        if start and end and end < start:
            raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
        updated = update_versioned(Project, pk=current.pk, expected_version=current.version, changes=changes,
                                   actor=actor, reason="Sửa đề án")
        if establishments is not None:
            _set_beneficiaries(updated, establishments, actor=actor)
            _check_caps(updated)
        return updated


def project_set_funding(*, project: Project, actor, funding: dict, expected_version: int | None = None,
                        effective_date=None) -> Project:
    """Enter the requested money per source (before approval); caps are checked."""
    require_edit(actor, "nhập kinh phí đề án")
    _require_scope(actor, project.province_id)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if expected_version is not None and int(expected_version) != locked.version:
            raise ConcurrentEditError()
        if locked.status not in EDITABLE:
            raise DomainError("Đề án đã được phê duyệt: kinh phí chỉ thay đổi qua thao tác «Điều chỉnh».",
                              field="funding")
        day = business_date(effective_date, previous=last_step_date(locked), label="Ngày đề nghị kinh phí")
        _apply_funding(locked, funding, actor=actor, columns=("requested",), effective_date=day)
        locked.version += 1
        return _save(locked, actor=actor, reason="Nhập kinh phí")


def _apply_funding(project: Project, funding: dict, *, actor, columns=("requested", "approved"),
                   effective_date: dt.date | None = None) -> None:
    """Write the given columns of each source row, then check the caps on the whole (refusing rolls back)."""
    for code, values in funding.items():
        source = _source(code)
        row = ProjectFunding.objects.filter(project=project, source=source).first() or \
            ProjectFunding(project=project, source=source)
        changed = row.pk is None
        for col in columns:
            if col in values and values[col] is not None:
                amount = _money(values[col], f"Kinh phí {source.short_name}", "funding")
                if getattr(row, col) != amount:
                    setattr(row, col, amount)
                    changed = True
        if changed:
            row.effective_date = effective_date or timezone.localdate()
            _save(row, actor=actor, reason="Kinh phí đề án")
    _check_caps(project)


def applicable_caps(project: Project, source: FundingSource) -> list[SupportCap]:
    """Caps valid on the đề án's reference date for its content and this source. When several apply (content 3:
    models, machinery, lines) the đề án must name its item (`support_cap`)."""
    day = project.reference_date
    if project.support_cap_id:
        cap = project.support_cap
        valid = (cap.valid_from is None or cap.valid_from <= day) and (cap.valid_to is None or cap.valid_to >= day)
        return [cap] if cap.funding_source_id == source.pk and valid else []
    caps = list(SupportCap.objects.valid_on(day).filter(content=project.content, funding_source=source)
                .select_related("legal_basis"))
    if len(caps) > 1:
        names = "; ".join(c.name for c in caps)
        raise DomainError(f"Nội dung {project.content.code} có nhiều mức hỗ trợ tối đa từ nguồn {source.short_name} "
                          f"({names}): hãy chọn nội dung chi của đề án.", field="support_cap")
    return caps


def _check_caps(project: Project) -> None:
    rows = list(ProjectFunding.objects.filter(project=project).select_related("source"))
    n_establishments = max(1, project.beneficiaries.count())
    for col, label in (("requested", "đề nghị"), ("approved", "phê duyệt")):
        cost = sum(getattr(r, col) for r in rows)
        for row in rows:
            amount = getattr(row, col)
            if not amount or not row.source.is_public:
                continue
            for cap in applicable_caps(project, row.source):
                units = n_establishments if cap.per == SupportCap.Per.ESTABLISHMENT else 1
                if cap.max_amount is not None and amount > cap.max_amount * units:
                    raise DomainError(
                        f"Kinh phí {label} từ nguồn {row.source.short_name} ({format_short(amount)}) vượt mức hỗ trợ "
                        f"tối đa {format_short(cap.max_amount * units)} — quy định: {cap.rule_text}.",
                        field="funding", details={"cap": cap.code})
                if cap.max_percent is not None and amount * 100 > cap.max_percent * cost:
                    share = f"{(amount * 100 / cost):.1f}".replace(".", ",") if cost else "100"
                    raise DomainError(
                        f"Kinh phí {label} từ nguồn {row.source.short_name} ({format_short(amount)}) bằng {share} % "
                        f"tổng kinh phí đề án ({format_short(cost)}), vượt mức hỗ trợ tối đa — quy định: "
                        f"{cap.rule_text}.", field="funding", details={"cap": cap.code})


# ---------------------------------------------------------------------------------------------------- lifecycle

TRACKED = ["progress_pct", "appraisal_result", "appraisal_notes", "decision_no", "decision_date", "contract_no",
           "contract_date", "acceptance_date", "acceptance_minutes_no", "acceptance_result", "settled_amount",
           "settled_date", "stop_reason", "stop_requested_by"]
DOCUMENT_DATES = ("decision_date", "contract_date", "progress_date", "acceptance_date", "settled_date",
                  "document_date")

PROJECT_WORKFLOW = Workflow(name="project", transitions=workflow.TRANSITIONS, status_labels=dict(Status.choices),
                            field_labels=workflow.FIELD_LABELS, noun="đề án",
                            describe=lambda p: f"đề án «{p.code}»")


def _step_date(effective_date, data: dict):
    """A step's business date: the one given, else the date of its document (decision, contract…), else today."""
    if effective_date not in (None, ""):
        return effective_date
    for key in DOCUMENT_DATES:
        if data.get(key) not in (None, ""):
            return data[key]
    return None


def project_transition(*, project: Project, actor, to_status: str, expected_version: int | None = None,
                       effective_date=None, require_version: bool = False, **data) -> Project:
    """Move a đề án along the table in workflow.py (or apply an event: "adjust", "extend"), through the shared
    engine (core.workflow): row lock, version, role, required data, business-date order, one StatusChange row with
    the before → after of every field the step touched (approved money included). Nothing is written on refusal.
    """
    effective_date = _step_date(effective_date, data)
    if to_status in workflow.EVENTS:
        return _apply_event(project, actor=actor, event=to_status, data=data, effective_date=effective_date,
                            expected_version=expected_version)
    money_before: dict = {}

    def apply(locked, frm, to, data, day):
        money_before.update(_funding_snapshot(locked))
        _apply_target(locked, frm, to, data, day)
        if to == Status.APPROVED:
            approved = data.get("approved") or {
                f.source.code: {"approved": f.requested} for f in locked.fundings.select_related("source")}
            approved = {code: (v if isinstance(v, dict) else {"approved": v}) for code, v in approved.items()}
            _apply_funding(locked, approved, actor=actor, columns=("approved",), effective_date=day)

    def record(step):
        changes = dict(step.changes)
        money_after = _funding_snapshot(step.instance)
        if money_after != money_before:
            changes["funding"] = [money_before, money_after]
        _record_change(
            project=step.instance, actor=actor, effective_date=step.effective_date, from_status=step.frm,
            to_status=step.to, action="progress" if step.frm == step.to else "",
            document_no=_document_no(step.to, data), document_date=_document_date(step.to, data),
            note=str(data.get("note") or data.get("appraisal_notes") or data.get("stop_reason")
                     or data.get("acceptance_result") or ""),
            progress_pct=step.instance.progress_pct, data=_jsonable(data), changes=changes)

    if expected_version is None and not require_version:
        expected_version = Project.objects.filter(pk=project.pk).values_list("version", flat=True).first()
    return run_transition(
        workflow=PROJECT_WORKFLOW, queryset=Project.objects.select_related("plan"), pk=project.pk, actor=actor,
        to_status=to_status, expected_version=expected_version, effective_date=effective_date, data=data,
        tracked=TRACKED, authorize=lambda p: _require_scope(actor, p.province_id), previous_date=last_step_date,
        apply=apply, record=record)


def _require_data(requires: list[str], data: dict) -> None:
    missing = [f for f in requires if data.get(f) in (None, "")]
    if missing:
        labels = ", ".join(workflow.FIELD_LABELS.get(f, f) for f in missing)
        raise DomainError(f"Thiếu thông tin bắt buộc: {labels}.", field=missing[0], details={"missing": missing})


def _progress(data) -> int:
    try:
        pct = int(str(data["progress_pct"]).strip().rstrip("%").strip())
    except (TypeError, ValueError):
        raise DomainError("Tiến độ phải là số phần trăm từ 0 đến 100.", field="progress_pct")
    if not 0 <= pct <= 100:
        raise DomainError("Tiến độ phải là số phần trăm từ 0 đến 100.", field="progress_pct")
    return pct


def _apply_target(p: Project, frm: str, to: str, data: dict, day: dt.date | None = None) -> None:
    S = Status
    if to == S.APPRAISED:
        result = str(data["appraisal_result"]).strip()
        if result not in ("passed", "failed"):
            raise DomainError("Kết quả thẩm định phải là «Đạt» hoặc «Không đạt».", field="appraisal_result")
        p.appraisal_result = result
        p.appraisal_notes = str(data.get("appraisal_notes") or data.get("note") or "")
    elif to == S.APPROVED:
        if p.appraisal_result != "passed":
            raise TransitionRefused(f"Đề án «{p.code}» chưa đạt thẩm định: không phê duyệt được.")
        p.decision_no = str(data["decision_no"]).strip()
        p.decision_date = _date(data["decision_date"], "ngày quyết định", "decision_date")
    elif to == S.CONTRACTED:
        p.contract_no = str(data["contract_no"]).strip()
        p.contract_date = _date(data["contract_date"], "ngày hợp đồng", "contract_date")
    elif to == S.IN_PROGRESS:
        pct = _progress(data)
        _date(data["progress_date"], "ngày báo cáo tiến độ", "progress_date")
        if pct == 100:
            raise DomainError("Tiến độ 100 %: hãy dùng thao tác «Hoàn thành».", field="progress_pct")
        p.progress_pct = pct
    elif to == S.COMPLETED:
        p.progress_pct = 100
    elif to == S.ACCEPTED:
        p.acceptance_date = _date(data["acceptance_date"], "ngày nghiệm thu", "acceptance_date")
        p.acceptance_minutes_no = str(data["acceptance_minutes_no"]).strip()
        p.acceptance_result = str(data["acceptance_result"]).strip()
    elif to == S.SETTLED:
        amount = _money(data["settled_amount"], "Số quyết toán", "settled_amount")
        disbursed = p.disbursements.aggregate(s=Sum("amount"))["s"] or 0
        if amount > disbursed:
            raise DomainError(f"Số quyết toán ({format_vnd(amount)}) lớn hơn số đã tạm ứng, thanh toán "
                              f"({format_vnd(disbursed)}).", field="settled_amount")
        p.settled_amount = amount
        p.settled_date = _date(data["settled_date"], "ngày quyết toán", "settled_date")
    elif to == S.STOP_REQUESTED:
        p.stop_reason = str(data["stop_reason"]).strip()
        p.stop_requested_by = str(data["stop_requested_by"]).strip()


def _document_no(to: str, data: dict) -> str:
    for key in ("document_no", "decision_no", "contract_no", "acceptance_minutes_no"):
        if data.get(key):
            return str(data[key])
    return ""


def _document_date(to: str, data: dict):
    for key in ("document_date", "decision_date", "contract_date", "acceptance_date", "settled_date",
                "progress_date"):
        if data.get(key):
            return _date(data[key], "ngày văn bản", key)
    return None


def _jsonable(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        if isinstance(v, dt.date | dt.datetime):
            out[k] = v.isoformat()
        elif isinstance(v, str | int | float | bool) or v is None:
            out[k] = v
        elif isinstance(v, dict):
            out[k] = _jsonable(v)
        else:
            out[k] = str(v)
    return out


def _funding_snapshot(project: Project) -> dict:
    return {f.source.code: {"requested": f.requested, "approved": f.approved}
            for f in project.fundings.select_related("source")}


def _snap(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def _apply_event(project: Project, *, actor, event: str, data: dict, effective_date, expected_version) -> Project:
    """An adjustment or extension: the status stays; a Revision keeps the old and new values."""
    rule = workflow.EVENTS[event]
    with transaction.atomic():
        p = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
        _require_scope(actor, p.province_id)
        if expected_version is not None and int(expected_version) != p.version:
            raise ConcurrentEditError()
        if p.status not in rule["statuses"]:
            raise TransitionRefused(f"Không thể «{rule['label']}» đề án «{p.code}» đang ở trạng thái "
                                    f"«{p.get_status_display()}».")
        PROJECT_WORKFLOW.require_role(rule, role_of(actor))
        PROJECT_WORKFLOW.require_data(rule["requires"], data)
        day = business_date(effective_date, previous=last_step_date(p))
        return _revise(p, actor=actor, event=event, rule=rule, data=data, day=day)


def _revise(p: Project, *, actor, event: str, rule: dict, data: dict, day: dt.date) -> Project:
    old, new = {}, {}
    if event == "extend":
        end = _date(data["end_date"], "ngày kết thúc mới", "end_date")
        if p.end_date and end <= p.end_date:
            raise DomainError("Ngày kết thúc mới phải sau ngày kết thúc hiện tại "
                              f"({p.end_date:%d/%m/%Y}).", field="end_date")
        old["end_date"], new["end_date"] = _snap(p.end_date), _snap(end)
        p.end_date = end
        kind = Revision.Kind.EXTENSION
    else:
        for field in ADJUST_FIELDS:
            if field in data and data[field] not in (None, ""):
                value = data[field]
                if field in ("start_date", "end_date"):
                    value = _date(value, field, field)
                if getattr(p, field) != value:
                    old[field], new[field] = _snap(getattr(p, field)), _snap(value)
                    setattr(p, field, value)
        if p.start_date and p.end_date and p.end_date < p.start_date:
            raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
        if data.get("funding"):
            before = _funding_snapshot(p)
            _apply_funding(p, data["funding"], actor=actor, columns=("requested", "approved"), effective_date=day)
            after = _funding_snapshot(p)
            if after != before:
                old["funding"], new["funding"] = before, after
            for code, values in after.items():
                paid = p.disbursements.filter(source__code=code).aggregate(s=Sum("amount"))["s"] or 0
                if paid > values["approved"]:
                    raise DomainError(f"Số phê duyệt mới nguồn {code} ({format_vnd(values['approved'])}) nhỏ hơn số đã "
                                      f"tạm ứng, thanh toán ({format_vnd(paid)}).", field="funding")
        if not new:
            raise DomainError("Điều chỉnh không thay đổi nội dung, kinh phí hay tiến độ nào.")
        kind = Revision.Kind.ADJUSTMENT
    number = (p.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    _save(Revision(project=p, number=number, kind=kind, reason=str(data["reason"]),
                   document_no=str(data.get("document_no") or ""),
                   document_date=_date(data["document_date"], "ngày văn bản", "document_date")
                   if data.get("document_date") else None,
                   old_values=old, new_values=new, actor=_user(actor), changed_at=timezone.now()),
          actor=actor, reason=rule["label"])
    p.version += 1
    _save(p, actor=actor, reason=rule["label"])
    _record_change(project=p, actor=actor, effective_date=day, from_status=p.status, to_status=p.status,
                   action=event, document_no=str(data.get("document_no") or ""), note=str(data["reason"]),
                   progress_pct=p.progress_pct, data={"revision": number},
                   changes={k: [old.get(k), new[k]] for k in new})
    return p


# ---------------------------------------------------------------------------------------------------- money flow

def disbursement_create(*, project: Project, actor, kind: str, source, date, amount, document_no: str = "",
                        note: str = "") -> Disbursement:
    """An advance or a payment; the sum paid from a source never exceeds its approved amount."""
    require_edit(actor, "ghi tạm ứng, thanh toán")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _require_scope(actor, locked.province_id)
        if kind not in Disbursement.Kind.values:
            raise DomainError("Loại phải là tạm ứng hoặc thanh toán.", field="kind")
        if locked.status == Status.SETTLED:
            raise DomainError(f"Đề án «{locked.code}» đã quyết toán: không ghi thêm tạm ứng, thanh toán.")
        if locked.status not in PAYABLE:
            raise DomainError(f"Đề án «{locked.code}» đang ở trạng thái «{locked.get_status_display()}»: chưa được "
                              "phê duyệt kinh phí nên chưa tạm ứng, thanh toán được.")
        source = _source(source)
        amount = _money(amount, "Số tiền", "amount")
        if amount <= 0:
            raise DomainError("Số tiền phải lớn hơn 0.", field="amount")
        approved = ProjectFunding.objects.filter(project=locked, source=source).values_list("approved", flat=True)
        approved = approved[0] if approved else 0
        paid = locked.disbursements.filter(source=source).aggregate(s=Sum("amount"))["s"] or 0
        if paid + amount > approved:
            raise DomainError(
                f"Tổng tạm ứng, thanh toán từ nguồn {source.short_name} ({format_vnd(paid + amount)}) vượt số được "
                f"phê duyệt ({format_vnd(approved)}); còn được chi {format_vnd(max(0, approved - paid))}.",
                field="amount")
        row = Disbursement(project=locked, kind=kind, source=source, amount=amount, document_no=document_no, note=note,
                           date=business_date(date, label="Ngày chi", field="date"))
        if locked.decision_date and row.date < locked.decision_date:
            raise DomainError(f"Ngày chi ({row.date:%d/%m/%Y}) không được trước ngày quyết định phê duyệt đề án "
                              f"({locked.decision_date:%d/%m/%Y}).", field="date", code="date_order")
        return _save(row, actor=actor, reason=row.get_kind_display())


def output_record(*, project: Project, actor, indicator, quantity: int, date, note: str = "") -> ProjectOutput:
    require_edit(actor, "ghi kết quả đầu ra")
    _require_scope(actor, project.province_id)
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise DomainError("Số lượng phải là số nguyên.", field="quantity")
    if quantity < 0:
        raise DomainError("Số lượng không được âm.", field="quantity")
    with transaction.atomic():
        row = ProjectOutput(project=project, indicator=indicator, quantity=quantity, note=note,
                            date=business_date(date, label="Ngày ghi nhận", field="date"))
        return _save(row, actor=actor, reason="Ghi kết quả đầu ra")
