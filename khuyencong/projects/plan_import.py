"""A plan's đề án from the Excel the office already has: template, validation, preview, all-or-nothing import,
and the export in the same columns (export → import is a round trip).

One row per đề án. Everything is read and checked first (codes, contents, communes of the plan's province,
beneficiaries by tax code or name, dates in order, money with its unit, statuses); a file with any problem
writes
nothing and lists row, column, value and reason. A clean file is then written through the same services as the
pages (project_create, project_transition, project_set_funding, disbursement_create…), inside one transaction:
the preview runs exactly that and rolls back, so caps and scoping are checked by the real rules. History rows
carry "Nhập từ Excel: <file>". Re-importing the same file changes nothing and writes no history.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from khuyencong.beneficiaries.imports import _bool_value, _date_value, _text, read_rows
from khuyencong.catalog.models import ActivityContent, SupportCap
from khuyencong.core.errors import DomainError, ImportFailed, ImportRowError
from khuyencong.core.fields import parse_amount
from khuyencong.core.permissions import require_edit
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit

from . import services
from .models import AnnualPlan, Level, Project, Status
from .services import next_code

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

S = Status
COLUMNS = [
    ("Mã đề án", "code"),
    ("Tên đề án", "title"),
    ("Nội dung hoạt động (mã 1-9)", "content"),
    ("Nội dung chi (mã mức hỗ trợ)", "support_cap"),
    ("Xã, phường", "commune_name"),
    ("Huyện (trước 7/2025)", "district_name"),
    ("Đơn vị thụ hưởng (MST hoặc tên; nhiều đơn vị cách nhau bởi ;)", "beneficiaries"),
    ("Tạo mới cơ sở chưa có (Có/Không)", "create_new"),
    ("Đề án điểm (Có/Không)", "is_flagship"),
    ("Có hoàn trả (Có/Không)", "recoverable"),
    ("Ngày bắt đầu", "start_date"),
    ("Ngày kết thúc", "end_date"),
    ("Ngày đăng ký", "registered_on"),
    ("Kinh phí đề nghị hỗ trợ", "requested"),
    ("Kinh phí được phê duyệt", "approved"),
    ("Vốn đối ứng của cơ sở", "counterpart"),
    ("Số quyết định phê duyệt", "decision_no"),
    ("Ngày quyết định phê duyệt", "decision_date"),
    ("Số hợp đồng", "contract_no"),
    ("Ngày hợp đồng", "contract_date"),
    ("Trạng thái hiện tại", "status"),
    ("Ngày của trạng thái", "status_date"),
    ("Số văn bản của trạng thái (biên bản, quyết định…)", "status_document"),
    ("Tiến độ (%)", "progress"),
    ("Đã tạm ứng, thanh toán", "paid"),
    ("Ngày tạm ứng, thanh toán", "paid_date"),
    ("Ghi chú", "note"),
]
HEADERS = [h for h, _ in COLUMNS]
HEADER_OF = {k: h for h, k in COLUMNS}
MONEY = ("requested", "approved", "counterpart", "paid")
DATES = (
    "start_date",
    "end_date",
    "registered_on",
    "decision_date",
    "contract_date",
    "status_date",
    "paid_date",
)
# The order statuses are reached in (a row may not move a đề án back).
ORDER = [
    S.DRAFT,
    S.REGISTERED,
    S.APPRAISED,
    S.APPROVED,
    S.CONTRACTED,
    S.IN_PROGRESS,
    S.COMPLETED,
    S.ACCEPTED,
    S.SETTLED,
]
BRANCH = {S.STOP_REQUESTED: S.APPROVED, S.STOPPED: S.APPROVED, S.CANCELLED: S.REGISTERED}
STATUS_BY_NAME = {fold(label): value for value, label in S.choices} | {value: value for value in S.values}


def public_source(plan: AnnualPlan) -> str:
    return "national" if plan.level == Level.NATIONAL else "local"


def rank(status: str) -> int:
    if status in ORDER:
        return ORDER.index(status)
    return ORDER.index(BRANCH[status]) + 1


@dataclass
class Row:
    excel_row: int
    values: dict
    establishments: list = field(default_factory=list)
    to_create: list = field(default_factory=list)  # names of establishments to create
    commune: AdminUnit | None = None
    content: ActivityContent | None = None
    support_cap: SupportCap | None = None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    establishments_created: int = 0
    lines: list = field(default_factory=list)  # what will be (was) done, one line per đề án
    committed: bool = False

    @property
    def message(self) -> str:
        verb = "Đã nhập" if self.committed else "Sẽ nhập"
        return (
            f"{verb} {self.created + self.updated + self.unchanged} dòng: {self.created} đề án mới, "
            f"{self.updated} đề án thay đổi, {self.unchanged} đề án không thay đổi"
            + (f"; {self.establishments_created} cơ sở mới." if self.establishments_created else ".")
        )


# ---------------------------------------------------------------------------------------------------- reading


def _header_map(header: list) -> dict[int, str]:
    wanted = {fold(h): k for h, k in COLUMNS}
    mapping = {}
    for i, cell in enumerate(header):
        key = wanted.get(fold(_text(cell)))
        if key:
            mapping[i] = key
    return mapping


def parse(
    content: bytes, *, plan: AnnualPlan, actor: "User | None"
) -> tuple[list[Row], list[ImportRowError]]:
    rows = read_rows(content)
    if not rows:
        raise ImportFailed([ImportRowError(1, None, "", "Tệp không có dữ liệu.")])
    mapping = _header_map(rows[0])
    missing = [HEADER_OF[k] for k in ("title", "content") if k not in mapping.values()]
    if missing:
        raise ImportFailed(
            [ImportRowError(1, h, "", "Thiếu cột bắt buộc (dùng tệp mẫu nhập).") for h in missing]
        )
    errors: list[ImportRowError] = []
    parsed: list[Row] = []
    look = _Lookups(plan, actor)
    seen_codes: dict[str, int] = {}
    for n, raw in enumerate(rows[1:], start=2):
        values = {key: (raw[i] if i < len(raw) else None) for i, key in mapping.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        row = Row(excel_row=n, values={})
        _parse_row(row, values, look, errors)
        code = row.values.get("code")
        if code:
            if code in seen_codes:
                errors.append(
                    ImportRowError(n, HEADER_OF["code"], code, f"Mã đề án trùng với dòng {seen_codes[code]}.")
                )
            seen_codes[code] = n
        parsed.append(row)
    if not parsed and not errors:
        errors.append(ImportRowError(2, None, "", "Tệp không có dòng đề án nào."))
    return parsed, errors


class _Lookups:
    def __init__(self, plan: AnnualPlan, actor: "User | None"):
        from khuyencong.beneficiaries.selectors import establishment_list_for

        self.plan = plan
        day = dt.date(plan.year, 6, 30)
        self.contents = {c.code: c for c in ActivityContent.objects.valid_on(day)}
        self.caps = {c.code: c for c in SupportCap.objects.all()}
        province = plan.province
        communes = AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).filter(current_province=province)
        self.communes: dict[str, list[AdminUnit]] = {}
        for u in communes.select_related("parent"):
            for key in {fold(u.name), fold(u.short_name)}:
                self.communes.setdefault(key, []).append(u)
        visible = establishment_list_for(user=actor).filter(province=province)
        self.by_tax = {}
        self.by_name: dict[str, list] = {}
        for e in visible.only("pk", "name", "tax_code", "commune_id"):
            if e.tax_code:
                self.by_tax[e.tax_code] = e
            self.by_name.setdefault(fold(e.name), []).append(e)


def _parse_row(row: Row, values: dict, look: _Lookups, errors: list) -> None:
    n = row.excel_row

    def err(key, value, reason):
        errors.append(ImportRowError(n, HEADER_OF[key], _text(value), reason))

    v = row.values
    v["code"] = _text(values.get("code"))
    v["title"] = _text(values.get("title"))
    if not v["title"]:
        err("title", "", "Thiếu tên đề án.")
    content = _text(values.get("content"))
    row.content = look.contents.get(content.split(" ")[0].rstrip(".")) if content else None
    if row.content is None:
        err(
            "content",
            content,
            "Nội dung hoạt động phải là mã 1-9 của Nghị định 45/2012 (xem trang «Mã hợp lệ»).",
        )
    cap = _text(values.get("support_cap"))
    if cap:
        row.support_cap = look.caps.get(cap)
        if row.support_cap is None:
            err("support_cap", cap, "Không có mức hỗ trợ với mã này (xem trang «Mã hợp lệ»).")
    commune_name = _text(values.get("commune_name"))
    if commune_name:
        from khuyencong.geo.services import short_name

        candidates = (
            look.communes.get(fold(commune_name)) or look.communes.get(fold(short_name(commune_name))) or []
        )
        district = fold(_text(values.get("district_name")))
        if district:
            candidates = [
                u
                for u in candidates
                if u.parent_id and district in (fold(u.parent.name), fold(u.parent.short_name))
            ]
        if len(candidates) == 1:
            row.commune = candidates[0]
        elif not candidates:
            err("commune_name", commune_name, f"Không có xã, phường này trong {look.plan.province.name}.")
        else:
            err(
                "commune_name",
                commune_name,
                "Có nhiều xã, phường trùng tên: ghi thêm huyện (đơn vị trước 7/2025).",
            )
    for key in ("create_new", "is_flagship", "recoverable"):
        value, problem = _bool_value(values.get(key))
        if problem:
            err(key, values.get(key), problem)
        v[key] = bool(value)
    for key in DATES:
        value, problem = _date_value(values.get(key))
        if problem:
            err(key, values.get(key), problem)
        elif value and value > dt.date.today():
            err(key, values.get(key), f"Ngày {value:%d/%m/%Y} chưa đến (sau ngày hôm nay).")
        v[key] = value
    for key in MONEY:
        raw = values.get(key)
        if raw is None or _text(raw) == "":
            v[key] = None
            continue
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        try:
            v[key] = parse_amount(str(raw) if isinstance(raw, int) and raw < 1_000_000 else raw)
        except DomainError as exc:
            err(key, raw, exc.message)
            v[key] = None
    for key in ("decision_no", "contract_no", "status_document", "note"):
        v[key] = _text(values.get(key))
    progress = values.get("progress")
    v["progress"] = None
    if _text(progress):
        text = _text(progress).rstrip("%").strip().replace(",", ".")
        try:
            pct = float(text)
            pct = (
                pct * 100
                if isinstance(progress, float) and 0 < pct <= 1 and "%" not in _text(progress)
                else pct
            )
            if not 0 <= pct <= 100 or int(pct) != pct:
                raise ValueError
            v["progress"] = int(pct)
        except ValueError:
            err("progress", progress, "Tiến độ là số phần trăm nguyên từ 0 đến 100.")
    status_text = _text(values.get("status"))
    status = STATUS_BY_NAME.get(fold(status_text)) if status_text else S.REGISTERED
    if status is None:
        err("status", status_text, "Trạng thái không hợp lệ (xem trang «Mã hợp lệ»).")
        status = S.REGISTERED
    v["status"] = status
    _check_status_data(row, err)
    names = [p.strip() for p in _text(values.get("beneficiaries")).split(";") if p.strip()]
    for name in names:
        digits = name.replace(" ", "").replace(".", "")
        if digits[:10].isdigit() and len(digits) in (10, 14):
            est = look.by_tax.get(digits if len(digits) == 10 else f"{digits[:10]}{digits[10:]}")
            if est is None:
                err(
                    "beneficiaries",
                    name,
                    "Không tìm thấy cơ sở có mã số thuế này trong phạm vi quản lý của bạn.",
                )
            else:
                row.establishments.append(est)
            continue
        found = look.by_name.get(fold(name), [])
        if row.commune is not None and len(found) > 1:
            found = [e for e in found if e.commune_id == row.commune.pk] or found
        if len(found) == 1:
            row.establishments.append(found[0])
        elif len(found) > 1:
            err("beneficiaries", name, "Có nhiều cơ sở trùng tên: ghi mã số thuế.")
        elif v["create_new"]:
            if row.commune is None:
                err("commune_name", "", f"Cần xã, phường để tạo mới cơ sở «{name}».")
            row.to_create.append(name)
        else:
            err(
                "beneficiaries",
                name,
                "Chưa có cơ sở này trong danh sách: ghi «Có» ở cột «Tạo mới cơ sở chưa có» "
                "để tạo mới, hoặc ghi mã số thuế.",
            )


def _check_status_data(row: Row, err) -> None:
    v, status = row.values, row.values["status"]
    r = rank(status)
    if r >= rank(S.APPROVED) and status != S.CANCELLED:
        for key in ("decision_no", "decision_date"):
            if not v[key]:
                err(key, "", f"Đề án ở trạng thái «{S(status).label}» cần số và ngày quyết định phê duyệt.")
        if v["approved"] is None:
            err("approved", "", f"Đề án ở trạng thái «{S(status).label}» cần kinh phí được phê duyệt.")
    if status in (S.IN_PROGRESS,) and v["progress"] is None:
        err("progress", "", "Đề án đang thực hiện cần tiến độ (%).")
    if (
        status
        in (S.ACCEPTED, S.SETTLED, S.STOPPED, S.CANCELLED, S.COMPLETED, S.IN_PROGRESS, S.STOP_REQUESTED)
        and not v["status_date"]
    ):
        err("status_date", "", f"Cần ngày của trạng thái «{S(status).label}».")
    if status in (S.ACCEPTED, S.SETTLED) and not v["status_document"]:
        err("status_document", "", "Cần số biên bản nghiệm thu (hoặc quyết định quyết toán).")
    if v["contract_no"] and not v["contract_date"]:
        err("contract_date", "", "Có số hợp đồng thì cần ngày hợp đồng.")
    if v["paid"] and not v["paid_date"]:
        err("paid_date", "", "Có số đã tạm ứng, thanh toán thì cần ngày.")
    if v["paid"] and v["approved"] is not None and v["paid"] > v["approved"]:
        err("paid", v["paid"], "Số đã tạm ứng, thanh toán lớn hơn kinh phí được phê duyệt.")
    if v["paid"] and r < rank(S.APPROVED):
        err("paid", v["paid"], "Đề án chưa được phê duyệt thì chưa tạm ứng, thanh toán được.")
    chain = [
        ("registered_on", "ngày đăng ký"),
        ("decision_date", "ngày quyết định phê duyệt"),
        ("contract_date", "ngày hợp đồng"),
        ("status_date", "ngày của trạng thái"),
    ]
    last = None
    for key, label in chain:
        if v[key]:
            if last and v[key] < v[last[0]]:
                err(
                    key,
                    v[key].strftime("%d/%m/%Y"),
                    f"{label[:1].upper()}{label[1:]} ({v[key]:%d/%m/%Y}) trước "
                    f"{last[1]} ({v[last[0]]:%d/%m/%Y}).",
                )
            last = (key, label)
    if v["paid_date"] and v["decision_date"] and v["paid_date"] < v["decision_date"]:
        err(
            "paid_date",
            v["paid_date"].strftime("%d/%m/%Y"),
            f"Ngày tạm ứng, thanh toán ({v['paid_date']:%d/%m/%Y}) trước ngày quyết định phê duyệt "
            f"({v['decision_date']:%d/%m/%Y}).",
        )
    if v["start_date"] and v["end_date"] and v["end_date"] < v["start_date"]:
        err("end_date", v["end_date"].strftime("%d/%m/%Y"), "Ngày kết thúc trước ngày bắt đầu.")


# ---------------------------------------------------------------------------------------------------- writing


def plan_projects_import(
    *, actor: "User | None", plan: AnnualPlan, content: bytes, filename: str, commit: bool = True
) -> ImportResult:
    """Validate the whole file, then write every row or none. With `commit=False` it is the preview: the same
    writes run and are rolled back, and the result says what would be created and changed."""
    require_edit(actor, "nhập đề án từ Excel")
    services._require_scope(actor, plan.province_id)
    rows, errors = parse(content, plan=plan, actor=actor)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    reason = f"Nhập từ Excel: {filename}"
    try:
        with transaction.atomic():
            existing = {p.code: p for p in Project.objects.filter(plan=plan)}
            taken = set(existing)
            row_errors = []
            for row in rows:
                try:
                    with transaction.atomic():
                        _write_row(
                            row,
                            actor=actor,
                            plan=plan,
                            existing=existing,
                            taken=taken,
                            result=result,
                            reason=reason,
                        )
                except DomainError as exc:
                    column = HEADER_OF.get(_column_of(exc.field)) if exc.field else None
                    row_errors.append(ImportRowError(row.excel_row, column, "", exc.message))
            if row_errors:
                raise ImportFailed(row_errors)
            result.committed = commit
            if not commit:
                raise _Rollback
    except _Rollback:
        pass
    return result


class _Rollback(Exception):
    pass


FIELD_COLUMN = {
    "funding": "requested",
    "amount": "paid",
    "date": "paid_date",
    "establishments": "beneficiaries",
    "commune": "commune_name",
    "effective_date": "status_date",
    "progress_pct": "progress",
    "acceptance_minutes_no": "status_document",
    "settled_amount": "paid",
}


def _column_of(field_name: str | None) -> str | None:
    if field_name in HEADER_OF:
        return field_name
    return FIELD_COLUMN.get(field_name)


def _funding(plan: AnnualPlan, v: dict, *, approved: bool) -> dict:
    src = public_source(plan)
    out = {src: {"requested": v["requested"] or 0}}
    if v["counterpart"]:
        out["counterpart"] = {"requested": v["counterpart"]}
    if approved:
        out[src]["approved"] = v["approved"] or 0
        if v["counterpart"]:
            out["counterpart"]["approved"] = v["counterpart"]
    return out


def _write_row(row: Row, *, actor: "User | None", plan, existing, taken, result, reason):
    from khuyencong.beneficiaries import services as est_services

    v = row.values
    ests = list(row.establishments)
    for name in row.to_create:
        est = est_services.establishment_create(
            actor=actor,
            data={"name": name, "establishment_type": "HKD", "commune": row.commune},
            reason=reason,
        )
        ests.append(est)
        result.establishments_created += 1
    code = v["code"] or next_code(plan, taken)
    project = existing.get(code)
    if project is None:
        registered = v["registered_on"] or v["decision_date"] or v["status_date"] or dt.date(plan.year, 1, 1)
        project = services.project_create(
            actor=actor,
            plan=plan,
            code=code,
            title=v["title"],
            content=row.content,
            support_cap=row.support_cap,
            commune=row.commune,
            establishments=ests,
            is_flagship=v["is_flagship"],
            recoverable=v["recoverable"],
            start_date=v["start_date"],
            end_date=v["end_date"],
            note=reason,
            funding=_funding(plan, v, approved=False),
            effective_date=min(registered, dt.date.today()),
        )
        _advance(project, v, actor=actor, plan=plan, reason=reason)
        result.created += 1
        result.lines.append(f"Tạo mới {code}: {v['title']} — {S(v['status']).label}")
        existing[code] = project
        return
    changed = _update(project, row, ests, actor=actor, plan=plan, reason=reason)
    if changed:
        result.updated += 1
        result.lines.append(f"Cập nhật {code}: {', '.join(changed)}")
    else:
        result.unchanged += 1


def _step(project, to, *, actor: "User | None", date, reason, **data):
    project.refresh_from_db()
    return services.project_transition(
        project=project,
        actor=actor,
        to_status=to,
        expected_version=project.version,
        effective_date=date,
        recorded=True,
        note=data.pop("note", reason),
        **data,
    )


def _advance(project: Project, v: dict, *, actor: "User | None", plan, reason) -> None:
    """Walk the đề án from its status to the row's, each step dated by its document."""
    target = v["status"]
    if target == project.status:
        _pay(project, v, actor=actor, plan=plan, reason=reason)
        return
    registered = v["registered_on"] or v["decision_date"] or v["status_date"]
    decision = v["decision_date"] or v["status_date"] or registered
    when = v["status_date"] or decision
    path = _path_to(project.status, target, has_contract=bool(v["contract_no"]))
    for to in path:
        if to == S.REGISTERED:
            project = _step(project, to, actor=actor, date=registered, reason=reason)
        elif to == S.APPRAISED:
            project = _step(
                project,
                to,
                actor=actor,
                date=decision,
                reason=reason,
                appraisal_result="passed",
                appraisal_notes="Đạt (nhập từ Excel)",
            )
        elif to == S.APPROVED:
            project = _step(
                project,
                to,
                actor=actor,
                date=decision,
                reason=reason,
                decision_no=v["decision_no"],
                decision_date=decision,
                approved=_funding(plan, v, approved=True),
            )
        elif to == S.CONTRACTED:
            project = _step(
                project,
                to,
                actor=actor,
                date=v["contract_date"],
                reason=reason,
                contract_no=v["contract_no"],
                contract_date=v["contract_date"],
            )
        elif to == S.IN_PROGRESS:
            pct = v["progress"] if v["progress"] is not None else 0
            pct = min(pct, 99)
            project = _step(
                project, to, actor=actor, date=when, reason=reason, progress_pct=pct, progress_date=when
            )
        elif to == S.COMPLETED:
            project = _step(project, to, actor=actor, date=when, reason=reason)
        elif to == S.ACCEPTED:
            if v["paid"] and not project.disbursements.exists():
                _pay(project, v, actor=actor, plan=plan, reason=reason)
            project = _step(
                project,
                to,
                actor=actor,
                date=when,
                reason=reason,
                acceptance_date=when,
                acceptance_minutes_no=v["status_document"],
                acceptance_result="Đạt",
            )
        elif to == S.SETTLED:
            _pay(project, v, actor=actor, plan=plan, reason=reason)
            project = _step(
                project,
                to,
                actor=actor,
                date=when,
                reason=reason,
                settled_amount=v["paid"] or 0,
                settled_date=when,
            )
        elif to == S.STOP_REQUESTED:
            project = _step(
                project,
                to,
                actor=actor,
                date=when,
                reason=reason,
                stop_reason=v["note"] or reason,
                stop_requested_by="Đơn vị thụ hưởng",
            )
        elif to in (S.STOPPED, S.CANCELLED):
            project = _step(project, to, actor=actor, date=when, reason=reason, note=v["note"] or reason)
    _pay(project, v, actor=actor, plan=plan, reason=reason)


