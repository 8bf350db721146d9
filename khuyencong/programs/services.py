"""Writes over programmes. Every function is keyword-only, runs in a transaction, checks the actor's role and
scope, and saves through core.audit so each history row has the actor.

`program_transition` is the only writer of `Program.status` (table in workflow.py). Changes to the matrix,
targets, phases and stated figures are allowed while the programme is a draft.
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from khuyencong.catalog import selectors as catalog
from khuyencong.catalog.models import ActivityContent, FundingSource, LegalDocument, OutputIndicator
from khuyencong.core.audit import delete_audited, normalise_text_fields, save_audited
from khuyencong.core.bulk import rows_inserted
from khuyencong.core.concurrency import update_versioned
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.money import MoneyError, parse_money, parse_number
from khuyencong.core.permissions import require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.workflow import business_date, run_transition

from . import workflow
from .models import (
    BudgetLine,
    LegalBasis,
    Phase,
    Program,
    StatedFigure,
    Status,
    StatusChange,
    Target,
    TargetValue,
)

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

TRIEU = 10**6
EDIT_FIELDS = ["code", "title", "year_from", "year_to", "general_objectives", "specific_objectives", "note"]


# ---------------------------------------------------------------------------------------------------- helpers


def _require_scope(actor: "User | None", province_id: int) -> None:
    if not scope_for(actor).allows_province(province_id):
        raise NotAllowed("Chương trình này không thuộc phạm vi quản lý của bạn.")


def _require_editable(program: Program, actor: "User | None", action: str) -> None:
    require_edit(actor, action)
    _require_scope(actor, program.province_id)
    if program.status not in workflow.EDITABLE:
        raise DomainError(
            f"Chương trình đang ở trạng thái «{workflow.status_label(program.status)}»: "
            "chỉ sửa được khi còn là dự thảo."
        )


def _user(actor: "User | None"):
    return actor if getattr(actor, "is_authenticated", False) else None


def _date(value, label: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError(f"Ngày không hợp lệ cho {label}: «{value}» (dạng dd/mm/yyyy).", field=field)


def _int(value, label: str, field: str) -> int:
    try:
        number = parse_number(str(value)) if not isinstance(value, int) else Decimal(value)
    except MoneyError as exc:
        raise DomainError(f"{label}: {exc.message}", field=field)
    if number != number.to_integral_value() or number < 0:
        raise DomainError(f"{label} phải là số nguyên không âm: «{value}».", field=field)
    return int(number)


def _year(value, program_or_range, field: str = "year") -> int:
    year = _int(value, "Năm", field)
    lo, hi = program_or_range
    if not lo <= year <= hi:
        raise DomainError(f"Năm {year} nằm ngoài thời gian của chương trình ({lo}-{hi}).", field=field)
    return year


def content_for(code_or_obj, program: Program | None = None) -> ActivityContent:
    """An activity content by its number ("1".."9") as valid when the programme starts."""
    if isinstance(code_or_obj, ActivityContent):
        return code_or_obj
    code = str(code_or_obj).strip()
    found = catalog.activity_content_by_code(code, on=dt.date(program.year_from, 1, 1) if program else None)
    if found is None:
        raise DomainError(f"Không có nội dung hoạt động số «{code}».", field="content")
    return found


def source_for(code_or_obj) -> FundingSource:
    if isinstance(code_or_obj, FundingSource):
        return code_or_obj
    found = catalog.funding_source_by_code(code_or_obj)
    if found is None:
        raise DomainError(f"Không có nguồn kinh phí «{code_or_obj}».", field="funding_source")
    return found


def indicator_for(code_or_obj) -> OutputIndicator | None:
    if code_or_obj in (None, ""):
        return None
    if isinstance(code_or_obj, OutputIndicator):
        return code_or_obj
    found = catalog.output_indicator_by_code(code_or_obj)
    if found is None:
        raise DomainError(f"Không có chỉ tiêu «{code_or_obj}» trong danh mục.", field="indicator")
    return found


def parse_percent(value) -> tuple[Decimal, int]:
    """ "4,2%" → (Decimal("4.2"), 1); "90,7 %" → (Decimal("90.7"), 1); "8" → (8, 0)."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        d = Decimal(str(value))
    else:
        text = str(value or "").strip().rstrip("%").strip()
        if not text:
            raise DomainError("Thiếu tỷ trọng (%).", field="value")
        try:
            d = parse_number(text)
        except MoneyError as exc:
            raise DomainError(f"Tỷ trọng: {exc.message}", field="value")
    if not 0 <= d <= 100:
        raise DomainError(f"Tỷ trọng phải trong khoảng 0-100 %: «{value}».", field="value")
    digits = max(0, -d.normalize().as_tuple().exponent) if d != d.to_integral_value() else 0
    if isinstance(value, str) and "," in value:
        digits = len(value.strip().rstrip("%").strip().split(",")[1])
    return d, digits


