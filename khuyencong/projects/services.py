"""Writes over annual plans and đề án. Every function is keyword-only, runs in a transaction, checks the
actor's
role and scope, and saves through core.audit so history has the actor.

Two clocks: every step takes the business date of its document (`effective_date`, or the document's own date
field: decision, contract, voucher; default today, never in the future, never before the previous step). That
date is what "as of" reads. History keeps the time of entry and who entered it.

`project_transition` is the only writer of `Project.status` (table in workflow.py).
"""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from khuyencong.catalog import selectors as catalog
from khuyencong.catalog.models import FundingSource, SupportCap
from khuyencong.core.audit import delete_audited, save_audited
from khuyencong.core.concurrency import update_versioned
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.core.fields import parse_amount, parse_business_date
from khuyencong.core.money import format_short, format_vnd
from khuyencong.core.permissions import OFFICER, require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import (
    TransitionRefused,
    VersionRequired,
    Workflow,
    business_date,
    run_transition,
)

from . import workflow
from .models import (
    AnnualPlan,
    Batch,
    BatchAllocation,
    Disbursement,
    Level,
    PlanStatusChange,
    Project,
    ProjectBeneficiary,
    ProjectFunding,
    ProjectOutput,
    Revision,
    Status,
    StatusChange,
)

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

EDITABLE = frozenset({Status.DRAFT, Status.REGISTERED, Status.APPRAISED})
PAYABLE = frozenset(
    {
        Status.APPROVED,
        Status.CONTRACTED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.ACCEPTED,
        Status.STOP_REQUESTED,
        Status.STOPPED,
    }
)
EDIT_FIELDS = [
    "code",
    "title",
    "description",
    "content",
    "support_cap",
    "batch",
    "commune",
    "implementing_unit",
    "implementing_org",
    "is_flagship",
    "legal_basis",
    "start_date",
    "end_date",
    "recoverable",
    "cluster",
]
ADJUST_FIELDS = [
    "title",
    "description",
    "content",
    "support_cap",
    "start_date",
    "end_date",
    "commune",
    "implementing_unit",
    "cluster",
]


# ---------------------------------------------------------------------------------------------------- helpers


def _save(instance, *, actor: "User | None", reason: str = ""):
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
        return parse_amount(value)  # a string "250" asks for its unit; numbers are đồng
    except DomainError as exc:
        raise DomainError(f"{label}: {exc.message}", field=field)


def _require_scope(actor: "User | None", province_id: int) -> None:
    if not scope_for(actor).allows_province(province_id):
        raise NotAllowed("Đề án, kế hoạch này không thuộc phạm vi quản lý của bạn.")


def _source(value) -> FundingSource:
    if isinstance(value, FundingSource):
        return value
    found = catalog.funding_source_by_code(value)
    if found is None:
        raise DomainError(f"Không có nguồn kinh phí «{value}».", field="source")
    return found


# ---------------------------------------------------------------------------------------------------- plans

PLAN_EDIT_FIELDS = ("title", "registered_total", "note", "unit", "year", "level", "effective_date")
PLAN_SHAPE_FIELDS = ("unit", "year", "level")  # only while the plan is empty
BATCH_EDIT_FIELDS = (
    "number",
    "decision_no",
    "decision_date",
    "issuer",
    "is_supplementary",
    "carried_over_from",
    "note",
    "amounts",
)


def _level_label(level: str) -> str:
    return Level(level).label.lower() if level in Level.values else str(level)


def _plan_owner_checks(*, actor: "User | None", unit, year, level) -> None:
    """Scope, level and the unit-year rule: a plan of year Y is filed on a unit in force on 1/1/Y or
    31/12/Y."""
    if level not in Level.values:
        raise DomainError(f"Cấp kế hoạch không hợp lệ: «{level}».", field="level")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(f"Năm kế hoạch không hợp lệ: «{year}».", field="year")
    if not 2000 <= year <= 2100:
        raise DomainError(f"Năm kế hoạch không hợp lệ: {year}.", field="year")
    if unit is None:
        if level != Level.NATIONAL:
            raise DomainError(
                "Kế hoạch không gắn với tỉnh nào chỉ có thể là kế hoạch khuyến công quốc gia do Cục "
                "trực tiếp thực hiện: hãy chọn tỉnh lập kế hoạch.",
                field="unit",
            )
        if not scope_for(actor).sees_all:
            raise NotAllowed(
                "Chỉ Cục lập kế hoạch khuyến công quốc gia do Cục trực tiếp thực hiện; hãy chọn tỉnh "
                "lập kế hoạch."
            )
        return
    if unit.level != 1:
        raise DomainError(
            f"«{unit.name}» không phải tỉnh, thành phố: kế hoạch khuyến công năm lập theo tỉnh.", field="unit"
        )
    _require_scope(actor, unit.current_province_id or unit.id)
    if not unit.is_valid_in_year(year):
        if unit.valid_from and unit.valid_from > dt.date(year, 12, 31):
            since = f"chỉ có từ ngày {unit.valid_from:%d/%m/%Y}"
            hint = "hãy chọn tỉnh trước sắp xếp, ghi «(trước 1/7/2025)»"
        else:
            since = f"chỉ có đến ngày {unit.valid_to:%d/%m/%Y}" if unit.valid_to else "không có hiệu lực"
            hint = "hãy chọn tỉnh hiện nay, ghi «(hiện nay)»"
        raise DomainError(
            f"Không lập được kế hoạch năm {year} cho {unit.label_with_era}: đơn vị này {since}, "
            f"không có hiệu lực trong năm {year} — {hint}.",
            field="unit",
            code="unit_not_in_year",
        )


def _plan_duplicate(*, unit, year, level, exclude_pk=None) -> None:
    qs = AnnualPlan.objects.filter(year=year, level=level)
    qs = qs.filter(unit__isnull=True) if unit is None else qs.filter(unit=unit)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        owner = unit.name if unit is not None else "Cục"
        raise DomainError(f"Đã có kế hoạch {_level_label(level)} năm {year} của {owner}.", field="year")


def _plan_scope(actor: "User | None", plan: AnnualPlan) -> None:
    if plan.unit_id is None:
        if not scope_for(actor).sees_all:
            raise NotAllowed("Kế hoạch khuyến công quốc gia của Cục chỉ Cục được thay đổi.")
        return
    _require_scope(actor, plan.province_id)


def last_plan_step_date(plan: AnnualPlan) -> dt.date | None:
    return (
        PlanStatusChange.objects.filter(plan=plan)
        .order_by("-effective_date", "-pk")
        .values_list("effective_date", flat=True)
        .first()
    )


