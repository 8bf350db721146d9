"""Import of the budget appendix (Phụ lục dự toán) from .xlsx or from a .docx table laid out like seed 001's
Phụ lục 1: rows "1" (a content), "1.1 Nguồn Trung ương" (its sources) …, "Tổng cộng các nguồn", one total row
per source; columns by year ("Năm 2014") plus phase totals ("Tổng giai đoạn" under "Giai đoạn 2014-2015") and
the programme total ("Giai đoạn 2014-2020").

Numbers are read the Vietnamese way (core.money; the unit is taken from "Đơn vị tính: …", triệu by default;
a blank cell or "-" is 0). The leaf cells (a source × a year) become the matrix; every total the document
prints
(content rows, phase and programme columns, total rows) is recorded as a stated figure with its row and
column,
so the consistency check compares them. All or nothing: every unreadable cell is reported by row and column
and
nothing is saved.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from khuyencong.core.errors import DomainError, ImportFailed, ImportRowError
from khuyencong.core.money import parse_money
from khuyencong.core.text import fold

from . import services
from .models import Program

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

TRIEU = 10**6
BLANKS = {"", "-", "–", "—", "x"}
_YEAR = re.compile(r"^nam\s*(\d{4})$")
_RANGE = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")
_CONTENT = re.compile(r"^(\d{1,2})\.?$")
_SOURCE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?$")


@dataclass
class Grid:
    """A table as read from a file: rows of raw values, with the labels the user sees for rows and columns."""

    rows: list[list]
    row_numbers: list[int]
    column_names: list[str]  # "C" (xlsx) or "3" (docx)
    unit: int = TRIEU
    label: str = "Phụ lục"


@dataclass
class AppendixData:
    cells: dict = field(default_factory=dict)  # (content code, source code, year) -> đồng
    figures: list[dict] = field(default_factory=list)  # specs for services.stated_figure_add
    phases: list[tuple[str, int, int]] = field(default_factory=list)
    unit: int = TRIEU


def source_code_for(label: str) -> str | None:
    text = fold(label).split(":")[0]
    if "trung uong" in text or "quoc gia" in text or re.search(r"\b(tw|kcqg)\b", text):
        return "national"
    if "huyen" in text or re.search(r"\bxa\b", text):
        return "district"
    if "dia phuong" in text or "tinh" in text or "kcdp" in text:
        return "local"
    if "khac" in text or "doi ung" in text or "doanh nghiep" in text or "thu huong" in text:
        return "counterpart"
    return None


def _unit_from(text: str) -> int | None:
    t = fold(text)
    if "don vi tinh" not in t and "dvt" not in t:
        return None
    tail = t.split(":", 1)[-1]
    if "trieu" in tail:
        return TRIEU
    if "nghin" in tail or "ngan" in tail:
        return 10**3
    if re.search(r"\bty\b", tail):
        return 10**9
    if "dong" in tail:
        return 1
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u00a0", " ").strip()


# ---------------------------------------------------------------------------------------------------- readers


def read_docx(data: bytes) -> Grid:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise ImportFailed(
            [ImportRowError(None, None, None, "Tệp không phải là tài liệu Word (.docx) hợp lệ.")]
        )
    unit = None
    for p in document.paragraphs:
        unit = unit or _unit_from(p.text)
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if any(_YEAR.match(fold(c)) for r in rows[:4] for c in r):
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            return Grid(
                rows=rows,
                row_numbers=list(range(1, len(rows) + 1)),
                column_names=[str(i) for i in range(1, width + 1)],
                unit=unit or TRIEU,
                label="Phụ lục (bảng Word)",
            )
    raise ImportFailed(
        [ImportRowError(None, None, None, "Không tìm thấy bảng dự toán có các cột «Năm …» trong tài liệu.")]
    )


def read_xlsx(data: bytes) -> Grid:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
        cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:
        raise ImportFailed(
            [ImportRowError(None, None, None, "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")]
        )
    for ws in wb.worksheets:
        raw = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    raw[(c.row, c.column)] = c.value
        if not any(isinstance(v, str) and _YEAR.match(fold(v)) for v in raw.values()):
            continue
        for rng in ws.merged_cells.ranges:
            top = raw.get((rng.min_row, rng.min_col))
            for r in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    if (r, col) != (rng.min_row, rng.min_col) and top is not None:
                        raw[(r, col)] = top
        evaluator = _Evaluator(raw, cached[ws.title])
        max_row = max(r for r, _c in raw)
        max_col = max(c for _r, c in raw)
        unit = None
        rows = []
        for r in range(1, max_row + 1):
            row = []
            for col in range(1, max_col + 1):
                v = raw.get((r, col))
                if isinstance(v, str) and v.startswith("="):
                    v = evaluator.value(r, col)
                row.append(v)
                if isinstance(v, str):
                    unit = unit or _unit_from(v)
            rows.append(row)
        return Grid(
            rows=rows,
            row_numbers=list(range(1, max_row + 1)),
            column_names=[get_column_letter(i) for i in range(1, max_col + 1)],
            unit=unit or TRIEU,
            label=f"Phụ lục (trang tính «{ws.title}»)",
        )
    raise ImportFailed([ImportRowError(None, None, None, "Không tìm thấy trang tính có các cột «Năm …».")])


class FormulaValue:
    """A formula cell's value: from Excel's cache when the file was saved by Excel, else computed here (SUM of
    ranges and references, +); None when it cannot be computed (then it is not recorded as a stated
    figure)."""

    def __init__(self, value, formula: str):
        self.value, self.formula = value, formula

    def __str__(self) -> str:
        return self.formula


class _Evaluator:
    _REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")

    def __init__(self, raw: dict, cached_ws):
        self.raw, self.cached_ws, self.memo = raw, cached_ws, {}

    def value(self, r: int, c: int) -> FormulaValue:
        formula = self.raw[(r, c)]
        cached = self.cached_ws.cell(row=r, column=c).value
        if isinstance(cached, int | float) and not isinstance(cached, bool):
            return FormulaValue(Decimal(repr(cached)), formula)
        try:
            return FormulaValue(self._eval_cell(r, c, set()), formula)
        except (ValueError, KeyError, RecursionError, DomainError):
            return FormulaValue(None, formula)

    def _eval_cell(self, r: int, c: int, seen: set) -> Decimal:
        if (r, c) in self.memo:
            return self.memo[(r, c)]
        if (r, c) in seen:
            raise ValueError("circular")
        v = self.raw.get((r, c))
        if v is None:
            result = Decimal(0)
        elif isinstance(v, str) and v.startswith("="):
            result = self._eval(v[1:], seen | {(r, c)})
        elif isinstance(v, int | float) and not isinstance(v, bool):
            result = Decimal(repr(v))
        else:
            text = _text(v)
            result = Decimal(0) if text in BLANKS else _plain(text)
        self.memo[(r, c)] = result
        return result

    def _eval(self, expr: str, seen: set) -> Decimal:
        from openpyxl.utils import column_index_from_string

        expr = expr.replace(" ", "")
        total = Decimal(0)
        for term in _split_plus(expr):
            m = re.fullmatch(r"SUM\((.*)\)", term, flags=re.IGNORECASE)
            parts = m.group(1).split(",") if m else [term]
            for part in parts:
                if ":" in part:
                    a, b = part.split(":")
                    ma, mb = self._REF.match(a), self._REF.match(b)
                    if not ma or not mb:
                        raise ValueError(part)
                    c1, c2 = column_index_from_string(ma.group(1)), column_index_from_string(mb.group(1))
                    for rr in range(int(ma.group(2)), int(mb.group(2)) + 1):
                        for cc in range(c1, c2 + 1):
                            total += self._eval_cell(rr, cc, seen)
                elif self._REF.match(part):
                    mr = self._REF.match(part)
                    total += self._eval_cell(int(mr.group(2)), column_index_from_string(mr.group(1)), seen)
                elif re.fullmatch(r"\d+(\.\d+)?", part):
                    total += Decimal(part)
                else:
                    raise ValueError(part)
        return total


def _plain(text: str) -> Decimal:
    from khuyencong.core.money import parse_number

    return parse_number(text)


def _split_plus(expr: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in expr:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "+" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    if any(not t for t in out):
        raise ValueError(expr)
    return out


# ---------------------------------------------------------------------------------------------------- parsing


@dataclass
class _Col:
    index: int
    kind: str  # year | phase | total
    year: int | None = None
    range: tuple[int, int] | None = None
    header: str = ""


def parse_grid(program: Program, grid: Grid) -> AppendixData:
    """Read the matrix and the stated totals out of a grid; raise ImportFailed listing every problem."""
    errors: list[ImportRowError] = []
    rows = grid.rows
    folded = [[fold(_text(v)) for v in r] for r in rows]
    first_data = next(
        (
            i
            for i, r in enumerate(folded)
            if r
            and any(_CONTENT.match(c) for c in r[:2])
            and i > 0
            and any(_YEAR.match(x) for rr in folded[:i] for x in rr)
        ),
        None,
    )
    if first_data is None:
        raise ImportFailed(
            [
                ImportRowError(
                    None, None, None, "Không tìm thấy dòng nội dung «1», «2» … dưới dòng tiêu đề các năm."
                )
            ]
        )
    marked = [i for i in range(first_data) if any(c in ("tt", "stt") for c in folded[i])]
    header_start = marked[-1] if marked else None
    while header_start is not None and header_start - 1 in marked:  # "TT" merged over several header rows
        header_start -= 1
    if header_start is None:
        header_start = min(i for i in range(first_data) if any(_YEAR.match(c) for c in folded[i]))
    header_rows = list(range(header_start, first_data))
    width = max(len(r) for r in rows)
    tt_col = next(
        (
            j
            for j in range(width)
            if any(folded[i][j] in ("tt", "stt") for i in header_rows if j < len(folded[i]))
        ),
        0,
    )
    label_col = next(
        (
            j
            for j in range(width)
            if j != tt_col and any("noi dung" in folded[i][j] for i in header_rows if j < len(folded[i]))
        ),
        tt_col + 1,
    )
    unit = grid.unit
    data = AppendixData(unit=unit)

    # Columns.
    cols: list[_Col] = []
    phase_names: dict[tuple[int, int], str] = {(p.year_from, p.year_to): p.name for p in program.phases.all()}
    header_row_no = grid.row_numbers[header_rows[-1]]
    for j in range(width):
        if j in (tt_col, label_col):
            continue
        cells = [folded[i][j] for i in header_rows if j < len(folded[i])]
        shown = [_text(rows[i][j]) for i in header_rows if j < len(rows[i]) and _text(rows[i][j])]
        header = " / ".join(dict.fromkeys(shown))
        year = next((int(m.group(1)) for c in cells for m in [_YEAR.match(c)] if m), None)
        rng = next(((int(m.group(1)), int(m.group(2))) for c in cells for m in [_RANGE.search(c)] if m), None)
        col_name = f"{grid.column_names[j]} «{header}»"
        if year is not None:
            if not program.year_from <= year <= program.year_to:
                errors.append(
                    ImportRowError(
                        header_row_no,
                        col_name,
                        header,
                        f"Năm {year} nằm ngoài thời gian của chương trình ({program.period_label}).",
                    )
                )
                continue
            cols.append(_Col(j, "year", year=year, header=header))
        elif rng is not None:
            lo, hi = rng
            if (lo, hi) == (program.year_from, program.year_to):
                cols.append(_Col(j, "total", range=rng, header=header))
            elif program.year_from <= lo <= hi <= program.year_to:
                cols.append(_Col(j, "phase", range=rng, header=header))
                if rng not in phase_names:
                    name = f"{lo}-{hi}"
                    phase_names[rng] = name
                    data.phases.append((name, lo, hi))
            else:
                errors.append(
                    ImportRowError(
                        header_row_no,
                        col_name,
                        header,
                        f"Giai đoạn {lo}-{hi} nằm ngoài thời gian của chương trình ({program.period_label}).",
                    )
                )
        elif any(c.startswith("tong") or c.startswith("cong") for c in cells):
            cols.append(_Col(j, "total", range=(program.year_from, program.year_to), header=header))
    if not any(c.kind == "year" for c in cols):
        errors.append(ImportRowError(header_row_no, None, None, "Không tìm thấy cột «Năm …» nào."))
    years_seen = [c.year for c in cols if c.kind == "year"]
    for y in {y for y in years_seen if years_seen.count(y) > 1}:
        errors.append(ImportRowError(header_row_no, None, f"Năm {y}", f"Cột năm {y} xuất hiện hai lần."))

    # Rows.
    from .services import content_for

    current = None  # content code
    seen_sources: dict[str, set] = {}
    seen_leaf = set()
    totals_seen = set()
    for i in range(first_data, len(rows)):
        row, row_no = rows[i], grid.row_numbers[i]
        tt = _text(row[tt_col]) if tt_col < len(row) else ""
        label = _text(row[label_col]) if label_col < len(row) else ""
        values_present = any(
            _text(row[c.index]) not in BLANKS
            for c in cols
            if c.index < len(row)
            if not isinstance(row[c.index], FormulaValue)
        )
        if not tt and not label:
            if values_present:
                errors.append(
                    ImportRowError(row_no, None, None, "Dòng có số liệu nhưng không có số thứ tự, nội dung.")
                )
            continue
        where = f"{grid.label}, dòng {row_no}"
        if _SOURCE.match(tt):
            parent, _idx = _SOURCE.match(tt).groups()
            if parent != current:
                errors.append(
                    ImportRowError(
                        row_no,
                        grid.column_names[tt_col],
                        tt,
                        f"Dòng nguồn «{tt}» không nằm dưới nội dung {parent}.",
                    )
                )
                continue
            source = source_code_for(label)
            if source is None:
                errors.append(
                    ImportRowError(
                        row_no,
                        grid.column_names[label_col],
                        label,
                        "Không nhận ra nguồn kinh phí (Trung ương, địa phương, khác …).",
                    )
                )
                continue
            if source in seen_sources[current]:
                errors.append(
                    ImportRowError(
                        row_no, grid.column_names[label_col], label, f"Nguồn này đã có ở nội dung {current}."
                    )
                )
                continue
            seen_sources[current].add(source)
            kind, content, src = "source", current, source
        elif _CONTENT.match(tt):
            code = _CONTENT.match(tt).group(1)
            try:
                content_for(code, program)
            except DomainError:
                errors.append(
                    ImportRowError(
                        row_no, grid.column_names[tt_col], tt, f"Không có nội dung hoạt động số {code}."
                    )
                )
                current = None
                continue
            if code in seen_sources:
                errors.append(
                    ImportRowError(row_no, grid.column_names[tt_col], tt, f"Nội dung {code} lặp lại.")
                )
                current = None
                continue
            current = code
            seen_sources[code] = set()
            kind, content, src = "content", code, None
        elif not tt:
            f = fold(label)
            if f.startswith("tong") or f.startswith("cong"):
                kind, content, src = "total", None, None
            else:
                src = source_code_for(label)
                if src is None:
                    errors.append(
                        ImportRowError(
                            row_no,
                            grid.column_names[label_col],
                            label,
                            "Không nhận ra dòng tổng (Tổng cộng …, Nguồn …).",
                        )
                    )
                    continue
                kind, content = "source_total", None
            if (kind, src) in totals_seen:
                errors.append(
                    ImportRowError(row_no, grid.column_names[label_col], label, "Dòng tổng lặp lại.")
                )
                continue
            totals_seen.add((kind, src))
        else:
            errors.append(
                ImportRowError(
                    row_no,
                    grid.column_names[tt_col],
                    tt,
                    "Số thứ tự phải có dạng «1» (nội dung) hoặc «1.1» (nguồn).",
                )
            )
            continue
        for col in cols:
            raw = row[col.index] if col.index < len(row) else None
            col_name = f"{grid.column_names[col.index]} «{col.header}»"
            is_formula = isinstance(raw, FormulaValue)
            if is_formula:
                if raw.value is None:
                    if kind == "source" and col.kind == "year":
                        errors.append(
                            ImportRowError(
                                row_no, col_name, raw.formula, "Không tính được công thức ở ô số liệu gốc."
                            )
                        )
                    continue
                value_in_unit, shown = raw.value, raw.formula
                try:
                    amount = parse_money(value_in_unit, default_unit=unit)
                except DomainError as exc:
                    errors.append(ImportRowError(row_no, col_name, shown, exc.message))
                    continue
            else:
                shown = _text(raw)
                if shown in BLANKS or shown.lower() in BLANKS:
                    amount = 0
                else:
                    try:
                        amount = parse_money(
                            raw if isinstance(raw, int | float) else shown, default_unit=unit
                        )
                    except DomainError as exc:
                        errors.append(ImportRowError(row_no, col_name, shown, exc.message))
                        continue
            if kind == "source" and col.kind == "year":
                key = (content, src, col.year)
                if key in seen_leaf:
                    continue
                seen_leaf.add(key)
                data.cells[key] = amount
                continue
            spec = {
                "kind": "amount",
                "value": amount,
                "content": content,
                "funding_source": src,
                "location": f"{where} ({tt or label[:40]}), cột {col.header}",
                "text": shown if not is_formula else f"{shown} = {raw.value}",
            }
            if col.kind == "year":
                spec["year"] = col.year
            elif col.kind == "phase":
                spec["phase"] = phase_names[col.range]
            data.figures.append(spec)
    if not data.cells and not errors:
        errors.append(ImportRowError(None, None, None, "Không có ô số liệu nào (dòng nguồn × cột năm)."))
    if errors:
        raise ImportFailed(errors)
    return data


def read_appendix(*, program: Program, data: bytes, filename: str) -> AppendixData:
    name = (filename or "").lower()
    if name.endswith(".docx"):
        grid = read_docx(data)
    elif name.endswith(".xlsx") or name.endswith(".xlsm"):
        grid = read_xlsx(data)
    else:
        raise ImportFailed([ImportRowError(None, None, filename, "Chỉ nhận tệp .xlsx hoặc .docx.")])
    return parse_grid(program, grid)


def appendix_import(*, actor: "User | None", program: Program, data: bytes, filename: str) -> dict:
    """Replace the programme's matrix and the totals its appendix states by those of the file; all or
    nothing."""
    services._require_editable(program, actor, "nhập phụ lục dự toán")
    parsed = read_appendix(program=program, data=data, filename=filename)
    return services.budget_replace(
        actor=actor,
        program=program,
        cells=parsed.cells,
        appendix_figures=parsed.figures,
        phases=parsed.phases,
        reason=f"Nhập phụ lục dự toán từ tệp {filename}",
    )
