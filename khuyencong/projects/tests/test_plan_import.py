"""Issue 13 item 2: a plan's đề án imported from Excel, all or nothing, previewed, re-importable."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from khuyencong.core.errors import ImportFailed
from khuyencong.projects import plan_import
from khuyencong.projects.models import Disbursement, Project, StatusChange
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


@pytest.fixture
def est(db):
    return f.establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")


def rows(est):
    return [
        {
            "title": "Hỗ trợ máy đóng gói kẹo dừa",
            "content": "3",
            "support_cap": "tt28-may-moc-thiet-bi",
            "beneficiaries": est.name,
            "registered_on": "10/01/2017",
            "requested": "250 triệu",
            "approved": "200 triệu",
            "counterpart": "300 triệu",
            "decision_no": "12/QĐ-SCT",
            "decision_date": "15/03/2017",
            "status": "Đang thực hiện",
            "status_date": "15/05/2017",
            "progress": 50,
            "paid": "100 triệu",
            "paid_date": "20/05/2017",
        },
        {
            "title": "Tập huấn nâng cao năng lực quản lý",
            "content": "2",
            "registered_on": "12/01/2017",
            "requested": "80 triệu",
            "approved": "80 triệu",
            "decision_no": "13/QĐ-SCT",
            "decision_date": "15/03/2017",
            "status": "Đã phê duyệt",
            "status_date": "15/03/2017",
        },
        {
            "title": "Đề án bị hủy",
            "content": "2",
            "registered_on": "12/01/2017",
            "requested": "50 triệu",
            "status": "Đã hủy",
            "status_date": "01/04/2017",
            "note": "Cơ sở rút đăng ký",
        },
    ]


def test_officer_imports_a_past_plan(vinhlong_officer, plan, est):
    content = xlsx(rows(est))
    preview = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=content, filename="ke-hoach-2017.xlsx", commit=False
    )
    assert (preview.created, preview.updated, preview.unchanged) == (3, 0, 0)
    assert preview.message.startswith("Sẽ nhập 3 dòng: 3 đề án mới")
    assert not Project.objects.filter(plan=plan).exists()
    result = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=content, filename="ke-hoach-2017.xlsx"
    )
    assert result.committed and result.created == 3
    projects = {p.title: p for p in Project.objects.filter(plan=plan)}
    machine = projects["Hỗ trợ máy đóng gói kẹo dừa"]
    assert machine.code == "KCĐP-2017-01" and machine.status == "in_progress" and machine.progress_pct == 50
    assert machine.decision_date == dt.date(2017, 3, 15)
    assert sum(d.amount for d in Disbursement.objects.filter(project=machine)) == 100_000_000
    assert projects["Đề án bị hủy"].status == "cancelled"
    last = StatusChange.objects.filter(project=machine).order_by("-effective_date", "-pk").first()
    assert last.effective_date == dt.date(2017, 5, 15)
    hist = machine.history.order_by("history_id").first()
    assert hist.history_change_reason and hist.history_user == vinhlong_officer
    # As of 30/06/2017 the plan reads the imported dates.
    from khuyencong.projects.selectors import plan_summary

    summary = plan_summary(plan=plan, as_of=dt.date(2017, 6, 30))
    assert summary["disbursed"] == 100_000_000

    # Re-importing the same file changes nothing and writes no history.
    before = sum(m.objects.count() for m in (Project.history.model, StatusChange, Disbursement))
    again = plan_import.plan_projects_import(
        actor=vinhlong_officer,
        plan=plan,
        content=xlsx(
            [
                {**r, "code": c}
                for r, c in zip(rows(est), ["KCĐP-2017-01", "KCĐP-2017-02", "KCĐP-2017-03"], strict=True)
            ]
        ),
        filename="ke-hoach-2017.xlsx",
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert sum(m.objects.count() for m in (Project.history.model, StatusChange, Disbursement)) == before


def test_export_then_import_is_a_round_trip(vinhlong_officer, plan, est):
    plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx(rows(est)), filename="a.xlsx"
    )
    exported = plan_import.plan_projects_xlsx(plan=plan, projects=Project.objects.filter(plan=plan))
    again = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=exported, filename="xuat.xlsx", commit=False
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3), again.lines


def test_a_changed_cell_updates_that_project_by_a_revision(vinhlong_officer, plan, est):
    plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx(rows(est)), filename="a.xlsx"
    )
    changed = rows(est)
    changed[1] = {**changed[1], "code": "KCĐP-2017-02", "approved": "70 triệu", "requested": "70 triệu"}
    changed[0]["code"], changed[2]["code"] = "KCĐP-2017-01", "KCĐP-2017-03"
    result = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx(changed), filename="b.xlsx"
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    training = Project.objects.get(plan=plan, code="KCĐP-2017-02")
    assert training.revisions.count() == 1
    assert training.fundings.get(source__code="local").approved == 70_000_000


def test_one_bad_row_among_many_writes_nothing(vinhlong_officer, plan, est):
    good = rows(est)[1]
    many = [{**good, "title": f"Tập huấn số {i}"} for i in range(1, 200)]
    many.insert(120, {**good, "title": "Dòng sai", "requested": "250"})
    with pytest.raises(ImportFailed) as failed:
        plan_import.plan_projects_import(
            actor=vinhlong_officer, plan=plan, content=xlsx(many), filename="x.xlsx"
        )
    errors = failed.value.errors
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (122, "Kinh phí đề nghị hỗ trợ")
    assert "Ghi rõ đơn vị" in errors[0].reason
    assert not Project.objects.filter(plan=plan).exists()


def test_errors_name_row_column_and_reason(vinhlong_officer, plan, est):
    bad = rows(est)
    bad[0] = {
        **bad[0],
        "content": "12",
        "decision_date": "01/01/2017",
        "beneficiaries": "Cơ sở không có thật",
    }
    with pytest.raises(ImportFailed) as failed:
        plan_import.plan_projects_import(
            actor=vinhlong_officer, plan=plan, content=xlsx(bad), filename="x.xlsx"
        )
    text = [str(e) for e in failed.value.errors]
    assert any("dòng 2, cột Nội dung hoạt động" in t for t in text)
    assert any("Ngày quyết định phê duyệt (01/01/2017) trước ngày đăng ký (10/01/2017)" in t for t in text)
    assert any("Chưa có cơ sở này" in t for t in text)


def test_outsider_cannot_import_into_another_province(thainguyen_officer, plan, est):
    from khuyencong.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        plan_import.plan_projects_import(
            actor=thainguyen_officer, plan=plan, content=xlsx(rows(est)), filename="x.xlsx"
        )


def test_upload_preview_confirm_in_the_pages(client, vinhlong_officer, plan, est):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    template = client.get(f"/projects/plans/{plan.pk}/projects.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    upload = SimpleUploadedFile("ke-hoach.xlsx", xlsx(rows(est)))
    preview = client.post(f"/projects/plans/{plan.pk}/import/", {"file": upload})
    body = preview.content.decode()
    assert "Sẽ nhập 3 dòng: 3 đề án mới" in body
    assert not Project.objects.filter(plan=plan).exists()
    import re

    token = re.search(r'name="token" value="(\w+)"', body).group(1)
    done = client.post(
        f"/projects/plans/{plan.pk}/import/", {"token": token, "name": "ke-hoach.xlsx", "confirm": "1"}
    )
    assert done.status_code == 302
    assert Project.objects.filter(plan=plan).count() == 3
    page = client.get(f"/projects/plans/{plan.pk}/").content.decode()
    assert "Hỗ trợ máy đóng gói kẹo dừa" in page


def test_api_import_preview_and_commit(api_as, vinhlong_officer, thainguyen_officer, plan, est):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = api_as(vinhlong_officer)
    answer = api.post(
        f"/api/v1/plans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("a.xlsx", xlsx(rows(est)))},
        format="multipart",
    )
    assert answer.status_code == 200 and answer.json()["committed"] is False and answer.json()["created"] == 3
    bad = rows(est)
    bad[0]["requested"] = "250"
    answer = api.post(
        f"/api/v1/plans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("a.xlsx", xlsx(bad)), "commit": "1"},
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["details"]["errors"][0]["column"] == "Kinh phí đề nghị hỗ trợ"
    answer = api.post(
        f"/api/v1/plans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("a.xlsx", xlsx(rows(est))), "commit": "1"},
        format="multipart",
    )
    assert answer.status_code == 200 and Project.objects.filter(plan=plan).count() == 3
    outsider = api_as(thainguyen_officer)
    answer = outsider.post(
        f"/api/v1/plans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("a.xlsx", xlsx(rows(est)))},
        format="multipart",
    )
    assert answer.status_code == 404


def flows_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(plan_import.FLOW_HEADERS)
    for r in rows:
        ws.append([r.get(key) for _h, key in plan_import.FLOW_COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_payments_and_outputs_import(client, vinhlong_officer, plan, est):
    from khuyencong.catalog.models import OutputIndicator

    plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=xlsx(rows(est)), filename="a.xlsx"
    )
    indicator = OutputIndicator.objects.order_by("code").first()
    flows = [
        {
            "code": "KCĐP-2017-02",
            "kind": "Tạm ứng",
            "date": "20/03/2017",
            "amount": "30 triệu",
            "document_no": "TU01",
        },
        {
            "code": "KCĐP-2017-02",
            "kind": "Thanh toán",
            "date": "20/06/2017",
            "amount": "40.000.000",
            "source": "KCĐP",
        },
        {
            "code": "KCĐP-2017-02",
            "kind": "Kết quả",
            "date": "20/06/2017",
            "indicator": indicator.code,
            "quantity": 35,
        },
    ]
    result = plan_import.plan_flows_import(
        actor=vinhlong_officer, plan=plan, content=flows_xlsx(flows), filename="chi.xlsx"
    )
    assert result.created == 3
    training = Project.objects.get(plan=plan, code="KCĐP-2017-02")
    assert sorted(d.amount for d in training.disbursements.all()) == [30_000_000, 40_000_000]
    assert training.outputs.get().quantity == 35
    again = plan_import.plan_flows_import(
        actor=vinhlong_officer, plan=plan, content=flows_xlsx(flows), filename="chi.xlsx"
    )
    assert (again.created, again.unchanged) == (0, 3)
    too_much = [
        {"code": "KCĐP-2017-02", "kind": "Thanh toán", "date": "21/06/2017", "amount": "20 triệu"},
        {"code": "KHONG-CO", "kind": "Thanh toán", "date": "21/06/2017", "amount": "1 triệu"},
    ]
    with pytest.raises(ImportFailed) as failed:
        plan_import.plan_flows_import(
            actor=vinhlong_officer, plan=plan, content=flows_xlsx(too_much), filename="x.xlsx"
        )
    assert [(e.row, e.column) for e in failed.value.errors] == [(3, "Mã đề án")]
    with pytest.raises(ImportFailed) as failed:
        plan_import.plan_flows_import(
            actor=vinhlong_officer, plan=plan, content=flows_xlsx(too_much[:1]), filename="x.xlsx"
        )
    assert "vượt số được phê duyệt" in failed.value.errors[0].reason
    assert training.disbursements.count() == 2
    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/projects/plans/{plan.pk}/flows.xlsx").status_code == 200
    assert (
        "Nhập tạm ứng, thanh toán, kết quả"
        in client.get(f"/projects/plans/{plan.pk}/import-flows/").content.decode()
    )