def _check_version(expected_version, current: int) -> None:
    if expected_version in (None, ""):
        raise VersionRequired()
    try:
        stale = int(expected_version) != current
    except (TypeError, ValueError):
        raise ConcurrentEditError(details={"version": str(expected_version)})
    if stale:
        raise ConcurrentEditError()


def _amount(value, label: str, field: str) -> int:
    """An amount typed by a person ("3 tỷ", "1,2 tỷ", "250 triệu", 1200000000); a bare small number is
    refused."""
    try:
        return parse_amount(value)
    except DomainError as exc:
        raise DomainError(f"{label}: {exc.message}", field=field, code=exc.code)


def plan_create(
    *,
    actor: "User | None",
    unit,
    year: int,
    level: str,
    title: str = "",
    registered_total=0,
    note: str = "",
    effective_date=None,
) -> AnnualPlan:
    """A new plan, in status registered; `effective_date` is the registration date (default today). `unit`
    None is
    the Cục's own national plan (the ministry only)."""
    require_edit(actor, "lập kế hoạch khuyến công")
    _plan_owner_checks(actor=actor, unit=unit, year=year, level=level)
    day = business_date(effective_date, label="Ngày đăng ký kế hoạch")
    with transaction.atomic():
        _plan_duplicate(unit=unit, year=int(year), level=level)
        plan = AnnualPlan(
            unit=unit,
            year=int(year),
            level=level,
            title=title or "",
            note=note or "",
            registered_total=_amount(registered_total or 0, "Kinh phí đăng ký", "registered_total"),
        )
        _save(plan, actor=actor, reason="Lập kế hoạch")
        _save(
            PlanStatusChange(
                plan=plan,
                actor=_user(actor),
                effective_date=day,
                changed_at=timezone.now(),
                from_status="",
                to_status=plan.status,
                action="create",
                note="Lập kế hoạch",
                changes={"status": [None, plan.status]},
            ),
            actor=actor,
            reason="Lập kế hoạch",
        )
        return plan


