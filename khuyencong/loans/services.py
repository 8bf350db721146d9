"""Writes on recoverable support: loan terms, loans (create, move along the workflow — approval, disbursement
with its schedule, rescheduling, recovery, the write-off proposal and decision), repayments and their
reversals, recovery actions. Every write is saved with its history (who, when, why) through core.audit."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from khuyencong.core.audit import save_audited
from khuyencong.core.bulk import rows_inserted
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.money import format_vnd
from khuyencong.core.permissions import ADMIN, APPROVER, require_edit, require_role
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import business_date, run_transition

from . import engine, selectors, workflow
from .models import (
    DEFAULT_BUCKETS,
    FundDraw,
    Instalment,
    Loan,
    LoanStatus,
    LoanStep,
    LoanTerms,
    RecoveryAction,
    Repayment,
    Schedule,
    WriteOffCause,
)

S = LoanStatus

WRITEOFF_CAUSES = [
    ("kinh-doanh-that-bai", "Kinh doanh thất bại"),
    ("khong-co-kha-nang-tra", "Chủ cơ sở không có khả năng chi trả"),
    ("khong-con-o-dia-phuong", "Chủ cơ sở không còn ở địa phương"),
    ("thien-tai", "Thiên tai, dịch bệnh"),
    ("giai-the-pha-san", "Cơ sở giải thể, phá sản"),
    ("chu-co-so-qua-doi", "Chủ cơ sở qua đời"),
    ("khac", "Nguyên nhân khác"),
]


def load_causes() -> None:
    """The write-off causes catalogue (idempotent)."""
    for order, (code, name) in enumerate(WRITEOFF_CAUSES, 1):
        WriteOffCause.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def _authed(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_scope(actor, province_id) -> None:
    if not scope_for(actor).allows_province(province_id):
        raise NotAllowed("Khoản vay, quy chế này không thuộc phạm vi quản lý của bạn.")


def _day(value, *, label: str, field: str, allow_future: bool = False) -> dt.date:
    from khuyencong.core.fields import parse_business_date

    if value in (None, ""):
        raise DomainError(f"Thiếu {label.lower()}.", field=field)
    return parse_business_date(value, label=label.lower(), field=field, allow_future=allow_future)


def _amount(value, *, label: str = "Số tiền", field: str = "amount") -> int:
    from khuyencong.core.fields import parse_amount

    amount = parse_amount(value)
    if amount is None or amount <= 0:
        raise DomainError(f"{label} phải lớn hơn 0 đồng.", field=field)
    return amount


# ---------------------------------------------------------------------------------------------------- terms


def terms_create(
    *,
    actor,
    province,
    name: str,
    decision_no: str,
    decision_date,
    valid_from,
    term_months: int,
    frequency: str = "quarterly",
    grace_months: int = 0,
    valid_to=None,
    max_amount=None,
    max_share_pct=None,
    interest_rate_pct=0,
    interest_method: str = "none",
    collateral_required: bool = False,
    penalty_rate_pct=0,
    buckets=None,
    note: str = "",
) -> LoanTerms:
    """A province's loan terms (quy chế) as its decision sets them. Validity periods of one province do not
    overlap: the terms in force on a contract's date are unique."""
    require_edit(actor, "ban hành quy chế cho vay")
    province_id = province.current_province_id or province.pk
    _require_scope(actor, province_id)
    valid_from = _day(valid_from, label="Ngày áp dụng", field="valid_from", allow_future=True)
    valid_to = (
        _day(valid_to, label="Ngày hết hiệu lực", field="valid_to", allow_future=True) if valid_to else None
    )
    if valid_to and valid_to < valid_from:
        raise DomainError("Ngày hết hiệu lực phải sau ngày áp dụng.", field="valid_to")
    if interest_method == "none" and Decimal(str(interest_rate_pct or 0)) > 0:
        interest_method = "declining"
    buckets = buckets or [list(b) for b in DEFAULT_BUCKETS]
    with transaction.atomic():
        overlap = LoanTerms.objects.filter(province_id=province_id)
        overlap = overlap.exclude(valid_to__lt=valid_from)
        if valid_to:
            overlap = overlap.exclude(valid_from__gt=valid_to)
        clash = overlap.first()
        if clash:
            raise DomainError(
                f"Thời gian áp dụng trùng với quy chế «{clash}» (từ {clash.valid_from:%d/%m/%Y}). "
                "Hãy ghi ngày hết hiệu lực của quy chế cũ trước.",
                field="valid_from",
            )
        terms = LoanTerms(
            province_id=province_id,
            name=name,
            decision_no=decision_no,
            decision_date=_day(decision_date, label="Ngày quyết định", field="decision_date"),
            valid_from=valid_from,
            valid_to=valid_to,
            max_amount=max_amount,
            max_share_pct=max_share_pct,
            term_months=term_months,
            grace_months=grace_months,
            interest_rate_pct=interest_rate_pct or 0,
            interest_method=interest_method,
            frequency=frequency,
            collateral_required=collateral_required,
            penalty_rate_pct=penalty_rate_pct or 0,
            buckets=buckets,
            note=note,
        )
        # Validate the terms by building a schedule of them.
        engine.build_schedule(
            principal=1_000_000,
            start=valid_from,
            term_months=term_months,
            grace_months=grace_months,
            frequency=frequency,
        )
        return save_audited(terms, actor=actor, reason="Ban hành quy chế cho vay")


