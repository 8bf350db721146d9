import pytest

pytestmark = pytest.mark.django_db


def test_admin_units_search_ignores_diacritics(api_as, vinhlong_officer):
    data = api_as(vinhlong_officer).get("/api/v1/admin-units/?level=1&search=ben tre").json()
    names = {(u["name"], u["era"]) for u in data["results"]}
    assert ("Tỉnh Bến Tre", "old") in names


def test_admin_units_filters(api_as, vinhlong_officer):
    client = api_as(vinhlong_officer)
    assert client.get("/api/v1/admin-units/?level=1&current=1").json()["count"] == 34
    assert client.get("/api/v1/admin-units/?level=1&era=old").json()["count"] == 63
    assert client.get("/api/v1/admin-units/?level=3&era=current").json()["count"] == 3321
    ben_tre = client.get("/api/v1/admin-units/?level=1&era=old&search=bến tre").json()["results"][0]
    assert ben_tre["current_province_name"] == "Tỉnh Vĩnh Long"
    districts = client.get(f"/api/v1/admin-units/?parent={ben_tre['id']}").json()
    assert districts["count"] == 9


def test_admin_units_page_and_export(as_user, vinhlong_officer):
    client = as_user(vinhlong_officer)
    page = client.get("/admin-units/?q=dinh hoa&level=3").content.decode()
    assert "Định Hóa" in page or "Định Hoá" in page
    response = client.get("/admin-units/?level=1&era=current&format=xlsx")
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 35 and ws["A1"].value == "Mã"