def _path_to(frm: str, to: str, *, has_contract: bool) -> list[str]:
    main = (
        [S.REGISTERED, S.APPRAISED, S.APPROVED]
        + ([S.CONTRACTED] if has_contract else [])
        + [S.IN_PROGRESS, S.COMPLETED, S.ACCEPTED, S.SETTLED]
    )
    if to == S.CANCELLED:
        if frm in (S.DRAFT, S.REGISTERED, S.APPRAISED, S.APPROVED):
            return [S.CANCELLED]
        raise DomainError(f"Không hủy được đề án đang ở trạng thái «{S(frm).label}».", field="status")
    if to in (S.STOP_REQUESTED, S.STOPPED):
        base = _path_to(frm, S.APPROVED, has_contract=False) if rank(frm) < rank(S.APPROVED) else []
        return (
            base
            + ([S.STOP_REQUESTED] if frm != S.STOP_REQUESTED else [])
            + ([S.STOPPED] if to == S.STOPPED else [])
        )
    if to not in main and to != S.DRAFT:
        return []
    done = rank(frm)
    return [s for s in main if rank(s) > done and rank(s) <= rank(to)]


def _pay(project: Project, v: dict, *, actor: "User | None", plan, reason) -> None:
    if not v["paid"]:
        return
    paid = sum(d.amount for d in project.disbursements.all())
    if paid >= v["paid"]:
        if paid > v["paid"]:
            raise DomainError(
                f"Đề án đã có {paid:,} đồng tạm ứng, thanh toán, nhiều hơn số trong tệp.".replace(",", "."),
                field="paid",
            )
        return
    services.disbursement_create(
        project=project,
        actor=actor,
        kind="payment",
        source=public_source(plan),
        date=v["paid_date"],
        amount=v["paid"] - paid,
        document_no=v["status_document"],
        note=reason,
    )


