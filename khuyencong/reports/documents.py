"""A report's tables, built once and rendered three ways — the page, the .xlsx (one sheet per table,
numbers as numbers) and the .docx (Nghị định 30/2020 layout, from a docxtpl template an admin can replace)
— so the three show the same numbers.

Money is in triệu đồng in every table (as the seeds print it); percentages are of the plan.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from khuyencong.core.money import (
    amount_in_words,
    format_in_unit,
    format_number,
    format_percent,
    in_unit,
    percent_of,
    percent_value,
)
from khuyencong.core.xlsx import PERCENT_FORMAT, Sheet, sheet_name, write_workbook

from .compute import counterpart_totals
from .record_figures import section_table

DEFAULT_TEMPLATE = Path(__file__).parent / "templates_docx" / "bao_cao_dinh_ky.docx"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TEXT, MONEY, INT, PERCENT = "text", "money", "int", "percent"
STATE_BUDGET = "Cộng ngân sách nhà nước (KCQG + KCĐP)"
COUNTERPART = "Vốn đối ứng, nguồn khác"
ALL_SOURCES = "Tổng các nguồn (cả vốn đối ứng)"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None
    short: str = ""  # the sheet name when the title is over Excel's 31 characters

    @property
    def sheet_title(self) -> str:
        return sheet_name(self.short or self.title)

    def display_rows(self) -> list[list[str]]:
        return [[display(v, k) for v, k in zip(row, self.kinds, strict=True)] for row in self.rows]

    def header_cells(self) -> list[tuple[str, bool]]:
        return [(h, k != TEXT) for h, k in zip(self.headers, self.kinds, strict=True)]

    def cells(self) -> list[list[tuple[str, bool]]]:
        return [
            [(display(v, k), k != TEXT) for v, k in zip(row, self.kinds, strict=True)] for row in self.rows
        ]

    def total_cells(self) -> list[tuple[str, bool]] | None:
        if self.totals is None:
            return None
        return [(display(v, k), k != TEXT) for v, k in zip(self.totals, self.kinds, strict=True)]

    def display_totals(self) -> list[str] | None:
        if self.totals is None:
            return None
        return [display(v, k) for v, k in zip(self.totals, self.kinds, strict=True)]

    def sheet(self) -> Sheet:
        return Sheet(
            self.sheet_title,
            self.headers,
            [[cell(v, k) for v, k in zip(row, self.kinds, strict=True)] for row in self.rows],
            totals=[cell(v, k) for v, k in zip(self.totals, self.kinds, strict=True)]
            if self.totals
            else None,
            heading=self.title,
            formats=[PERCENT_FORMAT if k == PERCENT else None for k in self.kinds],
        )


def display(value, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == MONEY:
        return format_in_unit(int(value), 10**6)
    if kind == PERCENT:
        return format_percent(value)
    if kind == INT:
        return format_number(int(value))
    return str(value)


def cell(value, kind: str):
    """The value an Excel cell holds: money in triệu as a number (1013.2: decimals kept), percentages as
    fractions shown with PERCENT_FORMAT (0.4682 → "46,82 %"), rounded once from the exact ratio."""
    if value is None or value == "":
        return None
    if kind == MONEY:
        v = in_unit(int(value), 10**6)
        return int(v) if v == v.to_integral_value() else float(v)
    if kind == PERCENT:
        return float(percent_value(value, 2) / 100)
    if kind == INT:
        return int(value)
    return str(value)


def report_tables(fig: dict) -> list[Table]:
    tables = []
    src = Table(
        "by_source",
        "Kinh phí theo nguồn",
        [
            "Nguồn kinh phí",
            "Kế hoạch (triệu đồng)",
            "Phê duyệt (triệu đồng)",
            "Giải ngân (triệu đồng)",
            "Tỷ lệ giải ngân/kế hoạch",
        ],
        [TEXT, MONEY, MONEY, MONEY, PERCENT],
    )
    for r in fig.get("by_source") or []:
        src.rows.append(
            [r["name"], r["plan"], r["approved"], r["disbursed"], percent_of(r["disbursed"], r["plan"])]
        )
    money = counterpart_totals(fig)
    src.rows.append(
        [
            STATE_BUDGET,
            fig["plan"],
            fig["approved"],
            fig["disbursed"],
            percent_of(fig["disbursed"], fig["plan"]),
        ]
    )
    src.rows.append(
        [COUNTERPART, None, money["counterpart"]["approved"], money["counterpart"]["disbursed"], None]
    )
    src.totals = [ALL_SOURCES, fig["plan"], money["all"]["approved"], money["all"]["disbursed"], None]
    tables.append(src)
    if fig.get("by_content"):
        content = Table(
            "by_content",
            "Kinh phí theo nội dung hoạt động",
            ["Nội dung hoạt động", "Số đề án", "Phê duyệt (triệu đồng)", "Giải ngân (triệu đồng)"],
            [TEXT, INT, MONEY, MONEY],
            short="Kinh phí theo nội dung",
        )
        for r in fig["by_content"]:
            content.rows.append(
                [f"{r['code']}. {r['name']}", r.get("projects", 0), r["approved"], r["disbursed"]]
            )
        content.totals = [
            "Tổng cộng",
            sum(r.get("projects", 0) for r in fig["by_content"]),
            sum(r["approved"] for r in fig["by_content"]),
            sum(r["disbursed"] for r in fig["by_content"]),
        ]
        tables.append(content)
    if fig.get("plans"):
        status = Table(
            "status",
            "Tình hình thực hiện đề án",
            ["Kế hoạch", "Kinh phí kế hoạch (triệu đồng)", "Số đề án", "Tình hình thực hiện"],
            [TEXT, MONEY, INT, TEXT],
        )
        for p in fig["plans"]:
            status.rows.append(
                [p["title"], p["plan"], p["total"], "; ".join(line["text"] for line in p["lines"])]
            )
        tables.append(status)
    if fig.get("cancelled"):
        dropped = Table(
            "cancelled",
            "Đề án đã hủy (không tính vào số đề án và kinh phí)",
            ["Mã", "Tên đề án", "Đơn vị thụ hưởng"],
            [TEXT, TEXT, TEXT],
            short="Đề án đã hủy",
        )
        for p in fig["cancelled"]:
            dropped.rows.append([p["code"], p["title"], p["beneficiary"]])
        tables.append(dropped)
    if fig.get("projects"):
        projects = Table(
            "projects",
            "Danh sách đề án",
            [
                "STT",
                "Mã",
                "Tên đề án",
                "Đơn vị thụ hưởng",
                "Địa bàn",
                "Phê duyệt (triệu đồng)",
                "Giải ngân (triệu đồng)",
                "Trạng thái",
                "Tiến độ (%)",
            ],
            [INT, TEXT, TEXT, TEXT, TEXT, MONEY, MONEY, TEXT, INT],
        )
        for i, p in enumerate(fig["projects"], 1):
            projects.rows.append(
                [
                    i,
                    p["code"],
                    p["title"],
                    p["beneficiary"],
                    p["commune"],
                    p["approved"],
                    p["disbursed"],
                    p["status_label"],
                    p["progress"] or 0,
                ]
            )
        projects.totals = [
            "",
            "",
            "Tổng cộng",
            "",
            "",
            sum(p["approved"] for p in fig["projects"]),
            sum(p["disbursed"] for p in fig["projects"]),
            "",
            "",
        ]
        tables.append(projects)
    if fig.get("outputs"):
        outputs = Table(
            "outputs", "Kết quả đầu ra", ["Chỉ tiêu", "Đơn vị tính", "Kết quả"], [TEXT, TEXT, INT]
        )
        for o in fig["outputs"]:
            outputs.rows.append([o["name"], o.get("unit", ""), o["value"]])
        tables.append(outputs)
    # Sections counted from other apps' records (voting, activities, loans…): reports/record_figures.py.
    tables.extend(section_table(s) for s in fig.get("sections") or [])
    prev = fig.get("previous_year")
    if prev:
        comp = Table(
            "comparison",
            f"So sánh với cùng kỳ năm trước ({prev['label']})",
            ["Chỉ tiêu", "Kỳ này (triệu đồng)", "Cùng kỳ năm trước (triệu đồng)", "Kỳ này so với cùng kỳ"],
            [TEXT, MONEY, MONEY, PERCENT],
            short="So sánh cùng kỳ năm trước",
        )
        for key, label in (
            ("plan", "Kế hoạch kinh phí"),
            ("approved", "Kinh phí phê duyệt"),
            ("disbursed", "Giải ngân"),
        ):
            comp.rows.append([label, fig[key], prev[key], percent_of(fig[key], prev[key])])
        tables.append(comp)
    if fig.get("targets"):
        targets = Table(
            "targets",
            "Mục tiêu chương trình",
            ["Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Đạt được", "Tỷ lệ đạt"],
            [TEXT, TEXT, INT, INT, PERCENT],
        )
        for t in fig["targets"]:
            targets.rows.append(
                [
                    t["name"],
                    t.get("unit", ""),
                    t["target"],
                    t["achieved"],
                    percent_of(t["achieved"], t["target"]),
                ]
            )
        tables.append(targets)
    return tables


def aggregate_tables(agg: dict) -> list[Table]:
    """Per province: đề án (cancelled left out), assigned, approved, paid by source, the execution rate (state
    budget paid ÷ assigned) and each source's share of the approved money; the Cục's own national plans on
    their own line."""
    by_unit = Table(
        "by_province",
        "Kinh phí theo tỉnh",
        [
            "Tỉnh, thành phố",
            "Gồm",
            "Số đề án",
            "Kế hoạch được giao (triệu đồng)",
            "Phê duyệt NSNN (triệu đồng)",
            "Vốn đối ứng phê duyệt (triệu đồng)",
            "Giải ngân KCQG (triệu đồng)",
            "Giải ngân KCĐP (triệu đồng)",
            "Giải ngân vốn đối ứng (triệu đồng)",
            "Thực hiện NSNN (triệu đồng)",
            "Tỷ lệ thực hiện",
            "Tổng các nguồn phê duyệt, cả vốn đối ứng (triệu đồng)",
            "Tỷ trọng KCQG",
            "Tỷ trọng KCĐP",
            "Tỷ trọng vốn đối ứng",
            "Số báo cáo",
        ],
        [
            TEXT,
            TEXT,
            INT,
            MONEY,
            MONEY,
            MONEY,
            MONEY,
            MONEY,
            MONEY,
            MONEY,
            PERCENT,
            MONEY,
            PERCENT,
            PERCENT,
            PERCENT,
            INT,
        ],
    )

    def line(name, members, r, reports):
        # No count when none of the row's figures gave one (hand-entered paper reports).
        known = (
            not r.get("projects_unknown") or r["projects"] or r["projects_unknown"] < (r.get("reports") or 0)
        )
        return [
            name,
            members,
            r["projects"] if known else None,
            r["plan"],
            r["approved"],
            r["counterpart"],
            r["paid"]["national"],
            r["paid"]["local"],
            r["paid"]["counterpart"],
            r["disbursed"],
            r["rate"],
            r["all_approved"],
            r["share"]["national"],
            r["share"]["local"],
            r["share"]["counterpart"],
            reports,
        ]

    for r in agg["rows"]:
        members = ", ".join(m for m in r["members"] if m != r["name"])
        by_unit.rows.append(line(r["name"], members, r, None if r.get("central") else r["reports"]))
    by_unit.totals = line("Tổng cộng", "", agg["totals"], sum(r["reports"] for r in agg["rows"]))
    tables = [by_unit]
    if agg["outputs"]:
        out = Table(
            "outputs", "Kết quả theo hoạt động", ["Chỉ tiêu", "Đơn vị tính", "Kết quả"], [TEXT, TEXT, INT]
        )
        for o in agg["outputs"]:
            out.rows.append([o["name"], o["unit"], o["value"]])
        tables.append(out)
    tables.extend(agg.get("sections") or [])
    return tables


def tables_xlsx(tables: list[Table], *, info: list[list] | None = None) -> bytes:
    sheets = [t.sheet() for t in tables]
    if info:
        sheets.insert(0, Sheet("Thông tin", ["Mục", "Nội dung"], info, autofilter=False))
    return write_workbook(sheets)


# ----------------------------------------------------------------------------------------------- Word (.docx)


def vietnamese_date(place: str, day: dt.date | None) -> str:
    """ "Bắc Kạn, ngày 05 tháng 7 năm 2018" (Nghị định 30/2020: day with leading zero below 10, month 1-2
    too)."""
    if day is None:
        return f"{place}, ngày    tháng    năm     "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def template_path() -> Path | str:
    from .models import ReportTemplate

    active = ReportTemplate.objects.filter(is_active=True).order_by("-created_at").first()
    if active and active.file:
        try:
            return active.file.path
        except (NotImplementedError, ValueError):
            pass
    if not DEFAULT_TEMPLATE.exists():
        build_default_template(DEFAULT_TEMPLATE)
    return DEFAULT_TEMPLATE


def check_template(file) -> None:
    from docxtpl import DocxTemplate

    from khuyencong.core.errors import DomainError

    try:
        pos = file.tell() if hasattr(file, "tell") else None
        tpl = DocxTemplate(file)
        tpl.get_undeclared_template_variables()
        if pos is not None:
            file.seek(pos)
    except Exception as exc:  # any parse error: tell the admin in Vietnamese
        raise DomainError(f"Tệp mẫu không đọc được như một mẫu Word (.docx): {exc}", field="file") from None


TABLES_MARKER = "[[BANG_SO_LIEU]]"
WIDE_TABLE = 7  # columns from which a table gets a landscape section of its own


def _cm(emu) -> float:
    return emu / 360000


def _column_widths(rows: list[list[str]], kinds: list[str], available_cm: float) -> list[float]:
    """Widths (cm) shared out by what the columns hold: a text column by its longest value (up to 40
    characters), a number column by its longest figure, neither narrower than its longest header word, so a
    name wraps over a few lines instead of one word per line."""
    header, body = rows[0], rows[1:]
    weights = []
    for j, kind in enumerate(kinds):
        words = max((len(w) for w in str(header[j]).split()), default=1)
        longest = max((len(str(r[j])) for r in body), default=0)
        longest_word = max((len(w) for r in body for w in str(r[j]).split()), default=0)
        if kind == TEXT:
            weights.append(max(words, longest_word, min(longest, 40), 3) + 1)
        else:
            weights.append(max(words, longest, 3) + 1)
    total = sum(weights)
    return [available_cm * w / total for w in weights]


def _section_break(sect_pr, *, landscape: bool):
    """An empty paragraph ending a section laid out as `sect_pr` (the body's own), turned if asked."""
    from copy import deepcopy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sect = deepcopy(sect_pr)
    for ref in sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference")):
        sect.remove(ref)
    size = sect.find(qn("w:pgSz"))
    if size is not None:
        w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
        if landscape != (w > h):
            size.set(qn("w:w"), str(h))
            size.set(qn("w:h"), str(w))
        if landscape:
            size.set(qn("w:orient"), "landscape")
        elif size.get(qn("w:orient")):
            del size.attrib[qn("w:orient")]
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(sect)
    p.append(ppr)
    return p


def _usable_width_cm(sect_pr, *, landscape: bool) -> float:
    from docx.oxml.ns import qn

    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    if size is None or margins is None:
        return 24.7 if landscape else 16.0
    w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    width = max(w, h) if landscape else min(w, h)
    twips = width - int(margins.get(qn("w:left"), 0)) - int(margins.get(qn("w:right"), 0))
    return twips / 567  # twentieths of a point → cm


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _insert_tables(document, tables: list[Table]) -> None:
    """Put the tables where the template's `{{p tables }}` paragraph rendered the marker (python-docx).
    A table of WIDE_TABLE columns or more (the đề án list, the provinces) goes in a landscape section of its
    own; every table gets column widths by content, a fixed layout and its header row repeated on each page.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt
    from docx.table import _Cell

    anchor = next((p for p in document.paragraphs if TABLES_MARKER in p.text), None)
    if anchor is None:
        anchor = document.add_paragraph(TABLES_MARKER)
    body_sect = document.element.body.sectPr
    cursor = anchor._p
    landscape = False

    def put(element):
        nonlocal cursor
        cursor.addnext(element)
        cursor = element

    for t in tables:
        wide = len(t.headers) >= WIDE_TABLE
        if wide and not landscape:
            put(_section_break(body_sect, landscape=False))  # ends the portrait pages before the table
        elif landscape and not wide:
            put(_section_break(body_sect, landscape=True))
        landscape = wide
        title = document.add_paragraph()
        title.paragraph_format.keep_with_next = True
        title.paragraph_format.space_before = Pt(6)
        run = title.add_run(t.title)
        run.bold = True
        run.font.name, run.font.size = "Times New Roman", Pt(13)
        rows = [t.headers, *t.display_rows()] + ([t.display_totals()] if t.totals else [])
        widths = _column_widths(rows, t.kinds, _usable_width_cm(body_sect, landscape=wide))
        size = Pt(9) if len(t.headers) >= 12 else Pt(10) if wide else Pt(11)
        table = document.add_table(rows=1, cols=len(t.headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Cm(w)
        for i, values in enumerate(rows):
            # The row's own <w:tc> elements: `row.cells` walks the whole table each time (quadratic in rows).
            tr = table._tbl.tr_lst[0] if i == 0 else table.add_row()._tr
            cells = [_Cell(tc, table) for tc in tr.tc_lst]
            for j, (c, v) in enumerate(zip(cells, values, strict=True)):
                c.width = Cm(widths[j])
                para = c.paragraphs[0]
                r = para.add_run(str(v))
                r.font.name, r.font.size = "Times New Roman", size
                r.bold = i == 0 or (t.totals is not None and i == len(rows) - 1)
                if i == 0:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif t.kinds[j] in (MONEY, INT, PERCENT):
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _repeat_header(table.rows[0])
        put(title._p)
        put(table._tbl)
        if not wide:
            put(document.add_paragraph()._p)
    if landscape:
        put(_section_break(body_sect, landscape=True))
    anchor._p.getparent().remove(anchor._p)


def _split_line_breaks(document) -> None:
    """One paragraph per line: docxtpl's Listing turns each newline into a <w:br/> inside one paragraph,
    which a justified paragraph stretches across the line and which gets no first-line indent. Each line
    becomes its own paragraph with the same paragraph properties (a section break stays on the last)."""
    from copy import deepcopy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    W_BR, W_R, W_PPR, W_RPR = qn("w:br"), qn("w:r"), qn("w:pPr"), qn("w:rPr")

    def is_break(el):
        return el.tag == W_BR and el.get(qn("w:type")) in (None, "textWrapping")

    for p in list(document.element.body.iter(qn("w:p"))):
        if not any(is_break(br) for br in p.iter(W_BR)):
            continue
        ppr = p.find(W_PPR)
        parts = []

        def start(ppr=ppr, parts=parts):
            new = OxmlElement("w:p")
            if ppr is not None:
                copy = deepcopy(ppr)
                for sect in copy.findall(qn("w:sectPr")):
                    copy.remove(sect)
                new.append(copy)
            parts.append(new)
            return new

        current = start()
        for child in p:
            if child.tag == W_PPR:
                continue
            if child.tag != W_R or not any(is_break(c) for c in child):
                current.append(deepcopy(child))
                continue
            rpr = child.find(W_RPR)
            run = None
            for c in child:
                if c.tag == W_RPR:
                    continue
                if is_break(c):
                    current, run = start(), None
                    continue
                if run is None:
                    run = OxmlElement("w:r")
                    if rpr is not None:
                        run.append(deepcopy(rpr))
                    current.append(run)
                run.append(deepcopy(c))
        if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
            parts[-1].remove(parts[-1].find(W_PPR))
            parts[-1].insert(0, deepcopy(ppr))
        for new in parts:
            p.addprevious(new)
        p.getparent().remove(p)


def document_title(title: str, fallback: str) -> str:
    """The trích yếu under "BÁO CÁO" (Nghị định 30/2020): "Báo cáo kết quả …" would print the kind twice,
    so a leading "Báo cáo" goes and the rest starts with a capital."""
    import re

    text = re.sub(r"^\s*báo\s+cáo\s*[:,\-–—]?\s*", "", title or "", flags=re.IGNORECASE).strip()
    text = text or fallback
    return text[:1].upper() + text[1:]


def status_text(plans: list[dict]) -> str:
    """The status lines under each plan's name, as the page shows them: "Khuyến công địa phương năm 2018:
    10 đề án, kinh phí 529 triệu đồng, trong đó:" then "- 02/10 đề án đã hoàn thành;" …"""
    out = []
    for p in plans:
        lines = p.get("lines") or []
        head = f"{p['title']}: {p['total']:02d} đề án, kinh phí {format_in_unit(p['plan'])} triệu đồng"
        out.append(head + (", trong đó:" if lines else "."))
        for k, line in enumerate(lines):
            extra = " (không tính vào số đề án và kinh phí)" if line.get("key") == "cancelled" else ""
            out.append(f"- {line['text']}{extra}{'.' if k == len(lines) - 1 else ';'}")
    return "\n".join(out)


def _period_slug(period) -> str:
    from .periods import CUSTOM, HALF, NINE_MONTHS, QUARTER

    if period.kind == QUARTER:
        return f"quy-{period.number}-{period.year}"
    if period.kind == HALF:
        return f"6-thang-{period.year}"
    if period.kind == NINE_MONTHS:
        return f"9-thang-{period.year}"
    if period.kind == CUSTOM:
        return f"tu-{period.start:%d-%m-%Y}-den-{period.end:%d-%m-%Y}"
    return f"nam-{period.year}"


def report_filename(report, ext: str) -> str:
    """ "bao-cao-6-thang-2016-ben-tre.docx": the kind, period and unit, in ASCII."""
    from khuyencong.core.text import ascii_slug

    unit = ascii_slug(report.unit.short_name or report.unit.name) or str(report.pk)
    return f"bao-cao-{_period_slug(report.period)}-{unit}.{ext}"


def aggregate_filename(agg: dict, ext: str) -> str:
    """ "tong-hop-6-thang-2019-khu-vuc-phia-nam.xlsx"."""
    from khuyencong.core.text import ascii_slug

    return f"tong-hop-{_period_slug(agg['period'])}-{ascii_slug(agg['region_label']) or 'toan-quoc'}.{ext}"


def report_context(report, fig: dict, tables: list[Table]) -> dict:
    from docxtpl import Listing

    period = report.period
    return {
        "issuer_parent": report.issuer_parent,
        "issuer": report.issuer,
        "number": report.number or "     /BC-SCT",
        "place_date": vietnamese_date(report.place, report.report_date),
        "title": document_title(
            report.title, f"Kết quả hoạt động khuyến công {period.label[:1].lower()}{period.label[1:]}"
        ),
        "period": period.label,
        "as_of": period.end.strftime("%d/%m/%Y"),
        "unit": report.unit.name,
        "results": Listing(report.results),
        "difficulties": Listing(report.difficulties),
        "causes": Listing(report.causes),
        "solutions": Listing(report.solutions),
        "next_plan": Listing(report.next_plan),
        "plan": format_in_unit(fig["plan"]),
        "disbursed": format_in_unit(fig["disbursed"]),
        "plan_words": amount_in_words(fig["plan"]),
        "disbursed_words": amount_in_words(fig["disbursed"]),
        "rate": format_percent(percent_of(fig["disbursed"], fig["plan"])) or "—",
        "status_lines": status_text(fig.get("plans") or []),
        "signer_title": Listing((report.signer_title or "").upper()),
        "signer_name": report.signer_name,
        "recipients": Listing(report.recipients),
        "figures_note": (
            "Số liệu đã chốt khi gửi Cục"
            if report.figures is not None
            else "Số liệu tính từ dữ liệu đề án tại ngày cuối kỳ"
        ),
    }


def render_docx(context: dict, tables: list[Table]) -> bytes:
    import docx
    from docxtpl import DocxTemplate, Listing

    tpl = DocxTemplate(str(template_path()))
    ctx = dict(context)
    ctx["tables"] = TABLES_MARKER
    for key in ("status_lines", "signer_title"):
        if isinstance(ctx.get(key), str):
            ctx[key] = Listing(ctx[key])
    tpl.render(ctx, autoescape=True)  # user text is XML-escaped; Listing values are already escaped
    rendered = io.BytesIO()
    tpl.save(rendered)
    rendered.seek(0)
    document = docx.Document(rendered)
    _split_line_breaks(document)
    _insert_tables(document, tables)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def report_docx(report, fig: dict) -> bytes:
    tables = report_tables(fig)
    return render_docx(report_context(report, fig, tables), tables)


def report_xlsx(report, fig: dict) -> bytes:
    info = [
        ["Đơn vị", report.unit.name],
        ["Kỳ báo cáo", report.period.label],
        ["Số liệu tính đến ngày", report.period.end],
        ["Trạng thái", report.get_status_display()],
        ["Kế hoạch (đồng)", fig["plan"]],
        ["Giải ngân (đồng)", fig["disbursed"]],
        ["Bằng chữ (kế hoạch)", amount_in_words(fig["plan"])],
        ["Vốn đối ứng phê duyệt (đồng)", counterpart_totals(fig)["counterpart"]["approved"]],
        ["Tổng các nguồn phê duyệt, cả vốn đối ứng (đồng)", counterpart_totals(fig)["all"]["approved"]],
        ["Tổng các nguồn giải ngân, cả vốn đối ứng (đồng)", counterpart_totals(fig)["all"]["disbursed"]],
    ]
    return tables_xlsx(report_tables(fig), info=info)


def _aggregate_results(agg: dict) -> list[str]:
    t = agg["totals"]
    parts = [
        f"{agg['source_label']}. {agg['rollup_label']}. Số đơn vị có số liệu: "
        f"{agg['units_reported']}/{agg['units_total']}."
    ]
    if t["projects"] or not t.get("projects_unknown"):
        parts.append(
            f"Số đề án: {t['projects']:02d}"
            + (f" (không tính {t['cancelled']:02d} đề án đã hủy)." if t.get("cancelled") else ".")
        )
    parts.append(
        f"Tổng các nguồn (cả vốn đối ứng): phê duyệt {format_in_unit(t['all_approved'])} triệu đồng, "
        f"giải ngân {format_in_unit(t['all_disbursed'])} triệu đồng."
    )
    return parts


def aggregate_docx(agg: dict, *, place: str = "Hà Nội", day: dt.date | None = None) -> bytes:
    from docxtpl import Listing

    tables = aggregate_tables(agg)
    t = agg["totals"]
    ctx = {
        "issuer_parent": "BỘ CÔNG THƯƠNG",
        "issuer": "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG",
        "number": "     /BC-CĐMST",
        "place_date": vietnamese_date(place, day or dt.date.today()),
        "title": f"Tổng hợp kết quả hoạt động khuyến công {agg['period'].label.lower()} — "
        f"{agg['region_label']}",
        "period": agg["period"].label,
        "as_of": agg["period"].end.strftime("%d/%m/%Y"),
        "unit": agg["region_label"],
        "results": Listing(" ".join(_aggregate_results(agg))),
        "difficulties": Listing(""),
        "causes": Listing(""),
        "solutions": Listing(""),
        "next_plan": Listing(""),
        "plan": format_in_unit(t["plan"]),
        "disbursed": format_in_unit(t["disbursed"]),
        "plan_words": amount_in_words(t["plan"]),
        "disbursed_words": amount_in_words(t["disbursed"]),
        "rate": format_percent(t["rate"]) or "—",
        "status_lines": "",
        "signer_title": "CỤC TRƯỞNG",
        "signer_name": "",
        "recipients": Listing("- Lãnh đạo Bộ (để b/c);\n- Lưu: VT."),
        "figures_note": agg["source_label"],
    }
    return render_docx(ctx, tables)


def aggregate_xlsx(agg: dict) -> bytes:
    info = [
        ["Phạm vi", agg["region_label"]],
        ["Kỳ", agg["period"].label],
        ["Nguồn số liệu", agg["source_label"]],
        ["Đơn vị", agg["rollup_label"]],
    ]
    return tables_xlsx(aggregate_tables(agg), info=info)


def build_default_template(path: Path) -> None:
    """The default Word template (Nghị định 30/2020 layout: A4, margins 2/2/3/2 cm, Times New Roman 13), with
    docxtpl placeholders. Admins may upload a replacement using the same placeholders (listed on the settings
    page). The header table has fixed column widths (5,5 + 10,5 cm) so the national title and the motto stay
    on one line each; the body is justified with a 1 cm first-line indent; one title (the kind "BÁO CÁO",
    then the trích yếu); the signature block holds the signer's title and name only."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)

    def para(container, text, *, bold=False, italic=False, center=False, size=13, space_after=0, body=False):
        p = container.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = p.paragraph_format
        fmt.space_after = Pt(space_after)
        if body:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Cm(1)
            fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(3), Pt(3), 1.15
        r = p.add_run(text)
        r.bold, r.italic = bold, italic
        r.font.name, r.font.size = "Times New Roman", Pt(size)
        return p

    def fixed_table(widths_cm):
        table = doc.add_table(rows=1, cols=len(widths_cm))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        for col, cell, w in zip(table.columns, table.rows[0].cells, widths_cm, strict=True):
            col.width = cell.width = Cm(w)
        return table.rows[0].cells

    left, right = fixed_table([5.5, 10.5])
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = left.paragraphs[0].add_run("{{ issuer_parent }}")
    r.font.size = Pt(12)
    para(left, "{{ issuer }}", bold=True, center=True, size=12)
    para(left, "Số: {{ number }}", center=True, size=13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold, r.font.size = True, Pt(12)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, center=True, size=13, space_after=6)
    para(right, "{{ place_date }}", italic=True, center=True, size=13)
    para(doc, "")
    para(doc, "BÁO CÁO", bold=True, center=True, size=14)
    para(doc, "{{ title }}", bold=True, center=True, size=14, space_after=12)
    para(
        doc,
        "Kỳ báo cáo: {{ period }} (số liệu tính đến ngày {{ as_of }}; {{ figures_note }}).",
        italic=True,
        body=True,
    )
    para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True, body=True)
    para(
        doc,
        "Tổng kế hoạch kinh phí: {{ plan }} triệu đồng (bằng chữ: {{ plan_words }}); đã thực hiện "
        "{{ disbursed }} triệu đồng (bằng chữ: {{ disbursed_words }}), đạt {{ rate }} kế hoạch.",
        body=True,
    )
    para(doc, "{{ status_lines }}", body=True)
    para(doc, "{{ results }}", body=True)
    para(doc, "{{ tables }}")
    for heading, key in (
        ("II. KHÓ KHĂN, VƯỚNG MẮC", "difficulties"),
        ("III. NGUYÊN NHÂN", "causes"),
        ("IV. GIẢI PHÁP", "solutions"),
        ("V. KẾ HOẠCH KỲ TỚI", "next_plan"),
    ):
        para(doc, heading, bold=True, body=True)
        para(doc, "{{ " + key + " }}", body=True)
    para(doc, "")
    left, right = fixed_table([7.5, 8.5])
    r = left.paragraphs[0].add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    para(left, "{{ recipients }}", size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = right.paragraphs[0].add_run("{{ signer_title }}")
    r.bold, r.font.size = True, Pt(13)
    para(right, "", center=True, space_after=72)  # room for the signature and the seal
    para(right, "{{ signer_name }}", bold=True, center=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
