"""Excel export of any table: Vietnamese headers, numbers as numbers with thousands grouping.

Two ways in, one writer:
- `write_workbook([Sheet(...)])` / `xlsx_response(...)` for small tables built in memory (reports, summaries);
- `stream_xlsx(...)` for lists of any length: rows come from a generator, xlsxwriter writes them row by row in
  `constant_memory` mode into a temporary file (the process holds one row at a time, not the table), and the
  response streams that file. The totals row, if any, comes from a callback after the last row, so it can add up
  what was written.
"""

import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import xlsxwriter
from django.http import FileResponse, HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[list] = field(default_factory=list)
    totals: list | Callable[[], list] | None = None  # a last row, bold (or a callable giving it after the rows)
    heading: str | None = None  # a title line above the table


class _Writer:
    """Formats and the typed cell writer of one workbook."""

    def __init__(self, wb):
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter"})
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
    """Write `sheets` to `path` row by row (constant memory: rows may be a generator of any length).
    Returns the number of data rows written."""
    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "default_date_format": "dd/mm/yyyy",
                                    "tmpdir": tempfile.gettempdir()})
    writer = _Writer(wb)
    n = sum(writer.sheet(wb, sheet) for sheet in sheets)
    wb.close()
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
