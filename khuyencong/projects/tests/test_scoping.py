"""An outsider province gets 404 on every đề án page and endpoint, and sees nothing in lists."""

import io

import openpyxl
import pytest

from khuyencong.projects.models import Status
from khuyencong.projects.tests import factories as f
from khuyencong.testing import response_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def vl_project(vinhlong_officer, vinhlong_approver):
    p = f.project(vinhlong_officer, province_short="Bến Tre")
    return f.walk(p, Status.IN_PROGRESS, officer=vinhlong_officer, approver=vinhlong_approver)


@pytest.fixture
def bk_project(thainguyen_officer, thainguyen_approver):
    p = f.project(
        thainguyen_officer,
        province_short="Bắc Kạn",
        level="local",
        content_code="6",
        establishments=[],
        funding={"local": {"requested": "50 triệu"}},
    )
    return f.walk(p, Status.IN_PROGRESS, officer=thainguyen_officer, approver=thainguyen_approver)


def pages(p):
    return [
        f"/projects/{p.pk}/",
        f"/projects/{p.pk}/edit/",
        f"/projects/plans/{p.plan_id}/",
        f"/projects/plans/{p.plan_id}/?format=xlsx",
        f"/projects/new/?plan={p.plan_id}",
        f"/history/projects.project/{p.pk}/",
        f"/history/projects.annualplan/{p.plan_id}/",
    ]


POSTS = ["transition/", "disbursements/", "outputs/"]


def api_gets(p):
    return [
        f"/api/v1/projects/{p.pk}/",
        f"/api/v1/projects/{p.pk}/transitions/",
        f"/api/v1/projects/{p.pk}/disbursements/",
        f"/api/v1/projects/{p.pk}/outputs/",
        f"/api/v1/plans/{p.plan_id}/",
    ]


def check_outsider(project, outsider, insider, as_user, api_as):
    client = as_user(outsider)
    for url in pages(project):
        assert client.get(url, secure=True).status_code == 404, url
    for suffix in POSTS:
        r = client.post(f"/projects/{project.pk}/{suffix}", {"to_status": "completed"}, secure=True)
        assert r.status_code == 404, suffix
    listing = client.get("/projects/", secure=True).content.decode()
    assert project.code not in listing
    assert project.code not in client.get("/projects/?as_of=2018-06-30", secure=True).content.decode()
    assert str(project.plan) not in client.get("/projects/plans/", secure=True).content.decode()
    xlsx = client.get("/projects/?format=xlsx", secure=True)
    assert xlsx.status_code == 200
    cells = [
        c
        for row in openpyxl.load_workbook(io.BytesIO(response_bytes(xlsx))).active.iter_rows(values_only=True)
        for c in row
    ]
    assert "Danh sách đề án khuyến công" in cells and project.code not in cells
    api = api_as(outsider)
    for url in api_gets(project):
        r = api.get(url, secure=True)
        assert r.status_code == 404, url
        assert r.json()["error"]["message"] == "Không tìm thấy hoặc bạn không có quyền xem."
    for url, body in [
        (f"/api/v1/projects/{project.pk}/transitions/", {"to_status": "completed"}),
        (
            f"/api/v1/projects/{project.pk}/disbursements/",
            {"kind": "advance", "source": "national", "date": "2018-07-01", "amount": 1},
        ),
        (
            f"/api/v1/projects/{project.pk}/outputs/",
            {"indicator": "may-moc", "quantity": 1, "date": "2018-07-01"},
        ),
    ]:
        assert api.post(url, body, format="json", secure=True).status_code == 404, url
    assert (
        api.patch(
            f"/api/v1/projects/{project.pk}/",
            {"expected_version": project.version, "title": "x"},
            format="json",
            secure=True,
        ).status_code
        == 404
    )
    r = api.post(
        "/api/v1/projects/",
        {"plan": project.plan_id, "code": "X", "title": "X", "content": "6"},
        format="json",
        secure=True,
    )
    assert r.status_code == 404
    assert api.get("/api/v1/projects/", secure=True).json()["count"] == 0
    assert api.get("/api/v1/projects/?as_of=2018-06-30", secure=True).json()["count"] == 0
    assert api.get("/api/v1/plans/", secure=True).json()["count"] == 0
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS and project.title != "x"
    # The insider sees it all.
    ins = as_user(insider)
    for url in pages(project):
        assert ins.get(url, secure=True).status_code == 200, url
    for url in api_gets(project):
        assert api_as(insider).get(url, secure=True).status_code == 200, url


def test_thainguyen_gets_404_on_vinhlong_data(
    vl_project, thainguyen_officer, vinhlong_officer, as_user, api_as
):
    check_outsider(vl_project, thainguyen_officer, vinhlong_officer, as_user, api_as)


def test_vinhlong_gets_404_on_thainguyen_bac_kan_data(
    bk_project, vinhlong_officer, thainguyen_officer, as_user, api_as
):
    check_outsider(bk_project, vinhlong_officer, thainguyen_officer, as_user, api_as)


def test_services_refuse_outsiders_too(vl_project, thainguyen_officer):
    from khuyencong.core.errors import NotAllowed
    from khuyencong.projects import services

    with pytest.raises(NotAllowed) as exc:
        services.project_transition(
            project=vl_project,
            actor=thainguyen_officer,
            to_status=Status.COMPLETED,
            expected_version=vl_project.version,
        )
    assert exc.value.message == "Đề án, kế hoạch này không thuộc phạm vi quản lý của bạn."


def test_establishment_user_sees_only_its_projects(vinhlong_officer, vl_project, api_as):
    from khuyencong import testing

    est = vl_project.beneficiaries.get().establishment
    other = f.project(vinhlong_officer)
    org = testing.make_org("establishment", est.commune, est.name, establishment=est)
    user = testing.make_user("coso.test", org, "viewer")
    codes = [r["code"] for r in api_as(user).get("/api/v1/projects/", secure=True).json()["results"]]
    assert codes == [vl_project.code]
    assert api_as(user).get(f"/api/v1/projects/{other.pk}/", secure=True).status_code == 404
