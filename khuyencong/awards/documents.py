"""Printable documents of a round: the certificate (.docx, python-docx as reports/documents.py does) and the
decision's annex listing the recognised products (.xlsx through core.xlsx, and .docx)."""

import io

from khuyencong.core.xlsx import Sheet, write_workbook

from .models import Certificate

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
