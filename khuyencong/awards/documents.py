"""Printable documents of a round: the certificate (.docx, python-docx as reports/documents.py does; PDF
through LibreOffice when it is installed) and the decision's annex listing the recognised products (.xlsx
through core.xlsx, and .docx laid out as Nghị định 30/2020/NĐ-CP asks of an annex: the issuer and the
national motto side by side, "PHỤ LỤC", the title, "(Kèm theo Quyết định số … ngày …)", then the table)."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from khuyencong.core.xlsx import Sheet, write_workbook

from .models import AwardLevel, Certificate

ANNEX_HEADERS = [
    "STT",
    "Tên sản phẩm",
    "Nhóm sản phẩm",
    "Cơ sở",
    "Địa chỉ (xã, tỉnh)",
    "Điểm bình quân",
    "Số giấy chứng nhận",
    "Có giá trị đến",
]


def annex_rows(award_round) -> list[list]:
    certs = (
        Certificate.objects.filter(round=award_round)
        .select_related(
            "product", "establishment", "establishment__commune", "establishment__province", "entry"
        )
        .order_by("number")
    )
    out = []
    for i, c in enumerate(certs, 1):
        place = f"{c.establishment.commune.name}, {c.establishment.province.name}"
        score = c.entry.score
        out.append(
            [
                i,
                c.product.name,
                c.product.get_group_display(),
                c.establishment.name,
                place,
                str(score).replace(".", ",") if score is not None else "",
                c.number,
                c.valid_until.strftime("%d/%m/%Y"),
            ]
        )
    return out


def annex_heading(award_round) -> str:
    decision = (
        f" (kèm theo Quyết định số {award_round.decision_no} ngày {award_round.decision_date:%d/%m/%Y})"
        if award_round.decision_no
        else ""
    )
    return f"Danh sách sản phẩm CNNT tiêu biểu được công nhận — {award_round.title}{decision}"


def annex_xlsx(award_round) -> bytes:
    return write_workbook(
        [
            Sheet(
                title="Phụ lục",
                heading=annex_heading(award_round),
                headers=ANNEX_HEADERS,
                rows=annex_rows(award_round),
            )
        ]
    )


def certificate_docx(cert: Certificate) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    r = cert.round
    document = docx.Document()

    def line(text, *, bold=False, size=13, center=True):
        p = document.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    line("Độc lập - Tự do - Hạnh phúc", bold=True)
    line(r.organiser.name.upper(), bold=True)
    line("GIẤY CHỨNG NHẬN", bold=True, size=20)
    line(f"SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU {cert.get_level_display().upper()}", bold=True, size=15)
    line(f"Năm {r.year}")
    line(f"Sản phẩm: {cert.product.name}", bold=True, size=16)
    line(f"Nhóm sản phẩm: {cert.product.get_group_display()}")
    est = cert.establishment
    line(f"Cơ sở: {est.name}")
    line(f"Địa chỉ: {est.commune.name}, {est.province.name}")
    if r.decision_no:
        line(f"Theo Quyết định số {r.decision_no} ngày {r.decision_date:%d/%m/%Y}")
    line(f"Số: {cert.number} — Ngày cấp: {cert.issued_on:%d/%m/%Y}")
    line(f"Giấy chứng nhận có giá trị đến ngày {cert.valid_until:%d/%m/%Y}")
    if cert.revoked:
        line(f"ĐÃ THU HỒI ngày {cert.revoked_on:%d/%m/%Y}: {cert.revocation_reason}", bold=True)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------- PDF

PDF_TIMEOUT_SECONDS = 180


def soffice() -> str | None:
    """The LibreOffice binary, if installed (apt-get install -y libreoffice-writer-nogui)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, name: str = "tai-lieu") -> bytes | None:
    """The .docx rendered to PDF by LibreOffice headless (as reports' LibreOffice test does: a profile of its
    own so parallel conversions do not lock each other); None when LibreOffice is absent or fails."""
    binary = soffice()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="kc-pdf-") as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    binary,
                    f"-env:UserInstallation=file://{tmp}/lo-profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        target = Path(tmp) / f"{name}.pdf"
        if not target.exists():
            return None
        pdf = target.read_bytes()
    return pdf if pdf.startswith(b"%PDF") else None


def certificate_file(cert: Certificate) -> tuple[bytes, str]:
    """The printable certificate: (PDF, "pdf") through LibreOffice, else (.docx, "docx")."""
    data = certificate_docx(cert)
    pdf = docx_to_pdf(data, name=f"giay-chung-nhan-{cert.pk}")
    return (pdf, "pdf") if pdf is not None else (data, "docx")


# ------------------------------------------------------------------------------------------ annex .docx


def _issuer_lines(award_round) -> tuple[str, str]:
    """(the body above, the issuing body) as Nghị định 30/2020 prints them in the top-left corner."""
    from khuyencong.accounts.models import Organisation

    org = award_round.organiser
    if award_round.level in ("region", "national") or org.kind == Organisation.Kind.MINISTRY:
        return "BỘ CÔNG THƯƠNG", org.name.upper()
    if award_round.unit is not None:
        province = award_round.unit
        while province.parent_id is not None:
            province = province.parent
        return f"UBND {province.name.upper()}", org.name.upper()
    return "", org.name.upper()


def annex_docx(award_round) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)

    def para(container, text, *, bold=False, italic=False, size=13, center=True):
        p = container.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    above, issuer = _issuer_lines(award_round)
    head = document.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run(above).font.size = Pt(12)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(left, issuer, bold=True, size=12)
    run = right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)

    para(document, "")
    para(document, "PHỤ LỤC", bold=True, size=14)
    para(
        document,
        "DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU "
        f"{AwardLevel(award_round.level).label.upper()} NĂM {award_round.year} ĐƯỢC CÔNG NHẬN",
        bold=True,
        size=14,
    )
    if award_round.decision_no:
        para(
            document,
            f"(Kèm theo Quyết định số {award_round.decision_no} ngày {award_round.decision_date:%d/%m/%Y} "
            f"của {award_round.organiser.name})",
            italic=True,
        )
    para(document, "")
    rows = annex_rows(award_round)
    table = document.add_table(rows=1, cols=len(ANNEX_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ANNEX_HEADERS, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = ""
            cell.paragraphs[0].add_run(str(value)).font.size = Pt(12)
            if i in (0, 5, 6, 7):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(document, f"Danh sách có {len(rows)} sản phẩm./.", italic=True, center=False)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