# ---------------------------------------------------------------------------------------------------- loans


def project_recoverable_amount(project, source) -> int:
    """The approved amount of a recoverable đề án from `source` (what may be lent)."""
    funding = project.fundings.filter(source=source).first()
    return funding.approved if funding else 0


def _check_principal(*, project, establishment, source, principal: int, terms: LoanTerms, exclude=None):
    if not project.recoverable:
        raise DomainError(
            f"Đề án «{project.code}» không phải hỗ trợ có hoàn trả: không lập được khoản vay.",
            field="project",
        )
    if not project.beneficiaries.filter(establishment=establishment).exists():
        raise DomainError(
            f"«{establishment.name}» không phải đơn vị thụ hưởng của đề án «{project.code}».",
            field="establishment",
        )
    approved = project_recoverable_amount(project, source)
    others = Loan.objects.filter(project=project, source=source)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    lent = sum(others.values_list("principal", flat=True))
    room = approved - lent
    if principal > room:
        raise DomainError(
            f"Số tiền vay ({format_vnd(principal)}) vượt số hỗ trợ có hoàn trả được phê duyệt của đề án "
            f"«{project.code}» từ nguồn {source.short_name} còn lại: {format_vnd(max(room, 0))} "
            f"(phê duyệt {format_vnd(approved)}, đã cho vay {format_vnd(lent)}).",
            field="principal",
        )
    if terms.max_amount is not None and principal > terms.max_amount:
        raise DomainError(
            f"Số tiền vay ({format_vnd(principal)}) vượt mức tối đa {format_vnd(terms.max_amount)} "
            f"của quy chế «{terms}».",
            field="principal",
        )
    if terms.max_share_pct is not None:
        cost = sum(max(f.approved, f.requested) for f in project.fundings.all())
        cap = int(Decimal(cost) * terms.max_share_pct / 100)
        if cost and principal > cap:
            raise DomainError(
                f"Số tiền vay ({format_vnd(principal)}) vượt {terms.max_share_pct:g}% tổng kinh phí đề án "
                f"({format_vnd(cost)}), tức {format_vnd(cap)} — quy chế «{terms}».",
                field="principal",
            )