def _update(project: Project, row: Row, ests: list, *, actor: "User | None", plan, reason) -> list[str]:
    """Apply what changed; returns the Vietnamese names of what changed (empty: nothing written)."""
    v = row.values
    changed = []
    fields = {
        "title": v["title"],
        "content": row.content,
        "support_cap": row.support_cap,
        "commune": row.commune,
        "is_flagship": v["is_flagship"],
        "recoverable": v["recoverable"],
        "start_date": v["start_date"],
        "end_date": v["end_date"],
    }
    diff = {k: val for k, val in fields.items() if getattr(project, k) != val}
    current_ests = set(project.beneficiaries.values_list("establishment_id", flat=True))
    if {e.pk for e in ests} != current_ests:
        diff["establishments"] = ests
    funding = {f.source.code: f for f in project.fundings.select_related("source")}
    src = public_source(plan)
    money_now = (
        getattr(funding.get(src), "requested", 0),
        getattr(funding.get("counterpart"), "requested", 0),
    )
    money_file = (v["requested"] or 0, v["counterpart"] or 0)
    if rank(v["status"]) < rank(project.status) and v["status"] != project.status:
        raise DomainError(
            f"Đề án đang ở trạng thái «{project.get_status_display()}»: tệp không được lùi về "
            f"«{S(v['status']).label}».",
            field="status",
        )
    if project.status in services.EDITABLE:
        if diff:
            services.project_update(
                project=project, actor=actor, expected_version=project.version, changes=diff
            )
            changed += [HEADER_OF.get(k, k) for k in diff]
        if money_now != money_file:
            project.refresh_from_db()
            services.project_set_funding(
                project=project,
                actor=actor,
                funding=_funding(plan, v, approved=False),
                expected_version=project.version,
                effective_date=v["registered_on"],
            )
            changed.append("kinh phí")
    else:
        approved_now = getattr(funding.get(src), "approved", 0)
        adjust = {k: val for k, val in diff.items() if k in services.ADJUST_FIELDS}
        if money_now != money_file or (v["approved"] is not None and approved_now != v["approved"]):
            adjust["funding"] = _funding(plan, v, approved=True)
        if adjust:
            project.refresh_from_db()
            services.project_transition(
                project=project,
                actor=actor,
                to_status="adjust",
                expected_version=project.version,
                recorded=True,
                effective_date=v["status_date"] or v["decision_date"],
                reason=reason,
                **adjust,
            )
            changed += [HEADER_OF.get(k, "kinh phí") for k in adjust]
    project.refresh_from_db()
    if v["status"] != project.status:
        _advance(project, v, actor=actor, plan=plan, reason=reason)
        changed.append(f"trạng thái → {S(v['status']).label}")
    else:
        before = sum(d.amount for d in project.disbursements.all())
        _pay(project, v, actor=actor, plan=plan, reason=reason)
        if sum(d.amount for d in project.disbursements.all()) != before:
            changed.append("đã tạm ứng, thanh toán")
    return changed


