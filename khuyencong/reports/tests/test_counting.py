"""Counting right (issue 10, items 1, 3 and 7): cancelled đề án left out of counts and money with their own
line, totals with the counterpart beside the state budget, percentages "50,0 %", the dashboard from either
source, the aggregation's per-source columns, and a submitted report that says when today's figures differ.

One local plan of Bến Tre (old province) for 2018, entered with its documents' dates: two batches assigning
3 tỷ and 1,2 tỷ; four đề án approved on 10/6/2018 — two in progress at 50 %, one stopped after a payment, one
cancelled — and payments of 2,1 tỷ dated before 30/6/2018."""

import datetime as dt
import io
import re

import docx
import openpyxl
import pytest

from khuyencong import testing
from khuyencong.projects import services as project_services
from khuyencong.projects.models import Status
from khuyencong.projects.tests import factories as f
from khuyencong.reports.aggregation import aggregate
from khuyencong.reports.compute import report_figures
from khuyencong.reports.documents import aggregate_tables, report_docx, report_xlsx
from khuyencong.reports.periods import HALF, Period
from khuyencong.reports.services import report_create
from khuyencong.reports.tests.factories import move

pytestmark = pytest.mark.django_db

TR = 1_000_000
JUNE_30 = dt.date(2018, 6, 30)


def _project(officer, approver, code, *, local, counterpart=0, to=Status.APPROVED):
    funding = {"local": {"requested": local * TR}}
    if counterpart:
        funding["counterpart"] = {"requested": counterpart * TR}
    p = f.project(
        officer,
        level="local",
        content_code="6",
        funding=funding,
        code=code,
        support_cap=None,
        title=f"Đề án {code}",
    )
    return f.walk(p, to, officer=officer, approver=approver)


def _pay(officer, project, amount, day):
    return project_services.disbursement_create(
        project=project,
        actor=officer,
        kind="payment",
        source="local",
        date=day,
        amount=amount * TR,
        document_no=f"UNC-{project.code}",
    )


@pytest.fixture
def plan_2018(vinhlong_officer, vinhlong_approver):
    officer, approver = vinhlong_officer, vinhlong_approver
    plan = f.plan(officer, "Bến Tre", 2018, "local")
    project_services.batch_create(
        actor=officer,
        plan=plan,
        number=1,
        decision_no="12/QĐ-UBND",
        decision_date=dt.date(2018, 3, 1),
        amounts={"local": 3_000 * TR},
    )
    project_services.batch_create(
        actor=officer,
        plan=plan,
        number=2,
        decision_no="45/QĐ-UBND",
        decision_date=dt.date(2018, 4, 15),
        amounts={"local": 1_200 * TR},
    )
    a = _project(officer, approver, "BT18-A", local=1_000, counterpart=500)
    b = _project(officer, approver, "BT18-B", local=1_000, counterpart=500)
    c = _project(officer, approver, "BT18-C", local=1_000)
    d = _project(officer, approver, "BT18-D", local=1_000, counterpart=300)
    _pay(officer, a, 900, dt.date(2018, 6, 12))
    _pay(officer, b, 1_000, dt.date(2018, 6, 14))
    _pay(officer, c, 200, dt.date(2018, 6, 15))
    _pay(officer, d, 100, dt.date(2018, 6, 15))  # an advance, then the đề án is cancelled: it counts nowhere
    for p in (a, b):
        p.refresh_from_db()
        project_services.project_transition(
            project=p,
            actor=officer,
            to_status=Status.IN_PROGRESS,
            expected_version=p.version,
            **f.DATA[Status.IN_PROGRESS],
        )
    for target in (Status.STOP_REQUESTED, Status.STOPPED):
        c.refresh_from_db()
        c = project_services.project_transition(
            project=c,
            expected_version=c.version,
            actor=approver if target == Status.STOPPED else officer,
            to_status=target,
            **f.DATA[target],
        )
    d.refresh_from_db()
    project_services.project_transition(
        project=d,
        actor=approver,
        to_status=Status.CANCELLED,
        expected_version=d.version,
        **f.DATA[Status.CANCELLED],
    )
    return plan


