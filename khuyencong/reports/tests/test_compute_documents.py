import io

import docx
import openpyxl
import pytest

from khuyencong import testing
from khuyencong.reports.aggregation import aggregate
from khuyencong.reports.compute import compute_figures, report_figures
from khuyencong.reports.documents import report_docx, report_tables, report_xlsx, vietnamese_date
from khuyencong.reports.periods import HALF, NINE_MONTHS, YEAR, Period
from khuyencong.reports.services import report_create, report_transition

pytestmark = pytest.mark.django_db


def bac_kan_report(actor):
    return report_create(
        actor=actor,
        unit=testing.old_province("Bắc Kạn"),
        period=Period.make(HALF, 2018),
        number="125/BC-SCT",
        report_date=__import__("datetime").date(2018, 7, 5),
    )


def test_bac_kan_6_month_2018_report_says_what_seed_004_says(demo_projects, cuc_admin):
    report = bac_kan_report(cuc_admin)
    fig = report_figures(report)
    local = next(p for p in fig["plans"] if p["level"] == "local")
    assert local["plan"] == 529_000_000 and local["total"] == 10
    assert [line["text"] for line in local["lines"]] == [
        "02/10 đề án đã hoàn thành",
        "04/10 đề án đã hoàn thành được 50% khối lượng công việc",
        "02/10 đề án xin dừng thực hiện",
        "02/10 đề án chưa thực hiện",
    ]
    national = next(p for p in fig["plans"] if p["level"] == "national")
    assert national["plan"] == 600_000_000 and national["total"] == 3
    lai = next(p for p in fig["projects"] if p["beneficiary"] == "HKD Lại Văn Tú")
    assert lai["commune"] == "Xã Quang Phong, Huyện Na Rì" and lai["status_label"] == "Đang thực hiện"
    assert lai["progress"] == 50
    by_source = {r["code"]: r for r in fig["by_source"]}
    assert by_source["local"]["plan"] == 529_000_000 and by_source["national"]["plan"] == 600_000_000
    assert fig["previous_year"]["label"] == "6 tháng đầu năm 2017"


def test_report_keeps_its_snapshot_when_records_change_later(demo_projects, cuc_admin):
    from khuyencong.projects.models import Project

    report = bac_kan_report(cuc_admin)
    for to in ("prepared", "submitted"):
        report = report_transition(
            actor=cuc_admin, report_id=report.pk, to_status=to, expected_version=report.version
        )
    frozen = report.figures["disbursed"]
    # Records change after submission: the snapshot does not move, the live view does.
    Project.objects.filter(code="BK18-DP-09").update(title="Đổi tên sau khi gửi")
    assert report_figures(report)["disbursed"] == frozen
    assert all(p["title"] != "Đổi tên sau khi gửi" for p in report_figures(report)["projects"])


def test_vinh_long_rolled_up_includes_ben_tre_2016(demo_projects, cuc_admin):
    vinh_long = testing.current_province("Vĩnh Long")
    fig = compute_figures(vinh_long, Period.make(NINE_MONTHS, 2016))
    codes = {p["code"] for p in fig["projects"]}
    assert any(code.startswith("BT") for code in codes)
    ben_tre = compute_figures(testing.old_province("Bến Tre"), Period.make(NINE_MONTHS, 2016))
    assert fig["approved"] == ben_tre["approved"] and fig["approved"] > 0
    # Carried-over batch 2 of 2015 counts in the 2016 local plan (344 triệu); the 2016 national plan is 1,82
    # tỷ.
    by_source = {r["code"]: r["plan"] for r in ben_tre["by_source"]}
    assert by_source == {"national": 1_820_000_000, "local": 344_000_000}
    agg = aggregate(
        user=cuc_admin, region=None, period=Period.make(YEAR, 2016), source="live", rollup="current"
    )
    row = next(r for r in agg["rows"] if r["name"] == "Tỉnh Vĩnh Long")
    assert "Tỉnh Bến Tre" in row["members"] and row["projects"] >= 8
    assert row["plan"] == 2_164_000_000


