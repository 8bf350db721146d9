"""Excel import of establishments: all or nothing.

Everything is validated first, in memory (lookup dicts built once: units, types, sectors, existing records),
and every problem is reported as row, column, value and reason in Vietnamese. Only a clean file is written,
in bulk (with history rows carrying the actor and the file name). Re-importing updates the records whose tax
code exists (or, without a tax code, the same name in the same commune) and counts created / updated /
unchanged.

Commune: "Xã, phường" + "Huyện (cũ)" + "Tỉnh" for units before 7/2025, or "Xã, phường" + "Tỉnh" for the
current ones.
"""

import datetime as dt
import functools
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from python_calamine import CalamineWorkbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.core.bulk import rows_inserted
from khuyencong.core.errors import DomainError, ImportFailed, ImportRowError
from khuyencong.core.permissions import require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import fold, nfc
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.services import short_name

from .models import Establishment
from .validators import normalize_tax_code, tax_code_problem

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

# (header, key). The export writes the same columns, so an exported list can be corrected and re-imported.
COLUMNS = [
    ("Tên cơ sở", "name"),
    ("Loại hình", "establishment_type"),
    ("Mã số thuế", "tax_code"),
    ("Số đăng ký kinh doanh", "business_reg_no"),
    ("Ngày đăng ký kinh doanh", "business_reg_date"),
    ("Người đại diện", "representative_name"),
    ("Giới tính người đại diện", "representative_gender"),
    ("Phụ nữ làm chủ", "woman_owned"),
    ("Người DTTS làm chủ", "ethnic_minority_owned"),
    ("Địa chỉ (số nhà, đường, ấp/thôn)", "street"),
    ("Xã, phường", "commune_name"),
    ("Huyện (trước 7/2025)", "district_name"),
    ("Tỉnh", "province_name"),
    ("Ngành nghề", "sector"),
    ("Sản phẩm chính", "main_products"),
    ("Số lao động", "employees"),
    ("Năm thành lập", "founded_year"),
    ("Điện thoại", "phone"),
    ("Thư điện tử", "email"),
    ("Làng nghề", "craft_village"),
    ("Ghi chú", "notes"),
]
HEADERS = [h for h, _ in COLUMNS]
EXAMPLE_NOTE = "Dòng ví dụ: hệ thống bỏ qua dòng này khi nhập"
HEADER_OF = {k: h for h, k in COLUMNS}
REQUIRED = {"name", "establishment_type", "commune_name", "province_name"}
MODEL_FIELDS = [
    "name",
    "establishment_type_id",
    "tax_code",
    "business_reg_no",
    "business_reg_date",
    "representative_name",
    "representative_gender",
    "woman_owned",
    "ethnic_minority_owned",
    "street",
    "commune_id",
    "sector_id",
    "main_products",
    "employees",
    "founded_year",
    "phone",
    "email",
    "craft_village",
    "notes",
]
TEXT_LIMITS = {
    "name": 255,
    "business_reg_no": 40,
    "representative_name": 120,
    "street": 255,
    "phone": 40,
    "email": 254,
    "craft_village": 200,
}
YES = {"co", "x", "1", "true", "yes", "dung"}
NO = {"khong", "0", "false", "no", "", "sai"}
GENDERS = {"nam": "male", "nu": "female", "": ""}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UNIT_PREFIXES = (
    "thanh pho ",
    "tp. ",
    "tp ",
    "tinh ",
    "huyen ",
    "h. ",
    "quan ",
    "thi xa ",
    "tx. ",
    "tx ",
    "thi tran ",
    "tt. ",
    "tt ",
    "phuong ",
    "p. ",
    "xa ",
    "x. ",
    "dac khu ",
)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)

    @property
    def message(self) -> str:
        return (
            f"Đã nhập {self.rows} dòng: {self.created} cơ sở mới, {self.updated} cơ sở cập nhật, "
            f"{self.unchanged} cơ sở không thay đổi."
        )


