import io

import pytest
from openpyxl import Workbook

from khuyencong import testing
from khuyencong.beneficiaries import imports, selectors
from khuyencong.beneficiaries.models import Establishment
from khuyencong.beneficiaries.validators import make_tax_code

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def mt(db):
    return factories.minh_tam()


@pytest.fixture
def owner(mt):
    org = testing.make_org("establishment", mt.commune, mt.name, establishment=mt)
    return testing.make_user("coso.test", org, "officer")


def _xlsx_bytes(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- outsider: nothing, 404 everywhere ----------------------------------------------------------------------


def test_outsider_sees_nothing(mt, thainguyen_officer, as_user, api_as):
    client = as_user(thainguyen_officer)
    page = client.get("/establishments/?q=minh+tam")
    assert page.status_code == 200 and mt.name not in page.content.decode()
    assert client.get(f"/establishments/{mt.pk}/").status_code == 404
    assert client.get(f"/establishments/{mt.pk}/edit/").status_code == 404
    assert client.get(f"/establishments/{mt.pk}/merge/").status_code == 404
    assert client.get(f"/history/beneficiaries.establishment/{mt.pk}/").status_code == 404
    export = client.get("/establishments/?format=xlsx")
    content = _xlsx_bytes(export)  # a streamed body reads once
    assert export.status_code == 200 and "Minh Tâm".encode() not in content
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert not any("Minh Tâm" in str(c) for r in rows for c in r)
    api = api_as(thainguyen_officer)
    assert api.get("/api/v1/establishments/").json()["count"] == 0
    assert api.get(f"/api/v1/establishments/{mt.pk}/").status_code == 404
    response = api.patch(f"/api/v1/establishments/{mt.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Không tìm thấy hoặc bạn không có quyền xem."


# --- officers -----------------------------------------------------------------------------------------------


def test_list_search_sort_and_detail(mt, vinhlong_officer, as_user):
    factories.establishment(name="Cơ sở kẹo dừa Phước Hiệp")
    client = as_user(vinhlong_officer)
    html = client.get("/establishments/?q=minh+tam").content.decode()
    assert "Cơ sở thạch dừa - nước màn dừa Minh Tâm" in html and "Phước Hiệp" not in html
    assert "1 cơ sở" in html
    html = client.get("/establishments/?sort=-name").content.decode()
    assert html.index(mt.name) < html.index("Cơ sở kẹo dừa Phước Hiệp")
    html = client.get("/establishments/?sort=name").content.decode()
    assert html.index("Cơ sở kẹo dừa Phước Hiệp") < html.index(mt.name)
    for label in ("Xuất Excel", "Tải mẫu nhập", "Nhập từ Excel", "Thêm cơ sở"):
        assert label in html
    detail = client.get(f"/establishments/{mt.pk}/").content.decode()
    assert "1300000027" in detail and "Lịch sử được hỗ trợ" in detail and "Tỉnh Vĩnh Long" in detail
    assert f"/history/beneficiaries.establishment/{mt.pk}/" in detail
    history = client.get(f"/history/beneficiaries.establishment/{mt.pk}/")
    assert history.status_code == 200


def test_commune_filter_lists_one_province_at_a_time(mt, vinhlong_officer, cuc_admin, as_user):
    """The commune filter never lists every commune of the country: the Cục picks a province first; a province
    officer gets the communes of its own province that hold establishments (Phường 6 of old Bến Tre)."""
    other = factories.dinh_lam()
    html = as_user(vinhlong_officer).get("/establishments/").content.decode()
    assert "Phường 6 — Thành phố Bến Tre, Tỉnh Bến Tre (trước 1/7/2025)" in html and "Chợ Rã" not in html
    html = as_user(cuc_admin).get("/establishments/").content.decode()
    assert "Chọn tỉnh trước để lọc theo xã" in html and "Phường 6 —" not in html and "Chợ Rã —" not in html
    html = as_user(cuc_admin).get(f"/establishments/?province={other.province_id}").content.decode()
    assert "Chợ Rã —" in html and "Phường 6 —" not in html and "Công ty TNHH Đinh Lâm" in html
    # A commune given without its province still finds its list (and keeps the choice selected).
    html = as_user(cuc_admin).get(f"/establishments/?commune={mt.commune_id}").content.decode()
    assert f'<option value="{mt.commune_id}" selected>' in html and mt.name in html


def test_commune_filter_follows_a_new_establishment_at_once(mt, vinhlong_officer, as_user):
    """The province's commune options are kept until an establishment changes (core.dataversion): an
    establishment in a commune not listed yet puts that commune in the filter on the next page."""
    client = as_user(vinhlong_officer)
    mo_cay = factories.old_commune("Bến Tre", "Mỏ Cày Nam", "Thị trấn Mỏ Cày")
    label = f'<option value="{mo_cay.pk}">Thị trấn Mỏ Cày — Huyện Mỏ Cày Nam, Tỉnh Bến Tre (trước 1/7/2025)'
    assert "Phường 6 — " in client.get("/establishments/").content.decode()
    assert label not in client.get("/establishments/").content.decode()  # twice: the kept options
    factories.establishment(name="Cơ sở kẹo dừa Mỏ Cày", commune=mo_cay)
    assert label in client.get("/establishments/").content.decode()


def test_search_index_on_postgresql(db):
    """PostgreSQL keeps a trigram index on the folded search text (migration 0003); SQLite an FTS5 trigram
    table instead (0006, core/fts.py)."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'benef_est_search_trgm'")
            assert "gin_trgm_ops" in cur.fetchone()[0]
        else:
            names = [
                row[1] for row in cur.execute("PRAGMA index_list('beneficiaries_establishment')").fetchall()
            ]
            assert "benef_est_search_trgm" not in names and names
            cur.execute("SELECT sql FROM sqlite_master WHERE name = 'beneficiaries_establishment_fts'")
            assert "tokenize='trigram'" in cur.fetchone()[0]


def test_detail_shows_possible_duplicate_and_support_history(mt, vinhlong_officer, as_user):
    twin = factories.establishment(name="Thạch dừa Minh Tâm", commune=mt.commune)

    def loans(establishment):
        return [
            {
                "date": None,
                "kind": "Vay vốn",
                "title": "Khoản vay khuyến công 2016",
                "amount": 150_000_000,
                "status": "Đã thu hồi",
                "url": None,
            }
        ]

    selectors.register_support_history_provider(loans)
    try:
        html = as_user(vinhlong_officer).get(f"/establishments/{mt.pk}/").content.decode()
    finally:
        selectors.unregister_support_history_provider(loans)
    assert "Có thể trùng hồ sơ" in html and twin.name in html
    assert "Khoản vay khuyến công 2016" in html and "150.000.000 đồng" in html


def test_create_page_refuses_duplicate_tax_code_next_to_the_field(mt, vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    form = client.get("/establishments/new/")
    assert (
        form.status_code == 200
        and "Phường 6 — Thành phố Bến Tre, Tỉnh Bến Tre (trước 1/7/2025)" in form.content.decode()
    )
    data = {
        "name": "Cơ sở mới",
        "establishment_type": mt.establishment_type_id,
        "tax_code": "1300000027",
        "province": mt.province_id,
        "commune": mt.commune_id,
    }
    response = client.post("/establishments/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Mã số thuế 1300000027 đã có trong hệ thống: cơ sở «Cơ sở thạch dừa - nước màn dừa Minh Tâm»" in html
    )
    data["tax_code"] = "0100047517"
    assert "chữ số thứ 10 phải là 6" in client.post("/establishments/new/", data).content.decode()
    data["tax_code"] = make_tax_code("13", 4242)
    response = client.post("/establishments/new/", data)
    assert response.status_code == 302
    assert Establishment.objects.get(tax_code=data["tax_code"]).name == "Cơ sở mới"


def test_edit_page_refuses_a_stale_version(mt, vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    data = {
        "name": mt.name,
        "establishment_type": mt.establishment_type_id,
        "tax_code": mt.tax_code,
        "province": mt.province_id,
        "commune": mt.commune_id,
        "phone": "0275 1",
        "version": 1,
    }
    assert client.post(f"/establishments/{mt.pk}/edit/", data).status_code == 302
    data["phone"] = "0275 2"
    html = client.post(f"/establishments/{mt.pk}/edit/", data).content.decode()
    assert "đã được người khác thay đổi" in html
    mt.refresh_from_db()
    assert mt.phone == "0275 1"


def test_merge_page(mt, vinhlong_officer, as_user):
    twin = factories.establishment(name="Thạch dừa Minh Tâm", commune=mt.commune)
    client = as_user(vinhlong_officer)
    page = client.get(f"/establishments/{mt.pk}/merge/")
    assert "Gợi ý (cùng xã, phường, tên gần giống): Thạch dừa Minh Tâm" in page.content.decode()
    response = client.post(
        f"/establishments/{mt.pk}/merge/", {"other": twin.pk, "reason": "trùng", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not Establishment.objects.filter(pk=twin.pk).exists()


def test_import_page_lists_every_error(vinhlong_officer, as_user):
    wb = Workbook()
    ws = wb.active
    ws.append(imports.HEADERS)
    ws.append(
        [
            "Cơ sở A",
            "HKD",
            "0100047517",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "Mỹ Thạnh",
            "Giồng Trôm",
            "Bến Tre",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "loi.xlsx"
    client = as_user(vinhlong_officer)
    response = client.post("/establishments/import/", {"file": buf})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "Không nhập được tệp: có 1 lỗi" in html and "chữ số thứ 10 phải là 6" in html and "Mã số thuế" in html
    )
    assert not Establishment.objects.exists()
    template = client.get("/establishments/template.xlsx")
    assert template.status_code == 200 and template["Content-Disposition"].endswith(
        'mau-nhap-co-so-cnnt.xlsx"'
    )


# --- the beneficiary's own account --------------------------------------------------------------------------


def test_beneficiary_sees_and_corrects_only_its_own_record(mt, owner, as_user, api_as):
    other = factories.establishment(name="Cơ sở kẹo dừa Phước Hiệp")
    client = as_user(owner)
    html = client.get("/establishments/").content.decode()
    assert mt.name in html and other.name not in html and "Nhập từ Excel" not in html
    assert client.get(f"/establishments/{other.pk}/").status_code == 404
    assert client.get("/establishments/new/").status_code == 403
    data = {
        "name": mt.name,
        "establishment_type": mt.establishment_type_id,
        "tax_code": mt.tax_code,
        "province": mt.province_id,
        "commune": mt.commune_id,
        "phone": "0988 111 222",
        "representative_name": "Nguyễn Thị Tâm",
        "version": mt.version,
    }
    assert client.post(f"/establishments/{mt.pk}/edit/", data).status_code == 302
    mt.refresh_from_db()
    assert mt.phone == "0988 111 222"
    assert mt.history.order_by("-history_id").first().history_user == owner
    api = api_as(owner)
    assert [e["name"] for e in api.get("/api/v1/establishments/").json()["results"]] == [mt.name]
    assert api.get(f"/api/v1/establishments/{other.pk}/").status_code == 404
    assert api.patch(f"/api/v1/establishments/{mt.pk}/", {"employees": 15}, format="json").status_code == 200
    assert (
        api.post(
            "/api/v1/establishments/",
            {"name": "X", "establishment_type": "HKD", "commune": mt.commune_id},
            format="json",
        ).status_code
        == 403
    )


# --- API ----------------------------------------------------------------------------------------------------


def test_api_list_search_create_patch(mt, vinhlong_officer, api_as):
    api = api_as(vinhlong_officer)
    body = api.get("/api/v1/establishments/", {"search": "minh tam"}).json()
    assert body["count"] == 1 and body["results"][0]["tax_code"] == "1300000027"
    assert body["results"][0]["province_name"] == "Tỉnh Vĩnh Long"
    created = api.post(
        "/api/v1/establishments/",
        {
            "name": "Thạch dừa Minh Tâm",
            "establishment_type": "HKD",
            "commune": mt.commune_id,
            "tax_code": make_tax_code("13", 777),
            "sector": "che-bien-nong-lam-thuy-san",
        },
        format="json",
    )
    assert created.status_code == 201
    assert [d["name"] for d in created.json()["possible_duplicates"]] == [mt.name]
    dup = api.post(
        "/api/v1/establishments/",
        {"name": "Y", "establishment_type": "HKD", "commune": mt.commune_id, "tax_code": "1300000027"},
        format="json",
    )
    assert dup.status_code == 409
    assert dup.json()["error"]["message"].startswith("Mã số thuế 1300000027 đã có trong hệ thống")
    bad = api.post(
        "/api/v1/establishments/",
        {"name": "Z", "establishment_type": "HKD", "commune": mt.commune_id, "tax_code": "0100047517"},
        format="json",
    )
    assert bad.status_code == 400 and "chữ số thứ 10 phải là 6" in bad.json()["error"]["message"]
    patched = api.patch(f"/api/v1/establishments/{mt.pk}/", {"employees": 20, "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["employees"] == 20 and patched.json()["version"] == 2
    stale = api.patch(f"/api/v1/establishments/{mt.pk}/", {"employees": 21, "version": 1}, format="json")
    assert stale.status_code == 409
    detail = api.get(f"/api/v1/establishments/{mt.pk}/").json()
    assert detail["employees"] == 20 and isinstance(detail["support_history"], list)


def test_api_import_endpoint(vinhlong_officer, thainguyen_officer, api_as):
    wb = Workbook()
    ws = wb.active
    ws.append(imports.HEADERS)
    ws.append(
        [
            "Cơ sở A",
            "HKD",
            make_tax_code("13", 31337),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "Mỹ Thạnh",
            "Giồng Trôm",
            "Bến Tre",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    content = buf.getvalue()
    refused = api_as(thainguyen_officer).post(
        "/api/v1/establishments/import/", {"file": _named(content)}, format="multipart"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["details"]["errors"][0]["column"] == "Xã, phường"
    ok = api_as(vinhlong_officer).post(
        "/api/v1/establishments/import/", {"file": _named(content)}, format="multipart"
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1


def _named(content):
    f = io.BytesIO(content)
    f.name = "ds.xlsx"
    return f


def test_api_merge(mt, vinhlong_officer, thainguyen_officer, owner, api_as):
    twin = factories.establishment(name="Thạch dừa Minh Tâm", commune=mt.commune)
    assert (
        api_as(thainguyen_officer)
        .post(f"/api/v1/establishments/{mt.pk}/merge/", {"other": twin.pk}, format="json")
        .status_code
        == 404
    )
    assert (
        api_as(owner)
        .post(f"/api/v1/establishments/{mt.pk}/merge/", {"other": twin.pk}, format="json")
        .status_code
        == 403
    )
    response = api_as(vinhlong_officer).post(
        f"/api/v1/establishments/{mt.pk}/merge/", {"other": twin.pk, "reason": "trùng"}, format="json"
    )
    assert response.status_code == 200 and response.json()["possible_duplicates"] == []
    assert not Establishment.objects.filter(pk=twin.pk).exists()