def test_plan_page_leaves_the_cancelled_out_and_totals_every_source(plan_2018, vinhlong_officer, as_user):
    from khuyencong.projects import selectors

    summary = selectors.plan_summary(plan=plan_2018, as_of=JUNE_30)
    assert summary["total"] == 3
    assert [g["text"] for g in summary["groups"]] == [
        "02/03 đề án đã hoàn thành được 50% khối lượng công việc",
        "01/03 đề án xin dừng, dừng thực hiện",
    ]
    assert summary["cancelled"]["text"] == "01 đề án đã hủy"
    # State budget: the stopped đề án keeps what was paid (200) but no approved money; the cancelled one
    # counts
    # nowhere. Every source: the counterpart of the two running đề án (500 + 500) added.
    assert (summary["approved"], summary["disbursed"]) == (2_000 * TR, 2_100 * TR)
    assert summary["all_sources"] == {
        "requested": 4_000 * TR,
        "approved": 3_000 * TR,
        "disbursed": 2_100 * TR,
    }
    client = as_user(vinhlong_officer)
    page = client.get(f"/projects/plans/{plan_2018.pk}/?as_of=30/06/2018", secure=True).content.decode()
    assert "02/03 đề án đã hoàn thành được 50% khối lượng công việc" in page
    assert "01 đề án đã hủy" in page
    # no count includes the cancelled one, and no empty status line is printed (ids in links are not counts)
    assert not re.search(r"\b04/04 đề án", page) and not re.search(r"\b00/\d\d đề án", page)
    assert "Tổng các nguồn (cả vốn đối ứng)" in page and "3.000" in page and "2.100" in page
    # Before any step: the one group there is, never a "00/04" line; before the đề án were drawn up: none.
    page = client.get(f"/projects/plans/{plan_2018.pk}/?as_of=01/05/2018", secure=True).content.decode()
    assert "04/04 đề án chưa thực hiện" in page and "00/04" not in page and "đã hủy" not in page
    page = client.get(f"/projects/plans/{plan_2018.pk}/?as_of=01/01/2018", secure=True).content.decode()
    assert "Chưa có đề án tại ngày này." in page and "00/00" not in page
    assert "4 đề án khác của kế hoạch có ngày lập sau ngày 01/01/2018" in page
    # The đề án list lists the cancelled one but leaves it out of its totals (3 × 1.000 triệu, not 4).
    page = client.get(f"/projects/?plan={plan_2018.pk}", secure=True).content.decode()
    assert "BT18-D" in page
    assert '<td class="text-end" data-testid="total-approved">3.000</td>' in page


def test_report_counts_without_the_cancelled_and_says_50_0_percent(plan_2018, vinhlong_officer, as_user):
    report = report_create(
        actor=vinhlong_officer, unit=testing.old_province("Bến Tre"), period=Period.make(HALF, 2018)
    )
    fig = report_figures(report)
    assert fig["project_count"] == 3 and [p["code"] for p in fig["cancelled"]] == ["BT18-D"]
    assert "BT18-D" not in {p["code"] for p in fig["projects"]}
    local = next(p for p in fig["plans"] if p["level"] == "local")
    assert local["total"] == 3 and local["plan"] == 4_200 * TR
    assert [line["text"] for line in local["lines"]] == [
        "02/03 đề án đã hoàn thành được 50% khối lượng công việc",
        "01/03 đề án đã dừng thực hiện",
        "01 đề án đã hủy",
    ]
    assert (fig["plan"], fig["approved"], fig["disbursed"], fig["counterpart"]) == (
        4_200 * TR,
        2_000 * TR,
        2_100 * TR,
        1_000 * TR,
    )
    assert fig["all_sources"] == {"plan": 4_200 * TR, "approved": 3_000 * TR, "disbursed": 2_100 * TR}
    page = as_user(vinhlong_officer).get(f"/reports/{report.pk}/").content.decode()
    assert "50,0 %" in page and "01 đề án đã hủy" in page and "Tổng các nguồn (cả vốn đối ứng)" in page
    assert "4.200 triệu đồng" in page and "2.100 triệu đồng" in page
    # The same lines and totals in the Word and Excel files.
    d = docx.Document(io.BytesIO(report_docx(report, fig)))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "01 đề án đã hủy" in text and "đạt 50,0 % kế hoạch" in text
    assert "Tổng các nguồn (cả vốn đối ứng)" in cells and "3.000" in cells
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, fig)))
    ws = wb["Kinh phí theo nguồn"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 6)] for r in range(4, ws.max_row + 1)}
    assert rows["Cộng ngân sách nhà nước (KCQG + KCĐP)"] == [4200, 2000, 2100, 0.5]
    assert rows["Vốn đối ứng, nguồn khác"][1] == 1000
    assert rows["Tổng các nguồn (cả vốn đối ứng)"][:3] == [4200, 3000, 2100]
    assert "Đề án đã hủy" in wb.sheetnames


