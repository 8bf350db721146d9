"""The ranked table as an annex the Cục can attach to a reward proposal: .xlsx (core/xlsx.py) and .docx
(reports/documents.py's Nghị định 30 template and table writer)."""

import datetime as dt
from decimal import Decimal

from khuyencong.core.money import format_number
from khuyencong.core.xlsx import Sheet, write_workbook

from .models import Criterion


def _n(value) -> str:
    return format_number(Decimal(value).quantize(Decimal("0.01")))


def title(data: dict, region_label: str) -> str:
    return f"Kết quả đánh giá, xếp hạng công tác khuyến công năm {data['year']} — {region_label}"


def headers() -> list[str]:
    return ["Hạng", "Tỉnh, thành phố", *[f"{c.label} (điểm)" for c in Criterion], "Tổng điểm"]


def _points(row) -> list[Decimal]:
    return [Decimal(c["points"]) for c in row["criteria"]]


def xlsx(data: dict, region_label: str) -> bytes:
    rows = [
        [r["rank"], r["name"], *[float(p) for p in _points(r)], float(Decimal(r["total"]))]
        for r in data["rows"]
    ]
    detail = [
        [
            r["rank"],
            r["name"],
            c["label"],
            float(Decimal(c["weight"])),
            c["rate"],
            float(Decimal(c["points"])),
            c["detail"],
        ]
        for r in data["rows"]
        for c in r["criteria"]
    ]
    return write_workbook(
        [
            Sheet("Xếp hạng", headers(), rows, heading=title(data, region_label)),
            Sheet(
                "Chi tiết tiêu chí",
                ["Hạng", "Tỉnh, thành phố", "Tiêu chí", "Điểm tối đa", "Tỷ lệ đạt", "Điểm", "Căn cứ tính"],
                detail,
                formats=[None, None, None, None, "0.00%", None, None],
            ),
        ]
    )


def docx(data: dict, region_label: str, *, day: dt.date | None = None) -> bytes:
    from docxtpl import Listing

    from khuyencong.reports.documents import TEXT, Table, render_docx, vietnamese_date

    table = Table(
        key="ranking",
        title=title(data, region_label),
        short="Xếp hạng",
        headers=headers(),
        kinds=[TEXT] * (3 + len(Criterion)),
        rows=[
            [str(r["rank"]), r["name"], *[_n(p) for p in _points(r)], _n(r["total"])] for r in data["rows"]
        ],
    )
    weights = "; ".join(
        f"{c['label']}: tối đa {_n(c['weight'])} điểm"
        for c in (data["rows"][0]["criteria"] if data["rows"] else [])
    )
    ctx = {
        "issuer_parent": "BỘ CÔNG THƯƠNG",
        "issuer": "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG",
        "number": "     /PL-CĐMST",
        "place_date": vietnamese_date("Hà Nội", day or dt.date.today()),
        "title": f"Phụ lục: {title(data, region_label)}",
        "period": f"Năm {data['year']}",
        "as_of": f"31/12/{data['year']}",
        "unit": region_label,
        "results": Listing(
            f"Số tỉnh, thành phố được đánh giá: {len(data['rows'])}. Tiêu chí và điểm tối đa: {weights}. "
            "Căn cứ: chế độ báo cáo định kỳ (đúng hạn, muộn, chưa gửi), tỷ lệ thực hiện kế hoạch khuyến "
            "công quốc gia và địa phương, tỷ lệ đề án phải dừng, gia hạn, kết quả đầu ra so với chỉ tiêu năm."
        ),
        "difficulties": Listing(""),
        "causes": Listing(""),
        "solutions": Listing(""),
        "next_plan": Listing(""),
        "plan": "",
        "disbursed": "",
        "plan_words": "",
        "disbursed_words": "",
        "rate": "",
        "status_lines": "",
        "signer_title": "CỤC TRƯỞNG",
        "signer_name": "",
        "recipients": Listing("- Hội đồng thi đua khen thưởng Bộ (để xem xét);\n- Lưu: VT."),
        "figures_note": "Điểm tính từ dữ liệu báo cáo và đề án trên hệ thống",
    }
    return render_docx(ctx, [table])
