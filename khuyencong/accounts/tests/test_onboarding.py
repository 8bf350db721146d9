"""Issue 13 item 1: organisations and users in the app, delegated administration, first password."""

import pytest
from django.core import mail

from khuyencong import testing
from khuyencong.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def cuc(cuc_admin):
    return cuc_admin


@pytest.fixture
def so_admin(db):
    org = testing.make_org("department", testing.current_province("Vĩnh Long"), "Sở Công Thương Vĩnh Long")
    return testing.make_user("vl.admin", org, "admin")


def test_unit_search_ignores_diacritics_and_labels_the_tree(client, cuc):
    client.force_login(cuc, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get("/accounts/unit-options/", {"unit_q": "dak lak"}).content.decode()
    assert "Tỉnh Đắk Lắk (hiện nay)" in body
    assert "Tỉnh Đắk Lắk (trước 1/7/2025)" in body


def test_cuc_onboards_a_province_in_the_pages(client, cuc, django_capture_on_commit_callbacks):
    client.force_login(cuc, backend="django.contrib.auth.backends.ModelBackend")
    unit = testing.current_province("Vĩnh Long")
    response = client.post(
        "/accounts/organisations/new/",
        {"kind": "department", "name": "Sở Công Thương Vĩnh Long", "unit": unit.pk, "phone": "0270 3822 000"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get(name="Sở Công Thương Vĩnh Long")
    assert org.history.first().history_user == cuc
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/users/new/",
            {
                "full_name": "Nguyễn Văn An",
                "username": "an.vl",
                "email": "an@example.vn",
                "organisation": org.pk,
                "role": "officer",
                "password": "",
            },
        )
    body = response.content.decode()
    assert response.status_code == 200 and "Đã tạo người dùng «an.vl»" in body
    assert "/set-password/" in body
    user = User.objects.get(username="an.vl")
    assert (user.last_name, user.first_name, user.role, user.organisation) == (
        "Nguyễn Văn",
        "An",
        "officer",
        org,
    )
    assert len(mail.outbox) == 1 and "/set-password/" in mail.outbox[0].body
    # With a first password, the user must change it before anything else.
    client.post(
        "/accounts/users/new/",
        {
            "full_name": "Trần Thị Bình",
            "username": "binh.vl",
            "organisation": org.pk,
            "role": "approver",
            "password": "MatKhauBanDau!2026",
        },
    )
    binh = User.objects.get(username="binh.vl")
    assert binh.must_change_password and binh.role == "approver"
    other = client.__class__()
    assert other.post("/login/", {"username": "binh.vl", "password": "MatKhauBanDau!2026"}).status_code == 302
    response = other.get("/projects/")
    assert response.status_code == 302 and response["Location"] == "/password-change/"
    response = other.post(
        "/password-change/",
        {
            "old_password": "MatKhauBanDau!2026",
            "new_password1": "MatKhauRieng!2026xyz",
            "new_password2": "MatKhauRieng!2026xyz",
        },
    )
    assert response.status_code == 302
    binh.refresh_from_db()
    assert not binh.must_change_password
    assert other.get("/projects/").status_code == 200


def test_so_admin_manages_only_its_province(api_as, so_admin, cuc):
    api = api_as(so_admin)
    vl = testing.current_province("Vĩnh Long")
    response = api.post(
        "/api/v1/organisations/",
        {
            "kind": "centre",
            "name": "Trung tâm Khuyến công Vĩnh Long",
            "unit": vl.pk,
            "parent": so_admin.organisation_id,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    centre_id = response.json()["id"]
    response = api.post(
        "/api/v1/users/",
        {"username": "ttkc.vl", "full_name": "Lê Văn Cường", "organisation": centre_id, "role": "officer"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["set_password_url"].startswith("http")
    # Another province: the organisation is out of reach (404) and cannot be created there.
    tn_org = testing.make_org(
        "department", testing.current_province("Thái Nguyên"), "Sở Công Thương Thái Nguyên"
    )
    tn_user = testing.make_user("tn.someone", tn_org, "officer")
    response = api.post(
        "/api/v1/users/",
        {"username": "x.tn", "full_name": "Người ngoài", "organisation": tn_org.pk, "role": "officer"},
        format="json",
    )
    assert response.status_code == 404
    assert api.patch(f"/api/v1/users/{tn_user.pk}/", {"role": "admin"}, format="json").status_code == 404
    assert api.patch(f"/api/v1/organisations/{tn_org.pk}/", {"name": "x"}, format="json").status_code == 404
    response = api.post(
        "/api/v1/organisations/",
        {"kind": "department", "name": "Sở khác", "unit": testing.current_province("Thái Nguyên").pk},
        format="json",
    )
    assert response.status_code == 403
    # Never the Cục's organisation, never staff.
    response = api.post(
        "/api/v1/users/",
        {
            "username": "fake.cuc",
            "full_name": "Giả Cục",
            "organisation": cuc.organisation_id,
            "role": "admin",
        },
        format="json",
    )
    assert response.status_code in (403, 404)
    assert not User.objects.filter(username__in=["x.tn", "fake.cuc"]).exists()
    # Deactivate (never delete); the change is audited with who did it.
    target = User.objects.get(username="ttkc.vl")
    assert api.patch(f"/api/v1/users/{target.pk}/", {"is_active": False}, format="json").status_code == 200
    target.refresh_from_db()
    assert not target.is_active
    row = target.history.order_by("-history_id").first()
    assert row.history_user == so_admin and row.is_active is False
    assert api.delete(f"/api/v1/users/{target.pk}/").status_code == 405


def test_officers_cannot_manage_users(api_as, as_user, vinhlong_officer):
    assert as_user(vinhlong_officer).get("/accounts/users/").status_code == 404
    api = api_as(vinhlong_officer)
    response = api.post(
        "/api/v1/users/",
        {
            "username": "y",
            "full_name": "Y",
            "organisation": vinhlong_officer.organisation_id,
            "role": "officer",
        },
        format="json",
    )
    assert response.status_code in (403, 404)
    assert api.get("/api/v1/users/").json()["count"] == 0


def test_user_history_page_shows_role_change(client, cuc, vinhlong_officer):
    from khuyencong.accounts import services

    services.user_update(actor=cuc, user=vinhlong_officer, changes={"role": "approver"})
    client.force_login(cuc, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get(f"/history/accounts.user/{vinhlong_officer.pk}/").content.decode()
    assert "Lãnh đạo phê duyệt" in body and cuc.display_name in body
    assert "pbkdf2" not in body