def test_dashboard_leaves_the_cancelled_out_in_both_live_views(plan_2018, cuc_admin, as_user):
    client = as_user(cuc_admin)
    province = testing.current_province("Vĩnh Long").pk
    for kind in ("", "half"):
        body = client.get(
            f"/reports/dashboard/data/?province={province}&year_from=2018&year_to=2018&kind={kind}"
        ).json()
        assert body["source"] == "live" and body["source_label"].startswith(
            ("Số liệu trực tiếp", "Tính trực tiếp")
        )
        tables = {t["key"]: t for t in body["tables"]}
        assert tables["by_year"]["totals"][2:] == ["4.200", "2.000", "2.100", "50,0 %"], kind
        assert tables["by_status"]["totals"][1] == "3", kind
        assert body["cancelled_text"] == "01 đề án đã hủy", kind
        assert body["summary"]["rows"][1][2] == "1.000"  # the counterpart approved beside the state budget
        assert body["summary"]["totals"][:4] == ["Tổng các nguồn (cả vốn đối ứng)", "4.200", "3.000", "2.100"]
    page = client.get(f"/reports/dashboard/?province={province}&year_from=2018&year_to=2018").content.decode()
    assert "01 đề án đã hủy" in page and "Tổng các nguồn (cả vốn đối ứng)" in page
    assert 'id="dashboard-data" type="application/json"' in page  # through json_script, no inline code
    # As of 30/6/2018 a payment dated in July is not there; today's view has it.
    from khuyencong.projects.models import Project

    _pay(cuc_admin, Project.objects.get(code="BT18-A"), 50, dt.date(2018, 7, 10))
    as_of = client.get(
        f"/reports/dashboard/data/?province={province}&year_from=2018&year_to=2018&kind=half"
    ).json()
    today = client.get(f"/reports/dashboard/data/?province={province}&year_from=2018&year_to=2018").json()
    assert {t["key"]: t for t in as_of["tables"]}["by_year"]["totals"][4] == "2.100"
    assert {t["key"]: t for t in today["tables"]}["by_year"]["totals"][4] == "2.150"


def test_dashboard_from_accepted_reports_shows_seed_002_and_says_so(cuc_admin, as_user):
    from khuyencong.reports import demo

    demo.load_southern_2019(cuc_admin)
    client = as_user(cuc_admin)
    url = "/reports/dashboard/?source=accepted&kind=half&year_from=2019&year_to=2019"
    page = client.get(url).content.decode()
    assert "Tổng hợp từ các báo cáo đã được Cục tiếp nhận" in page and "Số báo cáo đã tiếp nhận: 20" in page
    body = client.get(url.replace("/dashboard/", "/dashboard/data/")).json()
    assert body["source"] == "accepted"
    tables = {t["key"]: t for t in body["tables"]}
    assert tables["by_year"]["totals"][2] == "85.865" and tables["by_year"]["totals"][4] == "16.578"
    assert tables["by_year"]["totals"][5] == "19,3 %"
    assert tables["by_province"]["totals"][1:3] == ["85.865", "16.578"]
    # Provinces as they are today, like the live view: Bến Tre, Trà Vinh and Vĩnh Long in Vĩnh Long.
    provinces = {r[0]: r for r in tables["by_province"]["rows"]}
    assert provinces["Tỉnh Vĩnh Long"][1] == "11.085" and "Tỉnh Bến Tre" not in provinces
    achieved = {r[0]: r[3] for r in tables["targets"]["rows"]}
    assert achieved["Lượt cơ sở CNNT tham gia hội chợ"] == "115"
    # The live view of the same period reads the records (no 2019 đề án in the south) and says so.
    live = client.get("/reports/dashboard/data/?source=live&kind=half&year_from=2019&year_to=2019").json()
    assert (
        live["source"] == "live"
        and "Tính trực tiếp từ dữ liệu đề án tại ngày cuối kỳ" in live["source_label"]
    )
    assert {t["key"]: t for t in live["tables"]}["by_year"]["totals"][2] == "0"
    # The Excel file of a chart says which source it shows.
    wb = openpyxl.load_workbook(io.BytesIO(client.get(url + "&format=xlsx&chart=by_year").content))
    assert wb["Nguồn số liệu"].cell(2, 2).value.startswith("Tổng hợp từ các báo cáo đã được Cục tiếp nhận")