def loan_create(
    *,
    actor,
    project,
    establishment,
    principal,
    contract_no: str,
    contract_date,
    source=None,
    terms: LoanTerms | None = None,
    collateral: str = "",
    guarantor: str = "",
    from_revolving_fund: bool = False,
    note: str = "",
) -> Loan:
    """A loan in status drafted, checked against the đề án's approved recoverable amount and the province's
    terms in force on the contract date."""
    from khuyencong.catalog import selectors as catalog

    require_edit(actor, "lập khoản vay")
    _require_scope(actor, project.province_id)
    principal = _amount(principal, label="Số tiền vay", field="principal")
    contract_date = _day(contract_date, label="Ngày hợp đồng", field="contract_date")
    contract_no = (contract_no or "").strip()
    if not contract_no:
        raise DomainError("Thiếu số hợp đồng.", field="contract_no")
    source = source or catalog.funding_source_by_code("local")
    if isinstance(source, str):
        source = catalog.funding_source_by_code(source)
    terms = terms or selectors.terms_in_force(province_id=project.province_id, day=contract_date)
    if terms is None:
        raise DomainError(
            f"Tỉnh chưa có quy chế cho vay khuyến công có hoàn trả áp dụng vào ngày "
            f"{contract_date:%d/%m/%Y}.",
            field="contract_date",
        )
    if terms.province_id != project.province_id:
        raise DomainError("Quy chế đã chọn không phải của tỉnh của đề án.", field="terms")
    if terms.collateral_required and not (collateral.strip() or guarantor.strip()):
        raise DomainError(
            f"Quy chế «{terms}» yêu cầu tài sản bảo đảm hoặc bảo lãnh: hãy ghi tài sản bảo đảm hoặc người "
            "bảo lãnh.",
            field="collateral",
        )
    with transaction.atomic():
        _check_principal(
            project=project, establishment=establishment, source=source, principal=principal, terms=terms
        )
        if Loan.objects.filter(province_id=project.province_id, contract_no=contract_no).exists():
            raise DomainError(f"Đã có khoản vay theo hợp đồng số «{contract_no}».", field="contract_no")
        loan = Loan(
            project=project,
            establishment=establishment,
            terms=terms,
            source=source,
            province_id=project.province_id,
            principal=principal,
            contract_no=contract_no,
            contract_date=contract_date,
            collateral=collateral,
            guarantor=guarantor,
            from_revolving_fund=from_revolving_fund,
            note=note,
            status_date=contract_date,
        )
        save_audited(loan, actor=actor, reason="Lập khoản vay")
        LoanStep.objects.create(
            loan=loan,
            actor=_authed(actor),
            effective_date=contract_date,
            from_status=S.DRAFTED,
            to_status=S.DRAFTED,
            label="Lập khoản vay",
        )
        return loan


def _new_schedule(
    loan: Loan,
    *,
    number: int,
    start: dt.date,
    principal: int,
    term_months: int,
    grace_months: int,
    frequency: str,
    decision_no: str = "",
    decision_date=None,
) -> Schedule:
    lines = engine.build_schedule(
        principal=principal,
        start=start,
        term_months=term_months,
        grace_months=grace_months,
        frequency=frequency,
        interest_rate_pct=loan.terms.interest_rate_pct,
        interest_method=loan.terms.interest_method,
    )
    sched = Schedule.objects.create(
        loan=loan,
        number=number,
        effective_from=start,
        principal=principal,
        term_months=term_months,
        grace_months=grace_months,
        frequency=frequency,
        interest_rate_pct=loan.terms.interest_rate_pct,
        interest_method=loan.terms.interest_method,
        decision_no=decision_no,
        decision_date=decision_date,
    )
    Instalment.objects.bulk_create(
        [
            Instalment(
                schedule=sched, seq=ln.seq, due_date=ln.due_date, principal=ln.principal, interest=ln.interest
            )
            for ln in lines
        ]
    )
    rows_inserted.send(sender=Instalment)  # bulk rows send no post_save (core.dataversion)
    return sched


def preview_schedule(loan: Loan, start: dt.date | None = None) -> list[engine.Line]:
    t = loan.terms
    return engine.build_schedule(
        principal=loan.principal,
        start=start or loan.contract_date,
        term_months=t.term_months,
        grace_months=t.grace_months,
        frequency=t.frequency,
        interest_rate_pct=t.interest_rate_pct,
        interest_method=t.interest_method,
    )


