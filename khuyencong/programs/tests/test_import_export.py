"""The appendix: seed 001's Phụ lục 1 imports with the seed's totals; a matrix round-trips through .xlsx and
.docx
export and import unchanged; a bad cell is reported by row and column and nothing is saved."""

import io

import docx
import openpyxl
import pytest

from khuyencong.core.errors import ImportFailed
from khuyencong.programs import checks, exports, imports, seed001, services
from khuyencong.programs.models import BudgetLine, StatedFigure
from khuyencong.programs.selectors import budget_matrix
from khuyencong.programs.tests.factories import full_cells, make_program

TR = 10**6


def _seed_docx(mutate=None) -> bytes:
    body = [list(r) for r in seed001.BODY]
    if mutate:
        mutate(body)
    from khuyencong.programs.exports import build_appendix_docx

    return build_appendix_docx(
        title=seed001.TITLE,
        header=[list(r) for r in seed001.HEADER],
        body=[(r, "." not in r[0]) for r in body],
    )


@pytest.mark.django_db
def test_seed_001_appendix_docx_imports_with_the_seed_totals(vinhlong_officer):
    program = make_program(vinhlong_officer)
    counts = imports.appendix_import(
        actor=vinhlong_officer, program=program, data=seed001.appendix_docx_bytes(), filename="phu-luc-1.docx"
    )
    matrix = budget_matrix(program)
    assert matrix.total == 391_573 * TR
    assert matrix.sum(source="national") == 16_448 * TR
    assert matrix.sum(source="local") == 19_845 * TR
    assert matrix.sum(source="counterpart") == 355_280 * TR
    phases = {p.name: p for p in program.phases.all()}
    assert matrix.sum(years=phases["2014-2015"].years) == 66_797 * TR
    assert matrix.sum(years=phases["2016-2020"].years) == 324_776 * TR
    assert matrix.sum(content="9") == 1_650 * TR
    assert matrix.cells[("8", "local", 2016)] == 0  # a blank cell is 0
    assert counts["created"] == 9 * 3 * 7
    # Every total row / column the document prints is recorded as a stated figure, and they all agree.
    assert counts["stated"] == 9 * 10 + 27 * 3 + 4 * 10
    grand = program.stated_figures.get(
        origin=StatedFigure.Origin.APPENDIX, content=None, funding_source=None, phase=None, year=None
    )
    assert grand.amount == 391_573 * TR and "dòng 39" in grand.location
    assert checks.check_program(program).ok


@pytest.mark.django_db
def test_matrix_round_trips_through_docx(vinhlong_officer):
    source = make_program(vinhlong_officer)
    cells = full_cells(source)
    services.budget_replace(actor=vinhlong_officer, program=source, cells=cells)
    data = exports.appendix_docx_bytes(source)
    document = docx.Document(io.BytesIO(data))
    assert document.styles["Normal"].font.name == "Times New Roman"
    target = make_program(vinhlong_officer)
    imports.appendix_import(actor=vinhlong_officer, program=target, data=data, filename="x.docx")
    assert budget_matrix(target).cells == budget_matrix(source).cells == cells
    assert checks.check_program(target).ok
    assert target.stated_figures.filter(origin="appendix").count() == 9 * 10 + 27 * 3 + 4 * 10


@pytest.mark.django_db
def test_matrix_round_trips_through_xlsx_with_formulas(vinhlong_officer):
    source = make_program(vinhlong_officer)
    cells = full_cells(source)
    services.budget_replace(actor=vinhlong_officer, program=source, cells=cells)
    data = exports.appendix_xlsx_bytes(source)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    # Row 7 is content 1, rows 8-10 its sources; C/D = 2014/2015, E = the phase total, L = the programme
    # total.
    assert ws["A7"].value == "1" and ws["A8"].value == "1.1"
    assert ws["C7"].value == "=SUM(C8:C10)"
    assert ws["E8"].value == "=SUM(C8:D8)"
    assert ws["K8"].value == "=SUM(F8:J8)"
    assert ws["L8"].value == "=E8+K8"
    assert ws["C8"].value == cells[("1", "national", 2014)] / TR
    total_row = next(
        r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value or "").startswith("Tổng cộng")
    )
    assert ws.cell(total_row, 3).value == "=" + "+".join(f"C{7 + 4 * i}" for i in range(9))
    # The formulas evaluate (as Excel would) to the computed totals.
    grid = imports.read_xlsx(data)
    assert grid.rows[total_row - 1][11].value == budget_matrix(source).total / TR
    target = make_program(vinhlong_officer)
    imports.appendix_import(actor=vinhlong_officer, program=target, data=data, filename="x.xlsx")
    assert budget_matrix(target).cells == cells
    assert checks.check_program(target).ok
    # Importing the same file again changes nothing.
    again = imports.appendix_import(actor=vinhlong_officer, program=target, data=data, filename="x.xlsx")
    assert again["unchanged"] == len(cells) and again["created"] == again["updated"] == again["deleted"] == 0