def plan_update(*, plan: AnnualPlan, actor: "User | None", expected_version, changes: dict) -> AnnualPlan:
    """Edit a plan (title, registered money, note; unit, year and level only while it has no đề án and no
    batch;
    `effective_date`, the registration date, while no later step is recorded). The version the actor saw is
    required: a stale one is refused with 409 and nothing changes."""
    require_edit(actor, "sửa kế hoạch khuyến công")
    unknown = set(changes) - set(PLAN_EDIT_FIELDS)
    if unknown:
        raise DomainError(f"Không sửa được trực tiếp: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _plan_scope(actor, locked)
        _check_version(expected_version, locked.version)
        changes = dict(changes)
        registered_on = changes.pop("effective_date", None)
        redated = registered_on not in (None, "") and _set_registration_date(
            locked, registered_on, actor=actor
        )
        if changes.get("year") not in (None, ""):
            try:
                changes["year"] = int(changes["year"])
            except (TypeError, ValueError):
                raise DomainError(f"Năm kế hoạch không hợp lệ: «{changes['year']}».", field="year")
        if "registered_total" in changes:
            changes["registered_total"] = _amount(
                changes["registered_total"] or 0, "Kinh phí đăng ký", "registered_total"
            )
        shape = {f: changes[f] for f in PLAN_SHAPE_FIELDS if f in changes}
        moved = {f for f, v in shape.items() if (getattr(locked, f) if f != "unit" else locked.unit) != v}
        if moved:
            n_projects, n_batches = locked.projects.count(), locked.batches.count()
            if n_projects or n_batches:
                raise DomainError(
                    f"Kế hoạch đã có {n_projects} đề án và {n_batches} đợt giao: không đổi được tỉnh, "
                    "năm hay cấp của kế hoạch.",
                    field=sorted(moved)[0],
                )
            unit = shape.get("unit", locked.unit)
            year = int(shape.get("year", locked.year))
            level = shape.get("level", locked.level)
            _plan_owner_checks(actor=actor, unit=unit, year=year, level=level)
            _plan_duplicate(unit=unit, year=year, level=level, exclude_pk=locked.pk)
            changes["year"] = year
        changed = redated
        for field, value in changes.items():
            current = locked.unit if field == "unit" else getattr(locked, field)
            if current != value:
                setattr(locked, field, "" if value is None and field in ("title", "note") else value)
                changed = True
        if changed:
            locked.version += 1
            _save(locked, actor=actor, reason="Sửa kế hoạch")
        return locked


def _set_registration_date(plan: AnnualPlan, value, *, actor: "User | None") -> bool:
    step = plan.status_changes.filter(action="create").order_by("pk").first()
    day = business_date(value, label="Ngày đăng ký kế hoạch")
    if step is None or step.effective_date == day:
        return False
    if plan.status_changes.exclude(pk=step.pk).exists():
        raise DomainError(
            "Kế hoạch đã có bước sau bước đăng ký: không sửa được ngày đăng ký.", field="effective_date"
        )
    step.changes = {
        **(step.changes or {}),
        "effective_date": [step.effective_date.isoformat(), day.isoformat()],
    }
    step.effective_date = day
    _save(step, actor=actor, reason="Sửa ngày đăng ký kế hoạch")
    return True


def plan_delete(*, plan: AnnualPlan, actor: "User | None", expected_version=None) -> None:
    """Delete a plan while it is empty (no đề án, no batch); its steps go with it (history keeps them)."""
    require_edit(actor, "xóa kế hoạch khuyến công")
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _plan_scope(actor, locked)
        if expected_version not in (None, ""):
            _check_version(expected_version, locked.version)
        n_projects, n_batches = locked.projects.count(), locked.batches.count()
        if n_projects or n_batches:
            raise DomainError(
                f"Kế hoạch còn {n_projects} đề án và {n_batches} đợt giao: chỉ xóa được kế hoạch chưa "
                "có đề án và đợt giao nào.",
                code="plan_not_empty",
            )
        for step in locked.status_changes.all():
            delete_audited(step, actor=actor, reason="Xóa kế hoạch")
        delete_audited(locked, actor=actor, reason="Xóa kế hoạch")


def plan_transition(
    *,
    plan: AnnualPlan,
    actor: "User | None",
    to_status: str,
    expected_version,
    decision_no: str = "",
    decision_date=None,
    issuer: str = "",
    note: str = "",
    effective_date=None,
    action: str = "",
) -> AnnualPlan:
    """One step of the plan's workflow (plan_workflow.py) through the shared engine: lock, version, role, the
    decision number and date, business-date order (the step's date defaults to its decision date), one
    PlanStatusChange row with the before → after of the status."""
    from .plan_workflow import PLAN_WORKFLOW

    if decision_date not in (None, ""):
        decision_date = parse_business_date(decision_date, label="ngày quyết định", field="decision_date")
    data = {
        "decision_no": (decision_no or "").strip(),
        "decision_date": decision_date,
        "issuer": issuer or "",
        "note": note or "",
    }

    def record(step):
        _save(
            PlanStatusChange(
                plan=step.instance,
                actor=_user(actor),
                effective_date=step.effective_date,
                changed_at=timezone.now(),
                from_status=step.frm,
                to_status=step.to,
                action=action,
                decision_no=data["decision_no"],
                decision_date=data["decision_date"],
                issuer=data["issuer"],
                note=data["note"],
                changes=step.changes,
            ),
            actor=actor,
            reason=step.rule["label"],
        )

    return run_transition(
        workflow=PLAN_WORKFLOW,
        queryset=AnnualPlan.objects.all(),
        pk=plan.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date if effective_date not in (None, "") else decision_date,
        data=data,
        authorize=lambda p: _plan_scope(actor, p),
        previous_date=last_plan_step_date,
        record=record,
    )


# ---------------------------------------------------------------------------------------------------- level,


def plan_source_codes(plan: AnnualPlan, *, counterpart: bool = True) -> list[str]:
    """The funding sources a plan's money may come from: national (+ counterpart) for a national plan; local,
    district where that source exists in the plan's year (+ counterpart) for a local one."""
    from .plan_workflow import COUNTERPART, LEVEL_SOURCES

    codes = []
    first, last = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    existing = {
        s.code
        for s in FundingSource.objects.filter(code__in=LEVEL_SOURCES.get(plan.level, ()))
        if (s.valid_from is None or s.valid_from <= last) and (s.valid_to is None or s.valid_to >= first)
    }
    codes = [c for c in LEVEL_SOURCES.get(plan.level, ()) if c in existing]
    return codes + [COUNTERPART] if counterpart else codes


def check_plan_sources(plan: AnnualPlan, codes: Iterable[str], *, what: str = "đề án") -> None:
    """Refuse money from a source the plan's level does not take, naming the rule."""
    from .plan_workflow import COUNTERPART, LEVEL_RULES

    allowed = plan_source_codes(plan, counterpart=what == "đề án")
    bad = [c for c in codes if c not in allowed]
    if not bad:
        return
    names = dict(FundingSource.objects.values_list("code", "short_name"))
    wrong = ", ".join(names.get(c, c) for c in bad)
    ok = ", ".join(names.get(c, c) for c in allowed)
    extra = (
        ""
        if what == "đề án"
        else (" Vốn đối ứng là tiền của cơ sở, không giao theo đợt." if COUNTERPART in bad else "")
    )
    raise DomainError(
        f"Kế hoạch {_level_label(plan.level)} năm {plan.year} không nhận kinh phí nguồn {wrong} cho "
        f"{what} (chỉ nhận: {ok}). Quy tắc: {LEVEL_RULES[plan.level]}.{extra}",
        field="funding",
        code="source_not_allowed",
        details={"sources": bad, "allowed": allowed},
    )


# ---------------------------------------------------------------------------------------------------- batches


def _batch_amounts(plan: AnnualPlan, amounts) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, value in (amounts or {}).items():
        source = _source(code)
        if value in (None, ""):
            continue
        amount = _amount(value, f"Kinh phí giao nguồn {source.short_name}", f"amount_{source.code}")
        if amount:
            out[source.code] = amount
    check_plan_sources(plan, list(out), what="đợt giao")
    if not out:
        raise DomainError(
            "Đợt giao cần kinh phí của ít nhất một nguồn (ghi kèm đơn vị, ví dụ «3 tỷ»).", field="amounts"
        )
    return out


def _batch_checks(plan: AnnualPlan, values: dict, *, exclude_pk=None) -> dict:
    """Validate a batch's fields (create or edit); returns them cleaned."""
    v = dict(values)
    try:
        v["number"] = int(v["number"])
    except (TypeError, ValueError):
        raise DomainError(f"Số đợt không hợp lệ: «{v['number']}».", field="number")
    if v["number"] < 1:
        raise DomainError("Số đợt phải từ 1 trở lên.", field="number")
    if Batch.objects.filter(plan=plan, number=v["number"]).exclude(pk=exclude_pk).exists():
        raise DomainError(f"Kế hoạch đã có đợt {v['number']}.", field="number")
    v["decision_no"] = (v.get("decision_no") or "").strip()
    if v.get("decision_date") not in (None, ""):
        v["decision_date"] = business_date(
            v["decision_date"], label="Ngày quyết định giao", field="decision_date"
        )
    else:
        v["decision_date"] = None
    if not v.get("is_supplementary") and not (v["decision_no"] and v["decision_date"]):
        raise DomainError(
            "Đợt giao kế hoạch cần số và ngày quyết định giao. Một đăng ký bổ sung chưa có quyết định "
            "thì đánh dấu «Đăng ký bổ sung».",
            field="decision_no" if not v["decision_no"] else "decision_date",
        )
    if v["decision_date"] and not v["decision_no"]:
        raise DomainError("Ghi số quyết định giao của đợt.", field="decision_no")
    source = v.get("carried_over_from")
    if source is not None:
        if not isinstance(source, Batch):
            source = Batch.objects.select_related("plan").filter(pk=source).first()
            if source is None:
                raise DomainError("Không có đợt chuyển tiếp đã chọn.", field="carried_over_from")
        if (
            source.plan.province_id != plan.province_id
            or source.plan.level != plan.level
            or source.plan.year >= plan.year
        ):
            raise DomainError(
                f"{source} không chuyển tiếp sang kế hoạch này được: chỉ chuyển tiếp từ một đợt của kế "
                "hoạch cùng tỉnh, cùng cấp, năm trước.",
                field="carried_over_from",
            )
        v["carried_over_from"] = source
    return v


def _write_allocations(batch: Batch, amounts: dict[str, int], *, actor: "User | None") -> None:
    have = {a.source.code: a for a in batch.allocations.select_related("source")}
    for code, row in have.items():
        if code not in amounts:
            delete_audited(row, actor=actor, reason="Kinh phí giao theo nguồn")
    for code, amount in amounts.items():
        row = have.get(code) or BatchAllocation(batch=batch, source=_source(code))
        if row.pk is None or row.amount != amount:
            row.amount = amount
            _save(row, actor=actor, reason="Kinh phí giao theo nguồn")


def _assign_plan_by(batch: Batch, *, actor: "User | None") -> None:
    """A registered plan becomes assigned with the first batch that has a decision (the engine checks the
    order of
    dates: the decision may not be dated before the plan's registration)."""
    from .plan_workflow import P

    plan = AnnualPlan.objects.get(pk=batch.plan_id)
    if plan.status == P.REGISTERED and batch.decision_date is not None:
        plan_transition(
            plan=plan,
            actor=actor,
            to_status=P.ASSIGNED,
            expected_version=plan.version,
            decision_no=batch.decision_no,
            decision_date=batch.decision_date,
            issuer=batch.issuer,
            note=f"Giao kế hoạch theo quyết định của đợt {batch.number}.",
            action="batch",
        )


def _open_plan(plan_pk: int, actor: "User | None") -> AnnualPlan:
    locked = AnnualPlan.objects.select_for_update().get(pk=plan_pk)
    _plan_scope(actor, locked)
    if locked.status == AnnualPlan.PlanStatus.CLOSED:
        raise DomainError(
            "Kế hoạch đã kết thúc: không thêm, sửa hay xóa đợt giao được nữa.", code="plan_closed"
        )
    return locked


def batch_create(
    *,
    actor: "User | None",
    plan: AnnualPlan,
    number: int | None = None,
    decision_no: str = "",
    decision_date=None,
    issuer: str = "",
    amounts: dict | None = None,
    is_supplementary: bool = False,
    carried_over_from: Batch | None = None,
    note: str = "",
) -> Batch:
    """Đợt giao kế hoạch: its decision (number, date — the business date — and issuer) and the money it
    assigns per
    funding source (`amounts`: {source code: amount}); `number` defaults to the next one. A supplementary
    registration may come without a decision (it assigns nothing until its decision is recorded)."""
    require_edit(actor, "ghi đợt giao kế hoạch")
    with transaction.atomic():
        locked = _open_plan(plan.pk, actor)
        if number in (None, ""):
            number = (locked.batches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        v = _batch_checks(
            locked,
            {
                "number": number,
                "decision_no": decision_no,
                "decision_date": decision_date,
                "is_supplementary": bool(is_supplementary),
                "carried_over_from": carried_over_from,
            },
        )
        cleaned = _batch_amounts(locked, amounts)
        batch = Batch(
            plan=locked,
            number=v["number"],
            decision_no=v["decision_no"],
            decision_date=v["decision_date"],
            issuer=issuer or "",
            is_supplementary=bool(is_supplementary),
            carried_over_from=v["carried_over_from"],
            note=note or "",
            total=sum(cleaned.values()),
        )
        _save(batch, actor=actor, reason="Ghi đợt giao kế hoạch")
        _write_allocations(batch, cleaned, actor=actor)
        _assign_plan_by(batch, actor=actor)
        return batch


def batch_update(*, batch: Batch, actor: "User | None", expected_version, changes: dict) -> Batch:
    """Edit a batch (decision, issuer, flags, amounts per source — `amounts` is the whole new mapping); the
    version the
    actor saw is required (409 when stale)."""
    require_edit(actor, "sửa đợt giao kế hoạch")
    unknown = set(changes) - set(BATCH_EDIT_FIELDS)
    if unknown:
        raise DomainError(f"Không sửa được trực tiếp: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        plan = _open_plan(batch.plan_id, actor)
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        _check_version(expected_version, locked.version)
        merged = {
            f: getattr(locked, f)
            for f in ("number", "decision_no", "decision_date", "is_supplementary", "carried_over_from")
        }
        merged.update({k: v for k, v in changes.items() if k in merged})
        v = _batch_checks(plan, merged, exclude_pk=locked.pk)
        for field in ("number", "decision_no", "decision_date", "carried_over_from"):
            setattr(locked, field, v[field])
        locked.is_supplementary = bool(v.get("is_supplementary"))
        for field in ("issuer", "note"):
            if field in changes:
                setattr(locked, field, changes[field] or "")
        if "amounts" in changes:
            cleaned = _batch_amounts(plan, changes["amounts"])
            _write_allocations(locked, cleaned, actor=actor)
            locked.total = sum(cleaned.values())
        locked.version += 1
        _save(locked, actor=actor, reason="Sửa đợt giao kế hoạch")
        _assign_plan_by(locked, actor=actor)
        return locked


def batch_delete(*, batch: Batch, actor: "User | None", expected_version=None) -> None:
    """Delete a batch while no đề án uses it (as its batch or as the batch it was carried over from)."""
    require_edit(actor, "xóa đợt giao kế hoạch")
    with transaction.atomic():
        _open_plan(batch.plan_id, actor)
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if expected_version not in (None, ""):
            _check_version(expected_version, locked.version)
        used = locked.projects.count() + locked.carried_projects.count()
        if used:
            raise DomainError(
                f"Đợt {locked.number} đang có {used} đề án: chỉ xóa được đợt chưa có đề án nào.",
                code="batch_in_use",
            )
        if locked.carried_into.exists():
            raise DomainError(
                f"Đợt {locked.number} đã được chuyển tiếp sang kế hoạch năm sau: không xóa được.",
                code="batch_in_use",
            )
        for row in locked.allocations.all():
            delete_audited(row, actor=actor, reason="Xóa đợt giao kế hoạch")
        delete_audited(locked, actor=actor, reason="Xóa đợt giao kế hoạch")


# ---------------------------------------------------------------------------------------------------- đề án


def next_code(plan: AnnualPlan, taken: set[str] | None = None) -> str:
    """The plan's next free đề án code "KCĐP-2018-07" (KCQG for a national plan): level, year, number.
    `taken` (the codes already used; read from the plan when not given) gets the new code added, so an
    import numbering many rows asks once."""
    if taken is None:
        taken = set(Project.objects.filter(plan=plan).values_list("code", flat=True))
    prefix = "KCQG" if plan.level == Level.NATIONAL else "KCĐP"
    n = 1
    while f"{prefix}-{plan.year}-{n:02d}" in taken:
        n += 1
    code = f"{prefix}-{plan.year}-{n:02d}"
    taken.add(code)
    return code


def _check_commune(plan: AnnualPlan, commune) -> None:
    """A đề án's commune is a commune (of either tree) of its plan's province."""
    if commune is None:
        return
    if commune.level != 3 or (
        plan.province_id is not None and commune.current_province_id != plan.province_id
    ):
        raise DomainError(
            f"Xã, phường «{commune.name}» không thuộc tỉnh của kế hoạch «{plan}».", field="commune"
        )


def project_create(
    *,
    actor: "User | None",
    plan: AnnualPlan,
    code: str,
    title: str,
    content,
    batch: Batch | None = None,
    carried_over_from: Batch | None = None,
    establishments: Iterable = (),
    commune=None,
    implementing_unit: str = "",
    implementing_org=None,
    is_flagship: bool = False,
    legal_basis=None,
    start_date=None,
    end_date=None,
    recoverable: bool = False,
    support_cap: SupportCap | None = None,
    cluster=None,
    description: str = "",
    funding: dict | None = None,
    note: str = "",
    effective_date=None,
) -> Project:
    """A new đề án in status draft (with a StatusChange row "Tạo đề án"); `funding` maps a funding source
    code to
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
        _check_commune(plan, commune)
        _check_cluster(plan, cluster, content)
        project = project_row(
            plan=plan,
            code=code,
            title=title,
            content=content,
            batch=batch,
            carried_over_from=carried_over_from,
            commune=commune,
            implementing_unit=implementing_unit,
            implementing_org=implementing_org,
            is_flagship=is_flagship,
            legal_basis=legal_basis,
            recoverable=recoverable,
            support_cap=support_cap,
            cluster=cluster,
            description=description,
            start_date=start_date,
            end_date=end_date,
        )
        _save(project, actor=actor, reason=CREATE_REASON)
        _set_beneficiaries(project, establishments, actor=actor)
        if funding:
            _apply_funding(
                project, funding, actor=actor, columns=("requested", "approved"), effective_date=day
            )
        _record_change(
            project=project,
            actor=actor,
            effective_date=day,
            from_status="",
            to_status=project.status,
            action="create",
            note=note or "Tạo đề án",
            progress_pct=0,
        )
        return project


CREATE_REASON = "Tạo đề án"
FUNDING_REASON = "Kinh phí đề án"
BENEFICIARY_REASON = "Đơn vị thụ hưởng"


def project_row(*, start_date=None, end_date=None, **fields) -> Project:
    """A new đề án (status draft), not saved: its dates read and in order (the bulk import inserts them
    set-based)."""
    project = Project(
        start_date=_date(start_date, "ngày bắt đầu", "start_date") if start_date else None,
        end_date=_date(end_date, "ngày kết thúc", "end_date") if end_date else None,
        **fields,
    )
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
    return project


def change_fields(*, project, actor: "User | None", effective_date: dt.date, **fields) -> dict:
    """The fields of a StatusChange row (the bulk import inserts them set-based, without a model instance)."""
    return {
        "project": project,
        "actor": _user(actor),
        "changed_at": timezone.now(),
        "effective_date": effective_date,
        **fields,
    }


def change_row(**kwargs) -> StatusChange:
    """A StatusChange row, not saved yet."""
    return StatusChange(**change_fields(**kwargs))


CHANGE_REASON = "Chuyển trạng thái"  # the history reason of a StatusChange row


def _record_change(*, project, actor: "User | None", effective_date: dt.date, **fields) -> StatusChange:
    change = change_row(project=project, actor=actor, effective_date=effective_date, **fields)
    return _save(change, actor=actor, reason=CHANGE_REASON)


def last_step_date(project: Project) -> dt.date | None:
    """The business date of the đề án's latest step (a new step may not be dated before it)."""
    return (
        StatusChange.objects.filter(project=project)
        .order_by("-effective_date", "-pk")
        .values_list("effective_date", flat=True)
        .first()
    )


def _user(actor: "User | None"):
    return actor if getattr(actor, "is_authenticated", False) else None


def _set_beneficiaries(project: Project, establishments: Iterable, *, actor: "User | None") -> None:
    wanted = {e.pk: e for e in establishments}
    for est in wanted.values():
        if project.province_id is not None and est.province_id != project.province_id:
            raise DomainError(f"Cơ sở «{est.name}» không thuộc tỉnh của kế hoạch.", field="establishments")
    for link in list(project.beneficiaries.all()):
        if link.establishment_id not in wanted:
            link._history_user = _user(actor)
            link.delete()
    have = set(project.beneficiaries.values_list("establishment_id", flat=True))
    for pk, est in wanted.items():
        if pk not in have:
            _save(
                ProjectBeneficiary(project=project, establishment=est), actor=actor, reason=BENEFICIARY_REASON
            )


def project_update(
    *, project: Project, actor: "User | None", expected_version: int | None, changes: dict
) -> Project:
    """Edit a đề án's description while it is not yet approved; a stale version is refused (nothing
    written)."""
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
            raise DomainError(
                f"Đề án đang ở trạng thái «{current.get_status_display()}»: không sửa trực tiếp được, "
                "hãy dùng thao tác «Điều chỉnh» hoặc «Gia hạn»."
            )
        changes = dict(changes)
        establishments = changes.pop("establishments", None)
        if changes.get("batch") is not None and changes["batch"].plan_id != current.plan_id:
            raise DomainError("Đợt đã chọn không thuộc kế hoạch của đề án.", field="batch")
        if "commune" in changes:
            _check_commune(current.plan, changes["commune"])
        if "cluster" in changes or "content" in changes:
            _check_cluster(
                current.plan,
                changes.get("cluster", current.cluster),
                changes.get("content", current.content),
            )
        code = changes.get("code")
        if (
            code
            and Project.objects.filter(plan_id=current.plan_id, code=code).exclude(pk=current.pk).exists()
        ):
            raise DomainError(f"Kế hoạch đã có đề án mã «{code}».", field="code")
        start, end = changes.get("start_date", current.start_date), changes.get("end_date", current.end_date)
        if start and end and end < start:
            raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
        updated = update_versioned(
            Project,
            pk=current.pk,
            expected_version=current.version,
            changes=changes,
            actor=actor,
            reason="Sửa đề án",
        )
        if establishments is not None:
            _set_beneficiaries(updated, establishments, actor=actor)
        if establishments is not None or "cluster" in changes:
            _check_caps(updated)
        return updated


def project_set_funding(
    *,
    project: Project,
    actor: "User | None",
    funding: dict,
    expected_version: int | None = None,
    effective_date=None,
) -> Project:
    """Enter the requested money per source (before approval); caps are checked."""
    require_edit(actor, "nhập kinh phí đề án")
    _require_scope(actor, project.province_id)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if expected_version is not None and int(expected_version) != locked.version:
            raise ConcurrentEditError()
        if locked.status not in EDITABLE:
            raise DomainError(
                "Đề án đã được phê duyệt: kinh phí chỉ thay đổi qua thao tác «Điều chỉnh».", field="funding"
            )
        day = business_date(effective_date, previous=last_step_date(locked), label="Ngày đề nghị kinh phí")
        _apply_funding(locked, funding, actor=actor, columns=("requested",), effective_date=day)
        locked.version += 1
        return _save(locked, actor=actor, reason="Nhập kinh phí")


def _apply_funding(
    project: Project,
    funding: dict,
    *,
    actor: "User | None",
    columns=("requested", "approved"),
    effective_date: dt.date | None = None,
) -> None:
    """Write the given columns of each source row, then check the caps on the whole (refusing rolls back)."""
    check_plan_sources(
        project.plan,
        [
            code.code if isinstance(code, FundingSource) else code
            for code, values in funding.items()
            if any(values.get(c) not in (None, "", 0, "0") for c in columns)
        ],
    )
    for code, values in funding.items():
        source = _source(code)
        row = ProjectFunding.objects.filter(project=project, source=source).first() or ProjectFunding(
            project=project, source=source
        )
        changed = row.pk is None
        for col in columns:
            if col in values and values[col] is not None:
                amount = _money(values[col], f"Kinh phí {source.short_name}", "funding")
                if getattr(row, col) != amount:
                    setattr(row, col, amount)
                    changed = True
        if changed:
            row.effective_date = effective_date or timezone.localdate()
            _save(row, actor=actor, reason=FUNDING_REASON)
    _check_caps(project)


def applicable_caps(project: Project, source: FundingSource, *, caps_for=None) -> list[SupportCap]:
    """Caps valid on the đề án's reference date for its content and this source. When several apply (content
    3:
    models, machinery, lines) the đề án must name its item (`support_cap`). `caps_for(content, source, day)`
    replaces the catalogue query (a bulk import reads the caps once)."""
    day = project.reference_date
    if project.support_cap_id:
        cap = project.support_cap
        valid = (cap.valid_from is None or cap.valid_from <= day) and (
            cap.valid_to is None or cap.valid_to >= day
        )
        return [cap] if cap.funding_source_id == source.pk and valid else []
    caps = list((caps_for or _caps_query)(project.content, source, day))
    if len(caps) > 1:
        names = "; ".join(c.name for c in caps)
        raise DomainError(
            f"Nội dung {project.content.code} có nhiều mức hỗ trợ tối đa từ nguồn {source.short_name} "
            f"({names}): hãy chọn nội dung chi của đề án.",
            field="support_cap",
        )
    return caps


def _caps_query(content, source, day):
    return catalog.support_caps_for(content=content, funding_source=source, day=day)


def _check_caps(project: Project) -> None:
    rows = list(ProjectFunding.objects.filter(project=project).select_related("source"))
    check_caps(project, rows, n_establishments=max(1, project.beneficiaries.count()))


def check_caps(project: Project, rows, *, n_establishments: int, caps_for=None, cluster_held=None) -> None:
    """Refuse money above the support caps; `rows` are the đề án's funding rows (each with `source`,
    `requested`, `approved`: saved ProjectFunding rows or, in a bulk import, the same held in memory).
    `cluster_held(project, source) -> (cluster name, money held, where)` replaces the per-cluster query (a
    bulk import reads the clusters' money once and adds its own earlier rows)."""
    for col, label in (("requested", "đề nghị"), ("approved", "phê duyệt")):
        cost = sum(getattr(r, col) for r in rows)
        for row in rows:
            amount = getattr(row, col)
            if not amount or not row.source.is_public:
                continue
            for cap in applicable_caps(project, row.source, caps_for=caps_for):
                units = n_establishments if cap.per == SupportCap.Per.ESTABLISHMENT else 1
                if cap.max_amount is not None and amount > cap.max_amount * units:
                    raise DomainError(
                        f"Kinh phí {label} từ nguồn {row.source.short_name} ({format_short(amount)}) vượt "
                        f"mức hỗ trợ "
                        f"tối đa {format_short(cap.max_amount * units)} — quy định: {cap.rule_text}.",
                        field="funding",
                        details={"cap": cap.code},
                    )
                if cap.per == SupportCap.Per.CLUSTER and cap.max_amount is not None:
                    _check_cluster_cap(project, cap, row.source, amount, label, held_of=cluster_held)
                if cap.max_percent is not None and amount * 100 > cap.max_percent * cost:
                    share = f"{(amount * 100 / cost):.1f}".replace(".", ",") if cost else "100"
                    raise DomainError(
                        f"Kinh phí {label} từ nguồn {row.source.short_name} ({format_short(amount)}) bằng "
                        f"{share} % "
                        f"tổng kinh phí đề án ({format_short(cost)}), vượt mức hỗ trợ tối đa — quy định: "
                        f"{cap.rule_text}.",
                        field="funding",
                        details={"cap": cap.code},
                    )


def _check_cluster_cap(
    project: Project, cap: SupportCap, source: FundingSource, amount: int, label: str, *, held_of=None
):
    """A per-cluster cap (Thông tư 28/2018: ≤ 6.000 triệu of national funds for a cluster's infrastructure)
    holds across every active đề án of the cluster and source, not only this one. The cluster row is locked
    so two đề án saved at once cannot both pass."""
    if not getattr(project, "cluster_id", None):
        return
    if held_of is not None:
        name, held, where = held_of(project, source)
    else:
        from khuyencong.clusters.models import IndustrialCluster
        from khuyencong.clusters.selectors import money_held

        clusters = IndustrialCluster.objects.filter(pk=project.cluster_id)
        if transaction.get_connection().in_atomic_block:
            clusters = clusters.select_for_update()
        cluster = clusters.only("pk", "name").first()
        if cluster is None:
            return
        name, where = cluster.name, ""
        held = money_held(cluster.pk, source_id=source.pk, exclude_project_id=project.pk)
    if held + amount > cap.max_amount:
        raise DomainError(
            f"Kinh phí {label} từ nguồn {source.short_name} ({format_short(amount)}) cùng với "
            f"{format_short(held)} của các đề án khác{where} hỗ trợ «{name}» thành "
            f"{format_short(held + amount)}, vượt mức hỗ trợ tối đa cho mỗi cụm công nghiệp "
            f"({format_short(cap.max_amount)}, tính trên mọi đề án của cụm) — quy định: {cap.rule_text}.",
            field="funding",
            details={"cap": cap.code, "cluster": project.cluster_id, "held": held},
        )


# The content whose đề án name their industrial cluster (Nghị định 45/2012, Điều 4, khoản 7).
CLUSTER_CONTENT = "7"


def check_cluster_content(cluster, content) -> None:
    """Only a đề án of content 7 (cụm công nghiệp, di dời) names a cluster."""
    if cluster is not None and content is not None and content.code != CLUSTER_CONTENT:
        raise DomainError(
            f"Chỉ đề án nội dung {CLUSTER_CONTENT} (phát triển cụm công nghiệp, di dời cơ sở gây ô nhiễm) "
            f"mới gắn với cụm công nghiệp; đề án này thuộc nội dung {content.code}.",
            field="cluster",
        )


def _check_cluster(plan, cluster, content=None) -> None:
    if cluster is not None and cluster.province_id != plan.province_id:
        raise DomainError("Cụm công nghiệp đã chọn không thuộc tỉnh của kế hoạch.", field="cluster")
    check_cluster_content(cluster, content)


# ---------------------------------------------------------------------------------------------------- lifecyc

TRACKED = [
    "progress_pct",
    "appraisal_result",
    "appraisal_notes",
    "decision_no",
    "decision_date",
    "contract_no",
    "contract_date",
    "acceptance_date",
    "acceptance_minutes_no",
    "acceptance_result",
    "settled_amount",
    "settled_date",
    "stop_reason",
    "stop_requested_by",
]
DOCUMENT_DATES = (
    "decision_date",
    "contract_date",
    "progress_date",
    "acceptance_date",
    "settled_date",
    "document_date",
)

PROJECT_WORKFLOW = Workflow(
    name="project",
    model_label="projects.project",
    transitions=workflow.TRANSITIONS,
    status_labels=dict(Status.choices),
    field_labels=workflow.FIELD_LABELS,
    noun="đề án",
    events=workflow.EVENTS,
    money_fields=frozenset({"settled_amount"}),
    describe=lambda p: f"đề án «{p.code}»",
)


def _step_date(effective_date, data: dict):
    """A step's business date: the one given, else the date of its document (decision, contract…), else
    today."""
    if effective_date not in (None, ""):
        return effective_date
    for key in DOCUMENT_DATES:
        if data.get(key) not in (None, ""):
            return data[key]
    return None


def project_transition(
    *,
    project: Project,
    actor: "User | None",
    to_status: str,
    expected_version,
    effective_date=None,
    recorded: bool = False,
    **data,
) -> Project:
    """Move a đề án along the table in workflow.py (or apply an event: "adjust", "extend"), through the shared
    engine (core.workflow): row lock, the version the actor saw (missing or stale: 409, nothing written),
    role,
    required data, business-date order, one StatusChange row with the before → after of every field the step
    touched (approved money included). Nothing is written on refusal.
    """
    effective_date = _step_date(effective_date, data)
    # `recorded`: the officer enters a decision already taken and documented (number and date), e.g. importing
    # last year's plan from Excel; approver-only steps are then open to the officer too.
    extra_roles = frozenset({OFFICER}) if recorded else frozenset()
    money_before: dict = {}
    revised: dict = {}

    def apply(locked, frm, to, data, day):
        money_before.update(_funding_snapshot(locked))
        if to_status in workflow.EVENTS:
            revised.update(_revise(locked, actor=actor, event=to_status, data=data, day=day))
            return
        _apply_target(locked, frm, to, data, day)
        if to == Status.APPROVED:
            approved = approval_funding(
                data, {f.source.code: f.requested for f in locked.fundings.select_related("source")}
            )
            _apply_funding(locked, approved, actor=actor, columns=("approved",), effective_date=day)

    def record(step):
        changes = {k: v for k, v in step.changes.items() if not (step.event and k == "status")}
        if step.event:
            old, new = revised["old"], revised["new"]
            changes.update({k: [old.get(k), new[k]] for k in new})
            _record_change(
                project=step.instance,
                actor=actor,
                effective_date=step.effective_date,
                from_status=step.frm,
                to_status=step.to,
                action=step.event,
                document_no=str(data.get("document_no") or ""),
                note=str(data["reason"]),
                progress_pct=step.instance.progress_pct,
                data={"revision": revised["number"]},
                changes=changes,
            )
            return
        _save(
            transition_change(
                step, actor=actor, money_before=money_before, money_after=_funding_snapshot(step.instance)
            ),
            actor=actor,
            reason=CHANGE_REASON,
        )

    return run_transition(
        workflow=PROJECT_WORKFLOW,
        queryset=Project.objects.select_related("plan"),
        pk=project.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data=data,
        tracked=TRACKED,
        authorize=lambda p: _require_scope(actor, p.province_id),
        previous_date=last_step_date,
        apply=apply,
        record=record,
        extra_roles=extra_roles,
    )


def approval_funding(data: dict, requested: dict[str, int]) -> dict:
    """The approved money an approval step writes: the step's `approved` ({source code: amount or
    {"approved": amount}}), else each source's requested amount."""
    approved = data.get("approved") or {code: {"approved": amount} for code, amount in requested.items()}
    return {code: (v if isinstance(v, dict) else {"approved": v}) for code, v in approved.items()}


def transition_change(step, *, actor: "User | None", money_before: dict, money_after: dict) -> StatusChange:
    """The StatusChange row of an applied transition (not an event), not saved."""
    return StatusChange(
        **transition_fields(step, actor=actor, money_before=money_before, money_after=money_after)
    )


def transition_fields(step, *, actor: "User | None", money_before: dict, money_after: dict) -> dict:
    """The fields of an applied transition's StatusChange row: from, to, the document, the note, the
    progress, the step's data and the before → after of every field it touched, money included."""
    data = step.data
    changes = dict(step.changes)
    if money_after != money_before:
        changes["funding"] = [money_before, money_after]
    return change_fields(
        project=step.instance,
        actor=actor,
        effective_date=step.effective_date,
        from_status=step.frm,
        to_status=step.to,
        action="progress" if step.frm == step.to else "",
        document_no=_document_no(step.to, data),
        document_date=_document_date(step.to, data),
        note=str(
            data.get("note")
            or data.get("appraisal_notes")
            or data.get("stop_reason")
            or data.get("acceptance_result")
            or ""
        ),
        progress_pct=step.instance.progress_pct,
        data=_jsonable(data),
        changes=changes,
    )


def _progress(data) -> int:
    try:
        pct = int(str(data["progress_pct"]).strip().rstrip("%").strip())
    except (TypeError, ValueError):
        raise DomainError("Tiến độ phải là số phần trăm từ 0 đến 100.", field="progress_pct")
    if not 0 <= pct <= 100:
        raise DomainError("Tiến độ phải là số phần trăm từ 0 đến 100.", field="progress_pct")
    return pct


def _apply_target(
    p: Project, frm: str, to: str, data: dict, day: dt.date | None = None, *, disbursed: int | None = None
) -> None:
    """Set the fields a step writes (`disbursed`: the money paid so far, when the đề án is held in memory)."""
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
        if disbursed is None:
            disbursed = p.disbursements.aggregate(s=Sum("amount"))["s"] or 0
        if amount > disbursed:
            raise DomainError(
                f"Số quyết toán ({format_vnd(amount)}) lớn hơn số đã tạm ứng, thanh toán "
                f"({format_vnd(disbursed)}).",
                field="settled_amount",
            )
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
    for key in (
        "document_date",
        "decision_date",
        "contract_date",
        "acceptance_date",
        "settled_date",
        "progress_date",
    ):
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
    return {
        f.source.code: {"requested": f.requested, "approved": f.approved}
        for f in project.fundings.select_related("source")
    }


def _snap(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def _revise(p: Project, *, actor: "User | None", event: str, data: dict, day: dt.date) -> dict:
    """An adjustment or extension (the status stays): change the fields, write a Revision keeping the old and
    new
    values; returns {"old", "new", "number"} for the change row. The engine saves the đề án."""
    rule = workflow.EVENTS[event]
    old, new = {}, {}
    if event == "extend":
        end = _date(data["end_date"], "ngày kết thúc mới", "end_date")
        if p.end_date and end <= p.end_date:
            raise DomainError(
                f"Ngày kết thúc mới phải sau ngày kết thúc hiện tại ({p.end_date:%d/%m/%Y}).",
                field="end_date",
            )
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
        if "cluster" in new or "content" in new:
            _check_cluster(p.plan, p.cluster, p.content)
        if "cluster" in new and not data.get("funding"):
            _check_caps(p)  # the money it holds now counts against its new cluster
        if data.get("funding"):
            before = _funding_snapshot(p)
            _apply_funding(
                p, data["funding"], actor=actor, columns=("requested", "approved"), effective_date=day
            )
            after = _funding_snapshot(p)
            if after != before:
                old["funding"], new["funding"] = before, after
            for code, values in after.items():
                paid = p.disbursements.filter(source__code=code).aggregate(s=Sum("amount"))["s"] or 0
                if paid > values["approved"]:
                    raise DomainError(
                        f"Số phê duyệt mới nguồn {code} ({format_vnd(values['approved'])}) nhỏ hơn số đã "
                        f"tạm ứng, thanh toán ({format_vnd(paid)}).",
                        field="funding",
                    )
        if not new:
            raise DomainError("Điều chỉnh không thay đổi nội dung, kinh phí hay tiến độ nào.")
        kind = Revision.Kind.ADJUSTMENT
    number = (p.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    _save(
        Revision(
            project=p,
            number=number,
            kind=kind,
            reason=str(data["reason"]),
            document_no=str(data.get("document_no") or ""),
            document_date=_date(data["document_date"], "ngày văn bản", "document_date")
            if data.get("document_date")
            else None,
            old_values=old,
            new_values=new,
            actor=_user(actor),
            changed_at=timezone.now(),
        ),
        actor=actor,
        reason=rule["label"],
    )
    return {"old": old, "new": new, "number": number}


# ---------------------------------------------------------------------------------------------------- money f


def disbursement_create(
    *,
    project: Project,
    actor: "User | None",
    kind: str,
    source,
    amount,
    date=None,
    document_no: str = "",
    note: str = "",
) -> Disbursement:
    """An advance or a payment dated by its voucher (`date`, default today; never in the future, never before
    the
    approval decision); the sum paid from a source never exceeds its approved amount."""
    require_edit(actor, "ghi tạm ứng, thanh toán")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _require_scope(actor, locked.province_id)
        source = _source(source)
        approved = ProjectFunding.objects.filter(project=locked, source=source).values_list(
            "approved", flat=True
        )
        paid = locked.disbursements.filter(source=source).aggregate(s=Sum("amount"))["s"] or 0
        row = disbursement_row(
            project=locked,
            kind=kind,
            source=source,
            amount=amount,
            date=date,
            document_no=document_no,
            note=note,
            approved=approved[0] if approved else 0,
            paid=paid,
        )
        return _save(row, actor=actor, reason=row.get_kind_display())


def disbursement_row(
    *,
    project: Project,
    kind: str,
    source,
    amount,
    date,
    document_no: str,
    note: str,
    approved: int,
    paid: int,
) -> Disbursement:
    """Check a payment (amount, ≤ approved − `paid` from its source, dated by its voucher, not before the
    approval decision) and return its row, not saved (the bulk import inserts them set-based)."""
    if kind not in Disbursement.Kind.values:
        raise DomainError("Loại phải là tạm ứng hoặc thanh toán.", field="kind")
    if project.status == Status.SETTLED:
        raise DomainError(f"Đề án «{project.code}» đã quyết toán: không ghi thêm tạm ứng, thanh toán.")
    if project.status not in PAYABLE:
        raise DomainError(
            f"Đề án «{project.code}» đang ở trạng thái «{project.get_status_display()}»: chưa được "
            "phê duyệt kinh phí nên chưa tạm ứng, thanh toán được."
        )
    amount = _money(amount, "Số tiền", "amount")
    if amount <= 0:
        raise DomainError("Số tiền phải lớn hơn 0.", field="amount")
    if paid + amount > approved:
        raise DomainError(
            f"Tổng tạm ứng, thanh toán từ nguồn {source.short_name} ({format_vnd(paid + amount)}) vượt "
            f"số được "
            f"phê duyệt ({format_vnd(approved)}); còn được chi {format_vnd(max(0, approved - paid))}.",
            field="amount",
        )
    row = Disbursement(
        project=project,
        kind=kind,
        source=source,
        amount=amount,
        document_no=document_no,
        note=note,
        date=business_date(date, label="Ngày chi", field="date"),
    )
    if project.decision_date and row.date < project.decision_date:
        raise DomainError(
            f"Ngày chi ({row.date:%d/%m/%Y}) không được trước ngày quyết định phê duyệt đề án "
            f"({project.decision_date:%d/%m/%Y}).",
            field="date",
            code="date_order",
        )
    return row


def output_record(
    *, project: Project, actor: "User | None", indicator, quantity: int, date=None, note: str = ""
) -> ProjectOutput:
    """An output (machines installed, people trained…) dated by its record (`date`, default today, never in
    the
    future)."""
    require_edit(actor, "ghi kết quả đầu ra")
    _require_scope(actor, project.province_id)
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise DomainError("Số lượng phải là số nguyên.", field="quantity")
    if quantity < 0:
        raise DomainError("Số lượng không được âm.", field="quantity")
    with transaction.atomic():
        row = ProjectOutput(
            project=project,
            indicator=indicator,
            quantity=quantity,
            note=note,
            date=business_date(date, label="Ngày ghi nhận", field="date"),
        )
        return _save(row, actor=actor, reason="Ghi kết quả đầu ra")
