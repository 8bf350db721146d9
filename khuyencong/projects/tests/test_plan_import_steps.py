"""The plan import's optional columns: batch, implementing unit and the date of every step a đề án went
through (lập, thẩm định, báo cáo tiến độ, hoàn thành, nghiệm thu, xin dừng), so the as-of lists read the
office's dates; a later progress % re-imported is a progress report; export → import stays a round trip."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from khuyencong.core.errors import ImportFailed
from khuyencong.projects import plan_import, selectors, services
from khuyencong.projects.models import Project, StatusChange
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db
D = dt.date
CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bến Tre"


def xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(plan_import.HEADERS)
    for r in rows:
        ws.append([r.get(key) for _h, key in plan_import.COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def plans(vinhlong_officer):
    earlier = f.plan(vinhlong_officer, "Bến Tre", 2016, "local", title="Kế hoạch KCĐP 2016")
    services.batch_create(
        actor=vinhlong_officer,
        plan=earlier,
        number=2,
        decision_no="45/QĐ-UBND",
        decision_date=D(2016, 10, 20),
        issuer="UBND tỉnh Bến Tre",
        amounts={"local": 300_000_000},
    )
    plan = f.plan(vinhlong_officer, "Bến Tre", 2017, "local", title="Kế hoạch KCĐP 2017")
    services.batch_create(
        actor=vinhlong_officer,
        plan=plan,
        number=1,
        decision_no="12/QĐ-UBND",
        decision_date=D(2017, 3, 15),
        issuer="UBND tỉnh Bến Tre",
        amounts={"local": 600_000_000},
    )
    return earlier, plan


@pytest.fixture
def est(db):
    return f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")


def accepted_row(est):
    return {
        "code": "KCĐP-2017-01",
        "title": "Hỗ trợ máy đóng gói kẹo dừa",
        "content": "3",
        "beneficiaries": est.name,
        "batch": "1",
        "implementing_unit": CENTRE,
        "created_on": "05/01/2017",
        "registered_on": "10/01/2017",
        "appraised_on": "20/02/2017",
        "requested": "250 triệu",
        "approved": "250 triệu",
        "decision_no": "12/QĐ-UBND",
        "decision_date": "15/03/2017",
        "contract_no": "05/2017/HĐ-KC",
        "contract_date": "01/04/2017",
        "progress": 40,
        "progress_date": "15/05/2017",
        "completed_on": "10/08/2017",
        "status": "Đã nghiệm thu",
        "status_date": "25/08/2017",
        "status_document": "BB-NT 01/2017",
    }


def stopped_row(est):
    return {
        "code": "KCĐP-2017-02",
        "title": "Hỗ trợ máy sấy cơm dừa",
        "content": "3",
        "beneficiaries": est.name,
        "batch": "2/2016",
        "created_on": "01/09/2016",
        "registered_on": "05/09/2016",
        "appraised_on": "10/10/2016",
        "requested": "100 triệu",
        "approved": "100 triệu",
        "decision_no": "45/QĐ-UBND",
        "decision_date": "20/10/2016",
        "contract_no": "02/2017/HĐ-KC",
        "contract_date": "01/03/2017",
        "stop_requested_on": "20/05/2017",
        "status": "Đã dừng",
        "status_date": "10/09/2017",
        "note": "Đơn vị thụ hưởng xin dừng thực hiện",
    }


def as_of(plan, day):
    return {
        p.code: (p.asof_status, p.asof_progress, p.approved_total)
        for p in selectors.with_figures(plan.projects.all(), as_of=day)
    }


def test_each_step_is_dated_by_its_column(vinhlong_officer, plans, est):
    earlier, plan = plans
    result = plan_import.plan_projects_import(
        actor=vinhlong_officer,
        plan=plan,
        content=xlsx([accepted_row(est), stopped_row(est)]),
        filename="ke-hoach-2017.xlsx",
    )
    assert result.created == 2
    machine, dryer = Project.objects.get(code="KCĐP-2017-01"), Project.objects.get(code="KCĐP-2017-02")
    assert machine.batch.number == 1 and machine.implementing_unit == CENTRE
    assert dryer.batch is None and dryer.carried_over_from == earlier.batches.get(number=2)
    assert dryer.stop_requested_by == est.name and dryer.stop_reason == "Đơn vị thụ hưởng xin dừng thực hiện"
    expected = {
        D(2016, 9, 3): {"KCĐP-2017-02": ("draft", 0, 0)},
        D(2016, 10, 31): {"KCĐP-2017-02": ("approved", 0, 100_000_000)},
        D(2017, 1, 7): {"KCĐP-2017-01": ("draft", 0, 0), "KCĐP-2017-02": ("approved", 0, 100_000_000)},
        D(2017, 2, 1): {"KCĐP-2017-01": ("registered", 0, 0)},
        D(2017, 3, 1): {"KCĐP-2017-01": ("appraised", 0, 0), "KCĐP-2017-02": ("contracted", 0, 100_000_000)},
        D(2017, 4, 30): {"KCĐP-2017-01": ("contracted", 0, 250_000_000)},
        D(2017, 5, 31): {
            "KCĐP-2017-01": ("in_progress", 40, 250_000_000),
            "KCĐP-2017-02": ("stop_requested", 0, 100_000_000),
        },
        D(2017, 8, 15): {"KCĐP-2017-01": ("completed", 100, 250_000_000)},
        D(2017, 9, 30): {
            "KCĐP-2017-01": ("accepted", 100, 250_000_000),
            "KCĐP-2017-02": ("stopped", 0, 100_000_000),
        },
    }
    for day, figures in expected.items():
        got = as_of(plan, day)
        assert {code: got.get(code) for code in figures} == figures, day
    notes = set(machine.status_changes.values_list("note", flat=True))
    assert notes == {"Nhập từ Excel: ke-hoach-2017.xlsx"}
    assert dryer.status_changes.get(to_status="stopped").note == "Đơn vị thụ hưởng xin dừng thực hiện"

    # The export fills the same columns back; importing it changes nothing.
    exported = plan_import.plan_projects_xlsx(plan=plan, projects=plan.projects.all())
    ws = load_workbook(io.BytesIO(exported)).active
    header = [c.value for c in ws[1]]
    cells = {row[0].value: dict(zip(header, [c.value for c in row], strict=True)) for row in ws.iter_rows(2)}
    one = cells["KCĐP-2017-01"]
    assert one["Ngày thẩm định"].date() == D(2017, 2, 20) and one["Ngày lập đề án"].date() == D(2017, 1, 5)
    assert one["Ngày báo cáo tiến độ"].date() == D(2017, 5, 15) and one["Tiến độ (%)"] == 40
    assert one["Ngày hoàn thành"].date() == D(2017, 8, 10) and one["Đơn vị thực hiện"] == CENTRE
    assert cells["KCĐP-2017-02"]["Ngày xin dừng"].date() == D(2017, 5, 20)
    assert cells["KCĐP-2017-02"][plan_import.HEADER_OF["batch"]] == "2/2016"
    before = StatusChange.objects.count()
    again = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=exported, filename="xuat.xlsx"
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2), again.lines
    assert StatusChange.objects.count() == before


def test_a_later_progress_is_a_progress_report(vinhlong_officer, plans, est):
    _earlier, plan = plans
    row = {
        **accepted_row(est),
        "status": "Đang thực hiện",
        "progress": 20,
        "progress_date": None,
        "status_date": "01/05/2017",
        "completed_on": None,
        "status_document": "",
    }
    plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx([row]), filename="q1.xlsx"
    )
    later = {**row, "progress": 50, "status_date": "20/06/2017"}
    result = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx([later]), filename="q2.xlsx"
    )
    assert result.updated == 1
    done = {
        **later,
        "status": "Đã hoàn thành",
        "progress": 80,
        "progress_date": "15/09/2017",
        "status_date": "10/11/2017",
    }
    plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx([done]), filename="q4.xlsx"
    )
    assert [as_of(plan, d)["KCĐP-2017-01"][:2] for d in (D(2017, 5, 31), D(2017, 6, 30), D(2017, 9, 30))] == [
        ("in_progress", 20),
        ("in_progress", 50),
        ("in_progress", 80),
    ]
    assert as_of(plan, D(2017, 11, 30))["KCĐP-2017-01"][:2] == ("completed", 100)


def test_step_dates_are_checked(vinhlong_officer, plans, est):
    _earlier, plan = plans
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    bad = [
        {**accepted_row(est), "appraised_on": "20/03/2017"},
        {**stopped_row(est), "completed_on": "01/06/2017", "batch": "7"},
        {**accepted_row(est), "code": "KCĐP-2017-03", "created_on": future},
    ]
    with pytest.raises(ImportFailed) as failed:
        plan_import.plan_projects_import(
            actor=vinhlong_officer, plan=plan, content=xlsx(bad), filename="x.xlsx"
        )
    text = [str(e) for e in failed.value.errors]
    assert any(
        "dòng 2, cột Ngày quyết định phê duyệt" in t
        and "Ngày quyết định phê duyệt (15/03/2017) trước ngày thẩm định (20/03/2017)" in t
        for t in text
    ), text
    assert any("dòng 3, cột Ngày hoàn thành" in t and "«Đã nghiệm thu», «Đã quyết toán»" in t for t in text)
    assert any("dòng 3, cột Đợt giao" in t and "Không có đợt 7 trong kế hoạch này" in t for t in text)
    assert any("dòng 4, cột Ngày lập đề án" in t and "chưa đến" in t for t in text)
    assert not Project.objects.filter(plan=plan).exists()
