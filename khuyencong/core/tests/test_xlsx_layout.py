"""Both Excel writers (in memory and streamed) give a usable list: decimals kept in totals, percentages as
percentages, sheet names cut at a word, filter buttons, frozen header, header repeated on every page."""

import io

import openpyxl
import pytest

from khuyencong.core.xlsx import PERCENT_FORMAT, Sheet, sheet_name, stream_xlsx, write_workbook


def test_sheet_names_are_cut_at_a_word_and_unique():
    assert sheet_name("Đề án đã hủy (không tính vào số đề án và kinh phí)") == "Đề án đã hủy"
    assert (
        sheet_name("So sánh với cùng kỳ năm trước (6 tháng đầu năm 2015)") == "So sánh với cùng kỳ năm trước"
    )
    assert sheet_name("Báo cáo: 6/2016 [nháp]") == "Báo cáo 6 2016 nháp"
    assert sheet_name("Đề án", ["Đề án"]) == "Đề án 2"
    long = "Danh sách đề án khuyến công địa phương năm 2018"
    assert len(sheet_name(long)) <= 31 and long.startswith(sheet_name(long) + " ")


def sheets():
    return [
        Sheet(
            "Kinh phí theo tỉnh, thành phố trực thuộc trung ương",
            ["Tỉnh", "Kế hoạch (triệu đồng)", "Giải ngân (triệu đồng)", "Tỷ lệ"],
            [["Tỉnh Bến Tre", 1000, 500.2, 0.5002], ["Tỉnh Trà Vinh", 13, 0, 0.0]],
            totals=["Tổng cộng", 1013.2, 500.2, 0.4682],
            heading="Kinh phí theo tỉnh",
            formats=[None, None, None, PERCENT_FORMAT],
        ),
        Sheet("Thông tin", ["Mục", "Nội dung"], [["Kỳ", "6 tháng đầu năm 2016"]], autofilter=False),
    ]


def _read(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


@pytest.mark.parametrize("writer", ["memory", "stream"])
def test_both_writers_lay_the_list_out_for_use(writer):
    if writer == "memory":
        wb = _read(write_workbook(sheets()))
    else:
        response = stream_xlsx("tong-hop-6-thang-2016.xlsx", sheets())
        assert response["Content-Disposition"] == 'attachment; filename="tong-hop-6-thang-2016.xlsx"'
        wb = _read(b"".join(response.streaming_content))
    assert wb.sheetnames == ["Kinh phí theo tỉnh, thành phố", "Thông tin"]
    ws = wb["Kinh phí theo tỉnh, thành phố"]
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.auto_filter.ref == "A3:D5"  # header and rows, the totals row left out
    assert wb["Thông tin"].auto_filter.ref is None
    total = {ws.cell(3, c).value: ws.cell(6, c) for c in range(1, 5)}
    plan = total["Kế hoạch (triệu đồng)"]
    assert plan.value == 1013.2 and plan.number_format == "#,##0.0##" and plan.font.b  # 1.013,2 not 1.013
    rate = total["Tỷ lệ"]
    assert rate.value == 0.4682 and rate.number_format == "0.00%" and rate.font.b  # 46,82 % not 47
    assert ws.cell(4, 4).number_format == "0.00%" and ws.cell(4, 2).number_format == "#,##0"
    assert ws.cell(4, 3).value == 500.2 and ws.cell(4, 3).number_format == "#,##0.0##"
    assert ws.page_setup.paperSize in (9, "9")


def test_streamed_cells_keep_their_columns_and_values():
    """The streamed rows omit each cell's reference: a blank or empty value still takes its column, and every
    type reads back as written (text that needs escaping, control characters dropped, Có/Không, dates)."""
    import datetime as dt
    from decimal import Decimal

    row = [
        "Cơ sở A & B <Bến Tre>",
        "",
        None,
        True,
        False,
        dt.date(2018, 6, 30),
        dt.datetime(2018, 10, 2, 12, 0),
        Decimal("1013.25"),
        12,
        0.5,
        "bell\x07 kept out",
        "cuối",
    ]
    headers = [f"Cột {i}" for i in range(1, len(row) + 1)]
    response = stream_xlsx("o.xlsx", [Sheet("Danh sách", headers, [row, ["", "", "hàng 3"]])])
    ws = _read(b"".join(response.streaming_content))["Danh sách"]
    got = [ws.cell(2, c).value for c in range(1, len(row) + 1)]
    assert got == [
        "Cơ sở A & B <Bến Tre>",
        None,
        None,
        "Có",
        "Không",
        dt.datetime(2018, 6, 30),
        dt.datetime(2018, 10, 2, 12, 0),
        1013.25,
        12,
        0.5,
        "bell kept out",
        "cuối",
    ]
    assert ws.cell(2, 6).number_format == "dd/mm/yyyy" and ws.cell(2, 9).number_format == "#,##0"
    assert [ws.cell(3, c).value for c in range(1, 4)] == [None, None, "hàng 3"]
    assert ws.column_dimensions["A"].width > len("Cơ sở A & B <Bến Tre>")