@functools.lru_cache(maxsize=65536)
def _unit_key(text: str) -> str:
    text = " ".join(fold(text).replace(".", ". ").split())
    for prefix in _UNIT_PREFIXES:
        if text.startswith(prefix) and not text[len(prefix) :].strip().isdigit():
            return text[len(prefix) :].strip()
    return text


def unit_key(name) -> str:
    """Folded unit name without its type prefix: "Thành phố Bến Tre" → "ben tre"; "Phường 6" stays "phuong
    6"."""
    return _unit_key(str(name or ""))


@functools.lru_cache(maxsize=65536)
def exact_key(name: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(str(name).split()))
    return short_name(text).strip().lower()


class Lookups:
    """Everything a row is checked against, loaded once."""

    def __init__(self, actor: "User | None"):
        self.scope = scope_for(actor)
        self.types = {}
        for t in EstablishmentType.objects.all():
            for k in (t.code, t.name, f"{t.code} - {t.name}", str(t)):
                self.types[fold(k)] = t.pk
        self.type_codes = {t.pk: t.code for t in EstablishmentType.objects.all()}
        self.sectors = {}
        for s in Sector.objects.all():
            for k in (s.code, s.name):
                self.sectors[fold(k)] = s.pk
        self.old = defaultdict(list)  # (province, district, commune) -> ids
        self.old_no_district = defaultdict(list)  # (province, commune) -> ids
        self.current = defaultdict(list)  # (province, commune) -> ids
        self.unit_info = {}  # id -> (current_province_id, full name)
        # id -> name with diacritics, lower case, no prefix: tells "Đông Thành" from "Đông Thạnh"
        self.exact = {}
        provinces = {p["id"]: p for p in AdminUnit.objects.filter(level=1).values("id", "name", "era")}
        districts = {d["id"]: d for d in AdminUnit.objects.filter(level=2).values("id", "name", "parent_id")}
        self.province_keys = {unit_key(p["name"]) for p in provinces.values()}
        for u in AdminUnit.objects.filter(level=3).values(
            "id", "name", "era", "parent_id", "current_province_id"
        ):
            ckey = unit_key(u["name"])
            self.exact[u["id"]] = exact_key(u["name"])
            if u["era"] == AdminUnit.Era.OLD:
                district = districts.get(u["parent_id"])
                province = provinces.get(district["parent_id"]) if district else None
                if not province:
                    continue
                pkey = unit_key(province["name"])
                self.old[(pkey, unit_key(district["name"]), ckey)].append(u["id"])
                self.old_no_district[(pkey, ckey)].append(u["id"])
                full = f"{u['name']}, {district['name']}, {province['name']}"
            else:
                province = provinces.get(u["parent_id"])
                if not province:
                    continue
                self.current[(unit_key(province["name"]), ckey)].append(u["id"])
                full = f"{u['name']}, {province['name']}"
            self.unit_info[u["id"]] = (u["current_province_id"], full)

    def commune(self, commune, district, province) -> tuple[int | None, str | None]:
        """(unit id, None) or (None, reason)."""
        c, d, p = unit_key(commune), unit_key(district), unit_key(province)
        if p not in self.province_keys:
            return None, f"Không có tỉnh «{province}» (trước hay sau sắp xếp 2025)."
        if d:
            ids = self.old.get((p, d, c), [])
            if not ids:
                return None, (
                    f"Không tìm thấy xã, phường «{commune}» thuộc huyện «{district}», tỉnh «{province}» "
                    "(đơn vị trước 7/2025)."
                )
        else:
            ids = self.current.get((p, c), []) or self.old_no_district.get((p, c), [])
            if not ids:
                return None, (
                    f"Không tìm thấy xã, phường «{commune}» thuộc tỉnh «{province}». Với đơn vị trước "
                    "7/2025 hãy ghi cả huyện."
                )
        if len(ids) > 1:
            narrowed = [i for i in ids if self.exact[i] == exact_key(commune)]
            ids = narrowed or ids
        if len(ids) > 1:
            return None, (
                f"Có {len(ids)} xã, phường tên «{commune}» trong tỉnh «{province}»: hãy ghi cả huyện "
                "(đơn vị trước 7/2025)."
            )
        unit_id = ids[0]
        if not self.in_scope(unit_id):
            return None, f"Xã, phường «{commune}» ({province}) không thuộc phạm vi quản lý của đơn vị bạn."
        return unit_id, None

    def in_scope(self, unit_id: int) -> bool:
        s = self.scope
        if s.sees_all:
            return True
        if s.kind == "province":
            return self.unit_info[unit_id][0] == s.province_id
        if s.kind == "units":
            return unit_id in s.unit_ids
        return False


