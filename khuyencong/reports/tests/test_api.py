import pytest

from khuyencong import testing
from khuyencong.reports import demo

from .factories import make_report

pytestmark = pytest.mark.django_db


def test_api_create_edit_transition_and_outsider_404(
    vinhlong_officer, vinhlong_approver, thainguyen_officer, api_as
):
    bt = testing.old_province("Bến Tre")
    api = api_as(vinhlong_officer)
    r = api.post("/api/v1/reports/", {"unit": bt.pk, "kind": "half", "year": 2016}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["period_label"] == "6 tháng đầu năm 2016" and r.json()["status"] == "draft"
    r = api.patch(
        f"/api/v1/reports/{pk}/", {"results": "Đã triển khai", "version": r.json()["version"]}, format="json"
    )
    assert r.status_code == 200 and r.json()["results"] == "Đã triển khai"
    version = r.json()["version"]
    r = api.post(
        f"/api/v1/reports/{pk}/transitions/",
        {"to_status": "submitted", "expected_version": version},
        format="json",
    )
    assert r.status_code == 409 and "Không thể chuyển" in r.json()["error"]["message"]
    r = api.post(
        f"/api/v1/reports/{pk}/transitions/",
        {"to_status": "prepared", "expected_version": version},
        format="json",
    )
    assert r.status_code == 200
    version = r.json()["version"]
    r = api.post(
        f"/api/v1/reports/{pk}/transitions/",
        {"to_status": "submitted", "expected_version": version},
        format="json",
    )
    assert r.status_code == 403
    r = api_as(vinhlong_approver).post(
        f"/api/v1/reports/{pk}/transitions/",
        {"to_status": "submitted", "expected_version": version},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = api_as(vinhlong_approver).patch(f"/api/v1/reports/{pk}/", {"results": "x"}, format="json")
    assert r.status_code == 400 and "đã gửi Cục" in r.json()["error"]["message"]
    figures = api_as(vinhlong_approver).get(f"/api/v1/reports/{pk}/figures/").json()["figures"]
    assert figures["as_of"] == "2016-06-30"
    outsider = api_as(thainguyen_officer)
    for method, url, body in [
        ("get", f"/api/v1/reports/{pk}/", None),
        ("get", f"/api/v1/reports/{pk}/figures/", None),
        ("patch", f"/api/v1/reports/{pk}/", {"results": "x"}),
        ("post", f"/api/v1/reports/{pk}/transitions/", {"to_status": "draft", "reason": "x"}),
    ]:
        resp = getattr(outsider, method)(url, body, format="json")
        assert resp.status_code == 404, url
    assert outsider.get("/api/v1/reports/").json()["count"] == 0
    r = outsider.post("/api/v1/reports/", {"unit": bt.pk, "kind": "year", "year": 2016}, format="json")
    assert r.status_code == 403


def test_api_aggregate_completeness_dashboard_scoped(cuc_admin, thainguyen_officer, api_as):
    demo.load_southern_2019(cuc_admin)
    api = api_as(cuc_admin)
    agg = api.get("/api/v1/reports/aggregate/?region=phia-nam&kind=half&year=2019").json()
    assert agg["totals"]["plan"] == 85_865_000_000 and agg["totals"]["disbursed"] == 16_578_000_000
    assert round(agg["totals"]["rate"] * 100, 2) == 19.31
    assert len(agg["rows"]) == 20
    comp = api.get("/api/v1/reports/completeness/?region=phia-nam&kind=half&year=2019").json()
    assert len(comp["rows"]) == 20 and comp["counts"]["late"] == 6
    outsider = api_as(thainguyen_officer)
    assert outsider.get("/api/v1/reports/aggregate/?region=phia-nam&kind=half&year=2019").json()["rows"] == []
    assert (
        outsider.get("/api/v1/reports/completeness/?region=phia-nam&kind=half&year=2019").json()["rows"] == []
    )
    dash = api.get("/api/v1/reports/dashboard/?year_from=2018&year_to=2019").json()
    assert [t["key"] for t in dash["tables"]] == [
        "by_year",
        "by_content",
        "by_province",
        "by_status",
        "targets",
    ]
    bad = api.get("/api/v1/reports/aggregate/?kind=quarter&year=2019&number=9")
    assert (
        bad.status_code == 400
        and bad.json()["error"]["message"] == "number: Giá trị phải nhỏ hơn hoặc bằng 4."
    )


def test_api_requires_login(client):
    assert client.get("/api/v1/reports/").status_code in (401, 403)


def test_report_list_api_for_owner(vinhlong_officer, api_as):
    make_report(vinhlong_officer)
    data = api_as(vinhlong_officer).get("/api/v1/reports/").json()
    assert data["count"] == 1 and data["results"][0]["unit_name"] == "Tỉnh Bến Tre"
