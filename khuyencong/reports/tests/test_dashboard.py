import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db


def test_dashboard_tables_follow_the_year_filter(demo_projects, cuc_admin, as_user):
    client = as_user(cuc_admin)
    page_2018 = client.get("/reports/dashboard/?year_from=2018&year_to=2018").content.decode()
    page_2016 = client.get("/reports/dashboard/?year_from=2016&year_to=2016").content.decode()
    assert "1.129" in page_2018  # Bắc Kạn 2018 plans: 600 + 529 triệu
    assert "1.129" not in page_2016 and "2.164" in page_2016  # Bến Tre 2016: 1.820 + 344 triệu (carried over)
    assert "<td class=\"num\">2.016</td>" not in page_2016
    for key in ("by_year", "by_content", "by_province", "by_status", "targets"):
        assert f'id="chart-{key}"' in page_2018 and f'data-table="{key}"' in page_2018
    wb = openpyxl.load_workbook(io.BytesIO(client.get(
        "/reports/dashboard/?year_from=2018&year_to=2018&format=xlsx&chart=by_year").content))
    ws = wb.worksheets[0]
    assert ws.title.startswith("Kế hoạch và thực hiện")
    assert ws.cell(ws.max_row, 3).value == 1129
    # The by-province table adds up to the same plan as the by-year table.
    page = client.get("/reports/dashboard/data/?year_from=2016&year_to=2016").json()
    totals = {t["key"]: t["totals"] for t in page["tables"]}
    assert totals["by_year"][2] == totals["by_province"][1] == "2.164"
    partial = client.get("/reports/dashboard/?year_from=2016&year_to=2016", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "2.164" in partial


def test_dashboard_is_scoped_to_the_province(demo_projects, as_user):
    from khuyencong.accounts.models import User

    thainguyen = User.objects.get(username="thainguyen")
    page = as_user(thainguyen).get("/reports/dashboard/?year_from=2016&year_to=2018&province=1").content.decode()
    assert "Tỉnh Bắc Kạn" in page and "Tỉnh Bến Tre" not in page and "2.164" not in page
    data = as_user(thainguyen).get("/reports/dashboard/data/?year_from=2016&year_to=2018").json()
    rows = next(t for t in data["tables"] if t["key"] == "by_province")["rows"]
    assert [r[0] for r in rows] == ["Tỉnh Bắc Kạn"]


def test_cached_dashboard_follows_new_records(demo_projects):
    import datetime as dt

    from khuyencong.accounts.models import User
    from khuyencong.projects.models import Project
    from khuyencong.projects.services import disbursement_create
    from khuyencong.reports.dashboard import dashboard_data_cached

    cuc = User.objects.get(username="cuc")
    params = {"year_from": 2018, "year_to": 2018}  # national view: the cached one

    def paid_total():
        table = next(t for t in dashboard_data_cached(cuc, params)["tables"] if t.key == "by_year")
        return table.totals[4]

    before = paid_total()
    assert paid_total() == before  # served again, same numbers
    from khuyencong.core.errors import DomainError

    for project in Project.objects.filter(plan__year=2018).order_by("code"):
        try:  # the first đề án that may still be paid 1 triệu
            disbursement_create(project=project, actor=cuc, kind="payment", source=project.plan.level,
                                date=dt.date(2018, 8, 1), amount=1_000_000, document_no="TT-01")
            break
        except DomainError:
            continue
    else:
        pytest.fail("no đề án of 2018 could take a payment")
    assert paid_total() == before + 1_000_000


def test_dashboard_defaults_to_the_latest_years_on_record(demo_projects, cuc_admin, as_user):
    page = as_user(cuc_admin).get("/reports/dashboard/").content.decode()
    assert "kế hoạch năm 2014–2018" in page and "1.129" in page
