"""Excel export of any table: Vietnamese headers, numbers as numbers with thousands grouping.

Two ways in, one writer:
- `write_workbook([Sheet(...)])` / `xlsx_response(...)` for small tables built in memory (reports, summaries);
- `stream_xlsx(...)` for lists of any length: rows come from a generator, xlsxwriter writes them row by row in
  `constant_memory` mode into a temporary file (the process holds one row at a time, not the table), and the
  response streams that file. The totals row, if any, comes from a callback after the last row, so it can add
  up
  what was written.
"""

import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import xlsxwriter
from django.http import FileResponse, HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[list] = field(default_factory=list)
    totals: list | Callable[[], list] | None = (
        None  # a last row, bold (or a callable giving it after the rows)
    )
    heading: str | None = None  # a title line above the table


class _Writer:
    """Formats and the typed cell writer of one workbook."""

    def __init__(self, wb):
        self.head = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.intf = wb.add_format({"num_format": "#,##0", "border": 1})
        self.decf = wb.add_format({"num_format": "#,##0.00", "border": 1})
        self.datef = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
        self.textf = wb.add_format({"border": 1, "text_wrap": False})
        self.bold_int = wb.add_format({"num_format": "#,##0", "border": 1, "bold": True})
        self.bold_txt = wb.add_format({"border": 1, "bold": True})

    def sheet(self, wb, sheet: Sheet) -> int:
        ws = wb.add_worksheet(sheet.title[:31])
        r = 0
        if sheet.heading:
            ws.write_string(0, 0, sheet.heading, self.title)
            r = 2
        for c, h in enumerate(sheet.headers):
            ws.write_string(r, c, h, self.head)
        ws.freeze_panes(r + 1, 0)
        widths = [max(10, min(50, len(str(h)) + 2)) for h in sheet.headers]
        # Bound methods and formats in locals: this loop runs once per cell (millions of times for big lists).
        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        write_datetime = ws.write_datetime
        intf, decf, datef, textf = self.intf, self.decf, self.datef, self.textf
        n = 0
        for row in sheet.rows:
            r += 1
            n += 1
            for c, v in enumerate(row):
                t = type(v)
                if t is str:
                    if v:
                        write_string(r, c, v, textf)
                        if len(v) + 2 > widths[c]:
                            widths[c] = min(60, len(v) + 2)
                    else:
                        write_blank(r, c, None, textf)
                elif t is int:
                    write_number(r, c, v, intf)
                elif v is None:
                    write_blank(r, c, None, textf)
                elif isinstance(v, bool):
                    write_string(r, c, "Có" if v else "Không", textf)
                elif isinstance(v, int):
                    write_number(r, c, v, intf)
                elif isinstance(v, float):
                    write_number(r, c, v, decf)
                elif hasattr(v, "as_tuple"):  # Decimal
                    write_number(r, c, float(v), decf)
                elif isinstance(v, dt.datetime):
                    write_datetime(r, c, v.replace(tzinfo=None), datef)
                elif isinstance(v, dt.date):
                    write_datetime(r, c, dt.datetime(v.year, v.month, v.day), datef)
                else:
                    v = str(v)
                    write_string(r, c, v, textf)
                    if len(v) + 2 > widths[c]:
                        widths[c] = min(60, len(v) + 2)
        totals = sheet.totals() if callable(sheet.totals) else sheet.totals
        if totals:
            r += 1
            for c, v in enumerate(totals):
                if isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(r, c, v, self.bold_int)
                else:
                    ws.write(r, c, "" if v is None else v, self.bold_txt)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        return n