def _money(value, label: str, field: str = "amount", default_unit: int = TRIEU) -> int:
    try:
        return parse_money(value, default_unit=default_unit)
    except DomainError as exc:
        raise DomainError(f"{label}: {exc.message}", field=field)


# ---------------------------------------------------------------------------------------------------- program


def program_create(
    *,
    actor: "User | None",
    owner_unit,
    title: str,
    year_from: int,
    year_to: int,
    code: str = "",
    general_objectives: str = "",
    specific_objectives: str = "",
    note: str = "",
    effective_date=None,
) -> Program:
    """A new programme (draft) of a province; its `province` is the current province the owner rolls up
    into."""
    require_edit(actor, "lập chương trình khuyến công")
    if owner_unit.level != 1:
        raise DomainError("Chủ thể chương trình phải là một tỉnh, thành phố.", field="owner_unit")
    _require_scope(actor, owner_unit.current_province_id or owner_unit.id)
    if not (title or "").strip():
        raise DomainError("Chương trình cần có tên.", field="title")
    year_from, year_to = _int(year_from, "Từ năm", "year_from"), _int(year_to, "Đến năm", "year_to")
    if year_to < year_from:
        raise DomainError("Năm kết thúc phải sau năm bắt đầu.", field="year_to")
    if not 2000 <= year_from <= 2100 or not 2000 <= year_to <= 2100:
        raise DomainError("Năm phải trong khoảng 2000-2100.", field="year_from")
    with transaction.atomic():
        program = Program(
            owner_unit=owner_unit,
            title=title.strip(),
            code=code,
            year_from=year_from,
            year_to=year_to,
            general_objectives=general_objectives,
            specific_objectives=specific_objectives,
            note=note,
        )
        save_audited(program, actor=actor, reason="Lập chương trình")
        save_audited(
            StatusChange(
                program=program,
                actor=_user(actor),
                changed_at=timezone.now(),
                from_status="",
                effective_date=business_date(effective_date, label="Ngày lập chương trình"),
                to_status=program.status,
                note="Lập chương trình",
            ),
            actor=actor,
            reason="Lập chương trình",
        )
        return program


def program_update(
    *, actor: "User | None", program: Program, expected_version: int | None = None, **changes
) -> Program:
    """Edit title, years, objectives (optimistic concurrency: a stale `expected_version` is refused)."""
    _require_editable(program, actor, "sửa chương trình")
    unknown = set(changes) - set(EDIT_FIELDS)
    if unknown:
        raise DomainError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    if "year_from" in changes or "year_to" in changes:
        lo = _int(changes.get("year_from", program.year_from), "Từ năm", "year_from")
        hi = _int(changes.get("year_to", program.year_to), "Đến năm", "year_to")
        if hi < lo:
            raise DomainError("Năm kết thúc phải sau năm bắt đầu.", field="year_to")
        outside = (
            program.budget_lines.exclude(year__gte=lo, year__lte=hi).exists()
            or program.phases.exclude(year_from__gte=lo, year_to__lte=hi).exists()
        )
        if outside:
            raise DomainError(
                f"Đã có giai đoạn hoặc dự toán ngoài khoảng {lo}-{hi}: sửa chúng trước.", field="year_from"
            )
        changes["year_from"], changes["year_to"] = lo, hi
    if "title" in changes and not str(changes["title"]).strip():
        raise DomainError("Chương trình cần có tên.", field="title")
    return update_versioned(
        Program,
        pk=program.pk,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        reason="Sửa thông tin chương trình",
    )


