"""Excel out: the import template (Vietnamese headers, an example row, drop-down lists) and the export of any
filtered list with the template's columns (so a list can be corrected and imported back)."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.core.xlsx import XLSX_MIME, Sheet, stream_xlsx

from .imports import COLUMNS, EXAMPLE_NOTE, HEADERS
from .models import Establishment
from .validators import make_tax_code

EXAMPLE = {
    "name": "Cơ sở bánh tráng Mỹ Lồng",
    "establishment_type": "HKD",
    "tax_code": make_tax_code("13", 9_000_001),
    "business_reg_no": "55A8012345",
    "business_reg_date": "15/03/2012",
    "representative_name": "Nguyễn Thị Tâm",
    "representative_gender": "Nữ",
    "woman_owned": "Có",
    "ethnic_minority_owned": "Không",
    "street": "Số 12, đường Nguyễn Văn Tư",
    "commune_name": "Mỹ Thạnh",
    "district_name": "Giồng Trôm",
    "province_name": "Bến Tre",
    "sector": "Chế biến nông, lâm, thủy sản và thực phẩm",
    "main_products": "Bánh tráng, bánh phồng",
    "employees": 12,
    "founded_year": 2010,
    "phone": "0275 3822 123",
    "email": "",
    "craft_village": "",
    "notes": EXAMPLE_NOTE,
}

GUIDE = [
    "Mỗi dòng là một cơ sở. Các cột in đậm màu cam là bắt buộc: Tên cơ sở, Loại hình, Xã/phường, Tỉnh.",
    "Loại hình: DN (doanh nghiệp), HTX (hợp tác xã), THT (tổ hợp tác), HKD (hộ kinh doanh).",
    "Mã số thuế: 10 chữ số (chữ số thứ 10 là chữ số kiểm tra), chi nhánh thêm «-» và 3 chữ số, ví dụ "
    "0100047516-001.",
    "Đơn vị hành chính trước 7/2025: ghi Xã/phường + Huyện + Tỉnh (cũ). Đơn vị hiện nay: ghi Xã/phường + "
    "Tỉnh, "
    "để trống cột Huyện.",
    "Ngày ghi dạng ngày/tháng/năm. Số lao động, năm thành lập là số nguyên.",
    "Nhập lại tệp: cơ sở đã có mã số thuế (hoặc cùng tên, cùng xã khi không có mã số thuế) sẽ được cập nhật, "
    "không tạo trùng.",
    "Tệp có lỗi sẽ không được nhập dòng nào; hệ thống liệt kê mọi lỗi theo dòng, cột, giá trị và lý do.",
]


def template_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Cơ sở CNNT"
    required = {"name", "establishment_type", "commune_name", "province_name"}
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    req_fill = PatternFill("solid", fgColor="FCE4D6")
    for c, (header, key) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.font = Font(bold=True)
        cell.fill = req_fill if key in required else head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.cell(row=2, column=c, value=EXAMPLE.get(key))
        ws.column_dimensions[get_column_letter(c)].width = max(14, min(45, len(header) + 4))
    keys = [k for _, k in COLUMNS]
    tax_col = get_column_letter(keys.index("tax_code") + 1)
    for r in range(2, 2001):
        ws[f"{tax_col}{r}"].number_format = "@"  # text: keeps leading zeros
    ws.freeze_panes = "A2"

    lists = wb.create_sheet("Danh mục")
    types = [t.code for t in EstablishmentType.objects.order_by("code")]
    sectors = [s.name for s in Sector.objects.order_by("name")]
    lists["A1"], lists["B1"], lists["C1"], lists["D1"] = "Loại hình", "Ngành nghề", "Giới tính", "Có/Không"
    for i, t in enumerate(types, start=2):
        lists[f"A{i}"] = t
    for i, s in enumerate(sectors, start=2):
        lists[f"B{i}"] = s
    for i, g in enumerate(["Nam", "Nữ"], start=2):
        lists[f"C{i}"] = g
    for i, v in enumerate(["Có", "Không"], start=2):
        lists[f"D{i}"] = v
    lists.column_dimensions["B"].width = 50

    def validation(key, ref, prompt):
        col = get_column_letter(keys.index(key) + 1)
        dv = DataValidation(
            type="list",
            formula1=ref,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không hợp lệ",
            error=f"Hãy chọn {prompt} trong danh sách.",
        )
        dv.add(f"{col}2:{col}2000")
        ws.add_data_validation(dv)

    validation("establishment_type", f"'Danh mục'!$A$2:$A${len(types) + 1}", "loại hình")
    validation("sector", f"'Danh mục'!$B$2:$B${len(sectors) + 1}", "ngành nghề")
    validation("representative_gender", "'Danh mục'!$C$2:$C$3", "giới tính")
    validation("woman_owned", "'Danh mục'!$D$2:$D$3", "Có hoặc Không")
    validation("ethnic_minority_owned", "'Danh mục'!$D$2:$D$3", "Có hoặc Không")

    guide = wb.create_sheet("Hướng dẫn")
    guide["A1"] = "Hướng dẫn nhập danh sách cơ sở công nghiệp nông thôn"
    guide["A1"].font = Font(bold=True, size=13)
    for i, line in enumerate(GUIDE, start=3):
        guide[f"A{i}"] = f"{i - 2}. {line}"
    guide.column_dimensions["A"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_response() -> HttpResponse:
    response = HttpResponse(template_bytes(), content_type=XLSX_MIME)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-co-so-cnnt.xlsx"'
    return response


GENDER = dict(Establishment._meta.get_field("representative_gender").choices)

# The columns an export reads, as one narrow query (no model instances): the template's columns in order, the
# commune's district and province for old units, the current province last.
_FIELDS = [
    "name",
    "establishment_type__code",
    "tax_code",
    "business_reg_no",
    "business_reg_date",
    "representative_name",
    "representative_gender",
    "woman_owned",
    "ethnic_minority_owned",
    "street",
    "commune__name",
    "commune__era",
    "commune__parent__name",
    "commune__parent__parent__name",
    "sector__name",
    "main_products",
    "employees",
    "founded_year",
    "phone",
    "email",
    "craft_village",
    "notes",
    "province__name",
]


def _row(v: tuple) -> list:
    (
        name,
        type_code,
        tax_code,
        reg_no,
        reg_date,
        rep,
        gender,
        woman,
        ethnic,
        street,
        commune,
        era,
        parent,
        grandparent,
        sector,
        products,
        employees,
        founded,
        phone,
        email,
        village,
        notes,
        province_now,
    ) = v
    if era == "old":
        district, province = parent or "", grandparent or ""
    else:
        district, province = "", parent or ""
    return [
        name,
        type_code,
        tax_code or "",
        reg_no,
        reg_date,
        rep,
        GENDER.get(gender, "") if gender else "",
        woman,
        ethnic,
        street,
        commune,
        district,
        province,
        sector or "",
        products,
        employees,
        founded,
        phone,
        email,
        village,
        notes,
        province_now or "",
    ]


def establishment_row(e: Establishment) -> list:
    """One establishment in the export's columns (the template's, then the current province)."""
    return _row(tuple(Establishment.objects.filter(pk=e.pk).values_list(*_FIELDS).get()))


def establishment_rows(qs):
    """Every row of a filtered, ordered list, read in chunks from the database (constant memory)."""
    for values in qs.values_list(*_FIELDS).iterator(chunk_size=5000):
        yield _row(values)


EXPORT_HEADERS = HEADERS + ["Tỉnh (hiện nay)"]


def establishments_xlsx(qs, *, heading: str | None = None):
    """The filtered list row by row: a narrow query read in chunks, the constant-memory writer, a streamed
    file
    (300.000 establishments: see docs/performance.md)."""
    sheet = Sheet(title="Cơ sở CNNT", headers=EXPORT_HEADERS, rows=establishment_rows(qs), heading=heading)
    return stream_xlsx("danh-sach-co-so-cnnt.xlsx", [sheet])
