"""Excel imports of an activity's lists, from the organiser's file: a fair's participant list, a class's
trainee list. All or nothing: every row is checked first; one bad row and nothing is saved, and every problem
is named by its row (as Excel numbers it) and column, in Vietnamese (core.errors.ImportFailed)."""

from django.db import transaction

from khuyencong.beneficiaries.imports import read_rows
from khuyencong.core.errors import DomainError, ImportFailed, ImportRowError
from khuyencong.core.text import fold
from khuyencong.core.xlsx import Sheet, write_workbook

from . import services
from .models import Activity, Trainee

PARTICIPANT_HEADERS = [
    "STT",
    "Tên cơ sở",
    "Mã số thuế",
    "Số gian hàng",
    "Sản phẩm trưng bày",
    "Hỗ trợ KCQG (đồng)",
    "Hỗ trợ KCĐP (đồng)",
    "Số hợp đồng",
    "Giá trị hợp đồng (đồng)",
    "Doanh số (đồng)",
]
TRAINEE_HEADERS = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Năm sinh",
    "Dân tộc thiểu số",
    "Cơ sở (tên hoặc mã số thuế)",
    "Xã, phường",
    "Số chứng chỉ",
    "Có việc làm sau đào tạo",
]
YES, NO = {"co", "x", "1", "yes"}, {"khong", "0", "no", ""}


def template(headers: list[str], title: str) -> bytes:
    return write_workbook([Sheet(title=title, headers=headers, rows=[])])


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _table(content: bytes, headers: list[str]) -> tuple[int, dict[str, int], list[list]]:
    """(Excel row number of the header, column index by header, rows) — the header row is found in the first
    ten rows by its key column, headers matched without diacritics or case."""
    rows = read_rows(content)
    wanted = {fold(h): h for h in headers}
    for i, row in enumerate(rows[:10]):
        cols = {wanted[fold(_text(c))]: j for j, c in enumerate(row) if fold(_text(c)) in wanted}
        if headers[1] in cols:
            return i + 1, cols, rows[i + 1 :]
    raise ImportFailed(
        [
            ImportRowError(
                None, headers[1], None, f"Không thấy dòng tiêu đề có cột «{headers[1]}» (dùng tệp mẫu)."
            )
        ]
    )


def _cell(row: list, cols: dict, name: str):
    j = cols.get(name)
    return row[j] if j is not None and j < len(row) else None


def _int(value, *, lo=0, hi=10**15) -> tuple[int | None, str | None]:
    text = _text(value).replace(".", "").replace(" ", "")
    if not text:
        return None, None
    if not text.isdigit():
        return None, "Không phải là số nguyên."
    n = int(text)
    if not lo <= n <= hi:
        return None, f"Phải từ {lo} đến {hi:,}.".replace(",", ".")
    return n, None


def _money(value) -> tuple[int | None, str | None]:
    from khuyencong.core.fields import parse_amount

    if value is None or _text(value) == "":
        return None, None
    if isinstance(value, float):
        if not value.is_integer():
            return None, "Số tiền phải là số nguyên đồng."
        value = int(value)
    try:
        return parse_amount(value if isinstance(value, int) else _text(value)), None
    except DomainError as exc:
        return None, exc.message


def _yes_no(value) -> tuple[bool | None, str | None]:
    key = fold(_text(value))
    if key in YES:
        return True, None
    if key in NO:
        return (None if key == "" else False), None
    return None, "Ghi «Có» hoặc «Không»."


class _Establishments:
    """The establishments the actor may see, found by tax code or by exact name (diacritics ignored)."""

    def __init__(self, actor):
        from khuyencong.beneficiaries.selectors import establishment_list_for

        self.by_tax, self.by_name = {}, {}
        for e in establishment_list_for(user=actor).only("pk", "name", "tax_code"):
            if e.tax_code:
                self.by_tax[e.tax_code] = e
            self.by_name.setdefault(fold(e.name), []).append(e)

    def find(self, text: str):
        text = _text(text)
        if not text:
            return None, "Thiếu tên hoặc mã số thuế của cơ sở."
        if text in self.by_tax:
            return self.by_tax[text], None
        found = self.by_name.get(fold(text), [])
        if len(found) == 1:
            return found[0], None
        if len(found) > 1:
            return None, "Có nhiều cơ sở cùng tên: ghi mã số thuế."
        return None, "Không tìm thấy cơ sở này trong phạm vi của bạn (kiểm tra tên hoặc mã số thuế)."


