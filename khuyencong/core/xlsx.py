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
from django.utils.http import content_disposition_header

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
    # Per column, the Excel number format of its numbers (e.g. PERCENT_FORMAT, the value a fraction: 0.4682);
    # None: integers "#,##0", decimals "#,##0.0##" (1.013,2 stays 1.013,2, in totals too).
    formats: list[str | None] | None = None
    autofilter: bool = True  # a list: filter buttons on the header row (off for key/value sheets)


PERCENT_FORMAT = "0.00%"
INT_FORMAT, DEC_FORMAT = "#,##0", "#,##0.0##"
LANDSCAPE_FROM = 7  # columns from which a sheet prints landscape


def sheet_name(title: str, taken: list[str] | tuple = ()) -> str:
    """A sheet name Excel accepts (≤ 31 characters, none of []:*?/\\), cut at a word boundary and without a
    dangling "(…" or trailing punctuation, unique among `taken`: "Đề án đã hủy (không tính vào số đề án và
    kinh phí)" → "Đề án đã hủy"."""
    name = " ".join(re.sub(r"[\[\]:*?/\\]", " ", title or "").split())
    if len(name) > 31:
        cut = name[:32]
        name = cut[: cut.rfind(" ")] if " " in cut else name[:31]
        if "(" in name and ")" not in name[name.rfind("(") :]:
            name = name[: name.rfind("(")]
        name = name.rstrip(" ,;:-–—(")
    name = name or "Sheet"
    base, k = name, 2
    while name in taken:
        suffix = f" {k}"
        name = base[: 31 - len(suffix)].rstrip() + suffix
        k += 1
    return name


class _Writer:
    """Formats and the typed cell writer of one workbook."""

    def __init__(self, wb):
        self.head = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.wb = wb
        self.intf = wb.add_format({"num_format": INT_FORMAT, "border": 1})
        self.decf = wb.add_format({"num_format": DEC_FORMAT, "border": 1})
        self.datef = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
        self.textf = wb.add_format({"border": 1, "text_wrap": False})
        self.bold_int = wb.add_format({"num_format": INT_FORMAT, "border": 1, "bold": True})
        self.bold_dec = wb.add_format({"num_format": DEC_FORMAT, "border": 1, "bold": True})
        self.bold_txt = wb.add_format({"border": 1, "bold": True})
        self.names: list[str] = []
        self._formats: dict = {}

    def number_format(self, code: str, *, bold: bool = False):
        key = (code, bold)
        if key not in self._formats:
            self._formats[key] = self.wb.add_format({"num_format": code, "border": 1, "bold": bold})
        return self._formats[key]

    def sheet(self, wb, sheet: Sheet) -> int:
        name = sheet_name(sheet.title, self.names)
        self.names.append(name)
        ws = wb.add_worksheet(name)
        r = 0
        if sheet.heading:
            ws.write_string(0, 0, sheet.heading, self.title)
            r = 2
        head_row = r
        for c, h in enumerate(sheet.headers):
            ws.write_string(r, c, h, self.head)
        ws.freeze_panes(r + 1, 0)
        ws.repeat_rows(head_row)
        ws.set_paper(9)  # A4
        if len(sheet.headers) >= LANDSCAPE_FROM:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        column_formats = {
            c: self.number_format(code) for c, code in enumerate(sheet.formats or []) if code is not None
        }
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
                elif c in column_formats and isinstance(v, int | float) and not isinstance(v, bool):
                    write_number(r, c, v, column_formats[c])
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
        if sheet.autofilter and n and sheet.headers:
            ws.autofilter(head_row, 0, r, len(sheet.headers) - 1)
        totals = sheet.totals() if callable(sheet.totals) else sheet.totals
        if totals:
            r += 1
            codes = sheet.formats or []
            for c, v in enumerate(totals):
                if hasattr(v, "as_tuple"):  # Decimal
                    v = float(v)
                if isinstance(v, int | float) and not isinstance(v, bool):
                    if c < len(codes) and codes[c] is not None:
                        style = self.number_format(codes[c], bold=True)
                    else:
                        style = self.bold_int if isinstance(v, int) else self.bold_dec
                    ws.write_number(r, c, v, style)
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
        names, defined = [], []
        for i, sheet in enumerate(sheets, start=1):
            names.append(sheet_name(sheet.title, names))
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                rows, head_row, filter_ref = _stream_sheet(out, sheet)
                n += rows
                out.flush()
                out.detach()
            quoted = "'" + names[-1].replace("'", "''") + "'"
            defined.append((i - 1, "_xlnm.Print_Titles", f"{quoted}!${head_row}:${head_row}", False))
            if filter_ref:
                absolute = "$" + filter_ref.replace(":", ":$")
                absolute = re.sub(r"([A-Z]+)(\d+)", r"\1$\2", absolute)
                defined.append((i - 1, "_xlnm._FilterDatabase", f"{quoted}!{absolute}", True))
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _workbook_xml(names, defined))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
    return n