def program_add_legal_basis(
    *,
    actor: "User | None",
    program: Program,
    number: str,
    doc_type: str = "",
    title: str = "",
    issuer: str = "",
    issued_date=None,
    note: str = "",
) -> LegalBasis:
    """Link a legal document (found by its number, or recorded in the catalogue) as a basis of the
    programme."""
    _require_editable(program, actor, "sửa cơ sở pháp lý")
    number = (number or "").strip()
    if not number:
        raise DomainError("Thiếu số, ký hiệu văn bản.", field="number")
    with transaction.atomic():
        doc = LegalDocument.objects.filter(number=number).first()
        if doc is None:
            doc = save_audited(
                LegalDocument(
                    number=number,
                    doc_type=doc_type,
                    title=title,
                    issuer=issuer,
                    issued_date=_date(issued_date, "ngày ban hành", "issued_date") if issued_date else None,
                ),
                actor=actor,
                reason="Cơ sở pháp lý của chương trình",
            )
        existing = LegalBasis.objects.filter(program=program, document=doc).first()
        if existing:
            return existing
        order = program.legal_basis_rows.count() + 1
        return save_audited(
            LegalBasis(program=program, document=doc, order=order, note=note),
            actor=actor,
            reason="Thêm cơ sở pháp lý",
        )


def phase_set(*, actor: "User | None", program: Program, name: str, year_from: int, year_to: int) -> Phase:
    """Create or change a phase (giai đoạn); phases must lie inside the programme and not overlap."""
    _require_editable(program, actor, "sửa giai đoạn")
    name = (name or "").strip() or f"{year_from}-{year_to}"
    lo = _year(year_from, (program.year_from, program.year_to), "year_from")
    hi = _year(year_to, (program.year_from, program.year_to), "year_to")
    if hi < lo:
        raise DomainError("Năm kết thúc giai đoạn phải sau năm bắt đầu.", field="year_to")
    with transaction.atomic():
        phase = Phase.objects.filter(program=program, name=name).first() or Phase(program=program, name=name)
        clash = program.phases.exclude(pk=phase.pk).filter(year_from__lte=hi, year_to__gte=lo).first()
        if clash:
            raise DomainError(
                f"Giai đoạn {name} trùng thời gian với giai đoạn {clash.name}.", field="year_from"
            )
        if phase.pk and phase.year_from == lo and phase.year_to == hi:
            return phase
        phase.year_from, phase.year_to = lo, hi
        return save_audited(phase, actor=actor, reason="Giai đoạn")


# ---------------------------------------------------------------------------------------------------- targets


def target_create(
    *,
    actor: "User | None",
    program: Program,
    name: str,
    unit: str,
    content=None,
    indicator=None,
    values: dict | None = None,
    overall_value=None,
    location: str = "",
    note: str = "",
) -> Target:
    """A target with its value per phase (`values` maps a phase name to a number)."""
    _require_editable(program, actor, "sửa mục tiêu")
    if not (name or "").strip() or not (unit or "").strip():
        raise DomainError(
            "Mục tiêu cần có tên chỉ tiêu và đơn vị tính.", field="name" if not name else "unit"
        )
    with transaction.atomic():
        target = Target(
            program=program,
            name=name.strip(),
            unit=unit.strip(),
            location=location,
            note=note,
            content=content_for(content, program) if content not in (None, "") else None,
            indicator=indicator_for(indicator),
            overall_value=_int(overall_value, "Giá trị cả chương trình", "overall_value")
            if overall_value not in (None, "")
            else None,
            order=program.targets.count() + 1,
        )
        save_audited(target, actor=actor, reason="Thêm mục tiêu")
        for phase_name, value in (values or {}).items():
            target_set_value(actor=actor, target=target, phase=phase_name, value=value)
        return target


