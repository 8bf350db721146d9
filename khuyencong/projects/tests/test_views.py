"""Pages: create, transitions with errors next to the field, list filters, totals, Excel export, plan page."""

import io

import openpyxl
import pytest

from khuyencong.catalog.models import OutputIndicator
from khuyencong.projects.models import AnnualPlan, Project, Status
from khuyencong.projects.tests import factories as f
from khuyencong.testing import response_bytes

pytestmark = pytest.mark.django_db


def test_officer_creates_and_registers_via_pages(vinhlong_officer, as_user):
    plan = f.plan(vinhlong_officer)
    est = f.establishment(name="Cơ sở kẹo dừa Thử")
    client = as_user(vinhlong_officer)
    r = client.post(
        "/projects/new/",
        {
            "plan": plan.pk,
            "code": "BT-01",
            "title": "Hỗ trợ máy đóng gói kẹo dừa",
            "content": f.content("3").pk,
            "support_cap": f.machinery_cap().pk,
            "establishments": [est.pk],
            "start_date": "2018-07-01",
            "end_date": "2018-12-31",
            "requested_national": "200 triệu",
            "requested_counterpart": "250 triệu",
        },
        secure=True,
    )
    p = Project.objects.get(code="BT-01")
    assert r.status_code == 302 and r.url == f"/projects/{p.pk}/"
    assert p.fundings.get(source__code="national").requested == 200_000_000
    r = client.post(
        f"/projects/{p.pk}/transition/", {"to_status": "registered", "version": p.version}, secure=True
    )
    assert r.status_code == 302
    page = client.get(f"/projects/{p.pk}/", secure=True).content.decode()
    assert "Đã đăng ký" in page and "Đăng ký đề án" in page and "Cơ sở kẹo dừa Thử" in page


def test_cap_breach_on_create_page_shows_rule_next_to_field(vinhlong_officer, as_user):
    plan = f.plan(vinhlong_officer)
    r = as_user(vinhlong_officer).post(
        "/projects/new/",
        {
            "plan": plan.pk,
            "code": "BT-02",
            "title": "Máy lớn",
            "content": f.content("3").pk,
            "support_cap": f.machinery_cap().pk,
            "establishments": [f.establishment().pk],
            "start_date": "2018-07-01",
            "requested_national": "400 triệu",
            "requested_counterpart": "900 triệu",
        },
        secure=True,
    )
    assert r.status_code == 200
    assert f.machinery_cap().rule_text in r.content.decode()
    assert not Project.objects.filter(code="BT-02").exists()


