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
from khuyencong.core.xlsx import Sheet, write_workbook

from .compute import counterpart_totals

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
            self.title[:31],
            self.headers,
            [[cell(v, k) for v, k in zip(row, self.kinds, strict=True)] for row in self.rows],
            totals=[cell(v, k) for v, k in zip(self.totals, self.kinds, strict=True)]
            if self.totals
            else None,
            heading=self.title,
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
    """The value an Excel cell holds: money in triệu as a number, percentages as numbers (19.31)."""
    if value is None or value == "":
        return None
    if kind == MONEY:
        v = in_unit(int(value), 10**6)
        return int(v) if v == v.to_integral_value() else float(v)
    if kind == PERCENT:
        return float(
            percent_value(value)
        )  # 59.5: the number the page shows, rounded once from the exact ratio
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
    prev = fig.get("previous_year")
    if prev:
        comp = Table(
            "comparison",
            f"So sánh với cùng kỳ năm trước ({prev['label']})",
            ["Chỉ tiêu", "Kỳ này (triệu đồng)", "Cùng kỳ năm trước (triệu đồng)", "Kỳ này so với cùng kỳ"],
            [TEXT, MONEY, MONEY, PERCENT],
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
    return tables


def tables_xlsx(tables: list[Table], *, info: list[list] | None = None) -> bytes:
    sheets = [t.sheet() for t in tables]
    if info:
        sheets.insert(0, Sheet("Thông tin", ["Mục", "Nội dung"], info))
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


def _insert_tables(document, tables: list[Table]) -> None:
    """Put the tables where the template's `{{p tables }}` paragraph rendered the marker (python-docx)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    anchor = next((p for p in document.paragraphs if TABLES_MARKER in p.text), None)
    if anchor is None:
        anchor = document.add_paragraph(TABLES_MARKER)
    cursor = anchor._p
    for t in tables:
        title = document.add_paragraph()
        run = title.add_run(t.title)
        run.bold = True
        run.font.name, run.font.size = "Times New Roman", Pt(13)
        table = document.add_table(rows=1, cols=len(t.headers))
        table.style = "Table Grid"
        rows = [t.headers, *t.display_rows()] + ([t.display_totals()] if t.totals else [])
        from docx.table import _Cell

        for i, values in enumerate(rows):
            # The row's own <w:tc> elements: `row.cells` walks the whole table each time (quadratic in rows).
            tr = table._tbl.tr_lst[0] if i == 0 else table.add_row()._tr
            cells = [_Cell(tc, table) for tc in tr.tc_lst]
            for j, (c, v) in enumerate(zip(cells, values, strict=True)):
                para = c.paragraphs[0]
                r = para.add_run(str(v))
                r.font.name, r.font.size = "Times New Roman", Pt(11)
                r.bold = i == 0 or (t.totals is not None and i == len(rows) - 1)
                if i > 0 and t.kinds[j] in (MONEY, INT, PERCENT):
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        spacer = document.add_paragraph()
        for element in (title._p, table._tbl, spacer._p):
            cursor.addnext(element)
            cursor = element
    anchor._p.getparent().remove(anchor._p)


def report_context(report, fig: dict, tables: list[Table]) -> dict:
    from docxtpl import Listing

    period = report.period
    return {
        "issuer_parent": report.issuer_parent,
        "issuer": report.issuer,
        "number": report.number or "     /BC-SCT",
        "place_date": vietnamese_date(report.place, report.report_date),
        "title": report.title,
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
        "status_lines": "\n".join(line["text"] for p in fig.get("plans") or [] for line in p["lines"]),
        "signer_title": report.signer_title,
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
    if isinstance(ctx.get("status_lines"), str):
        ctx["status_lines"] = Listing(ctx["status_lines"])
    tpl.render(ctx, autoescape=True)  # user text is XML-escaped; Listing values are already escaped
    rendered = io.BytesIO()
    tpl.save(rendered)
    rendered.seek(0)
    document = docx.Document(rendered)
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
        "title": f"Báo cáo tổng hợp kết quả hoạt động khuyến công {agg['period'].label.lower()} — "
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
    """The default Word template (Nghị định 30/2020 layout, Times New Roman 13), with docxtpl placeholders.
    Admins may upload a replacement using the same placeholders (listed on the settings page)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
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

    def para(container, text, *, bold=False, italic=False, center=False, size=13, space_after=0):
        p = container.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(space_after)
        r = p.add_run(text)
        r.bold, r.italic = bold, italic
        r.font.name, r.font.size = "Times New Roman", Pt(size)
        return p

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    left.paragraphs[0].text = ""
    r = left.paragraphs[0].add_run("{{ issuer_parent }}")
    r.font.size = Pt(13)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(left, "{{ issuer }}", bold=True, center=True)
    para(left, "Số: {{ number }}", center=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold, r.font.size = True, Pt(13)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, center=True, size=14)
    para(right, "{{ place_date }}", italic=True, center=True, size=14)
    para(doc, "")
    para(doc, "BÁO CÁO", bold=True, center=True, size=14)
    para(doc, "{{ title }}", bold=True, center=True, size=14, space_after=12)
    para(
        doc, "Kỳ báo cáo: {{ period }} (số liệu tính đến ngày {{ as_of }}; {{ figures_note }}).", italic=True
    )
    para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    para(
        doc,
        "Tổng kế hoạch kinh phí: {{ plan }} triệu đồng (bằng chữ: {{ plan_words }}); đã thực hiện "
        "{{ disbursed }} triệu đồng (bằng chữ: {{ disbursed_words }}), đạt {{ rate }} kế hoạch.",
    )
    para(doc, "{{ status_lines }}")
    para(doc, "{{ results }}")
    para(doc, "{{ tables }}")
    para(doc, "II. KHÓ KHĂN, VƯỚNG MẮC", bold=True)
    para(doc, "{{ difficulties }}")
    para(doc, "III. NGUYÊN NHÂN", bold=True)
    para(doc, "{{ causes }}")
    para(doc, "IV. GIẢI PHÁP", bold=True)
    para(doc, "{{ solutions }}")
    para(doc, "V. KẾ HOẠCH KỲ TỚI", bold=True)
    para(doc, "{{ next_plan }}")
    para(doc, "")
    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    r = left.paragraphs[0].add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    para(left, "{{ recipients }}", size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = right.paragraphs[0].add_run("{{ signer_title }}")
    r.bold, r.font.size = True, Pt(13)
    para(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, center=True, size=12, space_after=60)
    para(right, "{{ signer_name }}", bold=True, center=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