def target_set_value(*, actor: "User | None", target: Target, phase, value) -> TargetValue | None:
    """Set (or, with an empty value, remove) the value of a target for one phase."""
    program = target.program
    _require_editable(program, actor, "sửa mục tiêu")
    if not isinstance(phase, Phase):
        phase_obj = program.phases.filter(name=str(phase)).first()
        if phase_obj is None:
            raise DomainError(f"Chương trình không có giai đoạn «{phase}».", field="phase")
        phase = phase_obj
    with transaction.atomic():
        row = TargetValue.objects.filter(target=target, phase=phase).first()
        if value in (None, ""):
            if row:
                delete_audited(row, actor=actor, reason="Xóa chỉ tiêu giai đoạn")
            return None
        number = _int(value, "Giá trị chỉ tiêu", "value")
        if row and row.value == number:
            return row
        row = row or TargetValue(target=target, phase=phase)
        row.value = number
        return save_audited(row, actor=actor, reason="Chỉ tiêu theo giai đoạn")


# ---------------------------------------------------------------------------------------------------- budget


def budget_line_set(
    *, actor: "User | None", program: Program, content, funding_source, year, amount
) -> BudgetLine:
    """Set one cell of the matrix (amount in đồng, or text like "1.020 triệu"; a bare number is triệu)."""
    _require_editable(program, actor, "sửa dự toán kinh phí")
    content = content_for(content, program)
    source = source_for(funding_source)
    year = _year(year, (program.year_from, program.year_to))
    value = amount if isinstance(amount, int) else _money(amount, "Kinh phí")
    if value < 0:
        raise DomainError("Kinh phí không được âm.", field="amount")
    with transaction.atomic():
        line = (
            BudgetLine.objects.select_for_update()
            .filter(program=program, content=content, funding_source=source, year=year)
            .first()
        )
        if line and line.amount == value:
            return line
        line = line or BudgetLine(program=program, content=content, funding_source=source, year=year)
        if line.pk:
            line.version += 1
        line.amount = value
        return save_audited(line, actor=actor, reason="Sửa ô dự toán")


def budget_replace(
    *,
    actor: "User | None",
    program: Program,
    cells: dict,
    appendix_figures: list[dict] | None = None,
    phases: list[tuple[str, int, int]] | None = None,
    reason: str = "Nhập phụ lục dự toán",
) -> dict:
    """Replace the whole matrix with `cells` {(content code, source code, year): amount đồng} and the figures
    the
    appendix states with `appendix_figures` (dicts for `stated_figure_add`). All or nothing.
    Returns counts {"created", "updated", "deleted", "unchanged", "stated"}."""
    _require_editable(program, actor, "nhập dự toán kinh phí")
    counts = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0, "stated": 0}
    with transaction.atomic():
        locked = Program.objects.select_for_update().get(pk=program.pk)
        for name, lo, hi in phases or []:
            if not locked.phases.filter(name=name).exists():
                phase_set(actor=actor, program=locked, name=name, year_from=lo, year_to=hi)
        contents, sources = {}, {}
        wanted = {}
        for (c, s, y), amount in cells.items():
            if c not in contents:
                contents[c] = content_for(c, locked)
            if s not in sources:
                sources[s] = source_for(s)
            content, source = contents[c], sources[s]
            year = _year(y, (locked.year_from, locked.year_to))
            if int(amount) < 0:
                raise DomainError("Kinh phí không được âm.", field="amount")
            wanted[(content.pk, source.pk, year)] = int(amount)
        existing = {(b.content_id, b.funding_source_id, b.year): b for b in locked.budget_lines.all()}
        for key, line in existing.items():
            if key not in wanted:
                delete_audited(line, actor=actor, reason=reason)
                counts["deleted"] += 1
        new_lines = []
        for key, amount in wanted.items():
            line = existing.get(key)
            if line is None:
                new_lines.append(
                    BudgetLine(
                        program=locked,
                        content_id=key[0],
                        funding_source_id=key[1],
                        year=key[2],
                        amount=amount,
                    )
                )
                counts["created"] += 1
            elif line.amount != amount:
                line.amount = amount
                line.version += 1
                save_audited(line, actor=actor, reason=reason)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        # One INSERT for the lines and one for their history rows (a whole appendix is ~200 cells).
        _bulk_create_audited(new_lines, BudgetLine, actor=actor, reason=reason)
        if appendix_figures is not None:
            for old in locked.stated_figures.filter(origin=StatedFigure.Origin.APPENDIX):
                delete_audited(old, actor=actor, reason=reason)
            phase_objs = {p.name: p for p in locked.phases.all()}
            figures = []
            for spec in appendix_figures:
                spec = dict(spec)
                if spec.get("content") not in (None, ""):
                    c = spec["content"]
                    spec["content"] = contents.get(c) or contents.setdefault(c, content_for(c, locked))
                if spec.get("funding_source") not in (None, ""):
                    s = spec["funding_source"]
                    spec["funding_source"] = sources.get(s) or sources.setdefault(s, source_for(s))
                if spec.get("phase") not in (None, "") and not isinstance(spec["phase"], Phase):
                    spec["phase"] = phase_objs.get(str(spec["phase"]), spec["phase"])
                figures.append(
                    _stated_figure_build(program=locked, origin=StatedFigure.Origin.APPENDIX, **spec)
                )
            _bulk_create_audited(figures, StatedFigure, actor=actor, reason=reason)
            counts["stated"] += len(figures)
        return counts


