"""Issue 13's acceptance: a file of 1.000 đề án with one bad row writes nothing and names the row and the
column, in the page as in the service; a row without a code is the plan's đề án of the same title, so the same
file uploaded twice changes nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from khuyencong.beneficiaries.models import Establishment
from khuyencong.core.errors import ImportFailed
from khuyencong.projects import plan_import
from khuyencong.projects.models import Project
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db


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
def plan(vinhlong_officer):
    return f.plan(vinhlong_officer, "Bến Tre", 2017, "local", title="Kế hoạch KCĐP 2017")


def thousand(bad_at: int, bad: dict) -> list[dict]:
    """1.000 approved trainings of 2017; the row at index `bad_at` (Excel row bad_at + 2) gets `bad`."""
    rows = [
        {
            "title": f"Tập huấn nâng cao năng lực quản lý số {i}",
            "content": "2",
            "registered_on": "12/01/2017",
            "requested": "80 triệu",
            "approved": "80 triệu",
            "decision_no": f"{i}/QĐ-SCT",
            "decision_date": "15/03/2017",
            "status": "Đã phê duyệt",
        }
        for i in range(1, 1001)
    ]
    rows[bad_at] = {**rows[bad_at], **bad}
    return rows


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", q["sql"], re.I)]


def test_one_bad_row_among_a_thousand_writes_nothing_and_names_row_and_column(client, vinhlong_officer, plan):
    content = xlsx(thousand(734, {"requested": "150"}))  # Excel row 736: money without its unit
    est_before = Establishment.objects.count()
    with CaptureQueriesContext(connection) as queries, pytest.raises(ImportFailed) as failed:
        plan_import.plan_projects_import(
            actor=vinhlong_officer, plan=plan, content=content, filename="1000-de-an.xlsx"
        )
    errors = failed.value.errors
    assert [(e.row, e.column, e.value) for e in errors] == [(736, "Kinh phí đề nghị hỗ trợ", "150")]
    assert "Ghi rõ đơn vị" in errors[0].reason
    assert str(errors[0]).startswith("dòng 736, cột Kinh phí đề nghị hỗ trợ: ")
    # Validation alone decided: not one write was sent to the database.
    assert _writes(queries.captured_queries) == []
    assert not Project.objects.filter(plan=plan).exists()
    assert Establishment.objects.count() == est_before

    # The page shows the same: row, column, value and the reason in Vietnamese.
    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        f"/projects/plans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("1000-de-an.xlsx", content), "confirm": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    table = re.search(r'<table[^>]*data-testid="import-errors".*?</table>', body, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", table, re.S)]
    assert cells[:3] == ["736", "Kinh phí đề nghị hỗ trợ", "150"]
    assert "Ghi rõ đơn vị" in cells[3]
    assert not Project.objects.filter(plan=plan).exists()


def test_a_bad_commune_and_a_bad_date_among_a_thousand(vinhlong_officer, plan):
    rows = thousand(99, {"commune_name": "Xã Không Có Thật"})
    rows[499] = {**rows[499], "decision_date": "31/02/2017"}
    with CaptureQueriesContext(connection) as queries, pytest.raises(ImportFailed) as failed:
        plan_import.plan_projects_import(
            actor=vinhlong_officer, plan=plan, content=xlsx(rows), filename="x.xlsx"
        )
    where = [(e.row, e.column) for e in failed.value.errors]
    assert (101, "Xã, phường") in where and (501, "Ngày quyết định phê duyệt") in where
    reasons = {e.row: e.reason for e in failed.value.errors}
    assert "Không có xã, phường này trong Tỉnh Vĩnh Long" in reasons[101]
    assert _writes(queries.captured_queries) == []
    assert not Project.objects.filter(plan=plan).exists()


def test_a_row_without_code_is_the_plans_project_of_that_title(vinhlong_officer, plan):
    rows = thousand(0, {})[:3]
    rows.append({**rows[0]})  # the same title twice: two đề án, matched in order the second time
    content = xlsx(rows)
    first = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=content, filename="a.xlsx"
    )
    assert first.created == 4
    again = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=content, filename="a.xlsx", commit=False
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4), again.lines
    assert again.message == "Sẽ nhập 4 dòng: 0 đề án mới, 0 đề án thay đổi, 4 đề án không thay đổi."
    # A changed cell in a row without code updates the đề án of that title (a revision: it is approved).
    rows[1] = {**rows[1], "approved": "70 triệu", "requested": "70 triệu"}
    changed = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx(rows), filename="b.xlsx"
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 3)
    assert Project.objects.filter(plan=plan).count() == 4
    # A code given in the file is never taken by a row without code: the other row of that title gets the
    # other đề án.
    rows[0] = {**rows[0], "code": "KCĐP-2017-01"}
    result = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx(rows), filename="c.xlsx", commit=False
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4), result.lines


def test_a_row_over_the_cap_is_refused_before_any_write(vinhlong_officer):
    """1.000 rows, one over its support cap: the caps are checked in memory with every other rule, so the
    refusal comes before any write and names the row."""
    national = f.plan(vinhlong_officer, "Bến Tre", 2019, "national", title="Kế hoạch KCQG 2019")
    est = f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")
    rows = [
        {
            **r,
            "registered_on": "12/01/2019",
            "decision_date": "15/03/2019",
            "content": "3",
            "support_cap": "tt28-may-moc-thiet-bi",
            "beneficiaries": est.name,
            "requested": "200 triệu",
            "approved": "200 triệu",
            "counterpart": "500 triệu",
        }
        for r in thousand(0, {})
    ]
    assert len(rows) == 1000
    rows[735] = {**rows[735], "requested": "400 triệu", "approved": "400 triệu"}  # cap: 300 triệu a cơ sở
    with CaptureQueriesContext(connection) as queries, pytest.raises(ImportFailed) as failed:
        plan_import.plan_projects_import(
            actor=vinhlong_officer, plan=national, content=xlsx(rows), filename="x.xlsx"
        )
    assert [e.row for e in failed.value.errors] == [737]
    assert "tối đa" in failed.value.errors[0].reason
    assert failed.value.errors[0].column in ("Kinh phí được phê duyệt", "Kinh phí đề nghị hỗ trợ")
    assert not Project.objects.filter(plan=national).exists()
    assert _writes(queries.captured_queries) == []