@pytest.mark.django_db
def test_xlsx_written_by_hand_with_vietnamese_numbers(vinhlong_officer):
    program = make_program(vinhlong_officer, year_from=2021, year_to=2022, phases=())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Đơn vị tính: triệu đồng"])
    ws.append(["STT", "Nội dung", "Năm 2021", "Năm 2022", "Tổng cộng"])
    ws.append(["1", "Đào tạo nghề", "1.020", "", "1.020,5"])
    ws.append(["1.1", "Nguồn Trung ương", "1.020", None, ""])
    ws.append(["1.2", "Nguồn địa phương", 0, "0,5", "-"])
    buf = io.BytesIO()
    wb.save(buf)
    imports.appendix_import(actor=vinhlong_officer, program=program, data=buf.getvalue(), filename="tay.xlsx")
    m = budget_matrix(program)
    assert m.cells == {
        ("1", "national", 2021): 1_020 * TR,
        ("1", "national", 2022): 0,
        ("1", "local", 2021): 0,
        ("1", "local", 2022): 500_000,
    }
    assert m.total == 1_020_500_000
    result = checks.check_program(program)
    # Blank and "-" read as 0; where the file's own totals then disagree, the check says so, cell by cell.
    found = sorted(
        ("dòng " + d.location.split(", cột")[0].split("dòng ")[1], d.stated, d.computed)
        for d in result.disagreements
    )
    assert found == [("dòng 3 (1)", "0", "0,5"), ("dòng 4 (1.1)", "0", "1.020"), ("dòng 5 (1.2)", "0", "0,5")]


@pytest.mark.django_db
def test_bad_cell_is_reported_by_row_and_column_and_nothing_is_saved(vinhlong_officer):
    program = make_program(vinhlong_officer)
    imports.appendix_import(
        actor=vinhlong_officer, program=program, data=seed001.appendix_docx_bytes(), filename="a.docx"
    )
    before = dict(budget_matrix(program).cells)
    stated_before = program.stated_figures.count()

    def break_cells(body):
        body[10][3] = "1.5OO"  # row "3.2", Năm 2015: letter O instead of zero
        body[20][6] = "12,5,0"  # row "5.3", Năm 2017

    with pytest.raises(ImportFailed) as info:
        imports.appendix_import(
            actor=vinhlong_officer, program=program, data=_seed_docx(break_cells), filename="b.docx"
        )
    errors = info.value.errors
    assert [(e.row, e.column) for e in errors] == [
        (13, "4 «Giai đoạn 2014-2015 / Năm 2015»"),
        (23, "7 «Giai đoạn 2016-2020 / Năm 2017»"),
    ]
    assert errors[0].value == "1.5OO"
    assert "dòng 13, cột 4" in str(errors[0])
    assert "Không có dòng nào được lưu" in info.value.message
    assert budget_matrix(program).cells == before
    assert program.stated_figures.count() == stated_before


@pytest.mark.django_db
def test_bad_cell_on_a_fresh_programme_saves_nothing(vinhlong_officer):
    program = make_program(vinhlong_officer, phases=())

    def break_cell(body):
        body[1][2] = "sáu mươi"

    with pytest.raises(ImportFailed) as info:
        imports.appendix_import(
            actor=vinhlong_officer, program=program, data=_seed_docx(break_cell), filename="c.docx"
        )
    assert info.value.errors[0].row == 4 and info.value.errors[0].column.startswith("3 «")
    assert BudgetLine.objects.filter(program=program).count() == 0
    assert program.phases.count() == 0 and program.stated_figures.count() == 0


@pytest.mark.django_db
def test_unknown_source_and_years_outside_the_programme_are_refused(vinhlong_officer):
    program = make_program(vinhlong_officer, year_from=2016, year_to=2020, phases=())

    def rename(body):
        body[2][1] = "Nguồn gì đó"

    with pytest.raises(ImportFailed) as info:
        imports.appendix_import(
            actor=vinhlong_officer, program=program, data=_seed_docx(rename), filename="d.docx"
        )
    reasons = [e.reason for e in info.value.errors]
    assert any("Năm 2014 nằm ngoài thời gian của chương trình (2016-2020)" in r for r in reasons)
    assert any("Không nhận ra nguồn kinh phí" in r for r in reasons)


@pytest.mark.django_db
def test_not_a_spreadsheet(vinhlong_officer):
    program = make_program(vinhlong_officer)
    with pytest.raises(ImportFailed) as info:
        imports.appendix_import(actor=vinhlong_officer, program=program, data=b"not a zip", filename="x.xlsx")
    assert "không phải là bảng tính Excel" in info.value.errors[0].reason


@pytest.mark.django_db
def test_the_committed_seed_001_docx_imports(vinhlong_officer):
    from pathlib import Path

    data = (Path(seed001.__file__).parent / "testdata" / "seed001_phu_luc_1.docx").read_bytes()
    program = make_program(vinhlong_officer, phases=())
    imports.appendix_import(
        actor=vinhlong_officer, program=program, data=data, filename="seed001_phu_luc_1.docx"
    )
    assert budget_matrix(program).total == seed001.GRAND_TOTAL * TR
    assert [p.name for p in program.phases.order_by("year_from")] == ["2014-2015", "2016-2020"]
    assert checks.check_program(program).ok