def _bulk_create_audited(objs: list, model, *, actor: "User | None", reason: str) -> None:
    """Insert many new rows with their history rows (actor and reason on each), in batches."""
    for obj in objs:
        normalise_text_fields(obj)  # what save_audited does for single rows
    if objs:
        bulk_create_with_history(
            objs,
            model,
            batch_size=500,
            default_user=actor if getattr(actor, "is_authenticated", False) else None,
            default_change_reason=reason or None,
        )
        rows_inserted.send(sender=model)  # no post_save for bulk rows: kept figures learn of them here


# ---------------------------------------------------------------------------------------------------- stated


def stated_figure_add(
    *,
    actor: "User | None",
    program: Program,
    kind: str,
    value,
    location: str,
    content=None,
    funding_source=None,
    phase=None,
    year=None,
    target=None,
    text: str = "",
    origin: str = StatedFigure.Origin.TEXT,
) -> StatedFigure:
    """Record a figure the document states, with where (e.g. "Phần 2, mục II.1"). `value`: an amount (a bare
    number is triệu: "16.448"; or "1,82 tỷ"), a percentage ("4,2%"), or a quantity for a target."""
    _require_editable(program, actor, "ghi số liệu văn bản nêu")
    fig = _stated_figure_build(
        program=program,
        kind=kind,
        value=value,
        location=location,
        content=content,
        funding_source=funding_source,
        phase=phase,
        year=year,
        target=target,
        text=text,
        origin=origin,
    )
    with transaction.atomic():
        return save_audited(fig, actor=actor, reason="Ghi số liệu văn bản nêu")


def _stated_figure_build(
    *,
    program: Program,
    kind: str,
    value,
    location: str,
    content=None,
    funding_source=None,
    phase=None,
    year=None,
    target=None,
    text: str = "",
    origin: str = StatedFigure.Origin.TEXT,
) -> StatedFigure:
    """A checked, unsaved StatedFigure (content, source and phase may be given as objects or codes/names)."""
    if kind not in StatedFigure.Kind.values:
        raise DomainError(f"Loại số liệu không hợp lệ: «{kind}».", field="kind")
    if not (location or "").strip():
        raise DomainError("Cần ghi nơi văn bản nêu số liệu (phần, mục, trang).", field="location")
    fig = StatedFigure(
        program=program,
        kind=kind,
        origin=origin,
        location=location.strip(),
        text=text or (str(value) if not isinstance(value, int) else ""),
    )
    if content not in (None, ""):
        fig.content = content_for(content, program)
    if funding_source not in (None, ""):
        fig.funding_source = source_for(funding_source)
    if phase not in (None, ""):
        if not isinstance(phase, Phase):
            found = program.phases.filter(name=str(phase)).first()
            if found is None:
                raise DomainError(f"Chương trình không có giai đoạn «{phase}».", field="phase")
            phase = found
        fig.phase = phase
    if year not in (None, ""):
        fig.year = _year(year, (program.year_from, program.year_to))
    if fig.phase_id and fig.year:
        raise DomainError("Chỉ ghi năm hoặc giai đoạn, không ghi cả hai.", field="year")
    if kind == StatedFigure.Kind.AMOUNT:
        fig.amount = value if isinstance(value, int) else _money(value, "Số tiền", "value")
    elif kind == StatedFigure.Kind.SHARE:
        if fig.funding_source_id is None:
            raise DomainError("Tỷ trọng cần có nguồn kinh phí.", field="funding_source")
        fig.percent, fig.digits = parse_percent(value)
    else:
        if target in (None, ""):
            raise DomainError("Số liệu chỉ tiêu cần chọn mục tiêu.", field="target")
        if not isinstance(target, Target):
            target = program.targets.filter(pk=int(target)).first()
            if target is None:
                raise DomainError("Mục tiêu không thuộc chương trình.", field="target")
        if target.program_id != program.pk:
            raise DomainError("Mục tiêu không thuộc chương trình.", field="target")
        fig.target = target
        fig.quantity = _int(value, "Số lượng", "value")
    return fig