def participants_import(*, actor, activity: Activity, content: bytes) -> int:
    """A fair's participants from Excel (PARTICIPANT_HEADERS). Returns the number of rows saved."""
    services.require_manager(actor, activity)
    header_row, cols, rows = _table(content, PARTICIPANT_HEADERS)
    look = _Establishments(actor)
    existing = set(activity.participations.values_list("establishment_id", flat=True))
    errors, parsed, seen = [], [], set()
    for offset, row in enumerate(rows, start=1):
        n = header_row + offset
        name, tax = _text(_cell(row, cols, "Tên cơ sở")), _text(_cell(row, cols, "Mã số thuế"))
        if not any(_text(c) for c in row):
            continue
        est, why = look.find(tax or name)
        if est is None:
            errors.append(ImportRowError(n, "Mã số thuế" if tax else "Tên cơ sở", tax or name, why))
        elif est.pk in existing or est.pk in seen:
            errors.append(
                ImportRowError(n, "Tên cơ sở", name or tax, "Cơ sở đã có trong danh sách tham gia.")
            )
        else:
            seen.add(est.pk)
        data = {
            "establishment": est,
            "products": _text(_cell(row, cols, "Sản phẩm trưng bày")),
            "support": {},
        }
        for column, key in (("Số gian hàng", "booths"), ("Số hợp đồng", "contracts")):
            value, why = _int(_cell(row, cols, column), hi=1000 if key == "booths" else 10**6)
            if why:
                errors.append(ImportRowError(n, column, _text(_cell(row, cols, column)), why))
            data[key] = value or 0
        for column, key in (
            ("Hỗ trợ KCQG (đồng)", "national"),
            ("Hỗ trợ KCĐP (đồng)", "local"),
            ("Giá trị hợp đồng (đồng)", "contract_value"),
            ("Doanh số (đồng)", "sales"),
        ):
            value, why = _money(_cell(row, cols, column))
            if why:
                errors.append(ImportRowError(n, column, _text(_cell(row, cols, column)), why))
            if key in ("national", "local"):
                if value:
                    data["support"][key] = value
            else:
                data[key] = value or 0
        parsed.append(data)
    if not parsed and not errors:
        errors.append(ImportRowError(None, None, None, "Tệp không có dòng nào."))
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        for data in parsed:
            services.participation_add(actor=actor, activity=activity, check_scope=False, **data)
    return len(parsed)


def _communes(activity: Activity) -> dict[str, list]:
    from khuyencong.geo.models import AdminUnit

    out: dict[str, list] = {}
    for u in AdminUnit.objects.filter(level=3, current_province_id=activity.province_id).only("pk", "name"):
        out.setdefault(fold(u.name), []).append(u)
    return out


def trainees_import(*, actor, activity: Activity, content: bytes) -> int:
    """A class's trainees from Excel (TRAINEE_HEADERS); the class's counts are then taken from the list."""
    services.require_manager(actor, activity)
    services._require_group(activity, services.TRAINEE_GROUPS, "học viên")
    header_row, cols, rows = _table(content, TRAINEE_HEADERS)
    look = _Establishments(actor)
    communes = None
    errors, parsed = [], []
    for offset, row in enumerate(rows, start=1):
        n = header_row + offset
        if not any(_text(c) for c in row):
            continue
        data = {"full_name": _text(_cell(row, cols, "Họ và tên"))}
        if not data["full_name"]:
            errors.append(ImportRowError(n, "Họ và tên", None, "Thiếu họ và tên."))
        sex = fold(_text(_cell(row, cols, "Giới tính")))
        if sex in ("nam", "male"):
            data["sex"] = Trainee.Sex.MALE
        elif sex in ("nu", "female"):
            data["sex"] = Trainee.Sex.FEMALE
        else:
            errors.append(
                ImportRowError(n, "Giới tính", _text(_cell(row, cols, "Giới tính")), "Ghi «Nam» hoặc «Nữ».")
            )
        year, why = _int(_cell(row, cols, "Năm sinh"), lo=1930, hi=activity.start_date.year - 14)
        if why:
            errors.append(ImportRowError(n, "Năm sinh", _text(_cell(row, cols, "Năm sinh")), why))
        data["birth_year"] = year
        for column, key in (("Dân tộc thiểu số", "ethnic_minority"), ("Có việc làm sau đào tạo", "employed")):
            value, why = _yes_no(_cell(row, cols, column))
            if why:
                errors.append(ImportRowError(n, column, _text(_cell(row, cols, column)), why))
            data[key] = bool(value) if key == "ethnic_minority" else value
        est_text = _text(_cell(row, cols, "Cơ sở (tên hoặc mã số thuế)"))
        if est_text:
            est, why = look.find(est_text)
            if why:
                errors.append(ImportRowError(n, "Cơ sở (tên hoặc mã số thuế)", est_text, why))
            data["establishment"] = est
        commune_text = _text(_cell(row, cols, "Xã, phường"))
        if commune_text:
            communes = communes if communes is not None else _communes(activity)
            found = communes.get(fold(commune_text), [])
            if len(found) != 1:
                errors.append(
                    ImportRowError(
                        n,
                        "Xã, phường",
                        commune_text,
                        "Không tìm thấy xã, phường này trong tỉnh."
                        if not found
                        else "Có nhiều xã, phường cùng tên.",
                    )
                )
            data["commune"] = found[0] if len(found) == 1 else None
        data["certificate_no"] = _text(_cell(row, cols, "Số chứng chỉ"))
        parsed.append(data)
    if not parsed and not errors:
        errors.append(ImportRowError(None, None, None, "Tệp không có dòng nào."))
    if errors:
        raise ImportFailed(errors)
    services.trainees_add(actor=actor, activity=activity, rows=parsed)
    return len(parsed)