# --- the streaming writer's parts ---------------------------------------------------------------------------
# Cell styles (indexes into cellXfs below): 0 default, 1 header, 2 title, 3 integer, 4 decimal, 5 date, 6
# text, 7 bold integer, 8 bold text, 9 bold decimal, 10 percent, 11 bold percent.
_HEAD, _TITLE, _INT, _DEC, _DATE, _TEXT, _BOLD_INT, _BOLD_TXT, _BOLD_DEC, _PCT, _BOLD_PCT = range(1, 12)
_COLUMN_STYLES = {PERCENT_FORMAT: (_PCT, _BOLD_PCT)}  # Sheet.formats the streaming writer knows
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    f'<numFmt numFmtId="165" formatCode="{DEC_FORMAT}"/>'
    f'<numFmt numFmtId="166" formatCode="{PERCENT_FORMAT}"/>'
    "</numFmts>"
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
    '<cellXfs count="12"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
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
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="165" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" '
    'applyBorder="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>'
    '<xf numFmtId="166" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" '
    'applyBorder="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NEEDS_CARE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")  # a text _text() must change
_EPOCH = dt.datetime(1899, 12, 30)


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


def _workbook_xml(names: list[str], defined: list[tuple[int, str, str, bool]] = ()) -> str:
    sheets = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    names_xml = ""
    if defined:
        names_xml = (
            "<definedNames>"
            + "".join(
                f'<definedName name="{name}" localSheetId="{index}"{' hidden="1"' if hidden else ""}>'
                f"{escape(ref)}</definedName>"
                for index, name, ref, hidden in defined
            )
            + "</definedNames>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets>{names_xml}</workbook>"
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


def _cell(c: str | None, v, *, style_int=_INT, style_txt=_TEXT, style_dec=_DEC) -> str:
    """One <c> element at reference `c` ("B7"); without one (None) its column is its place in the row."""
    r = f' r="{c}"' if c else ""
    t = type(v)
    if t is str:
        return (
            f'<c{r} s="{style_txt}" t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is></c>'
            if v
            else f'<c{r} s="{style_txt}"/>'
        )
    if t is int:
        return f'<c{r} s="{style_int}"><v>{v}</v></c>'
    if v is None:
        return f'<c{r} s="{style_txt}"/>'
    if isinstance(v, bool):
        return f'<c{r} s="{style_txt}" t="inlineStr"><is><t>{"Có" if v else "Không"}</t></is></c>'
    if isinstance(v, int):
        return f'<c{r} s="{style_int}"><v>{int(v)}</v></c>'
    if isinstance(v, float) or hasattr(v, "as_tuple"):
        return f'<c{r} s="{style_dec}"><v>{float(v)!r}</v></c>'
    if isinstance(v, dt.datetime):
        delta = v.replace(tzinfo=None) - _EPOCH
        return f'<c{r} s="{_DATE}"><v>{delta.days + delta.seconds / 86400!r}</v></c>'
    if isinstance(v, dt.date):
        return f'<c{r} s="{_DATE}"><v>{(v - _EPOCH.date()).days}</v></c>'
    return _cell(c, str(v), style_int=style_int, style_txt=style_txt)


def _stream_sheet(out, sheet: Sheet) -> tuple[int, int, str | None]:
    """Write one worksheet; returns the data rows written, the header row and the autofilter range."""
    styled = {
        c: _COLUMN_STYLES[code]
        for c, code in enumerate(sheet.formats or [])
        if code is not None and code in _COLUMN_STYLES
    }
    widths = [max(10, min(50, len(str(h)) + 2)) for h in sheet.headers]
    head_row = 3 if sheet.heading else 1
    # The rows first, as UTF-8 into a temporary file (<cols>, the widths, come before them in the sheet),
    # then copied as bytes after the sheet's head.
    body = tempfile.TemporaryFile(mode="w+b")

    def write(text: str) -> None:
        body.write(text.encode("utf-8"))

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
    # The data rows: the hot loop of a 300.000-row export (6,6 million cells), so the common cells (text,
    # blank, integer) are written inline from prebuilt pieces, without the optional r="B7" of each cell
    # (a cell's column is then its place in the row: a blank cell is still written); rows go out in batches.
    text_open = f'<c s="{_TEXT}" t="inlineStr"><is><t xml:space="preserve">'
    text_close = "</t></is></c>"
    blank = f'<c s="{_TEXT}"/>'
    int_open = f'<c s="{_INT}"><v>'
    yes, no = _cell(None, True), _cell(None, False)
    needs_care = _NEEDS_CARE.search
    cell = _cell
    parts: list[str] = []
    append = parts.append
    for row in sheet.rows:
        r += 1
        n += 1
        append(f'<row r="{r}">')
        for c, v in enumerate(row):
            t = type(v)
            if styled and c in styled and (t is int or t is float):
                append(f'<c s="{styled[c][0]}"><v>{v!r}</v></c>')
            elif t is str:
                if v:
                    if len(v) + 2 > widths[c]:
                        widths[c] = min(60, len(v) + 2)
                    append(f"{text_open}{_text(v) if needs_care(v) else v}{text_close}")
                else:
                    append(blank)
            elif t is int:
                append(f"{int_open}{v}</v></c>")
            elif v is None:
                append(blank)
            elif t is bool:
                append(yes if v else no)
            else:
                append(cell(None, v))
        append("</row>")
        if len(parts) > 20_000:
            write("".join(parts))
            parts.clear()
    write("".join(parts))
    ncols = len(sheet.headers)
    filter_ref = f"A{head_row}:{letters[ncols - 1]}{r}" if sheet.autofilter and n and ncols else None
    totals = sheet.totals() if callable(sheet.totals) else sheet.totals
    if totals:
        r += 1
        write(
            f'<row r="{r}">'
            + "".join(
                f'<c r="{letters[c]}{r}" s="{styled[c][1]}"><v>{v!r}</v></c>'
                if c in styled and type(v) in (int, float)
                else _cell(
                    f"{letters[c]}{r}",
                    "" if v is None else v,
                    style_int=_BOLD_INT,
                    style_txt=_BOLD_TXT,
                    style_dec=_BOLD_DEC,
                )
                for c, v in enumerate(totals)
            )
            + "</row>"
        )
    out.write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{head_row}" topLeftCell="A{head_row + 1}" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><cols>'
        + "".join(
            f'<col min="{c}" max="{c}" width="{w + 0.71:.2f}" customWidth="1"/>'
            for c, w in enumerate(widths, start=1)
        )
        + "</cols><sheetData>"
    )
    out.flush()
    body.seek(0)
    shutil.copyfileobj(body, out.buffer, 1 << 20)
    body.close()
    orientation = "landscape" if ncols >= LANDSCAPE_FROM else "portrait"
    out.write(
        "</sheetData>"
        + (f'<autoFilter ref="{filter_ref}"/>' if filter_ref else "")
        + '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )
    return n, head_row, filter_ref


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(write_workbook(sheets), content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, filename)
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