def stated_figure_delete(*, actor: "User | None", figure: StatedFigure) -> None:
    _require_editable(figure.program, actor, "xóa số liệu văn bản nêu")
    with transaction.atomic():
        delete_audited(figure, actor=actor, reason="Xóa số liệu văn bản nêu")


# ---------------------------------------------------------------------------------------------------- workflo


def program_transition(
    *,
    actor: "User | None",
    program: Program,
    to_status: str,
    expected_version,
    effective_date=None,
    note: str = "",
    decision_no: str = "",
    decision_date=None,
    decision_issuer: str = "",
    superseded_by: Program | None = None,
) -> Program:
    """Move a programme along the table in workflow.py through the shared engine (core.workflow): row lock,
    the
    version the actor saw (missing or stale: 409), role, required data, business-date order (`effective_date`,
    default the decision date, else today), one StatusChange row with the before → after of the fields
    touched."""
    data = {
        "note": (note or "").strip(),
        "decision_no": (decision_no or "").strip(),
        "decision_date": decision_date,
        "decision_issuer": (decision_issuer or "").strip(),
    }
    if effective_date in (None, "") and to_status == Status.APPROVED and decision_date not in (None, ""):
        effective_date = decision_date

    def apply(locked, frm, to, data, day):
        if to == Status.APPROVED:
            locked.decision_no = data["decision_no"]
            locked.decision_date = _date(data["decision_date"], "ngày quyết định", "decision_date")
            locked.decision_issuer = data["decision_issuer"]
        if to == Status.SUPERSEDED and superseded_by is not None:
            if superseded_by.pk == locked.pk or superseded_by.province_id != locked.province_id:
                raise DomainError(
                    "Chương trình thay thế phải là một chương trình khác của cùng tỉnh.",
                    field="superseded_by",
                )
            locked.superseded_by = superseded_by

    def record(step):
        approved = step.to == Status.APPROVED
        save_audited(
            StatusChange(
                program=step.instance,
                actor=_user(actor),
                changed_at=timezone.now(),
                effective_date=step.effective_date,
                from_status=step.frm,
                to_status=step.to,
                decision_no=step.instance.decision_no if approved else "",
                decision_date=step.instance.decision_date if approved else None,
                note=data["note"] or step.rule["label"],
                changes=step.changes,
            ),
            actor=actor,
            reason=step.rule["label"],
        )

    return run_transition(
        workflow=workflow.WORKFLOW,
        queryset=Program.objects.all(),
        pk=program.pk,
        actor=actor,
        to_status=to_status,
        expected_version=expected_version,
        effective_date=effective_date,
        data=data,
        tracked=["decision_no", "decision_date", "decision_issuer", "superseded_by"],
        authorize=lambda p: _require_scope(actor, p.province_id),
        previous_date=last_step_date,
        apply=apply,
        record=record,
    )


def last_step_date(program: Program) -> dt.date | None:
    """The business date of the programme's latest step, its drafting included (program_create's
    `effective_date`): a new step may not be dated before it."""
    return (
        StatusChange.objects.filter(program=program)
        .order_by("-effective_date", "-pk")
        .values_list("effective_date", flat=True)
        .first()
    )
