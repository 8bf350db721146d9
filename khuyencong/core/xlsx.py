"""Excel export of any table: Vietnamese headers, numbers as numbers with thousands grouping."""

import datetime as dt
import io
from dataclasses import dataclass, field

import xlsxwriter
from django.http import HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None  # a last row, bold
    heading: str | None = None  # a title line above the table


def write_workbook(sheets: list[Sheet]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "dd/mm/yyyy"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    title_fmt = wb.add_format({"bold": True, "font_size": 13})
    intf = wb.add_format({"num_format": "#,##0", "border": 1})
    decf = wb.add_format({"num_format": "#,##0.00", "border": 1})
    datef = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    textf = wb.add_format({"border": 1, "text_wrap": False})
    bold_int = wb.add_format({"num_format": "#,##0", "border": 1, "bold": True})
    bold_txt = wb.add_format({"border": 1, "bold": True})
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.title[:31])
        r = 0
        if sheet.heading:
            ws.write(0, 0, sheet.heading, title_fmt)
            r = 2
        for c, h in enumerate(sheet.headers):
            ws.write(r, c, h, head)
        widths = [max(10, min(50, len(str(h)) + 2)) for h in sheet.headers]
        for row in sheet.rows:
            r += 1
            for c, v in enumerate(row):
                _write(ws, r, c, v, intf, decf, datef, textf)
                if isinstance(v, str):
                    widths[c] = max(widths[c], min(60, len(v) + 2))
        if sheet.totals:
            r += 1
            for c, v in enumerate(sheet.totals):
                if isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(r, c, v, bold_int)
                else:
                    ws.write(r, c, "" if v is None else v, bold_txt)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes((2 if sheet.heading else 0) + 1, 0)
    wb.close()
    return buf.getvalue()


def _write(ws, r, c, v, intf, decf, datef, textf):
    if v is None:
        ws.write_blank(r, c, None, textf)
    elif isinstance(v, bool):
        ws.write_string(r, c, "Có" if v else "Không", textf)
    elif isinstance(v, int):
        ws.write_number(r, c, v, intf)
    elif isinstance(v, float):
        ws.write_number(r, c, v, decf)
    elif hasattr(v, "as_tuple"):  # Decimal
        ws.write_number(r, c, float(v), decf)
    elif isinstance(v, dt.datetime):
        ws.write_datetime(r, c, v.replace(tzinfo=None), datef)
    elif isinstance(v, dt.date):
        ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), datef)
    else:
        ws.write_string(r, c, str(v), textf)


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(write_workbook(sheets), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