# ---------------------------------------------------------------------------------------------------- templat


def _row_of(project: Project, plan: AnnualPlan) -> list:
    funding = {f.source.code: f for f in project.fundings.all()}
    src = public_source(plan)
    last = project.status_changes.order_by("-effective_date", "-pk").first()
    paid = [d for d in project.disbursements.all()]
    ests = [e.establishment for e in project.beneficiaries.all()]
    first = project.status_changes.order_by("effective_date", "pk").filter(to_status=S.REGISTERED).first()
    return [
        project.code,
        project.title,
        project.content.code,
        project.support_cap.code if project.support_cap else "",
        project.commune.name if project.commune else "",
        project.commune.parent.name
        if project.commune and project.commune.era == "old" and project.commune.parent
        else "",
        "; ".join(e.tax_code or e.name for e in ests),
        "Không",
        "Có" if project.is_flagship else "Không",
        "Có" if project.recoverable else "Không",
        project.start_date,
        project.end_date,
        first.effective_date if first else None,
        getattr(funding.get(src), "requested", 0) or None,
        (getattr(funding.get(src), "approved", 0) or None) if project.decision_no else None,
        getattr(funding.get("counterpart"), "requested", 0) or None,
        project.decision_no,
        project.decision_date,
        project.contract_no,
        project.contract_date,
        project.get_status_display(),
        last.effective_date if last else None,
        project.acceptance_minutes_no if project.status in (S.ACCEPTED, S.SETTLED) else "",
        project.progress_pct if project.status == S.IN_PROGRESS else None,
        sum(d.amount for d in paid) or None,
        max((d.date for d in paid), default=None),
        "",
    ]


