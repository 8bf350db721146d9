"""The .docx and .xlsx of a report are ready to send (Nghị định 30/2020 layout, usable spreadsheets): read
back with python-docx and openpyxl, and rendered by LibreOffice when it is installed."""

import datetime as dt
import io
import re
import shutil
import subprocess

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from khuyencong import testing
from khuyencong.reports.documents import report_docx
from khuyencong.reports.periods import HALF, Period
from khuyencong.reports.services import report_create, report_update

pytestmark = pytest.mark.django_db

MOTTO = "Độc lập - Tự do - Hạnh phúc"


def ben_tre_report(actor):
    report = report_create(
        actor=actor,
        unit=testing.old_province("Bến Tre"),
        period=Period.make(HALF, 2016),
        number="85/BC-SCT",
        report_date=dt.date(2016, 7, 8),
    )
    return report_update(
        actor=actor,
        report_id=report.pk,
        expected_version=report.version,
        changes={
            "signer_title": "KT. Giám đốc\nPhó Giám đốc",
            "signer_name": "Nguyễn Văn Minh",
            "results": "Các đề án triển khai đúng tiến độ.\nCơ sở được hỗ trợ đã đi vào sản xuất.",
        },
    )


@pytest.fixture
def report_file(demo_projects, cuc_admin, as_user):
    report = ben_tre_report(cuc_admin)
    response = as_user(cuc_admin).get(f"/reports/{report.pk}/docx/")
    assert response.status_code == 200
    return report, response


def test_docx_follows_nghi_dinh_30(report_file):
    report, response = report_file
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-6-thang-2016-ben-tre.docx"'
    d = docx.Document(io.BytesIO(response.content))
    # The motto: one paragraph, no line break, in a cell wide enough for one line of 13 pt bold (≈ 7 cm).
    head = d.tables[0]
    motto_cell = next(c for c in head.rows[0].cells if MOTTO in c.text)
    motto = next(p for p in motto_cell.paragraphs if MOTTO in p.text)
    assert motto.text == MOTTO and not motto._p.findall(".//" + qn("w:br"))
    grid = head._tbl.tblGrid.findall(qn("w:gridCol"))
    widths = [int(g.get(qn("w:w"))) for g in grid]
    assert widths[1] >= Cm(9.5).twips and sum(widths) <= Cm(16).twips  # within the 16 cm of text width
    assert motto_cell.width >= Cm(9.5)
    assert head._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    # One title: the kind, then the trích yếu without "Báo cáo" again.
    texts = [p.text for p in d.paragraphs]
    assert texts.count("BÁO CÁO") == 1
    title = texts[texts.index("BÁO CÁO") + 1]
    assert title == "Kết quả thực hiện kế hoạch khuyến công 6 tháng đầu năm 2016"
    assert not any(t.lower().startswith("báo cáo kết quả") for t in texts)
    # Body: justified with a first-line indent, one paragraph per line of the narrative.
    body = next(p for p in d.paragraphs if p.text.startswith("Tổng kế hoạch kinh phí"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent.cm == pytest.approx(1, abs=0.01)
    lines = [p for p in d.paragraphs if p.text.startswith(("Các đề án triển khai", "Cơ sở được hỗ trợ"))]
    assert [p.text for p in lines] == [
        "Các đề án triển khai đúng tiến độ.",
        "Cơ sở được hỗ trợ đã đi vào sản xuất.",
    ]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY for p in lines)
    assert all(p.paragraph_format.first_line_indent.cm == pytest.approx(1, abs=0.01) for p in lines)
    assert not any(p._p.findall(".//" + qn("w:br")) for p in d.paragraphs)
    # Each plan named above its status lines.
    i = next(k for k, t in enumerate(texts) if t.startswith("Khuyến công quốc gia năm 2016:"))
    assert "đề án, kinh phí 1.820 triệu đồng, trong đó:" in texts[i]
    assert re.fullmatch(r"- \d\d/\d\d đề án .+[;.]", texts[i + 1])
    assert any(t.startswith("Khuyến công địa phương năm 2016:") for t in texts)
    # The đề án table in a landscape section of its own, the rest portrait.
    orientations = [s.orientation for s in d.sections]
    assert orientations[0] == WD_ORIENT.PORTRAIT and orientations[-1] == WD_ORIENT.PORTRAIT
    landscape = [s for s in d.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert len(landscape) == 1 and landscape[0].page_width > landscape[0].page_height
    projects = next(t for t in d.tables if "Tên đề án" in [c.text for c in t.rows[0].cells])
    body_el = d.element.body
    children = list(body_el)
    # The section holding the table ends at the first paragraph after it carrying a sectPr: landscape.
    after = children[children.index(projects._tbl) + 1 :]
    end = next(el for el in after if el.find(".//" + qn("w:sectPr")) is not None)
    size = end.find(".//" + qn("w:pgSz"))
    assert size.get(qn("w:orient")) == "landscape"
    name_width = int(projects._tbl.tblGrid.findall(qn("w:gridCol"))[2].get(qn("w:w")))
    assert name_width >= Cm(5).twips  # "Tên đề án" wraps over a few lines, not one word per line
    assert projects.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # Signature block: the signer's title (upper case, two lines) and name, no instruction left in.
    sign = d.tables[-1].rows[0].cells[1]
    sign_texts = [p.text for p in sign.paragraphs if p.text]
    assert sign_texts == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Minh"]
    everything = "\n".join(texts + [c.text for t in d.tables for r in t.rows for c in r.cells])
    assert "Ký, ghi rõ họ tên" not in everything and "{{" not in everything


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer-nogui",
)
def test_libreoffice_renders_the_docx_to_a_sane_pdf(demo_projects, cuc_admin, tmp_path):
    report = ben_tre_report(cuc_admin)
    from khuyencong.reports.compute import report_figures

    source = tmp_path / "bao-cao.docx"
    source.write_bytes(report_docx(report, report_figures(report)))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "bao-cao.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    # Header, figures, the landscape đề án list, the remaining sections and the signature: a few pages,
    # not one word per line over dozens.
    assert 2 <= _pdf_pages(pdf) <= 8, _pdf_pages(pdf)
    # Portrait A4 pages and the landscape one of the đề án table (595 × 842 pt, turned).
    boxes = {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    assert (595, 842) in boxes and (842, 595) in boxes, boxes


def test_xlsx_keeps_decimals_and_is_a_usable_list(report_file, as_user, cuc_admin):
    report, _ = report_file
    response = as_user(cuc_admin).get(f"/reports/{report.pk}/xlsx/")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-6-thang-2016-ben-tre.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert "Đề án đã hủy" in wb.sheetnames or "Đề án đã hủy" not in "".join(wb.sheetnames)
    ws = wb["Danh sách đề án"]
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    last = ws.max_row
    assert ws.auto_filter.ref == f"A3:I{last - 1}"  # the header and the đề án, not the totals row
    total = {ws.cell(3, c).value: ws.cell(last, c) for c in range(1, ws.max_column + 1)}
    approved = total["Phê duyệt (triệu đồng)"]
    assert approved.font.b and approved.number_format == (
        "#,##0.0##" if isinstance(approved.value, float) else "#,##0"
    )
    src = wb["Kinh phí theo nguồn"]
    rate = next(src.cell(r, 5) for r in range(4, src.max_row + 1) if src.cell(r, 5).value is not None)
    assert rate.number_format == "0.00%" and 0 < rate.value <= 1
