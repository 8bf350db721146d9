"""The API lists filter through django-filter FilterSets: the same parameter names as before, the same
selectors
as the pages, and a value that is not valid answers 400 naming the parameter instead of being ignored."""

import pytest

from khuyencong.projects.models import Status
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def message(response):
    assert response.status_code == 400, response.content
    return response.json()["error"]["message"]


def test_establishment_filters_and_sort(api_as, vinhlong_officer):
    f.establishment("Bến Tre", name="Cơ sở An Phú")
    f.establishment("Bến Tre", name="Cơ sở Bình Minh")
    tra_vinh = f.establishment("Trà Vinh", name="Cơ sở Cầu Kè")
    api = api_as(vinhlong_officer)
    names = [e["name"] for e in results(api.get("/api/v1/establishments/?sort=-name"))]
    assert names == ["Cơ sở Cầu Kè", "Cơ sở Bình Minh", "Cơ sở An Phú"]
    assert [e["name"] for e in results(api.get("/api/v1/establishments/?search=binh minh"))] == [
        "Cơ sở Bình Minh"
    ]
    by_commune = results(api.get(f"/api/v1/establishments/?commune={tra_vinh.commune_id}"))
    assert [e["name"] for e in by_commune] == ["Cơ sở Cầu Kè"]
    assert results(api.get("/api/v1/establishments/?priority=woman")) == []
    assert message(api.get("/api/v1/establishments/?priority=rich")) == (
        "priority: Hãy chọn một giá trị hợp lệ: «rich» không nằm trong các lựa chọn."
    )
    assert message(api.get("/api/v1/establishments/?sort=colour")).startswith(
        "sort: Hãy chọn một giá trị hợp lệ"
    )
    assert message(api.get("/api/v1/establishments/?province=vinh-long")) == "province: Phải là số nguyên."


def test_project_filters_and_as_of(api_as, vinhlong_officer, vinhlong_approver):
    done = f.walk(
        f.project(vinhlong_officer, code="BT18-QG-01"),
        Status.IN_PROGRESS,
        officer=vinhlong_officer,
        approver=vinhlong_approver,
    )
    f.project(vinhlong_officer, code="BT18-QG-02")
    f.project(vinhlong_officer, code="BT17-QG-01", year=2017)
    api = api_as(vinhlong_officer)
    assert [p["code"] for p in results(api.get("/api/v1/projects/?year=2018"))] == [
        "BT18-QG-01",
        "BT18-QG-02",
    ]
    assert [p["code"] for p in results(api.get(f"/api/v1/projects/?status={done.status}"))] == ["BT18-QG-01"]
    assert [p["code"] for p in results(api.get("/api/v1/projects/?q=bt17"))] == ["BT17-QG-01"]
    # Before any of them existed: nothing; the status filter then reads the status as it stood.
    assert results(api.get("/api/v1/projects/?as_of=2000-01-01")) == []
    assert message(api.get("/api/v1/projects/?as_of=31/02/2018")) == "as_of: Nhập một ngày hợp lệ."
    assert message(api.get("/api/v1/projects/?status=finished")).startswith(
        "status: Hãy chọn một giá trị hợp lệ"
    )
    assert message(api.get("/api/v1/projects/?year=2018.5")) == "year: Phải là số nguyên."


def test_plan_program_report_and_admin_unit_filters_refuse_bad_values(api_as, vinhlong_officer):
    f.plan(vinhlong_officer, year=2018)
    f.plan(vinhlong_officer, year=2019, level="local")
    api = api_as(vinhlong_officer)
    assert [p["year"] for p in results(api.get("/api/v1/plans/?level=local"))] == [2019]
    assert [p["year"] for p in results(api.get("/api/v1/plans/?year=2018"))] == [2018]
    assert message(api.get("/api/v1/plans/?level=regional")).startswith("level: Hãy chọn một giá trị hợp lệ")
    assert message(api.get("/api/v1/programs/?status=archived")).startswith(
        "status: Hãy chọn một giá trị hợp lệ"
    )
    assert message(api.get("/api/v1/programs/?year=abc")) == "year: Phải là số nguyên."
    assert message(api.get("/api/v1/reports/?year=abc")) == "year: Phải là số nguyên."
    assert message(api.get("/api/v1/reports/?period_kind=weekly")).startswith("period_kind: Hãy chọn")
    assert message(api.get("/api/v1/admin-units/?current=maybe")).startswith("current: Hãy chọn")
    assert api.get("/api/v1/admin-units/?level=1&current=0").json()["count"] == 63


def test_the_schema_lists_the_filter_parameters_with_their_types(api_as, vinhlong_officer):
    schema = api_as(vinhlong_officer).get("/api/schema/?format=json").json()

    def params(path):
        return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}

    establishments = params("/api/v1/establishments/")
    assert establishments["commune"]["type"] == "integer"
    assert establishments["priority"]["enum"] == ["any", "ethnic", "none", "woman"]
    projects = params("/api/v1/projects/")
    assert projects["as_of"] == {"type": "string", "format": "date"}
    assert projects["plan"]["type"] == "integer"
    assert params("/api/v1/admin-units/")["level"]["enum"] == [1, 2, 3]


def test_ordering_on_a_computed_or_unknown_field_is_a_400(
    api_as, cuc_admin, vinhlong_officer, thainguyen_officer
):
    api = api_as(cuc_admin)
    names = [o["name"] for o in results(api.get("/api/v1/organisations/?ordering=-name&page_size=500"))]
    assert len(names) == 3 and names[-1].startswith("Cục")
    names = [o["name"] for o in results(api.get("/api/v1/organisations/?ordering=name&page_size=500"))]
    assert names[0].startswith("Cục")
    # kind_display is computed in Python: sorting on it used to fail in the database (500).
    assert message(api.get("/api/v1/organisations/?ordering=kind_display")) == (
        "ordering: Không sắp xếp được theo «kind_display»."
    )
    assert message(api.get("/api/v1/reports/?ordering=deadline,colour")) == (
        "ordering: Không sắp xếp được theo «colour»."
    )
    assert results(api.get("/api/v1/reports/?ordering=-deadline")) == []
