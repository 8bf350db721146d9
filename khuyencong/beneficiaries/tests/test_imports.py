import io

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from khuyencong.beneficiaries import imports
from khuyencong.beneficiaries.exports import template_bytes
from khuyencong.beneficiaries.models import Establishment
from khuyencong.beneficiaries.validators import make_tax_code
from khuyencong.core.errors import ImportFailed

pytestmark = pytest.mark.django_db


def row(**values):
    base = {
        "name": "Cơ sở bánh tráng Mỹ Lồng",
        "establishment_type": "HKD",
        "tax_code": make_tax_code("13", 700),
        "representative_name": "Trần Thị Lồng",
        "representative_gender": "Nữ",
        "woman_owned": "Có",
        "ethnic_minority_owned": "Không",
        "commune_name": "Mỹ Thạnh",
        "district_name": "Giồng Trôm",
        "province_name": "Bến Tre",
        "sector": "Chế biến nông, lâm, thủy sản và thực phẩm",
        "main_products": "Bánh tráng",
        "employees": 12,
        "founded_year": 2010,
    }
    base.update(values)
    return [base.get(key) for _, key in imports.COLUMNS]


def xlsx(rows, headers=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or imports.HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_rows():
    return [
        row(),
        row(
            name="Công ty TNHH Cơ khí Hòa Thuận",
            establishment_type="DN",
            tax_code=make_tax_code("21", 800),
            commune_name="Hòa Thuận",
            district_name="Châu Thành",
            province_name="Trà Vinh",
            woman_owned="Không",
            representative_gender="Nam",
            sector="co-khi",
            employees=40.0,
        ),
        # a current (post-2025) commune: commune + province, no district
        row(
            name="Cơ sở in bao bì An Hội",
            tax_code=None,
            commune_name="Phường An Hội",
            district_name=None,
            province_name="Vĩnh Long",
            employees="17",
        ),
    ]


def test_import_creates_then_reimport_counts(vinhlong_officer):
    result = imports.establishment_import(
        actor=vinhlong_officer, content=xlsx(good_rows()), filename="ds.xlsx"
    )
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.message == "Đã nhập 3 dòng: 3 cơ sở mới, 0 cơ sở cập nhật, 0 cơ sở không thay đổi."
    hoa_thuan = Establishment.objects.get(name="Công ty TNHH Cơ khí Hòa Thuận")
    assert hoa_thuan.employees == 40 and hoa_thuan.commune.parent.name == "Huyện Châu Thành"
    assert hoa_thuan.province.short_name == "Vĩnh Long"
    assert hoa_thuan.search_text == hoa_thuan.compute_search_text()
    an_hoi = Establishment.objects.get(name="Cơ sở in bao bì An Hội")
    assert an_hoi.commune.era == "current" and an_hoi.tax_code is None
    record = hoa_thuan.history.get()
    assert (record.history_user, record.history_change_reason) == (vinhlong_officer, "Nhập từ Excel: ds.xlsx")

    again = imports.establishment_import(actor=vinhlong_officer, content=xlsx(good_rows()))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    changed = good_rows()
    changed[1][imports.COLUMNS.index(("Số lao động", "employees"))] = 45
    changed.append(row(name="HTX Mới", establishment_type="HTX", tax_code=make_tax_code("13", 901)))
    third = imports.establishment_import(actor=vinhlong_officer, content=xlsx(changed))
    assert (third.created, third.updated, third.unchanged) == (1, 1, 2)
    hoa_thuan.refresh_from_db()
    assert hoa_thuan.employees == 45 and hoa_thuan.version == 2
    assert Establishment.objects.count() == 4


def test_one_bad_row_leaves_database_unchanged_and_is_reported(vinhlong_officer):
    rows = good_rows() + [row(name="Cơ sở lỗi", tax_code="0100047517")]
    with pytest.raises(ImportFailed) as exc:
        imports.establishment_import(actor=vinhlong_officer, content=xlsx(rows))
    assert not Establishment.objects.exists()
    assert [e.as_dict() for e in exc.value.errors] == [
        {
            "row": 5,
            "column": "Mã số thuế",
            "value": "0100047517",
            "reason": "Mã số thuế sai chữ số kiểm tra: chữ số thứ 10 phải là 6, không phải 7.",
        }
    ]
    assert exc.value.message == "Không nhập được tệp: có 1 lỗi. Không có dòng nào được lưu."


def test_every_problem_is_reported(vinhlong_officer):
    rows = [
        row(),
        row(name="Trùng MST"),  # same tax code as row 2
        row(name="Xã lạ", tax_code=None, commune_name="Xã Không Có", district_name="Giồng Trôm"),
        row(name="Số sai", tax_code=None, employees="mười hai", founded_year=2010.5),
        row(name="Loại sai", tax_code=None, establishment_type="CTY", sector="Luyện kim"),
        row(
            name="Ngoài phạm vi",
            tax_code=None,
            commune_name="Chợ Rã",
            district_name="Ba Bể",
            province_name="Bắc Kạn",
        ),
    ]
    with pytest.raises(ImportFailed) as exc:
        imports.establishment_import(actor=vinhlong_officer, content=xlsx(rows))
    got = {(e.row, e.column): e.reason for e in exc.value.errors}
    assert got[(3, "Mã số thuế")] == "Trùng mã số thuế với dòng 2 trong tệp."
    assert got[(4, "Xã, phường")].startswith(
        "Không tìm thấy xã, phường «Xã Không Có» thuộc huyện «Giồng Trôm»"
    )
    assert got[(5, "Số lao động")] == "Không phải là số."
    assert got[(5, "Năm thành lập")] == "Phải là số nguyên."
    assert got[(6, "Loại hình")] == "Loại hình phải là DN, HTX, THT hoặc HKD."
    assert got[(6, "Ngành nghề")] == "Không có ngành nghề này trong danh mục."
    assert (
        got[(7, "Xã, phường")] == "Xã, phường «Chợ Rã» (Bắc Kạn) không thuộc phạm vi quản lý của đơn vị bạn."
    )
    assert not Establishment.objects.exists()


def test_same_name_different_diacritics_commune_is_told_apart(cuc_admin):
    # Bình Minh has both "Đông Thành" and "Đông Thạnh": folded they are equal, the accents decide.
    rows = [
        row(
            name="Cơ sở Đông Thạnh",
            tax_code=None,
            commune_name="Đông Thạnh",
            district_name="Bình Minh",
            province_name="Vĩnh Long",
        )
    ]
    imports.establishment_import(actor=cuc_admin, content=xlsx(rows))
    assert Establishment.objects.get().commune.name == "Xã Đông Thạnh"


def test_template_has_headers_example_and_lists():
    wb = load_workbook(io.BytesIO(template_bytes()))
    ws = wb["Cơ sở CNNT"]
    assert [c.value for c in ws[1]] == imports.HEADERS
    assert ws.cell(row=2, column=1).value == "Cơ sở bánh tráng Mỹ Lồng"
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "'Danh mục'!$A$2:$A$5" in formulas  # DN, HTX, THT, HKD
    assert any(f.startswith("'Danh mục'!$B$2") for f in formulas)  # sectors
    assert [wb["Danh mục"].cell(row=i, column=1).value for i in range(2, 6)] == ["DN", "HKD", "HTX", "THT"]


def test_template_as_downloaded_imports_nothing_but_is_accepted(vinhlong_officer):
    # the example row is skipped; a file with no data says so
    with pytest.raises(ImportFailed) as exc:
        imports.establishment_import(actor=vinhlong_officer, content=template_bytes())
    assert exc.value.errors[0].reason == "Tệp không có dòng dữ liệu nào."


def test_export_reads_back_and_reimports_unchanged(vinhlong_officer, as_user):
    imports.establishment_import(actor=vinhlong_officer, content=xlsx(good_rows()))
    response = as_user(vinhlong_officer).get("/establishments/?format=xlsx&sort=name")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Tên cơ sở")
    assert rows[header_at][: len(imports.HEADERS)] == imports.HEADERS
    data = {r[0]: r for r in rows[header_at + 1 :]}
    assert set(data) == {
        "Cơ sở bánh tráng Mỹ Lồng",
        "Công ty TNHH Cơ khí Hòa Thuận",
        "Cơ sở in bao bì An Hội",
    }
    hoa_thuan = data["Công ty TNHH Cơ khí Hòa Thuận"]
    assert hoa_thuan[2] == make_tax_code("21", 800)
    assert hoa_thuan[10:13] == ["Xã Hòa Thuận", "Huyện Châu Thành", "Tỉnh Trà Vinh"]
    assert hoa_thuan[-1] == "Tỉnh Vĩnh Long"
    again = imports.establishment_import(actor=vinhlong_officer, content=content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_row_without_tax_code_matching_by_name_keeps_the_code(vinhlong_officer):
    imports.establishment_import(actor=vinhlong_officer, content=xlsx([row()]))
    code = Establishment.objects.get().tax_code
    result = imports.establishment_import(
        actor=vinhlong_officer, content=xlsx([row(tax_code=None, employees=13)])
    )
    assert (result.created, result.updated) == (0, 1)
    est = Establishment.objects.get()
    assert est.tax_code == code and est.employees == 13


def test_reimporting_an_unchanged_file_writes_no_history(vinhlong_officer):
    content = xlsx(good_rows())
    imports.establishment_import(actor=vinhlong_officer, content=content, filename="ds.xlsx")
    before = Establishment.history.count()
    again = imports.establishment_import(actor=vinhlong_officer, content=content, filename="ds.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Establishment.history.count() == before


def test_list_count_follows_an_import_at_once(vinhlong_officer, as_user):
    """The list's count is kept until establishments change (core.dataversion): the import writes its rows in
    bulk, without post_save, and must still be seen by the next page."""
    import re

    client = as_user(vinhlong_officer)

    def count():
        page = client.get("/establishments/", secure=True).content.decode()
        return int(re.search(r"([\d.]+) cơ sở\.", page).group(1).replace(".", ""))

    before = count()
    assert count() == before  # the kept answer
    imports.establishment_import(actor=vinhlong_officer, content=xlsx(good_rows()), filename="ds.xlsx")
    # All three are in today's Vĩnh Long (Bến Tre and Trà Vinh merged into it in 2025): the officer's scope.
    assert count() == before + 3
