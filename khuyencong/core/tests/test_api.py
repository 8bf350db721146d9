import io

import pytest
from django.core.management import call_command

from khuyencong.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def test_unauthenticated_api_error_shape(api_client):
    response = api_client.get("/api/v1/organisations/")
    assert response.status_code in (401, 403)
    assert response.json() == {"error": {"code": "not_authenticated", "message": "Bạn cần đăng nhập."}}


def test_not_found_error_shape_is_vietnamese(api_as, vinhlong_officer):
    response = api_as(vinhlong_officer).get("/api/v1/organisations/999999/")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Không tìm thấy hoặc bạn không có quyền xem."


def test_token_auth_with_drf_create_token(api_client, vinhlong_officer):
    out = io.StringIO()
    call_command("drf_create_token", "vl.officer", stdout=out)
    token = out.getvalue().split()[2]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["username"] == "vl.officer"
    assert me["scope"]["kind"] == "province"


def test_openapi_schema_and_docs(api_as, vinhlong_officer, client):
    schema = api_as(vinhlong_officer).get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/admin-units/" in schema.content
    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/docs/").status_code == 200


def test_outsider_sees_no_organisation_of_another_province(api_as, vinhlong_officer, thainguyen_officer):
    vl_org = vinhlong_officer.organisation
    client = api_as(thainguyen_officer)
    names = [o["name"] for o in client.get("/api/v1/organisations/").json()["results"]]
    assert vl_org.name not in names
    assert thainguyen_officer.organisation.name in names
    assert client.get(f"/api/v1/organisations/{vl_org.pk}/").status_code == 404


def test_cuc_sees_every_organisation(api_as, cuc_admin, vinhlong_officer, thainguyen_officer):
    names = {
        o["name"] for o in api_as(cuc_admin).get("/api/v1/organisations/?page_size=500").json()["results"]
    }
    assert {vinhlong_officer.organisation.name, thainguyen_officer.organisation.name} <= names
    assert Organisation.objects.count() == len(names)


def test_domain_error_on_a_page_is_a_vietnamese_message(client, vinhlong_officer, rf):
    from khuyencong.core.errors import DomainError
    from khuyencong.core.middleware import DomainErrorMiddleware

    request = rf.get("/x/")
    request.user = vinhlong_officer
    from khuyencong.core.scoping import scope_for  # noqa: F401  (context processor needs the user)

    response = DomainErrorMiddleware(lambda r: None).process_exception(
        request, DomainError("Số tiền vượt mức.")
    )
    assert response.status_code == 400
    assert "Số tiền vượt mức." in response.content.decode()


def test_api_docs_are_served_offline(client, vinhlong_officer):
    import re

    from django.contrib.staticfiles import finders

    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/api/docs/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "cdn." not in body and "https://" not in body.replace("https://swagger.io", "")
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', body)
    assert any("swagger-ui" in a for a in assets), assets
    for asset in assets:
        assert finders.find(asset), asset