def test_transition_form_errors_and_role_refusal(vinhlong_officer, vinhlong_approver, as_user):
    p = f.walk(
        f.project(vinhlong_officer), Status.APPRAISED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    # An officer may not approve: refused with the reason, status unchanged.
    r = as_user(vinhlong_officer).post(
        f"/projects/{p.pk}/transition/", {"to_status": "approved"}, secure=True, follow=True
    )
    assert "không được phép «Phê duyệt, giao kinh phí»" in r.content.decode()
    # The approver forgets the decision number: error next to the field.
    r = as_user(vinhlong_approver).post(
        f"/projects/{p.pk}/transition/",
        {"to_status": "approved", "decision_date": "2018-06-10", "version": p.version},
        secure=True,
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert 'data-testid="field-error">Trường này là bắt buộc.' in body or "bắt buộc" in body
    p.refresh_from_db()
    assert p.status == Status.APPRAISED
    r = as_user(vinhlong_approver).post(
        f"/projects/{p.pk}/transition/",
        {
            "to_status": "approved",
            "decision_no": "12/QĐ",
            "decision_date": "2018-06-10",
            "version": p.version,
            "approved_national": "180 triệu",
            "approved_counterpart": "250 triệu",
        },
        secure=True,
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.APPROVED and p.fundings.get(source__code="national").approved == 180_000_000


def test_disbursement_over_approved_on_page(vinhlong_officer, vinhlong_approver, as_user):
    p = f.walk(
        f.project(vinhlong_officer), Status.APPROVED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    r = as_user(vinhlong_officer).post(
        f"/projects/{p.pk}/disbursements/",
        {"kind": "advance", "source": "national", "date": "2018-07-01", "amount": "250 triệu"},
        secure=True,
    )
    assert r.status_code == 400
    assert "vượt số được phê duyệt (200.000.000 đồng)" in r.content.decode()
    r = as_user(vinhlong_officer).post(
        f"/projects/{p.pk}/outputs/",
        {"indicator": OutputIndicator.objects.get(code="may-moc").pk, "quantity": 2, "date": "2018-09-01"},
        secure=True,
    )
    assert r.status_code == 302
    assert p.outputs.get().quantity == 2


def test_list_filters_totals_and_excel(vinhlong_officer, vinhlong_approver, as_user):
    a = f.walk(
        f.project(vinhlong_officer, code="A-1"),
        Status.APPROVED,
        officer=vinhlong_officer,
        approver=vinhlong_approver,
    )
    f.project(
        vinhlong_officer,
        code="B-1",
        level="local",
        content_code="6",
        establishments=[],
        funding={"local": {"requested": "50 triệu"}},
    )
    client = as_user(vinhlong_officer)
    page = client.get("/projects/?level=national", secure=True).content.decode()
    assert "A-1" in page and "B-1" not in page
    page = client.get("/projects/?content=6", secure=True).content.decode()
    assert "B-1" in page and "A-1" not in page
    est = a.beneficiaries.get().establishment
    page = client.get(f"/projects/?beneficiary={est.name}", secure=True).content.decode()
    assert "A-1" in page and "B-1" not in page
    page = client.get("/projects/?status=approved", secure=True).content.decode()
    assert "A-1" in page and "B-1" not in page
    page = client.get("/projects/?year=2018", secure=True).content.decode()
    assert 'data-testid="total-requested">250<' in page and 'data-testid="total-approved">200<' in page
    r = client.get("/projects/?format=xlsx&sort=code", secure=True)
    ws = openpyxl.load_workbook(io.BytesIO(response_bytes(r))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:2] == ("Mã", "Tên đề án")
    assert [row[0] for row in rows[3:5]] == ["A-1", "B-1"]
    assert rows[-1][8:11] == (250_000_000, 200_000_000, 0)


def test_plan_pages(vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    from khuyencong.geo.models import AdminUnit

    bt = AdminUnit.objects.get(era="old", level=1, short_name="Bến Tre")
    r = client.post(
        "/projects/plans/new/",
        {"unit": bt.pk, "year": 2017, "level": "local", "registered_total": "2,3 tỷ"},
        secure=True,
    )
    plan = AnnualPlan.objects.get(year=2017, unit=bt)
    assert r.status_code == 302 and plan.registered_total == 2_300_000_000
    assert plan.province.short_name == "Vĩnh Long"
    r = client.post("/projects/plans/new/", {"unit": bt.pk, "year": 2017, "level": "local"}, secure=True)
    assert "Đã có kế hoạch khuyến công địa phương năm 2017" in r.content.decode()
    page = client.get("/projects/plans/", secure=True).content.decode()
    assert "Tỉnh Bến Tre" in page
    page = client.get(f"/projects/plans/{plan.pk}/", secure=True).content.decode()
    # A plan without đề án says so; no "00/00" count line.
    assert "Chưa có đề án." in page and "00/00" not in page and "2,3 tỷ đồng" in page


def test_viewer_sees_no_forms(vinhlong_officer, vinhlong_viewer, as_user):
    p = f.project(vinhlong_officer)
    page = as_user(vinhlong_viewer).get(f"/projects/{p.pk}/", secure=True).content.decode()
    assert "Thao tác được phép" not in page and "Ghi tạm ứng" not in page
    assert as_user(vinhlong_viewer).get("/projects/new/", secure=True).status_code == 403


def test_api_create_and_walk(vinhlong_officer, vinhlong_approver, api_as):
    plan = f.plan(vinhlong_officer)
    est = f.establishment()
    r = api_as(vinhlong_officer).post(
        "/api/v1/projects/",
        {
            "plan": plan.pk,
            "code": "API-1",
            "title": "Đề án qua API",
            "content": "3",
            "effective_date": "2018-04-02",
            "support_cap": "tt28-may-moc-thiet-bi",
            "establishments": [est.pk],
            "start_date": "2018-07-01",
            "funding": {"national": {"requested": "200 triệu"}, "counterpart": {"requested": "250 triệu"}},
        },
        format="json",
        secure=True,
    )
    assert r.status_code == 201, r.json()
    pk, version = r.json()["id"], r.json()["version"]
    assert r.json()["status"] == "draft" and r.json()["allowed_transitions"] == ["registered", "cancelled"]
    url = f"/api/v1/projects/{pk}/transitions/"
    r = api_as(vinhlong_officer).post(
        url,
        {"to_status": "registered", "expected_version": version, "effective_date": "2018-04-10"},
        format="json",
        secure=True,
    )
    assert r.status_code == 200, r.json()
    version = r.json()["version"]
    r = api_as(vinhlong_officer).post(
        url,
        {"to_status": "appraised", "appraisal_result": "passed", "expected_version": version},
        format="json",
        secure=True,
    )
    assert r.status_code == 403 and "không được phép «Thẩm định»" in r.json()["error"]["message"]
    r = api_as(vinhlong_approver).post(
        url,
        {
            "to_status": "appraised",
            "appraisal_result": "passed",
            "expected_version": version,
            "effective_date": "2018-05-15",
        },
        format="json",
        secure=True,
    )
    assert r.status_code == 200 and r.json()["status"] == "appraised"
    r = api_as(vinhlong_approver).post(
        url,
        {
            "to_status": "approved",
            "decision_no": "1/QĐ",
            "decision_date": "2018-07-05",
            "expected_version": r.json()["version"],
        },
        format="json",
        secure=True,
    )
    assert r.json()["fundings"][0]["approved"] == 200_000_000
    r = api_as(vinhlong_officer).post(
        f"/api/v1/projects/{pk}/disbursements/",
        {"kind": "advance", "source": "national", "date": "2018-07-10", "amount": "250 triệu"},
        format="json",
        secure=True,
    )
    assert r.status_code == 400 and "vượt số được phê duyệt" in r.json()["error"]["message"]
    history = api_as(vinhlong_officer).get(url, secure=True).json()
    assert [h["to_status"] for h in history] == ["draft", "registered", "appraised", "approved"]
    # Business dates: the registration date, the step dates given, the approval on its decision date.
    assert [h["effective_date"] for h in history] == ["2018-04-02", "2018-04-10", "2018-05-15", "2018-07-05"]
    assert history[-1]["actor"] == vinhlong_approver.display_name


def test_adjustment_via_page_shows_old_and_new_side_by_side(vinhlong_officer, vinhlong_approver, as_user):
    p = f.walk(
        f.project(vinhlong_officer), Status.CONTRACTED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    from khuyencong.projects import services

    services.disbursement_create(
        project=p,
        actor=vinhlong_officer,
        kind="advance",
        source="national",
        date="2018-07-01",
        amount="120 triệu",
    )
    client = as_user(vinhlong_approver)
    base = {
        "to_status": "adjust",
        "reason": "Giảm kinh phí theo giá máy thực tế",
        "title": p.title,
        "approved_counterpart": "300 triệu",
        "version": p.version,
    }
    r = client.post(f"/projects/{p.pk}/transition/", {**base, "approved_national": "100 triệu"}, secure=True)
    assert r.status_code == 400
    assert "nhỏ hơn số đã tạm ứng, thanh toán (120.000.000 đồng)" in r.content.decode()
    r = client.post(f"/projects/{p.pk}/transition/", {**base, "approved_national": "150 triệu"}, secure=True)
    assert r.status_code == 302
    page = client.get(f"/projects/{p.pk}/", secure=True).content.decode()
    assert 'data-testid="revisions"' in page and "Giảm kinh phí theo giá máy thực tế" in page
    assert "Kinh phí</strong>: KCQG: đề nghị 200.000.000 đồng, phê duyệt 200.000.000 đồng" in page
    assert "phê duyệt 150.000.000 đồng" in page
    p.refresh_from_db()
    assert p.status == Status.CONTRACTED and p.fundings.get(source__code="national").approved == 150_000_000


def test_plan_list_filters_sorts_totals_and_excel(demo, as_user):
    """Seed 000 as the Vĩnh Long officer sees it: four Bến Tre plans, 17 đề án; 1.820 triệu assigned to the
    2016
    national plan (the 300 triệu supplementary registration has no decision yet, so it assigns nothing) and
    344 triệu in batch 2 of 2015."""
    from khuyencong.accounts.models import User

    client = as_user(User.objects.get(username="vinhlong"))
    page = client.get("/projects/plans/", secure=True).content.decode()
    assert "4 kế hoạch" in page and "Tỉnh Bắc Kạn" not in page
    assert '<td class="text-end" data-testid="total-projects">17</td>' in page
    assert '<td class="text-end" data-testid="total-assigned">2.164</td>' in page
    national = client.get("/projects/plans/?level=national", secure=True).content.decode()
    assert "1 kế hoạch" in national and "quốc gia năm 2016" in national
    assert '<td class="text-end" data-testid="total-assigned">1.820</td>' in national
    by_assigned = client.get("/projects/plans/?sort=-assigned", secure=True).content.decode()
    assert by_assigned.index("quốc gia năm 2016") < by_assigned.index("địa phương năm 2015")
    by_projects = client.get("/projects/plans/?sort=-projects", secure=True).content.decode()
    assert by_projects.index("năm 2017") < by_projects.index("quốc gia năm 2016")
    assert (
        "0 kế hoạch"
        in client.get(
            "/projects/plans/?year=abc&status=registered&level=national", secure=True
        ).content.decode()
    )
    ws = openpyxl.load_workbook(
        io.BytesIO(response_bytes(client.get("/projects/plans/?format=xlsx", secure=True)))
    ).active
    assert ws.cell(3, 1).value == "Kế hoạch"
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "Tổng cộng" and last[6:] == [17, 4_420_000_000, 2_164_000_000]
    # The outsider province sees its own (Bắc Kạn 2018) plans, none of Bến Tre's, in the page and the file.
    outsider = as_user(User.objects.get(username="thainguyen"))
    page = outsider.get("/projects/plans/", secure=True).content.decode()
    assert "Tỉnh Bắc Kạn" in page and "Tỉnh Bến Tre" not in page
    ws = openpyxl.load_workbook(
        io.BytesIO(response_bytes(outsider.get("/projects/plans/?format=xlsx", secure=True)))
    ).active
    assert all("Bến Tre" not in str(c.value) for row in ws.iter_rows() for c in row)