def loan_transition(
    *,
    actor,
    loan: Loan,
    to_status: str,
    expected_version,
    effective_date=None,
    extra_roles: frozenset = frozenset(),
    **data,
) -> Loan:
    """Move a loan along the table (workflow.py). Disbursement builds schedule 1 from the terms; rescheduling
    builds a new schedule of the principal outstanding on its date (term, grace and frequency from `data`,
    default the terms); the write-off proposal records cause, reason and evidence; the write-off decision
    (approver only, never the proposer) records the outstanding principal as written off."""
    data = {k: v for k, v in data.items() if v not in (None, "")}
    for key in ("decision_date", "disbursed_on", "writeoff_decision_date"):
        if key in data:
            data[key] = _day(data[key], label=workflow.WORKFLOW.field_labels[key], field=key)
            if effective_date in (None, ""):
                effective_date = data[key]
    if "writeoff_cause" in data and not isinstance(data["writeoff_cause"], WriteOffCause):
        cause = WriteOffCause.objects.filter(_cause_q(data["writeoff_cause"])).first()
        if cause is None:
            raise DomainError(f"Không có nguyên nhân «{data['writeoff_cause']}».", field="writeoff_cause")
        data["writeoff_cause"] = cause

    def authorize(locked):
        if not scope_for(actor).allows_province(locked.province_id):
            from django.http import Http404

            raise Http404

    def check_rule(locked, rule):
        if to_status == S.WRITTEN_OFF and not locked.writeoff_proposed_on:
            raise DomainError(
                "Chưa có đề nghị xóa nợ của cán bộ (nguyên nhân, lý do, hồ sơ): lãnh đạo chỉ quyết định "
                "xóa nợ "
                "trên đề nghị đã lập.",
                code="writeoff_not_proposed",
            )
        if to_status == S.WRITTEN_OFF and locked.writeoff_proposed_by_id == getattr(actor, "pk", None):
            raise NotAllowed(
                "Người đề nghị xóa nợ không được tự quyết định xóa nợ (cần người phê duyệt khác)."
            )

    def apply(locked, frm, to, d, day):
        locked.status_date = day
        if to_status in workflow.EVENTS:  # an event leaves the status: dispatch on its name
            to = S.RESCHEDULED if to_status == "reschedule" else to_status
        if to == S.APPROVED:
            locked.decision_no, locked.decision_date = d["decision_no"], d["decision_date"]
        elif to == S.DISBURSED:
            if d["disbursed_on"] < locked.contract_date:
                raise DomainError("Ngày giải ngân không được trước ngày hợp đồng.", field="disbursed_on")
            locked.disbursed_on = d["disbursed_on"]
            t = locked.terms
            _new_schedule(
                locked,
                number=1,
                start=locked.disbursed_on,
                principal=locked.principal,
                term_months=t.term_months,
                grace_months=t.grace_months,
                frequency=t.frequency,
            )
            locked.schedule_no = 1
        elif to == S.RESCHEDULED:
            # Payments dated on the rescheduling day go to the new schedule.
            pos = selectors.position(Loan.objects.get(pk=locked.pk), day - dt.timedelta(days=1))
            if pos.outstanding <= 0:
                raise DomainError("Khoản vay không còn dư nợ để gia hạn.", field="decision_no")
            t = locked.terms
            number = locked.schedule_no + 1
            _new_schedule(
                locked,
                number=number,
                start=day,
                principal=pos.outstanding,
                term_months=int(d.get("term_months") or t.term_months),
                grace_months=int(d.get("grace_months") or 0),
                frequency=d.get("frequency") or t.frequency,
                decision_no=d["decision_no"],
                decision_date=d["decision_date"],
            )
            locked.schedule_no = number
        elif to == S.WRITTEN_OFF:
            pos = selectors.position(Loan.objects.get(pk=locked.pk), day)
            locked.writeoff_decision_no = d["writeoff_decision_no"]
            locked.writeoff_decision_date = d["writeoff_decision_date"]
            locked.written_off_amount = pos.outstanding
        elif to == "propose_writeoff":
            locked.writeoff_cause = d["writeoff_cause"]
            locked.writeoff_reason = d["writeoff_reason"]
            locked.writeoff_evidence = d["writeoff_evidence"]
            locked.writeoff_proposed_by = _authed(actor)
            locked.writeoff_proposed_on = day

    def record(step):
        changes = dict(step.changes)
        if step.data.get("note"):
            changes["note"] = ["", step.data["note"]]
        LoanStep.objects.create(
            loan=step.instance,
            actor=_authed(actor),
            effective_date=step.effective_date,
            from_status=step.frm,
            to_status=step.to,
            label=step.rule["label"],
            changes=changes,
        )

    return run_transition(
        workflow=workflow.WORKFLOW,
        queryset=Loan.objects.all(),
        pk=loan.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data=data,
        tracked=[
            "decision_no",
            "decision_date",
            "disbursed_on",
            "schedule_no",
            "writeoff_cause",
            "writeoff_reason",
            "writeoff_decision_no",
            "writeoff_decision_date",
            "written_off_amount",
        ],
        authorize=authorize,
        previous_date=lambda r: r.status_date,
        check_rule=check_rule,
        apply=apply,
        record=record,
        extra_roles=extra_roles,
    )