def write_workbook(sheets: list[Sheet]) -> bytes:
    """A small workbook built in memory (reports, summaries)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "dd/mm/yyyy"})
    writer = _Writer(wb)
    for sheet in sheets:
        writer.sheet(wb, sheet)
    wb.close()
    return buf.getvalue()


def write_workbook_file(path: str, sheets: list[Sheet]) -> int:
    """Write `sheets` to `path` row by row in constant memory (rows may be a generator of any length): the
    worksheet XML goes straight into its zip member as rows arrive. A small writer of its own — the same cells
    and styles as `write_workbook` (headers, thousands grouping, dd/mm/yyyy, bold totals, frozen header) —
    because xlsxwriter's per-cell Python path costs ~0,13 ms a cell: 100.000 đề án × 11 columns took ~14 s.
    Returns the number of data rows written."""
    n = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        names = []
        for i, sheet in enumerate(sheets, start=1):
            names.append(_sheet_name(sheet.title, names))
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                n += _stream_sheet(out, sheet)
                out.flush()
                out.detach()
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _workbook_xml(names))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
    return n


# --- the streaming writer's parts ---------------------------------------------------------------------------
# Cell styles (indexes into cellXfs below): 0 default, 1 header, 2 title, 3 integer, 4 decimal, 5 date, 6
# text,
# 7 bold integer, 8 bold text.
_HEAD, _TITLE, _INT, _DEC, _DATE, _TEXT, _BOLD_INT, _BOLD_TXT = range(1, 9)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="#,##0.00"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="13"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill>'
    "</fill>"
    "</fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom>'
    "<diagonal/></border>"
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="9"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1" '
    'applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/>'
    '<xf numFmtId="3" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" '
    'applyBorder="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = dt.datetime(1899, 12, 30)


def _sheet_name(title: str, taken: list[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"
    base, k = name, 2
    while name in taken:
        name = f"{base[:28]} {k}"
        k += 1
    return name


def _content_types(n: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' + sheets + "</Types>"
    )


def _workbook_xml(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(n: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    styles = (
        f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}{styles}</Relationships>"
    )


def _text(v: str) -> str:
    if _ILLEGAL.search(v):
        v = _ILLEGAL.sub("", v)
    return escape(v)


def _col_letters(n: int) -> list[str]:
    out = []
    for c in range(n):
        name, k = "", c + 1
        while k:
            k, rem = divmod(k - 1, 26)
            name = chr(65 + rem) + name
        out.append(name)
    return out


def _cell(c: str, v, *, style_int=_INT, style_txt=_TEXT) -> str:
    """One <c> element at reference `c` ("B7")."""
    t = type(v)
    if t is str:
        return (
            f'<c r="{c}" s="{style_txt}" t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is></c>'
            if v
            else f'<c r="{c}" s="{style_txt}"/>'
        )
    if t is int:
        return f'<c r="{c}" s="{style_int}"><v>{v}</v></c>'
    if v is None:
        return f'<c r="{c}" s="{style_txt}"/>'
    if isinstance(v, bool):
        return f'<c r="{c}" s="{style_txt}" t="inlineStr"><is><t>{"Có" if v else "Không"}</t></is></c>'
    if isinstance(v, int):
        return f'<c r="{c}" s="{style_int}"><v>{int(v)}</v></c>'
    if isinstance(v, float) or hasattr(v, "as_tuple"):
        return f'<c r="{c}" s="{_DEC}"><v>{float(v)!r}</v></c>'
    if isinstance(v, dt.datetime):
        delta = v.replace(tzinfo=None) - _EPOCH
        return f'<c r="{c}" s="{_DATE}"><v>{delta.days + delta.seconds / 86400!r}</v></c>'
    if isinstance(v, dt.date):
        return f'<c r="{c}" s="{_DATE}"><v>{(v - _EPOCH.date()).days}</v></c>'
    return _cell(c, str(v), style_int=style_int, style_txt=style_txt)


def _stream_sheet(out, sheet: Sheet) -> int:
    widths = [max(10, min(50, len(str(h)) + 2)) for h in sheet.headers]
    head_row = 3 if sheet.heading else 1
    body = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # rows first: <cols> (widths) precede them
    write = body.write
    r = 0
    if sheet.heading:
        write(
            f'<row r="1"><c r="A1" s="{_TITLE}" t="inlineStr">'
            f"<is><t>{_text(sheet.heading)}</t></is></c></row>"
        )
        r = 2
    r += 1
    letters = _col_letters(len(sheet.headers) + 64)
    write(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{letters[c]}{r}" s="{_HEAD}" t="inlineStr"><is><t>{_text(str(h))}</t></is></c>'
            for c, h in enumerate(sheet.headers)
        )
        + "</row>"
    )
    n = 0
    cell = _cell
    for row in sheet.rows:
        r += 1
        n += 1
        parts = [f'<row r="{r}">']
        rs = str(r)
        for c, v in enumerate(row):
            parts.append(cell(letters[c] + rs, v))
            if type(v) is str and len(v) + 2 > widths[c]:
                widths[c] = min(60, len(v) + 2)
        parts.append("</row>")
        write("".join(parts))
    totals = sheet.totals() if callable(sheet.totals) else sheet.totals
    if totals:
        r += 1
        write(
            f'<row r="{r}">'
            + "".join(
                _cell(f"{letters[c]}{r}", "" if v is None else v, style_int=_BOLD_INT, style_txt=_BOLD_TXT)
                if not isinstance(v, float)
                else f'<c r="{letters[c]}{r}" s="{_BOLD_INT}"><v>{v!r}</v></c>'
                for c, v in enumerate(totals)
            )
            + "</row>"
        )
    out.write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{head_row}" topLeftCell="A{head_row + 1}" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><cols>'
        + "".join(
            f'<col min="{c}" max="{c}" width="{w + 0.71:.2f}" customWidth="1"/>'
            for c, w in enumerate(widths, start=1)
        )
        + "</cols><sheetData>"
    )
    body.seek(0)
    shutil.copyfileobj(body, out, 1 << 20)
    body.close()
    out.write("</sheetData></worksheet>")
    return n


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(write_workbook(sheets), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_xlsx(filename: str, sheets: list[Sheet]) -> FileResponse:
    """Write the sheets (rows from generators) to a temporary file in constant memory and stream it back.
    The file is unlinked at once: it lives as long as the open handle the response reads and closes."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="kc-export-")
    os.close(fd)
    try:
        write_workbook_file(path, sheets)
        handle = open(path, "rb")  # noqa: SIM115 — closed by the response
    finally:
        os.unlink(path)
    response = FileResponse(handle, content_type=XLSX_MIME, as_attachment=True, filename=filename)
    return response