def test_aggregation_has_per_source_columns_count_and_shares(plan_2018, cuc_admin, vinhlong_approver):
    period = Period.make(HALF, 2018)
    agg = aggregate(user=cuc_admin, region=None, period=period, source="live")
    row = next(r for r in agg["rows"] if r["name"] == "Tỉnh Bến Tre")
    assert (row["projects"], row["cancelled"], row["plan"]) == (3, 1, 4_200 * TR)
    assert row["paid"] == {"national": 0, "local": 2_100 * TR, "counterpart": 0}
    assert (row["approved"], row["counterpart"], row["all_approved"]) == (2_000 * TR, 1_000 * TR, 3_000 * TR)
    table = {t.key: t for t in aggregate_tables(agg)}["by_province"]
    line = dict(
        zip(table.headers, next(r for r in table.display_rows() if r[0] == "Tỉnh Bến Tre"), strict=True)
    )
    assert line["Số đề án"] == "3" and line["Kế hoạch được giao (triệu đồng)"] == "4.200"
    assert line["Giải ngân KCĐP (triệu đồng)"] == "2.100" and line["Giải ngân KCQG (triệu đồng)"] == "0"
    assert line["Tỷ lệ thực hiện"] == "50,0 %"
    assert (line["Tỷ trọng KCĐP"], line["Tỷ trọng vốn đối ứng"], line["Tỷ trọng KCQG"]) == (
        "66,7 %",
        "33,3 %",
        "0,0 %",
    )
    # From the accepted report: the same columns, read from its frozen figures.
    report = report_create(actor=vinhlong_approver, unit=testing.old_province("Bến Tre"), period=period)
    for to in ("prepared", "submitted"):
        move(vinhlong_approver, report.pk, to)
    move(cuc_admin, report.pk, "accepted")
    accepted = aggregate(user=cuc_admin, region=None, period=period, source="accepted")
    again = next(r for r in accepted["rows"] if r["name"] == "Tỉnh Bến Tre")
    for key in ("projects", "cancelled", "plan", "approved", "counterpart", "paid", "share", "rate"):
        assert again[key] == row[key], key


def test_submitted_report_keeps_its_figures_and_names_the_back_dated_payment(
    plan_2018, vinhlong_officer, vinhlong_approver, as_user
):
    from khuyencong.projects.models import Project

    report = report_create(
        actor=vinhlong_approver, unit=testing.old_province("Bến Tre"), period=Period.make(HALF, 2018)
    )
    for to in ("prepared", "submitted"):
        report = move(vinhlong_approver, report.pk, to)
    client = as_user(vinhlong_officer)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Số liệu hiện nay của kỳ này khác với số liệu đã gửi" not in page
    # A payment dated after the period changes nothing of the period; a correction dated back into it does.
    b = Project.objects.get(code="BT18-B")
    a = Project.objects.get(code="BT18-A")
    _pay(vinhlong_officer, a, 40, dt.date(2018, 7, 10))
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Số liệu hiện nay của kỳ này khác với số liệu đã gửi" not in page
    _pay(vinhlong_officer, a, 50, dt.date(2018, 6, 28))
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Số liệu hiện nay của kỳ này khác với số liệu đã gửi" in page
    assert "BT18-A" in page and "Thêm khoản thanh toán 50.000.000 đồng" in page and "ngày 28/06/2018" in page
    assert vinhlong_officer.display_name in page
    assert "40.000.000" not in page
    # The report itself still shows what it was sent with; today's figure is beside it.
    report.refresh_from_db()
    assert report_figures(report)["disbursed"] == 2_100 * TR
    assert '<td class="text-end">2.100</td><td class="text-end">2.150</td>' in page
    assert b.code not in page.split('data-testid="drift-changes"')[1].split("</ul>")[0]


def test_programme_progress_leaves_the_cancelled_payment_out(plan_2018):
    from khuyencong.projects import selectors

    province = testing.current_province("Vĩnh Long")
    money = selectors.program_execution(province_id=province.pk, year_from=2018, year_to=2018).money
    assert money[("6", "local", 2018)] == {"approved": 2_000 * TR, "disbursed": 2_100 * TR}


def test_commune_office_dashboard_shows_no_province_totals(client, vinhlong_officer, vinhlong_approver):
    """A commune office sees only its communes: the province-wide dashboard gives it nothing."""
    from khuyencong import testing
    from khuyencong.projects.tests import factories as pf

    p = pf.walk(
        pf.project(vinhlong_officer), "approved", officer=vinhlong_officer, approver=vinhlong_approver
    )
    assert p.fundings.get(source__code="national").approved == 200_000_000
    commune = pf.a_commune("Bến Tre")
    clerk = testing.make_user("xa.dash", testing.make_org("local_office", commune, "UBND xã"), "officer")
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get("/reports/dashboard/?year_from=2018&year_to=2018").content.decode()
    assert 'data-testid="dashboard-narrow"' in body
    assert (
        "200" not in body.split('data-testid="dashboard-narrow"')[1].split("</table>")[0]
        or "200,0" not in body
    )
    data = client.get("/reports/dashboard/data/?year_from=2018&year_to=2018").json()
    assert all(not any(str(v).startswith("200") for v in row) for row in data["summary"]["rows"])