def _cause_q(value):
    from django.db.models import Q

    text = str(getattr(value, "pk", value))
    return Q(code=text) | (Q(pk=int(text)) if text.isdigit() else Q(pk__in=[]))


def _auto(actor, loan: Loan, to_status: str, day: dt.date) -> Loan:
    loan.refresh_from_db()
    day = max(day, loan.status_date or day)
    return loan_transition(
        actor=actor, loan=loan, to_status=to_status, expected_version=loan.version, effective_date=day
    )


def _follow_status(actor, loan: Loan, day: dt.date) -> Loan:
    """After a repayment or a reversal: the automatic steps (repaying, repaid, recovered, reopened)."""
    loan = selectors.with_ledger(Loan.objects.filter(pk=loan.pk)).select_related("terms").get()
    pos = selectors.position(loan, dt.date.max)
    owed = sum(line["remaining"] for line in pos.lines)
    if owed == 0 and loan.status in (S.DISBURSED, S.REPAYING, S.RESCHEDULED, S.IN_RECOVERY):
        return _auto(actor, loan, S.REPAID, day)
    if owed == 0 and loan.status == S.WRITTEN_OFF:
        return _auto(actor, loan, S.RECOVERED, day)
    if owed > 0 and loan.status == S.REPAID:
        return _auto(actor, loan, S.REPAYING, day)
    if owed > 0 and loan.status == S.RECOVERED:
        return _auto(actor, loan, S.WRITTEN_OFF, day)
    if loan.status == S.DISBURSED and pos.paid > 0:
        return _auto(actor, loan, S.REPAYING, day)
    return loan


PAYABLE = (S.DISBURSED, S.REPAYING, S.RESCHEDULED, S.IN_RECOVERY, S.WRITTEN_OFF)


