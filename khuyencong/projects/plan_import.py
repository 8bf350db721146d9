"""A plan's đề án from the Excel the office already has: template, validation, preview, all-or-nothing import,
and the export in the same columns (export → import is a round trip).

One row per đề án. Everything is read and checked first (codes, contents, communes of the plan's province,
beneficiaries by tax code or name, dates in order, money with its unit, statuses); a file with any problem
writes nothing and lists row, column, value and reason. A clean file is then written inside one transaction:
new đề án in bulk (`BulkCreate`: each row walked through the workflow table in memory by the engine's own
checks and the services' rules — caps, payments, date order — then inserted set-based with the same history
rows the services write), changed đề án through the page services (project_update, project_transition…),
unchanged ones not at all. The preview runs the same checks and stops before writing (changed rows are
written and rolled back). Status changes and payments carry "Nhập từ Excel: <file>". Re-importing the same
file changes nothing and writes no history.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from khuyencong.beneficiaries.imports import _bool_value, _date_value, _text, read_rows
from khuyencong.catalog.models import ActivityContent, SupportCap
from khuyencong.core.bulk import bulk_defaults, insert_rows
from khuyencong.core.errors import DomainError, ImportFailed, ImportRowError
from khuyencong.core.fields import parse_amount
from khuyencong.core.permissions import require_edit
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit

from . import services
from .models import AnnualPlan, Batch, Level, Project, Status
from .services import next_code

if TYPE_CHECKING:
    from khuyencong.accounts.models import User
    from khuyencong.clusters.models import IndustrialCluster

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
    # Optional (a row without them is read as before): where the đề án belongs and the date of each step the
    # status went through, so that the as-of lists read the office's dates and not only the last one.
    ("Đợt giao (số đợt; chuyển tiếp từ đợt năm trước: số/năm, ví dụ 2/2015)", "batch"),
    ("Đơn vị thực hiện", "implementing_unit"),
    ("Ngày lập đề án", "created_on"),
    ("Ngày thẩm định", "appraised_on"),
    ("Ngày báo cáo tiến độ", "progress_date"),
    ("Ngày hoàn thành", "completed_on"),
    ("Ngày nghiệm thu", "accepted_on"),
    ("Ngày xin dừng", "stop_requested_on"),
    # Optional: the industrial cluster a đề án of content 7 supports, by its name in the plan's province (its
    # per-cluster cap is checked over every đề án of the cluster, the file's other rows included).
    ("Cụm công nghiệp (tên cụm, chỉ đề án nội dung 7)", "cluster"),
]
# Other headers a column is known by (an office's own file).
HEADER_ALIASES = {"Cụm công nghiệp": "cluster", "CCN": "cluster", "Tên cụm công nghiệp": "cluster"}
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
    "created_on",
    "appraised_on",
    "progress_date",
    "completed_on",
    "accepted_on",
    "stop_requested_on",
)
# Which statuses a step date column applies to (the row's status has gone through that step).
STEP_DATE_FOR = {
    "completed_on": (S.ACCEPTED, S.SETTLED),
    "accepted_on": (S.SETTLED,),
    "stop_requested_on": (S.STOPPED,),
}
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
    batch: Batch | None = None
    carried_over_from: Batch | None = None
    cluster: "IndustrialCluster | None" = None


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
    wanted = {fold(h): k for h, k in HEADER_ALIASES.items()} | {fold(h): k for h, k in COLUMNS}
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
    _match_by_title(parsed, look, taken=set(seen_codes))
    return parsed, errors


def _match_by_title(parsed: list[Row], look: "_Lookups", *, taken: set[str]) -> None:
    """A row without a code is the plan's đề án of the same title (the n-th such row the n-th such đề án, by
    code), so the file filled without codes and uploaded again changes nothing instead of adding copies."""
    free: dict[str, list[str]] = {}
    for code, title in look.existing:
        if code not in taken:
            free.setdefault(fold(title), []).append(code)
    for row in parsed:
        if not row.values.get("code") and row.values.get("title"):
            codes = free.get(fold(row.values["title"]))
            if codes:
                row.values["code"] = codes.pop(0)


class _Lookups:
    def __init__(self, plan: AnnualPlan, actor: "User | None"):
        from khuyencong.beneficiaries.selectors import establishment_list_for

        self.plan, self.actor = plan, actor
        self._clusters: dict | None = None
        self.existing = list(Project.objects.filter(plan=plan).order_by("code").values_list("code", "title"))
        day = dt.date(plan.year, 6, 30)
        self.contents = {c.code: c for c in ActivityContent.objects.valid_on(day)}
        self.caps = {c.code: c for c in SupportCap.objects.all()}
        province = plan.province
        communes = AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).filter(current_province=province)
        self.communes: dict[str, list[AdminUnit]] = {}
        for u in communes.select_related("parent"):
            for key in {fold(u.name), fold(u.short_name)}:
                self.communes.setdefault(key, []).append(u)
        self._batches: dict[int, dict[int, Batch]] = {}
        visible = establishment_list_for(user=actor).filter(province=province)
        self.by_tax = {}
        self.by_name: dict[str, list] = {}
        for e in visible.only("pk", "name", "tax_code", "commune_id", "province_id", "search_text"):
            if e.tax_code:
                self.by_tax[e.tax_code] = e
            self.by_name.setdefault(fold(e.name), []).append(e)

    @property
    def clusters(self) -> dict[str, list]:
        """The clusters the reader may see, by folded name (read once, when the file names one): those of
        the plan's province under their key, the others under ("other", key) to tell that case apart."""
        if self._clusters is None:
            from khuyencong.clusters.selectors import cluster_list_for

            self._clusters = {}
            visible = (
                cluster_list_for(user=self.actor)
                .select_related(None)
                .only("pk", "name", "province_id", "commune_id", "current_commune_id")
            )
            for c in visible:
                key = cluster_key(c.name)
                if c.province_id != self.plan.province_id:
                    key = ("other", key)
                self._clusters.setdefault(key, []).append(c)
        return self._clusters

    def batches(self, year: int) -> dict[int, Batch]:
        """The batches of the plan (its year) or of the same unit's plan of that level in an earlier year."""
        if year not in self._batches:
            plan = self.plan
            qs = (
                Batch.objects.filter(plan=plan)
                if year == plan.year
                else Batch.objects.filter(plan__unit_id=plan.unit_id, plan__level=plan.level, plan__year=year)
            )
            self._batches[year] = {b.number: b for b in qs}
        return self._batches[year]