def test_docx_and_xlsx_read_back_with_the_page_numbers(demo_projects, cuc_admin, as_user):
    report = bac_kan_report(cuc_admin)
    fig = report_figures(report)
    tables = report_tables(fig)
    # The page.
    html = as_user(cuc_admin).get(f"/reports/{report.pk}/").content.decode()
    for t in tables:
        for row in t.display_rows():
            for value in row:
                if value and any(ch.isdigit() for ch in value) and t.key != "projects":
                    assert value in html, (t.title, value)
    assert "02/10 đề án đã hoàn thành" in html and "529" in html
    # The .xlsx: one sheet per table, numbers as numbers.
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, fig)))
    assert "Kinh phí theo nguồn" in wb.sheetnames and "Danh sách đề án" in wb.sheetnames
    ws = wb["Kinh phí theo nguồn"]
    values = {
        ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 6)] for r in range(4, ws.max_row + 1)
    }
    assert values["Khuyến công địa phương (ngân sách tỉnh)"][0] == 529
    state = values["Cộng ngân sách nhà nước (KCQG + KCĐP)"]
    assert state[0] == 1129 and isinstance(state[0], int)
    everything = values["Tổng các nguồn (cả vốn đối ứng)"]
    assert everything[0] == 1129 and everything[1] == state[1] + values["Vốn đối ứng, nguồn khác"][1]
    assert ws.cell(4, 2).number_format == "#,##0"
    # The .docx: Nghị định 30/2020 header, the same numbers, amounts in words.
    d = docx.Document(io.BytesIO(report_docx(report, fig)))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    everything = text + "\n" + "\n".join(cells)
    assert "UBND TỈNH BẮC KẠN" in everything and "SỞ CÔNG THƯƠNG" in everything
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in everything and "Độc lập - Tự do - Hạnh phúc" in everything
    assert "Bắc Kạn, ngày 05 tháng 7 năm 2018" in everything and "Số: 125/BC-SCT" in everything
    assert "Một tỷ một trăm hai mươi chín triệu đồng" in everything
    assert "02/10 đề án đã hoàn thành" in everything
    for t in tables:
        for row in t.display_rows():
            for value in row:
                assert value in cells, (t.title, value)
        # and the same numbers in the workbook
        sheet = wb[t.sheet_title]
        xl_rows = [
            [sheet.cell(r, c).value for c in range(1, len(t.headers) + 1)] for r in range(4, 4 + len(t.rows))
        ]
        assert len(xl_rows) == len(t.rows)
    fonts = {r.font.name for p in d.paragraphs for r in p.runs if r.font.name}
    assert fonts == {"Times New Roman"}


def test_vietnamese_date():
    import datetime as dt

    assert vietnamese_date("Bến Tre", dt.date(2026, 11, 5)) == "Bến Tre, ngày 05 tháng 11 năm 2026"
    assert vietnamese_date("Bắc Kạn", dt.date(2018, 2, 1)) == "Bắc Kạn, ngày 01 tháng 02 năm 2018"


def test_ben_tre_2016_report_compares_with_the_programme_targets(demo_projects):
    from khuyencong.programs import demo as programs_demo

    programs_demo.load()
    fig = compute_figures(testing.old_province("Bến Tre"), Period.make(NINE_MONTHS, 2016))
    targets = {t["code"]: t for t in fig["targets"]}
    assert targets, "the Bến Tre 2014-2020 programme has targets linked to catalogue indicators"
    assert targets["hoc-vien"]["achieved"] == 35  # the carried-over training đề án's 35 trainees (30/6/2016)
    assert targets["hoc-vien"]["target"] > 0 and targets["hoc-vien"]["phase"]
    tables = {t.key for t in report_tables(fig)}
    assert "targets" in tables and "comparison" in tables