def repayment_record(*, actor, loan: Loan, date, amount, document_no: str = "", note: str = "") -> Repayment:
    """A repayment: allocated (when read) to the oldest due instalment first, then the penalty, then early. A
    payment above what is still owed is refused with the amount outstanding named."""
    require_edit(actor, "ghi nhận trả nợ")
    _require_scope(actor, loan.province_id)
    day = business_date(date, label="Ngày trả", field="date")
    amount = _amount(amount)
    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        if locked.status not in PAYABLE:
            raise DomainError(
                f"Khoản vay đang ở trạng thái «{locked.get_status_display()}»: không ghi nhận trả nợ được.",
                field="amount",
            )
        if locked.disbursed_on and day < locked.disbursed_on:
            raise DomainError(
                f"Ngày trả ({day:%d/%m/%Y}) không được trước ngày giải ngân "
                f"({locked.disbursed_on:%d/%m/%Y}).",
                field="date",
            )
        current = locked.schedules.filter(number=locked.schedule_no).first()
        if current and current.number > 1 and day < current.effective_from:
            raise DomainError(
                f"Ngày trả ({day:%d/%m/%Y}) trước ngày áp dụng lịch trả nợ hiện hành "
                f"({current.effective_from:%d/%m/%Y}).",
                field="date",
            )
        full = selectors.with_ledger(Loan.objects.filter(pk=locked.pk)).select_related("terms").get()
        # What is owed: the whole schedule net of every payment recorded (whatever its date), and the penalty
        # accrued by the payment's date.
        everything = selectors.position(full, dt.date.max)
        at_day = selectors.position(full, day)
        owed = sum(line["remaining"] for line in everything.lines) + at_day.penalty_due
        if amount > owed:
            raise DomainError(
                f"Số tiền trả ({format_vnd(amount)}) lớn hơn số còn nợ: {format_vnd(owed)}.",
                field="amount",
                code="over_outstanding",
                details={"outstanding": owed},
            )
        rep = save_audited(
            Repayment(
                loan=locked,
                kind=Repayment.Kind.PAYMENT,
                date=day,
                amount=amount,
                document_no=document_no,
                note=note,
                actor=_authed(actor),
            ),
            actor=actor,
            reason="Ghi nhận trả nợ",
        )
        _follow_status(actor, locked, day)
        return rep


def repayment_reverse(*, actor, repayment: Repayment, date=None, reason: str = "") -> Repayment:
    """Cancel a repayment with a new reversal row (the original is never edited)."""
    require_edit(actor, "hủy khoản trả nợ")
    _require_scope(actor, repayment.loan.province_id)
    if not (reason or "").strip():
        raise DomainError("Ghi lý do hủy khoản trả.", field="reason")
    day = business_date(
        date, previous=repayment.date, previous_label="khoản trả bị hủy", label="Ngày hủy", field="date"
    )
    with transaction.atomic():
        Loan.objects.select_for_update().get(pk=repayment.loan_id)
        if repayment.kind != Repayment.Kind.PAYMENT:
            raise DomainError("Chỉ hủy được một khoản trả nợ.", field="repayment")
        if Repayment.objects.filter(reverses=repayment).exists():
            raise DomainError("Khoản trả này đã được hủy.", field="repayment")
        rev = save_audited(
            Repayment(
                loan_id=repayment.loan_id,
                kind=Repayment.Kind.REVERSAL,
                date=day,
                amount=repayment.amount,
                reverses=repayment,
                document_no=repayment.document_no,
                note=reason.strip(),
                actor=_authed(actor),
            ),
            actor=actor,
            reason="Hủy khoản trả nợ",
        )
        _follow_status(actor, repayment.loan, day)
        return rev


def action_record(*, actor, loan: Loan, kind: str, date, note: str, document_no: str = "") -> RecoveryAction:
    require_edit(actor, "ghi nhận biện pháp thu hồi nợ")
    _require_scope(actor, loan.province_id)
    if kind not in RecoveryAction.Kind.values:
        raise DomainError(f"Không có biện pháp «{kind}».", field="kind")
    if not (note or "").strip():
        raise DomainError("Ghi nội dung của biện pháp.", field="note")
    day = business_date(date, label="Ngày", field="date")
    if loan.disbursed_on is None or day < loan.disbursed_on:
        raise DomainError(
            "Chỉ ghi biện pháp thu hồi nợ cho khoản vay đã giải ngân, từ ngày giải ngân.", field="date"
        )
    return save_audited(
        RecoveryAction(
            loan=loan, kind=kind, date=day, note=note.strip(), document_no=document_no, actor=_authed(actor)
        ),
        actor=actor,
        reason="Ghi nhận biện pháp thu hồi nợ",
    )