def cluster_key(name: str) -> str:
    """A cluster's name folded (case, diacritics, đ) without its "Cụm công nghiệp" / "CCN" prefix: "CCN An
    Hiệp", "cụm công nghiệp An Hiep" and "An Hiệp" are the same cluster."""
    key = fold(name)
    for prefix in ("cum cong nghiep ", "ccn "):
        if key.startswith(prefix):
            return key[len(prefix) :].strip()
    return key


def _parse_cluster(row: Row, text: str, look: _Lookups, err) -> None:
    if not text:
        return
    key = cluster_key(text)
    province = look.plan.province.name
    found = look.clusters.get(key, [])
    if len(found) > 1 and row.commune is not None:
        found = [c for c in found if row.commune.pk in (c.commune_id, c.current_commune_id)] or found
    if len(found) > 1:
        err(
            "cluster",
            text,
            "Có nhiều cụm công nghiệp trùng tên trong tỉnh: ghi xã, phường của cụm ở cột «Xã, phường».",
        )
        return
    if not found:
        if look.clusters.get(("other", key)):
            err(
                "cluster",
                text,
                f"Cụm công nghiệp này không thuộc {province} (tỉnh của kế hoạch): đề án chỉ gắn với cụm "
                "của tỉnh mình.",
            )
        else:
            err(
                "cluster",
                text,
                f"Không có cụm công nghiệp tên này trong {province}: hãy ghi cụm ở trang «Cụm công "
                "nghiệp» trước, hoặc sửa tên cho đúng.",
            )
        return
    try:
        services.check_cluster_content(found[0], row.content)
    except DomainError as exc:
        err("cluster", text, exc.message)
        return
    row.cluster = found[0]


def _parse_batch(row: Row, text: str, look: _Lookups, err) -> None:
    import re

    if not text:
        return
    m = re.fullmatch(r"(?:đợt\s*)?(\d{1,3})(?:\s*/\s*(\d{4}))?(?:\s*\(.*\))?", text.strip().lower())
    if m is None:
        err(
            "batch",
            text,
            "Ghi số đợt (ví dụ 1), hoặc số/năm nếu chuyển tiếp từ đợt năm trước (ví dụ 2/2015).",
        )
        return
    number, year = int(m.group(1)), int(m.group(2) or look.plan.year)
    if year > look.plan.year:
        err("batch", text, f"Đợt chuyển tiếp phải của năm trước năm {look.plan.year}.")
        return
    batch = look.batches(year).get(number)
    if batch is None:
        where = "kế hoạch này" if year == look.plan.year else f"kế hoạch năm {year} cùng cấp"
        err("batch", text, f"Không có đợt {number} trong {where}.")
    elif year == look.plan.year:
        row.batch = batch
    else:
        row.carried_over_from = batch


