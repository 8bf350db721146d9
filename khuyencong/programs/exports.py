"""Exports: the programme list (Xuất Excel) and the budget appendix in the layout of seed 001's Phụ lục 1, to
.xlsx (subtotals as formulas Excel recomputes; openpyxl writes them, it does not compute them) and to .docx
(Times New Roman). Both read back through imports.py unchanged."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

from khuyencong.core.money import format_in_unit
from khuyencong.core.xlsx import XLSX_MIME, Sheet, xlsx_response

from .models import Program
from .selectors import BudgetMatrix, budget_matrix

TRIEU = 10**6
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def programs_xlsx(rows) -> HttpResponse:
    sheet = Sheet(
        title="Chương trình",
        headers=[
            "Tên chương trình",
            "Ký hiệu",
            "Tỉnh ban hành",
            "Tỉnh hiện nay",
            "Từ năm",
            "Đến năm",
            "Trạng thái",
            "Số quyết định",
            "Ngày quyết định",
            "Tổng kinh phí (triệu đồng)",
        ],
        rows=[
            [
                p.title,
                p.code,
                p.owner_unit.name,
                p.province.name,
                p.year_from,
                p.year_to,
                p.get_status_display(),
                p.decision_no,
                p.decision_date,
                _in_trieu(p.budget_total or 0),
            ]
            for p in rows
        ],
        heading="Danh sách chương trình khuyến công",
    )
    total = sum(p.budget_total or 0 for p in rows)
    sheet.totals = ["Tổng cộng", "", "", "", "", "", "", "", "", _in_trieu(total)]
    return xlsx_response("chuong-trinh-khuyen-cong.xlsx", [sheet])


def _in_trieu(amount: int):
    value = Decimal(int(amount)) / TRIEU
    return int(value) if value == value.to_integral_value() else float(value)


def appendix_title(program: Program) -> str:
    return f"DỰ TOÁN CHI TIẾT KINH PHÍ TRIỂN KHAI THỰC HIỆN CÁC HOẠT ĐỘNG {program.title.upper()}"


def header_rows(matrix: BudgetMatrix) -> tuple[list[str], list[str]]:
    first, second = ["TT", "Nội dung/nguồn kinh phí chương trình"], ["", ""]
    for col in matrix.columns:
        if col.kind == "total":
            first.append(f"Giai đoạn {matrix.program.period_label}")
            second.append("")
        else:
            first.append(col.group)
            second.append(col.label)
    return first, second


# ---------------------------------------------------------------------------------------------------- xlsx


def appendix_xlsx_bytes(program: Program) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    matrix = budget_matrix(program)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục 1"
    cols = matrix.columns
    ncols = 2 + len(cols)
    bold = Font(name="Times New Roman", bold=True)
    normal = Font(name="Times New Roman")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"] = "PHỤ LỤC 1"
    ws["A2"] = appendix_title(program)
    ws["A3"] = "Đơn vị tính: Triệu đồng"
    for ref in ("A1", "A2"):
        ws[ref].font = bold
    first, second = header_rows(matrix)
    top = 5
    for j, (a, b) in enumerate(zip(first, second, strict=True), start=1):
        for r, text in ((top, a), (top + 1, b)):
            cell = ws.cell(row=r, column=j, value=text or None)
            cell.font, cell.border = bold, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # Group headings merged like the document.
    j = 3
    while j < ncols + 1:
        k = j
        while k + 1 <= ncols and first[k] == first[j - 1] and second[j - 1] and second[k]:
            k += 1
        if k > j:
            ws.merge_cells(start_row=top, start_column=j, end_row=top, end_column=k)
        j = k + 1
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
    ws.merge_cells(start_row=top, start_column=2, end_row=top + 1, end_column=2)
    ws.merge_cells(start_row=top, start_column=ncols, end_row=top + 1, end_column=ncols)

    letter = {col.key: get_column_letter(3 + i) for i, col in enumerate(cols)}
    year_letters = {col.years[0]: letter[col.key] for col in cols if col.kind == "year"}

    def horizontal(col, r):
        if col.kind == "phase":
            first_l, last_l = year_letters[col.years[0]], year_letters[col.years[-1]]
            return f"=SUM({first_l}{r}:{last_l}{r})"
        parts = [f"{letter[c.key]}{r}" for c in cols if c.kind == "phase"]
        parts += [f"{letter[c.key]}{r}" for c in cols if c.kind == "year" and c.phase is None]
        return "=" + "+".join(parts) if parts else "=0"

    r = top + 2
    content_rows, source_rows = [], {}
    nsrc = len(matrix.sources)
    for content in matrix.contents:
        content_row = r
        content_rows.append(r)
        _label_row(ws, r, content.code, content.name, bold, border)
        for col in cols:
            L = letter[col.key]
            value = f"=SUM({L}{r + 1}:{L}{r + nsrc})" if col.kind == "year" else horizontal(col, r)
            _num(ws, r, L, value, bold, border)
        for i, source in enumerate(matrix.sources, start=1):
            r += 1
            source_rows.setdefault(i, []).append(r)
            from .selectors import source_label

            _label_row(ws, r, f"{content.code}.{i}", source_label(source), normal, border)
            for col in cols:
                L = letter[col.key]
                if col.kind == "year":
                    _num(
                        ws,
                        r,
                        L,
                        _in_trieu(matrix.cells.get((content.code, source.code, col.years[0]), 0)),
                        normal,
                        border,
                    )
                else:
                    _num(ws, r, L, horizontal(col, r), normal, border)
        r = content_row + nsrc + 1
    rows = matrix.rows()
    total_rows = [row for row in rows if row.kind in ("total", "source_total")]
    for idx, trow in enumerate(total_rows):
        _label_row(ws, r, "", trow.label, bold, border)
        refs = content_rows if idx == 0 else source_rows.get(idx, [])
        for col in cols:
            L = letter[col.key]
            value = ("=" + "+".join(f"{L}{x}" for x in refs)) if refs else "=0"
            _num(ws, r, L, value, bold, border)
        r += 1
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 60
    for col in cols:
        ws.column_dimensions[letter[col.key]].width = 12
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _label_row(ws, r, number, label, font, border):
    from openpyxl.styles import Alignment

    a = ws.cell(row=r, column=1, value=number or None)
    b = ws.cell(row=r, column=2, value=label)
    for cell in (a, b):
        cell.font, cell.border = font, border
    b.alignment = Alignment(wrap_text=True, vertical="center")


def _num(ws, r, letter, value, font, border):
    cell = ws[f"{letter}{r}"]
    cell.value = value
    cell.font, cell.border = font, border
    cell.number_format = "#,##0" if not isinstance(value, float) else "#,##0.######"


def appendix_xlsx(program: Program) -> HttpResponse:
    response = HttpResponse(appendix_xlsx_bytes(program), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{_filename(program)}.xlsx"'
    return response


# ---------------------------------------------------------------------------------------------------- docx


def appendix_docx_bytes(program: Program) -> bytes:
    matrix = budget_matrix(program)
    first, second = header_rows(matrix)
    body = []
    for row in matrix.rows():
        body.append(
            ([row.number, row.label] + [format_in_unit(v, TRIEU) for v in row.values], row.kind != "source")
        )
    return build_appendix_docx(title=appendix_title(program), header=[first, second], body=body)


def build_appendix_docx(
    *,
    title: str,
    header: list[list[str]],
    body: list[tuple[list[str], bool]],
    heading: str = "PHỤ LỤC 1",
    unit_line: str = "Đơn vị tính: Triệu đồng",
) -> bytes:
    """A Word document with the appendix table: two header rows (group headings merged) and the body rows
    (cells as text, bold when the flag is set). Times New Roman, landscape."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    for text, size in ((heading, 13), (title, 12)):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
        run.font.name = "Times New Roman"
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(unit_line)
    run.italic = True
    width = len(header[0])
    table = document.add_table(rows=len(header) + len(body), cols=width)
    table.style = "Table Grid"
    from docx.table import _Cell

    # Fill every cell through its row's <w:tc> elements: `table.cell(i, j)` walks the whole table each time
    # (quadratic: ~20 s for a 40 × 26 appendix). Merging comes after, on the few header cells.
    rows = table._tbl.tr_lst
    for i, texts in enumerate(header):
        tcs = rows[i].tc_lst
        for j, text in enumerate(texts):
            _set(_Cell(tcs[j], table), text, bold=True, center=True)
    for i, (texts, bold) in enumerate(body, start=len(header)):
        tcs = rows[i].tc_lst
        for j, text in enumerate(texts):
            _set(_Cell(tcs[j], table), text, bold=bold, center=j == 0, right=j >= 2)
    # Merge the group headings of the first row and the TT / label / total cells over both header rows.
    j = 2
    while j < width:
        k = j
        while k + 1 < width and header[0][k + 1] == header[0][j] and header[1][j] and header[1][k + 1]:
            k += 1
        if k > j:
            merged = table.cell(0, j).merge(table.cell(0, k))
            _set(merged, header[0][j], bold=True, center=True)
        j = k + 1
    for j in range(width):
        if not header[1][j]:
            merged = table.cell(0, j).merge(table.cell(1, j))
            _set(merged, header[0][j], bold=True, center=True)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _set(cell, text: str, *, bold=False, center=False, right=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.text = ""
    paragraph = cell.paragraphs[0]
    lines = str(text).split("\n")
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.name = "Times New Roman"
        run.font.size = Pt(10)
        if n < len(lines) - 1:
            run.add_break()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def appendix_docx(program: Program) -> HttpResponse:
    response = HttpResponse(appendix_docx_bytes(program), content_type=DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{_filename(program)}.docx"'
    return response


def _filename(program: Program) -> str:
    return f"phu-luc-du-toan-{slugify(program.code or '') or program.pk}"