# --------------------------------------------------------------------------------------------- revolving fund


def fund_draw_record(*, actor, plan, amount, decision_no: str, decision_date, note: str = "") -> FundDraw:
    """A local annual plan uses money of its province's revolving fund, by a decision (number and date). The
    decision is the approver's (like approving a loan, rescheduling it or writing it off). A draw above what
    the fund may lend again on the decision date is refused with that amount named; so is one that a later
    draw or relending already counts on (the fund never goes below zero on any later date)."""
    require_role(actor, APPROVER, ADMIN, action="ghi nhận quyết định sử dụng quỹ quay vòng cho kế hoạch")
    if plan.province_id is None or not scope_for(actor).allows_province(plan.province_id):
        raise NotAllowed("Kế hoạch này không thuộc phạm vi quản lý của bạn.")
    if not selectors.can_draw(plan):
        raise DomainError(
            "Chỉ kế hoạch khuyến công địa phương của tỉnh mới sử dụng được quỹ quay vòng khuyến công có hoàn "
            "trả của tỉnh.",
            field="plan",
        )
    from khuyencong.projects.models import AnnualPlan

    if plan.status == AnnualPlan.PlanStatus.CLOSED:
        raise DomainError(f"Kế hoạch «{plan}» đã kết thúc: không ghi thêm nguồn kinh phí.", field="plan")
    amount = _amount(amount, label="Số tiền sử dụng", field="amount")
    decision_no = (decision_no or "").strip()
    if not decision_no:
        raise DomainError("Thiếu số quyết định sử dụng quỹ quay vòng.", field="decision_no")
    if decision_date in (None, ""):
        raise DomainError("Thiếu ngày quyết định.", field="decision_date")
    day = business_date(decision_date, label="Ngày quyết định", field="decision_date")
    with transaction.atomic():
        from khuyencong.geo.models import AdminUnit

        # One draw at a time per province: the check below reads the whole fund.
        AdminUnit.objects.select_for_update().filter(pk=plan.province_id).first()
        if FundDraw.objects.filter(province_id=plan.province_id, decision_no=decision_no).exists():
            raise DomainError(
                f"Đã ghi nhận quyết định số «{decision_no}» sử dụng quỹ quay vòng.", field="decision_no"
            )
        available = selectors.fund_available(plan.province_id, day)
        if amount > available:
            raise DomainError(
                f"Số tiền sử dụng ({format_vnd(amount)}) vượt số tiền của quỹ quay vòng đến ngày "
                f"{day:%d/%m/%Y}: còn {format_vnd(max(available, 0))} có thể cho vay lại.",
                field="amount",
                code="over_available",
                details={"available": max(available, 0)},
            )
        # A later draw or relending already counts on the money: the fund must stay ≥ 0 after it too.
        later = set(
            FundDraw.objects.filter(province_id=plan.province_id, decision_date__gt=day).values_list(
                "decision_date", flat=True
            )
        ) | set(
            Loan.objects.filter(
                province_id=plan.province_id, from_revolving_fund=True, disbursed_on__gt=day
            ).values_list("disbursed_on", flat=True)
        )
        for then in sorted(later):
            left = selectors.fund_available(plan.province_id, then)
            if amount > left:
                raise DomainError(
                    f"Số tiền sử dụng ({format_vnd(amount)}) vượt số tiền quỹ quay vòng còn lại sau các "
                    f"khoản đã sử dụng, cho vay lại đến ngày {then:%d/%m/%Y}: còn "
                    f"{format_vnd(max(left, 0))} có thể cho vay lại.",
                    field="amount",
                    code="over_available",
                    details={"available": max(left, 0), "date": then.isoformat()},
                )
        draw = FundDraw(
            plan=plan,
            province_id=plan.province_id,
            amount=amount,
            decision_no=decision_no,
            decision_date=day,
            note=(note or "").strip(),
            actor=_authed(actor),
        )
        return save_audited(draw, actor=actor, reason="Sử dụng quỹ quay vòng cho kế hoạch")