def _parse_row(row: Row, values: dict, look: _Lookups, errors: list) -> None:
    n = row.excel_row

    def err(key, value, reason):
        errors.append(ImportRowError(n, HEADER_OF[key], _text(value), reason))

    v = row.values
    v["_columns"] = set(values)  # the columns the file has (an absent optional column changes nothing)
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
    _parse_batch(row, _text(values.get("batch")), look, err)
    _parse_cluster(row, _text(values.get("cluster")), look, err)
    for key in ("decision_no", "contract_no", "status_document", "note", "implementing_unit"):
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
    for key, statuses in STEP_DATE_FOR.items():
        if v[key] and status not in statuses:
            names = ", ".join(f"«{S(s).label}»" for s in statuses)
            err(key, v[key].strftime("%d/%m/%Y"), f"Cột này chỉ dùng cho đề án ở trạng thái {names}.")
    if v["appraised_on"] and (r < rank(S.APPRAISED) or status == S.CANCELLED):
        err("appraised_on", v["appraised_on"].strftime("%d/%m/%Y"), "Đề án chưa qua bước thẩm định.")
    if v["progress_date"] and v["progress"] is None:
        err("progress", "", "Có ngày báo cáo tiến độ thì cần tiến độ (%).")
    chain = [
        ("created_on", "ngày lập đề án"),
        ("registered_on", "ngày đăng ký"),
        ("appraised_on", "ngày thẩm định"),
        ("decision_date", "ngày quyết định phê duyệt"),
        ("contract_date", "ngày hợp đồng"),
        ("progress_date", "ngày báo cáo tiến độ"),
        ("completed_on", "ngày hoàn thành"),
        ("accepted_on", "ngày nghiệm thu"),
        ("stop_requested_on", "ngày xin dừng"),
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


def _assign_codes(rows: list[Row], plan: AnnualPlan, existing: set[str]) -> list[str]:
    """Each row's code: its own, else the next free one (codes written in the file are never given to an
    uncoded row)."""
    taken = set(existing) | {r.values["code"] for r in rows if r.values["code"]}
    return [r.values["code"] or next_code(plan, taken) for r in rows]


def plan_projects_import(
    *,
    actor: "User | None",
    plan: AnnualPlan,
    content: bytes,
    filename: str,
    commit: bool = True,
    bulk: bool = True,
) -> ImportResult:
    """Validate the whole file, then write every row or none. With `commit=False` it is the preview: it says
    what would be created and changed and raises every error the import would, and writes nothing.

    New đề án go the bulk way (`BulkCreate`): each is walked through the workflow table in memory by the
    engine's own checks (`core.workflow.prepare_step`) and the services' rules (caps, payments), then all are
    inserted set-based; the preview stops before the inserts. An existing đề án whose row is unchanged is
    left alone without a write; a changed one goes through the page services (a revision if it is past
    approval), rolled back in the preview. `bulk=False` sends new đề án through the page services too, one
    by one (the reference the bulk way is tested against)."""
    require_edit(actor, "nhập đề án từ Excel")
    services._require_scope(actor, plan.province_id)
    rows, errors = parse(content, plan=plan, actor=actor)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    reason = f"Nhập từ Excel: {filename}"
    try:
        with transaction.atomic():
            # One import of a plan at a time (the codes it gives must stay free until it commits).
            list(AnnualPlan.objects.select_for_update().filter(pk=plan.pk).order_by().values_list("pk"))
            existing = {p.code: p for p in Project.objects.filter(plan=plan).order_by()}
            codes = _assign_codes(rows, plan, set(existing))
            facts = _Facts(plan) if bulk and existing else None
            clusters = {r.cluster.pk for r in rows if r.cluster is not None}
            creator = BulkCreate(plan=plan, actor=actor, reason=reason, clusters=clusters) if bulk else None
            new: list[_New] = []
            row_errors = []
            for row, code in zip(rows, codes, strict=True):
                project = existing.get(code)
                try:
                    if project is None and creator is not None:
                        new.append(creator.prepare(row, code))
                        result.created += 1
                        result.establishments_created += len(row.to_create)
                        result.lines.append(_created_line(code, row))
                        continue
                    if project is not None and facts is not None and facts.unchanged(project, row):
                        result.unchanged += 1
                        continue
                    with transaction.atomic():
                        _write_row(
                            row,
                            code=code,
                            actor=actor,
                            plan=plan,
                            existing=existing,
                            result=result,
                            reason=reason,
                        )
                except DomainError as exc:
                    column = HEADER_OF.get(_column_of(exc.field)) if exc.field else None
                    row_errors.append(ImportRowError(row.excel_row, column, "", exc.message))
            if not row_errors and new and clusters and result.updated:
                # Changed đề án were written through the services after the clusters' money was read: check
                # the new ones again against what the database holds now.
                row_errors = creator.recheck_clusters(new)
            if row_errors:
                raise ImportFailed(row_errors)
            if commit and new:
                creator.write(new)
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


def _created_line(code: str, row: Row) -> str:
    return f"Tạo mới {code}: {row.values['title']} — {S(row.values['status']).label}"


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


def _registration_day(plan: AnnualPlan, v: dict) -> dt.date:
    """The business date of the đề án's creation step (the registration, else its first dated document)."""
    if v.get("created_on"):
        return v["created_on"]
    registered = v["registered_on"] or v["decision_date"] or v["status_date"] or dt.date(plan.year, 1, 1)
    return min(registered, dt.date.today())


def _create_fields(row: Row, plan: AnnualPlan, code: str) -> dict:
    """What `services.project_create` is given for a new đề án of the file (both ways use it)."""
    v = row.values
    return {
        "plan": plan,
        "code": code,
        "title": v["title"],
        "content": row.content,
        "support_cap": row.support_cap,
        "commune": row.commune,
        "is_flagship": v["is_flagship"],
        "recoverable": v["recoverable"],
        "start_date": v["start_date"],
        "end_date": v["end_date"],
        "batch": row.batch,
        "carried_over_from": row.carried_over_from,
        "implementing_unit": v["implementing_unit"] or "",
        "cluster": row.cluster,
    }


def _write_row(row: Row, *, code: str, actor: "User | None", plan, existing, result, reason):
    """One row through the page services: a new đề án (bulk=False) or a changed one."""
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
    project = existing.get(code)
    if project is None:
        project = services.project_create(
            actor=actor,
            establishments=ests,
            note=reason,
            funding=_funding(plan, v, approved=False),
            effective_date=_registration_day(plan, v),
            **_create_fields(row, plan, code),
        )
        _advance(project, v, actor=actor, plan=plan, reason=reason)
        result.created += 1
        result.lines.append(_created_line(code, row))
        existing[code] = project
        return
    changed = _update(project, row, ests, actor=actor, plan=plan, reason=reason)
    if changed:
        result.updated += 1
        result.lines.append(f"Cập nhật {code}: {', '.join(changed)}")
    else:
        result.unchanged += 1


def _step(project, to, *, actor: "User | None", date, **data):
    project.refresh_from_db()
    return services.project_transition(
        project=project,
        actor=actor,
        to_status=to,
        expected_version=project.version,
        effective_date=date,
        recorded=True,
        **data,
    )


# Markers in a row's steps: record the row's payment here (PAY_FIRST: only if the đề án has none yet).
PAY, PAY_FIRST = "pay", "pay_first"


def _plan_steps(
    frm: str, v: dict, *, plan, reason: str, report: bool = False, names: list[str] = ()
) -> list[tuple[str, object, dict]]:
    """The steps that take a đề án from `frm` to the row's status, each (to, business date, data) as
    `services.project_transition` takes them (the data's note is the import's reason unless the row gives
    one), with PAY / PAY_FIRST where the row's payment is recorded. Both ways of writing walk this list.
    `report`: a đề án in progress whose row gives another progress % gets a progress step first; `names`: the
    beneficiaries' names, who request a stop."""
    target = v["status"]
    if target == frm and not report:
        return [(PAY, None, {})]
    registered = v["registered_on"] or v["decision_date"] or v["status_date"]
    decision = v["decision_date"] or v["status_date"] or registered
    when = v["status_date"] or decision
    steps: list[tuple[str, object, dict]] = []
    path = ([S.IN_PROGRESS] if report else []) + _path_to(frm, target, has_contract=bool(v["contract_no"]))
    for to in path:
        if to == S.REGISTERED:
            steps.append((to, registered, {}))
        elif to == S.APPRAISED:
            steps.append(
                (
                    to,
                    v["appraised_on"] or decision,
                    {"appraisal_result": "passed", "appraisal_notes": "Đạt (nhập từ Excel)"},
                )
            )
        elif to == S.APPROVED:
            steps.append(
                (
                    to,
                    decision,
                    {
                        "decision_no": v["decision_no"],
                        "decision_date": decision,
                        "approved": _funding(plan, v, approved=True),
                    },
                )
            )
        elif to == S.CONTRACTED:
            steps.append(
                (
                    to,
                    v["contract_date"],
                    {"contract_no": v["contract_no"], "contract_date": v["contract_date"]},
                )
            )
        elif to == S.IN_PROGRESS:
            pct = min(v["progress"] if v["progress"] is not None else 0, 99)
            day = v["progress_date"] or when
            steps.append((to, day, {"progress_pct": pct, "progress_date": day}))
        elif to == S.COMPLETED:
            steps.append((to, v["completed_on"] or when, {}))
        elif to == S.ACCEPTED:
            if v["paid"]:
                steps.append((PAY_FIRST, None, {}))
            accepted = v["accepted_on"] or when
            steps.append(
                (
                    to,
                    accepted,
                    {
                        "acceptance_date": accepted,
                        "acceptance_minutes_no": v["status_document"],
                        "acceptance_result": "Đạt",
                    },
                )
            )
        elif to == S.SETTLED:
            steps.append((PAY, None, {}))
            steps.append((to, when, {"settled_amount": v["paid"] or 0, "settled_date": when}))
        elif to == S.STOP_REQUESTED:
            steps.append(
                (
                    to,
                    v["stop_requested_on"] or when,
                    {
                        "stop_reason": v["note"] or reason,
                        "stop_requested_by": ", ".join(names) or "Đơn vị thụ hưởng",
                    },
                )
            )
        elif to in (S.STOPPED, S.CANCELLED):
            steps.append((to, when, {"note": v["note"] or reason}))
    steps.append((PAY, None, {}))
    for to, _date, data in steps:
        if to not in (PAY, PAY_FIRST):
            data.setdefault("note", reason)
    return steps


def _advance(project: Project, v: dict, *, actor: "User | None", plan, reason) -> None:
    """Walk the đề án from its status to the row's through the services, each step dated by its document."""
    names = [b.establishment.name for b in project.beneficiaries.select_related("establishment")]
    report = _progress_report(project, v)
    for to, date, data in _plan_steps(
        project.status, v, plan=plan, reason=reason, report=report, names=names
    ):
        if to == PAY or (to == PAY_FIRST and not project.disbursements.exists()):
            _pay(project, v, actor=actor, plan=plan, reason=reason)
        elif to != PAY_FIRST:
            project = _step(project, to, actor=actor, date=date, **data)


def _progress_report(project: Project, v: dict) -> bool:
    """A đề án in progress whose row gives another progress % (a later report) gets a progress step first."""
    return (
        project.status == S.IN_PROGRESS
        and v["progress"] is not None
        and min(v["progress"], 99) != project.progress_pct
        and v["status"] not in BRANCH
        and rank(v["status"]) >= rank(S.IN_PROGRESS)
    )


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
        last = S.CONTRACTED if has_contract else S.APPROVED
        base = _path_to(frm, last, has_contract=has_contract) if rank(frm) < rank(last) else []
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


def _edit_fields(row: Row) -> dict:
    """The đề án's own fields a row sets (the batch and implementing unit only when the file has those
    columns: an absent optional column changes nothing)."""
    v = row.values
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
    if "implementing_unit" in v["_columns"]:
        fields["implementing_unit"] = v["implementing_unit"]
    if "batch" in v["_columns"]:
        fields["batch"] = row.batch
    if "cluster" in v["_columns"]:
        fields["cluster"] = row.cluster
    return fields


def _adjustable(diff: dict) -> dict:
    """The changed fields an adjustment (past approval) takes; a blank cluster cell keeps the đề án's cluster
    (an adjustment names a cluster, it does not take it away)."""
    return {
        k: val
        for k, val in diff.items()
        if k in services.ADJUST_FIELDS and not (k == "cluster" and val is None)
    }


def _field_diff(project: Project, fields: dict) -> dict:
    """The fields whose value differs from the đề án's (foreign keys compared by id: no query)."""
    out = {}
    for k, val in fields.items():
        f = Project._meta.get_field(k)
        if f.is_relation:
            differs = getattr(project, f.attname) != (val.pk if val is not None else None)
        else:
            differs = getattr(project, k) != val
        if differs:
            out[k] = val
    return out


def _update(project: Project, row: Row, ests: list, *, actor: "User | None", plan, reason) -> list[str]:
    """Apply what changed; returns the Vietnamese names of what changed (empty: nothing written)."""
    v = row.values
    changed = []
    diff = _field_diff(project, _edit_fields(row))
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
        adjust = _adjustable(diff)
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
    if v["status"] != project.status or _progress_report(project, v):
        same = v["status"] == project.status
        _advance(project, v, actor=actor, plan=plan, reason=reason)
        changed.append(f"tiến độ → {v['progress']}%" if same else f"trạng thái → {S(v['status']).label}")
    else:
        before = sum(d.amount for d in project.disbursements.all())
        _pay(project, v, actor=actor, plan=plan, reason=reason)
        if sum(d.amount for d in project.disbursements.all()) != before:
            changed.append("đã tạm ứng, thanh toán")
    return changed


class _Facts:
    """The plan's đề án money, beneficiaries and payments, read once: tells a re-imported row that would
    change nothing (`_update` would write nothing) without a query."""

    def __init__(self, plan: AnnualPlan):
        from django.db.models import Sum

        from .models import Disbursement, ProjectBeneficiary, ProjectFunding

        self.src = public_source(plan)
        self.money: dict[int, dict[str, tuple[int, int]]] = {}
        for pid, code, requested, approved in (
            ProjectFunding.objects.filter(project__plan=plan)
            .order_by()
            .values_list("project_id", "source__code", "requested", "approved")
        ):
            self.money.setdefault(pid, {})[code] = (requested, approved)
        self.links: dict[int, set[int]] = {}
        for pid, eid in (
            ProjectBeneficiary.objects.filter(project__plan=plan)
            .order_by()
            .values_list("project_id", "establishment_id")
        ):
            self.links.setdefault(pid, set()).add(eid)
        self.paid = dict(
            Disbursement.objects.filter(project__plan=plan)
            .order_by()
            .values("project_id")
            .annotate(s=Sum("amount"))
            .values_list("project_id", "s")
        )

    def unchanged(self, project: Project, row: Row) -> bool:
        v = row.values
        if row.to_create or v["status"] != project.status or _progress_report(project, v):
            return False
        diff = _field_diff(project, _edit_fields(row))
        if {e.pk for e in row.establishments} != self.links.get(project.pk, set()):
            diff["establishments"] = row.establishments
        money = self.money.get(project.pk, {})
        now = (money.get(self.src, (0, 0))[0], money.get("counterpart", (0, 0))[0])
        if now != (v["requested"] or 0, v["counterpart"] or 0):
            return False
        if project.status in services.EDITABLE:
            if diff:
                return False
        else:
            if _adjustable(diff):
                return False
            if v["approved"] is not None and money.get(self.src, (0, 0))[1] != v["approved"]:
                return False
        return not v["paid"] or (self.paid.get(project.pk) or 0) == v["paid"]


# ---------------------------------------------------------------------------------------------------- bulk


class _Money:
    """A funding row held in memory (what `services.check_caps` reads)."""

    __slots__ = ("source", "requested", "approved", "effective_date")

    def __init__(self, source):
        self.source, self.requested, self.approved, self.effective_date = source, 0, 0, None


class _Snapshot:
    """A row's values at one save, as simple-history's `bulk_history_create` reads them."""

    def __init__(self, values: dict, *, user, reason: str, when):
        self.__dict__.update(values)
        self._history_user, self._change_reason, self._history_date = user, reason, when


@dataclass
class _New:
    """One new đề án held in memory with everything its steps wrote: history snapshots of the đề án (values,
    reason, "+"/"~"), its money rows and their history, status changes, payments and beneficiaries."""

    row: Row
    project: Project
    snapshots: list = field(default_factory=list)
    money: dict = field(default_factory=dict)
    money_history: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    establishments: list = field(default_factory=list)
    last: dt.date | None = None


class BulkCreate:
    """New đề án of a clean file, the set-based way. `prepare` walks one row through the same steps as
    `services.project_create` + `project_transition` would — the workflow table, roles, required data and
    date order by `core.workflow.prepare_step`; the step fields by `services._apply_target`; money by
    `services.check_plan_sources` and `check_caps`; the payment by `services.disbursement_row`; the change
    rows by `services.transition_change` — holding the result in memory (no query per row). `write` inserts
    everything in batches with the history rows the services would have written (same reasons, same
    values after each step), then the search column, the as-of table and the dashboard mark."""

    BATCH = 500

    def __init__(
        self, *, plan: AnnualPlan, actor: "User | None", reason: str, clusters: set[int] = frozenset()
    ):
        from khuyencong.catalog.models import FundingSource
        from khuyencong.core.permissions import OFFICER, role_of

        self.plan, self.actor, self.reason = plan, actor, reason
        self.user = services._user(actor)
        self.role = role_of(actor)
        self.extra_roles = frozenset({OFFICER})  # recorded decisions (project_transition recorded=True)
        self.sources = {s.code: s for s in FundingSource.objects.all()}
        self.caps: dict[tuple, list[SupportCap]] = {}
        for cap in SupportCap.objects.select_related("legal_basis").order_by("code"):
            self.caps.setdefault((cap.content_id, cap.funding_source_id), []).append(cap)
        self._source_checks: dict[tuple, DomainError | None] = {}
        self.project_fields = [f.attname for f in Project.history.model.tracked_fields]
        # The per-cluster caps: the money the clusters the file names hold in the database (read once, the
        # clusters locked), plus what the file's earlier new rows hold, per (cluster, source).
        self.cluster_ids = set(clusters)
        self._cluster_db: dict[tuple[int, int], int] | None = None
        self._cluster_names: dict[int, str] = {}
        self._cluster_file: dict[tuple[int, int], list[tuple[int, int]]] = {}

    # --- rules read once

    def _caps_for(self, content, source, day):
        return [
            c
            for c in self.caps.get((content.pk, source.pk), ())
            if (c.valid_from is None or c.valid_from <= day) and (c.valid_to is None or c.valid_to >= day)
        ]

    def _read_clusters(self) -> None:
        """Lock the clusters the file names and read the money their active đề án hold (one query each)."""
        from khuyencong.clusters.models import IndustrialCluster
        from khuyencong.clusters.selectors import INACTIVE

        from .models import ProjectFunding

        ids = sorted(self.cluster_ids)
        self._cluster_names = dict(
            IndustrialCluster.objects.select_for_update().filter(pk__in=ids).values_list("pk", "name")
        )
        held: dict[tuple[int, int], int] = {}
        for cid, sid, approved, requested in (
            ProjectFunding.objects.filter(project__cluster_id__in=ids)
            .exclude(project__status__in=INACTIVE)
            .order_by()
            .values_list("project__cluster_id", "source_id", "approved", "requested")
        ):
            held[(cid, sid)] = held.get((cid, sid), 0) + (approved or requested)
        self._cluster_db = held

    def _cluster_held(self, project: Project, source) -> tuple[str, int, str]:
        """`services.check_caps`'s per-cluster read: (name, money held by the cluster's other đề án, which
        rows of the file are among them)."""
        if self._cluster_db is None:
            self._read_clusters()
        key = (project.cluster_id, source.pk)
        earlier = self._cluster_file.get(key, [])
        held = self._cluster_db.get(key, 0) + sum(amount for _n, amount in earlier)
        where = f" (kể cả dòng {', '.join(str(n) for n, _a in earlier)} của tệp)" if earlier else ""
        return self._cluster_names.get(project.cluster_id, ""), held, where

    def _hold_cluster_money(self, new: "_New") -> None:
        """A prepared row's money now counts against its cluster for the file's later rows."""
        from khuyencong.clusters.selectors import INACTIVE

        p = new.project
        if not p.cluster_id or p.status in INACTIVE:
            return
        for m in new.money.values():
            amount = m.approved or m.requested
            if amount:
                self._cluster_file.setdefault((p.cluster_id, m.source.pk), []).append(
                    (new.row.excel_row, amount)
                )

    def recheck_clusters(self, new: list["_New"]) -> list[ImportRowError]:
        """The new rows' per-cluster caps again, against the database as it is now (after the file's changed
        đề án were written) and the earlier new rows; the errors by row."""
        self._read_clusters()
        self._cluster_file = {}
        errors = []
        for n in new:
            if not n.project.cluster_id:
                continue
            try:
                self._check_caps(n)
            except DomainError as exc:
                errors.append(ImportRowError(n.row.excel_row, HEADER_OF["requested"], "", exc.message))
                continue
            self._hold_cluster_money(n)
        return errors

    def _check_caps(self, new: "_New") -> None:
        services.check_caps(
            new.project,
            self._money_rows(new),
            n_establishments=self._n_establishments(new),
            caps_for=self._caps_for,
            cluster_held=self._cluster_held,
        )

    def _check_sources(self, codes: list[str]) -> None:
        key = tuple(codes)
        if key not in self._source_checks:
            try:
                services.check_plan_sources(self.plan, codes)
                self._source_checks[key] = None
            except DomainError as exc:
                self._source_checks[key] = exc
        problem = self._source_checks[key]
        if problem is not None:
            raise DomainError(
                problem.message, field=problem.field, code=problem.code, details=problem.details
            )

    def _source(self, code):
        source = self.sources.get(code.code if hasattr(code, "code") else str(code).strip())
        if source is None:
            raise DomainError(f"Không có nguồn kinh phí «{code}».", field="source")
        return source

    # --- one row in memory

    def prepare(self, row: Row, code: str) -> _New:
        from khuyencong.core.audit import normalise_text_fields
        from khuyencong.core.workflow import business_date

        v, plan = row.values, self.plan
        day = business_date(_registration_day(plan, v), label="Ngày lập đề án")
        if not code or not v["title"]:
            raise DomainError("Đề án cần có mã và tên.", field="title" if code else "code")
        project = services.project_row(**_create_fields(row, plan, code))
        project.province_id = plan.province_id
        normalise_text_fields(project)
        new = _New(row=row, project=project)
        self._snapshot(new, services.CREATE_REASON)
        wanted = {e.pk: e for e in row.establishments}
        for est in wanted.values():
            if plan.province_id is not None and est.province_id != plan.province_id:
                raise DomainError(
                    f"Cơ sở «{est.name}» không thuộc tỉnh của kế hoạch.", field="establishments"
                )
        new.establishments = list(wanted.values())
        self._apply_funding(new, _funding(plan, v, approved=False), ("requested", "approved"), day)
        self._change(
            new,
            services.change_fields(
                project=project,
                actor=self.actor,
                effective_date=day,
                from_status="",
                to_status=project.status,
                action="create",
                note=self.reason,
                progress_pct=0,
            ),
        )
        names = [e.name for e in new.establishments] + list(row.to_create)
        for to, date, data in _plan_steps(project.status, v, plan=plan, reason=self.reason, names=names):
            if to == PAY or (to == PAY_FIRST and not new.payments):
                self._pay(new)
            elif to != PAY_FIRST:
                self._transition(new, to, date, dict(data))
        self._hold_cluster_money(new)
        return new

    def _snapshot(self, new: _New, reason: str) -> None:
        p = new.project
        new.snapshots.append(({f: getattr(p, f) for f in self.project_fields}, reason))

    def _change(self, new: _New, change: dict) -> None:
        """Keep a StatusChange row's fields (texts in NFC, as `save_audited` stores them)."""
        from khuyencong.core.text import nfc

        for key, value in change.items():
            if isinstance(value, str):
                change[key] = nfc(value)
        new.changes.append(change)
        day = change["effective_date"]
        new.last = day if new.last is None else max(new.last, day)

    def _n_establishments(self, new: _New) -> int:
        return max(1, len(new.establishments) + len(new.row.to_create))

    def _apply_funding(self, new: _New, funding: dict, columns, day) -> None:
        """`services._apply_funding` on the rows held in memory."""
        self._check_sources(
            [
                code
                for code, values in funding.items()
                if any(values.get(c) not in (None, "", 0, "0") for c in columns)
            ]
        )
        for code, values in funding.items():
            source = self._source(code)
            row = new.money.get(source.code)
            created = row is None
            row = row or _Money(source)
            changed = created
            for col in columns:
                if col in values and values[col] is not None:
                    amount = services._money(values[col], f"Kinh phí {source.short_name}", "funding")
                    if getattr(row, col) != amount:
                        setattr(row, col, amount)
                        changed = True
            if changed:
                row.effective_date = day or dt.date.today()
                new.money[source.code] = row
                new.money_history.append(
                    (source.code, row.requested, row.approved, row.effective_date, "+" if created else "~")
                )
        self._check_caps(new)

    def _money_rows(self, new: _New) -> list[_Money]:
        return sorted(new.money.values(), key=lambda m: (m.source.order, m.source.pk))

    def _money_snapshot(self, new: _New) -> dict:
        return {
            m.source.code: {"requested": m.requested, "approved": m.approved} for m in self._money_rows(new)
        }

    def _transition(self, new: _New, to: str, date, data: dict) -> None:
        """`services.project_transition(recorded=True)` on the đề án held in memory."""
        from khuyencong.core.workflow import prepare_step

        money_before = self._money_snapshot(new)

        def apply(p, frm, to_status, data, day):
            services._apply_target(
                p, frm, to_status, data, day, disbursed=sum(d.amount for d in new.payments)
            )
            if to_status == S.APPROVED:
                approved = services.approval_funding(
                    data, {m.source.code: m.requested for m in self._money_rows(new)}
                )
                self._apply_funding(new, approved, ("approved",), day)

        step = prepare_step(
            workflow=services.PROJECT_WORKFLOW,
            instance=new.project,
            role=self.role,
            to_status=to,
            effective_date=services._step_date(date, data),
            data=data,
            tracked=services.TRACKED,
            previous=new.last,
            apply=apply,
            extra_roles=self.extra_roles,
        )
        self._snapshot(new, step.rule["label"])
        self._change(
            new,
            services.transition_fields(
                step, actor=self.actor, money_before=money_before, money_after=self._money_snapshot(new)
            ),
        )

    def _pay(self, new: _New) -> None:
        """`_pay` + `services.disbursement_create` on the đề án held in memory."""
        from khuyencong.core.audit import normalise_text_fields

        v = new.row.values
        if not v["paid"]:
            return
        paid = sum(d.amount for d in new.payments)
        if paid >= v["paid"]:
            return
        source = self._source(public_source(self.plan))
        money = new.money.get(source.code)
        payment = services.disbursement_row(
            project=new.project,
            kind="payment",
            source=source,
            amount=v["paid"] - paid,
            date=v["paid_date"],
            document_no=v["status_document"],
            note=self.reason,
            approved=money.approved if money else 0,
            paid=sum(d.amount for d in new.payments if d.source_id == source.pk),
        )
        normalise_text_fields(payment)
        new.payments.append(payment)

    # --- set-based writes

    def write(self, new: list[_New]) -> None:
        from khuyencong.beneficiaries import services as est_services
        from khuyencong.reports.figures import mark_plans

        from . import asof

        for n in new:  # establishments the file asks to create (few): through their service, as the pages
            for name in n.row.to_create:
                n.establishments.append(
                    est_services.establishment_create(
                        actor=self.actor,
                        data={"name": name, "establishment_type": "HKD", "commune": n.row.commune},
                        reason=self.reason,
                    )
                )
        ids = []
        for start in range(0, len(new), self.BATCH):
            ids += self._write_batch(new[start : start + self.BATCH])
        asof.rebuild(ids)
        mark_plans([self.plan.pk])

    def _write_batch(self, batch: list[_New]) -> list[int]:
        from django.utils import timezone

        from .models import Disbursement, ProjectBeneficiary, ProjectFunding, StatusChange

        now = timezone.now()
        tick = dt.timedelta(microseconds=1)
        meta = {"history_user_id": self.user.pk if self.user else None}

        def history(values: dict, reason: str, kind: str, k: int = 0) -> dict:
            return {
                **values,
                **meta,
                "history_date": now + k * tick,
                "history_type": kind,
                "history_change_reason": reason,
            }

        # The đề án, then their history: one row per save the services would make (creation, each step).
        projects = []
        for n in batch:
            p = n.project
            p.search_text = " | ".join(
                [fold(f"{p.code} {p.title}"), *(e.search_text for e in n.establishments)]
            )
            p.created_at = p.updated_at = now
            projects.append(_values(p))
        insert_rows(Project, projects)
        ids = dict(
            Project.objects.filter(plan=self.plan, code__in=[n.project.code for n in batch]).values_list(
                "code", "pk"
            )
        )
        rows = []
        for n in batch:
            p = n.project
            p.pk = ids[p.code]
            for k, (values, reason) in enumerate(n.snapshots):
                values.update(id=p.pk, created_at=now, updated_at=now)
                rows.append(history(values, reason, "~" if k else "+", k))
        insert_rows(Project.history.model, rows)
        pids = [n.project.pk for n in batch]

        base = {"created_at": now, "updated_at": now, "version": 1}
        links = [
            {**base, "project_id": n.project.pk, "establishment_id": e.pk, "note": ""}
            for n in batch
            for e in n.establishments
        ]
        _insert_with_history(
            ProjectBeneficiary, links, pids, reason=services.BENEFICIARY_REASON, history=history
        )

        money, money_history = [], []
        for n in batch:
            for code, m in n.money.items():
                values = {
                    **base,
                    "project_id": n.project.pk,
                    "source_id": m.source.pk,
                    "requested": m.requested,
                    "approved": m.approved,
                    "effective_date": m.effective_date,
                }
                money.append(values)
                for k, (hcode, requested, approved, effective, kind) in enumerate(n.money_history):
                    if hcode == code:
                        money_history.append((kind, k, values, requested, approved, effective))
        if money:
            insert_rows(ProjectFunding, money)
            found = {
                (pid, sid): pk
                for pk, pid, sid in ProjectFunding.objects.filter(project_id__in=pids)
                .order_by()
                .values_list("pk", "project_id", "source_id")
            }
            rows = {"+": [], "~": []}
            for kind, k, values, requested, approved, effective in money_history:
                row = {
                    **values,
                    "id": found[(values["project_id"], values["source_id"])],
                    "requested": requested,
                    "approved": approved,
                    "effective_date": effective,
                }
                rows[kind].append(history(row, services.FUNDING_REASON, kind, k))
            # Creations first: a row's later history ids are larger (as-of reads the last by date, then id).
            insert_rows(ProjectFunding.history.model, rows["+"] + rows["~"])

        changes = []
        defaults = bulk_defaults(StatusChange)
        for n in batch:
            for c in n.changes:
                actor = c.pop("actor")
                del c["project"]
                changes.append(
                    {
                        **defaults,
                        **c,
                        **base,
                        "project_id": n.project.pk,
                        "actor_id": actor.pk if actor else None,
                        "changed_at": now,  # entered now, all at once
                    }
                )
        _insert_with_history(StatusChange, changes, pids, reason=services.CHANGE_REASON, history=history)
        payments = []
        for n in batch:
            for d in n.payments:
                d.project_id = n.project.pk
                d.created_at = d.updated_at = now
                payments.append(_values(d))
        _insert_with_history(
            Disbursement, payments, pids, reason=Disbursement.Kind.PAYMENT.label, history=history
        )
        return pids


def _values(instance) -> dict:
    """A row's column values (primary key left out), as the insert takes them."""
    return {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if not f.primary_key
    }


def _insert_with_history(model, rows: list[dict], project_ids: list[int], *, reason: str, history) -> None:
    """Insert rows of a đề án's child model, then one history row each ("+", `reason`). The new rows' ids are
    read back in id order, which is the order they were inserted in (their đề án were created by this
    import, in this transaction: no one else writes rows for them)."""
    if not rows:
        return
    insert_rows(model, rows)
    ids = list(model.objects.filter(project_id__in=project_ids).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(rows):
        raise RuntimeError(f"{model.__name__}: {len(rows)} rows inserted, {len(ids)} found")
    insert_rows(
        model.history.model,
        [history({**row, "id": pk}, reason, "+") for row, pk in zip(rows, ids, strict=True)],
    )


# ---------------------------------------------------------------------------------------------------- templat


def _row_of(project: Project, plan: AnnualPlan) -> list:
    funding = {f.source.code: f for f in project.fundings.all()}
    src = public_source(plan)
    last = project.status_changes.order_by("-effective_date", "-pk").first()
    paid = [d for d in project.disbursements.all()]
    ests = [e.establishment for e in project.beneficiaries.all()]
    first = project.status_changes.order_by("effective_date", "pk").filter(to_status=S.REGISTERED).first()
    steps = _step_dates(project)
    progress_step = steps.get(S.IN_PROGRESS) if rank(project.status) >= rank(S.IN_PROGRESS) else None
    if project.status in BRANCH:
        progress_step = None
    batch = project.batch or project.carried_over_from
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
        project.progress_pct if project.status == S.IN_PROGRESS else (progress_step or (None, None))[1],
        sum(d.amount for d in paid) or None,
        max((d.date for d in paid), default=None),
        "",
        (
            ""
            if batch is None
            else str(batch.number)
            if project.batch_id
            else f"{batch.number}/{project.carried_over_from.plan.year}"
        ),
        project.implementing_unit,
        (steps.get(S.DRAFT) or (None,))[0],
        (steps.get(S.APPRAISED) or (None,))[0] if rank(project.status) >= rank(S.APPRAISED) else None,
        progress_step[0] if progress_step else None,
        (steps.get(S.COMPLETED) or (None,))[0] if project.status in STEP_DATE_FOR["completed_on"] else None,
        (steps.get(S.ACCEPTED) or (None,))[0] if project.status in STEP_DATE_FOR["accepted_on"] else None,
        (steps.get(S.STOP_REQUESTED) or (None,))[0]
        if project.status in STEP_DATE_FOR["stop_requested_on"]
        else None,
        project.cluster.name if project.cluster_id else "",
    ]


def _step_dates(project: Project) -> dict[str, tuple]:
    """The date (and progress %) of the last step into each status: what the optional date columns say."""
    out = {}
    for change in project.status_changes.order_by("effective_date", "pk"):
        if change.action == "create":
            out.setdefault(S.DRAFT, (change.effective_date, None))
        elif change.to_status != change.from_status or change.action == "progress":
            out[change.to_status] = (change.effective_date, change.progress_pct)
    return out


def plan_projects_xlsx(*, plan: AnnualPlan, projects, user=None) -> bytes:
    """The plan's đề án in the import columns, a sheet of instructions and one of valid codes (the clusters
    listed there are those of the plan's province that `user` may see)."""
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
    qs = projects.select_related(
        "content",
        "support_cap",
        "commune",
        "commune__parent",
        "batch",
        "carried_over_from__plan",
        "cluster",
    ).prefetch_related("fundings__source", "beneficiaries__establishment", "disbursements")
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
        f"{'KCQG' if plan.level == Level.NATIONAL else 'KCĐP'}-{plan.year}-07); dòng không có mã mà trùng "
        "tên một đề án đã có của kế hoạch được hiểu là đề án đó.",
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
        "Các cột cuối (không bắt buộc) ghi đợt giao, đơn vị thực hiện và ngày của từng bước đề án đã qua: "
        "lập, thẩm định, báo cáo tiến độ (kèm «Tiến độ (%)»), hoàn thành, nghiệm thu (khi đã quyết toán), "
        "xin dừng (khi đã dừng). Để trống thì bước đó lấy ngày của bước sau; các ngày phải theo đúng thứ tự.",
        "Cột «Cụm công nghiệp» (không bắt buộc, chỉ cho đề án nội dung 7): tên cụm của tỉnh như trong danh "
        "sách cụm công nghiệp (xem trang «Mã hợp lệ»; không phân biệt hoa thường, dấu, có hay không chữ "
        "«Cụm công nghiệp»). Kinh phí khuyến công quốc gia hỗ trợ hạ tầng một cụm không quá mức tối đa "
        "của Thông tư 28/2018/TT-BTC, tính trên mọi đề án của cụm, kể cả các dòng khác của tệp này.",
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
            "",
            "Cụm công nghiệp",
            "Xã, phường của cụm",
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
    from khuyencong.clusters.models import IndustrialCluster
    from khuyencong.clusters.selectors import cluster_list_for

    clusters = (cluster_list_for(user=user) if user is not None else IndustrialCluster.objects).filter(
        province_id=plan.province_id
    )
    clusters = clusters.select_related("commune").order_by("name", "pk")
    for i, c in enumerate(clusters, start=1):
        codes.write_row(i, 12, [c.name, c.commune.name])
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