def read_rows(content: bytes) -> list[list]:
    """The first sheet's rows, as python-calamine returns them (numbers come back as floats)."""
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = wb.get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False)
    except Exception:
        raise DomainError("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu nhập.")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _int_value(value, *, lo: int, hi: int) -> tuple[int | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, "Không phải là số."
    if isinstance(value, float):
        if not value.is_integer():
            return None, "Phải là số nguyên."
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(".", "").replace(" ", "")
        if not text.isdigit():
            return None, "Không phải là số."
        value = int(text)
    if not isinstance(value, int):
        return None, "Không phải là số."
    if not lo <= value <= hi:
        return None, f"Phải từ {lo} đến {hi}."
    return value, None


def _date_value(value) -> tuple[dt.date | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    return _date_text(str(value).strip())


@functools.lru_cache(maxsize=4096)
def _date_text(text: str) -> tuple[dt.date | None, str | None]:
    """A date typed as text (a file repeats the same few dates: read each once)."""
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date(), None
        except ValueError:
            continue
    return None, "Không phải là ngày (ghi dạng ngày/tháng/năm, ví dụ 15/03/2018)."


def _bool_value(value) -> tuple[bool | None, str | None]:
    if isinstance(value, bool):
        return value, None
    key = fold(_text(value))
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    return None, "Ghi «Có» hoặc «Không»."


def _find_header(rows: list[list]) -> int | None:
    wanted = fold(HEADERS[0])
    for i, row in enumerate(rows[:10]):
        if any(fold(_text(c)) == wanted for c in row):
            return i
    return None


def establishment_import(
    *, actor: "User | None", content: bytes, filename: str = "tệp Excel"
) -> ImportResult:
    """Import a file; raises ImportFailed (nothing written) listing every problem, else writes all rows."""
    require_edit(actor, "nhập danh sách cơ sở")
    if scope_for(actor).kind in ("establishment", "none"):
        raise DomainError("Tài khoản của bạn không được nhập danh sách cơ sở.")
    rows = read_rows(content)
    header_at = _find_header(rows)
    if header_at is None:
        raise ImportFailed(
            [
                ImportRowError(
                    1, None, None, f"Không thấy dòng tiêu đề (cột «{HEADERS[0]}»): hãy dùng tệp mẫu nhập."
                )
            ]
        )
    header = [fold(_text(c)) for c in rows[header_at]]
    index = {}
    for h, key in COLUMNS:
        if fold(h) in header:
            index[key] = header.index(fold(h))
    missing = [HEADER_OF[k] for k in REQUIRED if k not in index]
    if missing:
        raise ImportFailed(
            [ImportRowError(header_at + 1, m, None, "Thiếu cột này trong dòng tiêu đề.") for m in missing]
        )

    look = Lookups(actor)
    errors: list[ImportRowError] = []
    parsed: list[tuple[int, dict]] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[tuple, int] = {}

    for r in range(header_at + 1, len(rows)):
        raw = rows[r]
        excel_row = r + 1

        def cell(key, _raw=raw):
            i = index.get(key)
            return _raw[i] if i is not None and i < len(_raw) else None

        if all(_text(cell(k)) == "" for k in index) or _text(cell("notes")) == EXAMPLE_NOTE:
            continue
        row_errors = []

        def bad(key, value, reason, _row=excel_row, _errs=row_errors):
            _errs.append(
                ImportRowError(_row, HEADER_OF[key], _text(value) if value is not None else "", reason)
            )

        data = {}
        for key in (
            "name",
            "business_reg_no",
            "representative_name",
            "street",
            "main_products",
            "phone",
            "email",
            "craft_village",
            "notes",
        ):
            value = (
                _text(cell(key)) if key not in ("main_products", "notes") else str(cell(key) or "").strip()
            )
            value = nfc(value)  # NFC before comparing with stored rows (bulk writes skip save_audited)
            limit = TEXT_LIMITS.get(key)
            if limit and len(value) > limit:
                bad(key, value[:40] + "…", f"Dài quá {limit} ký tự.")
            data[key] = value
        if not data["name"]:
            bad("name", "", "Thiếu tên cơ sở.")
        if data["email"] and not _EMAIL.match(data["email"]):
            bad("email", data["email"], "Không phải là địa chỉ thư điện tử.")

        type_raw = cell("establishment_type")
        data["establishment_type_id"] = look.types.get(fold(_text(type_raw)))
        if data["establishment_type_id"] is None:
            bad(
                "establishment_type",
                type_raw,
                "Loại hình phải là DN, HTX, THT hoặc HKD."
                if _text(type_raw)
                else "Thiếu loại hình (DN, HTX, THT hoặc HKD).",
            )

        sector_raw = cell("sector")
        data["sector_id"] = None
        if _text(sector_raw):
            data["sector_id"] = look.sectors.get(fold(_text(sector_raw)))
            if data["sector_id"] is None:
                bad("sector", sector_raw, "Không có ngành nghề này trong danh mục.")

        tax_raw = cell("tax_code")
        problem = tax_code_problem(tax_raw)
        data["tax_code"] = normalize_tax_code(tax_raw) or None
        if problem:
            bad("tax_code", tax_raw, problem)
        elif data["tax_code"]:
            if data["tax_code"] in seen_codes:
                bad(
                    "tax_code",
                    tax_raw,
                    f"Trùng mã số thuế với dòng {seen_codes[data['tax_code']]} trong tệp.",
                )
            else:
                seen_codes[data["tax_code"]] = excel_row

        data["business_reg_date"], reason = _date_value(cell("business_reg_date"))
        if reason:
            bad("business_reg_date", cell("business_reg_date"), reason)
        gender_raw = cell("representative_gender")
        data["representative_gender"] = GENDERS.get(fold(_text(gender_raw)))
        if data["representative_gender"] is None:
            bad("representative_gender", gender_raw, "Ghi «Nam» hoặc «Nữ».")
            data["representative_gender"] = ""
        for key in ("woman_owned", "ethnic_minority_owned"):
            data[key], reason = _bool_value(cell(key))
            if reason:
                bad(key, cell(key), reason)
        data["employees"], reason = _int_value(cell("employees"), lo=0, hi=1_000_000)
        if reason:
            bad("employees", cell("employees"), reason)
        data["founded_year"], reason = _int_value(cell("founded_year"), lo=1900, hi=timezone.localdate().year)
        if reason:
            bad("founded_year", cell("founded_year"), reason)

        commune_raw, province_raw = cell("commune_name"), cell("province_name")
        if not _text(commune_raw):
            bad("commune_name", "", "Thiếu xã, phường.")
        elif not _text(province_raw):
            bad("province_name", "", "Thiếu tỉnh.")
        else:
            data["commune_id"], reason = look.commune(
                _text(commune_raw), _text(cell("district_name")), _text(province_raw)
            )
            if reason:
                bad("commune_name", commune_raw, reason)
        if not row_errors and not data["tax_code"]:
            key = (fold(data["name"]), data["commune_id"])
            if key in seen_names:
                bad("name", data["name"], f"Trùng tên và xã, phường với dòng {seen_names[key]} trong tệp.")
            seen_names[key] = excel_row
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append((excel_row, data))

    if not parsed and not errors:
        raise ImportFailed([ImportRowError(None, None, None, "Tệp không có dòng dữ liệu nào.")])

    # Existing records: by tax code, and (without tax code) by name in the same commune.
    codes = [d["tax_code"] for _, d in parsed if d["tax_code"]]
    by_code: dict[str, Establishment] = {}
    for i in range(0, len(codes), 900):
        for e in Establishment.objects.filter(tax_code__in=codes[i : i + 900]):
            by_code[e.tax_code] = e
    no_code_communes = sorted({d["commune_id"] for _, d in parsed if not d["tax_code"]})
    by_name: dict[tuple, Establishment] = {}
    for j in range(0, len(no_code_communes), 900):
        for e in Establishment.objects.filter(commune_id__in=no_code_communes[j : j + 900]):
            by_name.setdefault((fold(e.name), e.commune_id), e)

    to_create, to_update = [], []
    unchanged = 0
    now = timezone.now()
    for excel_row, data in parsed:
        existing = (
            by_code.get(data["tax_code"])
            if data["tax_code"]
            else by_name.get((fold(data["name"]), data["commune_id"]))
        )
        if existing is not None:
            if not look.scope.sees_all and not _existing_in_scope(look, existing):
                errors.append(
                    ImportRowError(
                        excel_row,
                        HEADER_OF["tax_code"],
                        data["tax_code"] or "",
                        "Mã số thuế này đã được đăng ký ở một đơn vị khác; liên hệ Cục để hợp nhất.",
                    )
                )
                continue
            if not data["tax_code"] and existing.tax_code:
                data["tax_code"] = existing.tax_code  # matched by name: a blank cell does not erase the code
            changed = [f for f in MODEL_FIELDS if getattr(existing, f) != data[f]]
            if not changed:
                unchanged += 1
                continue
            for f in MODEL_FIELDS:
                setattr(existing, f, data[f])
            existing.version += 1
            existing.updated_at = now
            to_update.append(existing)
        else:
            est = Establishment(**data, created_at=now, updated_at=now, version=1)
            to_create.append(est)
    if errors:
        raise ImportFailed(errors)

    for est in to_create + to_update:
        current_province, full = look.unit_info[est.commune_id]
        est.province_id = current_province
        est.search_text = est.compute_search_text(commune_full_name=full)
    reason = f"Nhập từ Excel: {filename}"
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        if to_create:
            bulk_create_with_history(
                to_create, Establishment, batch_size=500, default_user=user, default_change_reason=reason
            )
        if to_update:
            bulk_update_with_history(
                to_update,
                Establishment,
                MODEL_FIELDS + ["province_id", "search_text", "version", "updated_at"],
                batch_size=500,
                default_user=user,
                default_change_reason=reason,
            )
            # The đề án search column carries its beneficiaries' text: keep it in step (bulk update, no
            # signals).
            from khuyencong.projects.search import refresh_for_establishments

            refresh_for_establishments([e.pk for e in to_update])
        if to_create or to_update:
            # Bulk writes send no post_save: caches of these rows (the list's count, core.dataversion) and
            # the open data learn of them here.
            rows_inserted.send(sender=Establishment)
    return ImportResult(created=len(to_create), updated=len(to_update), unchanged=unchanged, rows=len(parsed))


def _existing_in_scope(look: Lookups, existing: Establishment) -> bool:
    s = look.scope
    if s.kind == "province":
        return existing.province_id == s.province_id
    if s.kind == "units":
        return existing.commune_id in s.unit_ids
    return s.sees_all