def plan_projects_xlsx(*, plan: AnnualPlan, projects) -> bytes:
    """The plan's đề án in the import columns, a sheet of instructions and one of valid codes."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "dd/mm/yyyy"})
    head = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    datef = wb.add_format({"num_format": "dd/mm/yyyy"})
    intf = wb.add_format({"num_format": "#,##0"})
    ws = wb.add_worksheet("Đề án")
    ws.freeze_panes(1, 0)
    for c, h in enumerate(HEADERS):
        ws.write(0, c, h, head)
        ws.set_column(c, c, 16 if c != 1 else 40)
    r = 0
    qs = projects.select_related("content", "support_cap", "commune", "commune__parent").prefetch_related(
        "fundings__source", "beneficiaries__establishment", "disbursements"
    )
    for p in qs.order_by("code"):
        r += 1
        for c, value in enumerate(_row_of(p, plan)):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), datef)
            elif isinstance(value, int) and not isinstance(value, bool):
                ws.write_number(r, c, value, intf)
            elif value is not None:
                ws.write_string(r, c, str(value))
    ws.autofilter(0, 0, max(r, 1), len(HEADERS) - 1)
    guide = wb.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 110)
    lines = [
        f"Mẫu nhập đề án của {plan} ({plan.get_level_display().lower()}).",
        "Mỗi dòng là một đề án. Để trống «Mã đề án» thì hệ thống tự đặt mã (ví dụ "
        f"{'KCQG' if plan.level == Level.NATIONAL else 'KCĐP'}-{plan.year}-07).",
        "Số tiền ghi kèm đơn vị: «250 triệu», «2,035 tỷ», hoặc số đồng đầy đủ «1.820.000.000». Số nhỏ hơn "
        "1.000.000 "
        "không kèm đơn vị sẽ bị từ chối.",
        f"Kinh phí đề nghị, phê duyệt là của nguồn "
        f"{('khuyến công quốc gia' if plan.level == Level.NATIONAL else 'khuyến công địa phương')}; "
        "vốn đối ứng là tiền của cơ sở.",
        "Ngày ghi dd/mm/yyyy. Ngày của từng bước là ngày trên văn bản (quyết định, hợp đồng, biên bản); "
        "không ghi ngày sau "
        "hôm nay.",
        "Trạng thái từ «Đã phê duyệt» trở đi cần số và ngày quyết định phê duyệt và kinh phí được phê duyệt.",
        "Đơn vị thụ hưởng: mã số thuế hoặc tên cơ sở, nhiều cơ sở cách nhau bởi dấu «;». Cơ sở chưa có "
        "trong danh sách: "
        "ghi «Có» ở cột «Tạo mới cơ sở chưa có».",
        "Tệp có lỗi thì không dòng nào được ghi; hệ thống liệt kê dòng, cột, giá trị và lỗi. Nhập lại cùng "
        "tệp không "
        "thay đổi gì; sửa một ô thì chỉ đề án đó được cập nhật (điều chỉnh nếu đã phê duyệt).",
    ]
    for i, line in enumerate(lines):
        guide.write(i, 0, line)
    codes = wb.add_worksheet("Mã hợp lệ")
    codes.write_row(
        0,
        0,
        [
            "Nội dung hoạt động",
            "Tên",
            "",
            "Mức hỗ trợ (mã)",
            "Tên mức hỗ trợ",
            "",
            "Trạng thái",
            "",
            "Xã, phường",
            "Huyện (trước 7/2025)",
            "Thời kỳ",
        ],
        head,
    )
    day = dt.date(plan.year, 6, 30)
    for i, c in enumerate(ActivityContent.objects.valid_on(day).order_by("order", "code"), start=1):
        codes.write_row(i, 0, [c.code, c.name])
    for i, cap in enumerate(SupportCap.objects.order_by("code"), start=1):
        codes.write_row(i, 3, [cap.code, cap.name])
    for i, (_v, label) in enumerate(S.choices, start=1):
        codes.write(i, 6, label)
    communes = (
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, current_province=plan.province)
        .select_related("parent")
        .order_by("era", "name")
    )
    for i, u in enumerate(communes, start=1):
        codes.write_row(
            i,
            8,
            [
                u.name,
                u.parent.name if u.era == "old" and u.parent else "",
                "hiện nay" if u.era == "current" else "trước 1/7/2025",
            ],
        )
    wb.close()
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------- money &

FLOW_COLUMNS = [
    ("Mã đề án", "code"),
    ("Loại (Tạm ứng / Thanh toán / Kết quả)", "kind"),
    ("Ngày", "date"),
    ("Số tiền", "amount"),
    ("Nguồn kinh phí (KCQG / KCĐP / mã nguồn)", "source"),
    ("Chỉ tiêu kết quả (mã)", "indicator"),
    ("Số lượng", "quantity"),
    ("Số chứng từ", "document_no"),
    ("Ghi chú", "note"),
]
FLOW_HEADERS = [h for h, _ in FLOW_COLUMNS]
FLOW_HEADER_OF = {k: h for h, k in FLOW_COLUMNS}
FLOW_KINDS = {
    "tam ung": "advance",
    "thanh toan": "payment",
    "ket qua": "output",
    "advance": "advance",
    "payment": "payment",
    "output": "output",
}


def plan_flows_import(
    *, actor: "User | None", plan: AnnualPlan, content: bytes, filename: str, commit: bool = True
) -> ImportResult:
    """Advances, payments and outputs of a plan's đề án, one row each, matched by đề án code. All or nothing;
    a row
    already recorded (same đề án, kind, date, amount or quantity, document) is left as it is."""
    from khuyencong.beneficiaries.imports import _int_value
    from khuyencong.catalog.models import FundingSource, OutputIndicator

    require_edit(actor, "nhập tạm ứng, thanh toán, kết quả từ Excel")
    services._require_scope(actor, plan.province_id)
    rows = read_rows(content)
    if not rows:
        raise ImportFailed([ImportRowError(1, None, "", "Tệp không có dữ liệu.")])
    wanted = {fold(h): k for h, k in FLOW_COLUMNS}
    mapping = {i: wanted[fold(_text(c))] for i, c in enumerate(rows[0]) if fold(_text(c)) in wanted}
    if not {"code", "kind", "date"} <= set(mapping.values()):
        raise ImportFailed(
            [ImportRowError(1, None, "", "Thiếu cột Mã đề án, Loại hoặc Ngày (dùng tệp mẫu).")]
        )
    from . import selectors

    projects = {p.code: p for p in selectors.project_list_for(user=actor).filter(plan=plan)}
    sources = {fold(s.short_name): s for s in FundingSource.objects.all()} | {
        s.code: s for s in FundingSource.objects.all()
    }
    indicators = {i.code: i for i in OutputIndicator.objects.all()}
    errors, parsed = [], []
    for n, raw in enumerate(rows[1:], start=2):
        values = {key: (raw[i] if i < len(raw) else None) for i, key in mapping.items()}
        if all(_text(v) == "" for v in values.values()):
            continue

        def err(key, value, reason, n=n):
            errors.append(ImportRowError(n, FLOW_HEADER_OF[key], _text(value), reason))

        code = _text(values.get("code"))
        project = projects.get(code)
        if project is None:
            err("code", code, "Không có đề án mã này trong kế hoạch (hoặc ngoài phạm vi quản lý của bạn).")
        kind = FLOW_KINDS.get(fold(_text(values.get("kind"))))
        if kind is None:
            err("kind", values.get("kind"), "Ghi «Tạm ứng», «Thanh toán» hoặc «Kết quả».")
        day, problem = _date_value(values.get("date"))
        if problem or day is None:
            err("date", values.get("date"), problem or "Thiếu ngày.")
        elif day > dt.date.today():
            err("date", values.get("date"), f"Ngày {day:%d/%m/%Y} chưa đến (sau ngày hôm nay).")
        row = {
            "n": n,
            "project": project,
            "kind": kind,
            "date": day,
            "document_no": _text(values.get("document_no")),
            "note": _text(values.get("note")),
        }
        if kind in ("advance", "payment"):
            raw_amount = values.get("amount")
            if isinstance(raw_amount, float) and raw_amount.is_integer():
                raw_amount = int(raw_amount)
            try:
                row["amount"] = parse_amount(
                    str(raw_amount) if isinstance(raw_amount, int) and raw_amount < 1_000_000 else raw_amount
                )
            except DomainError as exc:
                err("amount", values.get("amount"), exc.message)
            src_text = _text(values.get("source"))
            source = (
                sources.get(fold(src_text)) or sources.get(src_text)
                if src_text
                else sources.get(public_source(plan))
            )
            if source is None:
                err("source", src_text, "Nguồn kinh phí không hợp lệ (KCQG, KCĐP hoặc mã nguồn).")
            row["source"] = source
        elif kind == "output":
            indicator = indicators.get(_text(values.get("indicator")))
            if indicator is None:
                err("indicator", values.get("indicator"), "Không có chỉ tiêu với mã này.")
            quantity, problem = _int_value(values.get("quantity"), lo=0, hi=10**12)
            if problem or quantity is None:
                err("quantity", values.get("quantity"), problem or "Thiếu số lượng.")
            row["indicator"], row["quantity"] = indicator, quantity
        parsed.append(row)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    reason = f"Nhập từ Excel: {filename}"
    try:
        with transaction.atomic():
            row_errors = []
            for row in parsed:
                p = row["project"]
                try:
                    with transaction.atomic():
                        if row["kind"] == "output":
                            if p.outputs.filter(
                                indicator=row["indicator"], date=row["date"], quantity=row["quantity"]
                            ).exists():
                                result.unchanged += 1
                                continue
                            services.output_record(
                                project=p,
                                actor=actor,
                                indicator=row["indicator"],
                                quantity=row["quantity"],
                                date=row["date"],
                                note=row["note"] or reason,
                            )
                        else:
                            if p.disbursements.filter(
                                kind=row["kind"],
                                date=row["date"],
                                amount=row["amount"],
                                source=row["source"],
                                document_no=row["document_no"],
                            ).exists():
                                result.unchanged += 1
                                continue
                            services.disbursement_create(
                                project=p,
                                actor=actor,
                                kind=row["kind"],
                                source=row["source"],
                                date=row["date"],
                                amount=row["amount"],
                                document_no=row["document_no"],
                                note=row["note"] or reason,
                            )
                        result.created += 1
                        result.lines.append(f"{p.code}: {row['kind']} {row['date']:%d/%m/%Y}")
                except DomainError as exc:
                    column = {"amount": "amount", "date": "date", "quantity": "quantity"}.get(exc.field, None)
                    row_errors.append(
                        ImportRowError(
                            row["n"], FLOW_HEADER_OF.get(column) if column else None, "", exc.message
                        )
                    )
            if row_errors:
                raise ImportFailed(row_errors)
            result.committed = commit
            if not commit:
                raise _Rollback
    except _Rollback:
        pass
    return result
