"""Issue 13's acceptance, delegated administration: a Sở's admin creates no user in another province (404) and
gives no one the Cục's role (a Cục account, staff access), through the pages as through the API."""

import pytest

from khuyencong import testing
from khuyencong.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def so_admin(db):
    org = testing.make_org("department", testing.current_province("Vĩnh Long"), "Sở Công Thương Vĩnh Long")
    return testing.make_user("vl.admin", org, "admin")


@pytest.fixture
def own_officer(so_admin):
    return testing.make_user("vl.canbo", so_admin.organisation, "officer")


@pytest.fixture
def tn_org(db):
    return testing.make_org(
        "department", testing.current_province("Thái Nguyên"), "Sở Công Thương Thái Nguyên"
    )


def _new_user(org, username="x.moi", role="officer"):
    return {
        "full_name": "Người Mới",
        "username": username,
        "organisation": org.pk,
        "role": role,
        "password": "MatKhauBanDau!2026",
    }


def test_so_admin_pages_answer_404_outside_its_province(client, so_admin, own_officer, tn_org, cuc_admin):
    tn_user = testing.make_user("tn.canbo", tn_org, "officer")
    client.force_login(so_admin, backend="django.contrib.auth.backends.ModelBackend")
    # The form offers only its province's organisations…
    form = client.get("/accounts/users/new/").content.decode()
    assert "Sở Công Thương Vĩnh Long" in form
    assert "Thái Nguyên" not in form and cuc_admin.organisation.name not in form
    # …and an organisation id from elsewhere, posted by hand, is not found.
    assert client.post("/accounts/users/new/", _new_user(tn_org)).status_code == 404
    assert (
        client.post("/accounts/users/new/", _new_user(cuc_admin.organisation, role="admin")).status_code
        == 404
    )
    assert not User.objects.filter(username="x.moi").exists()
    # Another province's user: not found, read or written.
    assert client.get(f"/accounts/users/{tn_user.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{tn_user.pk}/", {"role": "admin"}).status_code == 404
    # Its own officer moved to the Cục (the Cục's role) or to another province: not found.
    edit = {"full_name": "Nguyễn Văn Cán Bộ", "email": "", "role": "admin", "is_active": "on"}
    for org in (cuc_admin.organisation, tn_org):
        response = client.post(f"/accounts/users/{own_officer.pk}/", {**edit, "organisation": org.pk})
        assert response.status_code == 404
    own_officer.refresh_from_db()
    assert (own_officer.organisation_id, own_officer.role) == (so_admin.organisation_id, "officer")
    tn_user.refresh_from_db()
    assert tn_user.role == "officer"
    # Within its province it may: an approver of its own Sở.
    response = client.post("/accounts/users/new/", _new_user(so_admin.organisation, "vl.lanhdao", "approver"))
    assert response.status_code == 200 and "Đã tạo người dùng «vl.lanhdao»" in response.content.decode()


def test_so_admin_api_gives_no_one_the_cuc_role(api_as, so_admin, own_officer, tn_org, cuc_admin):
    api = api_as(so_admin)
    response = api.post(
        "/api/v1/users/",
        {
            "username": "fake.cuc",
            "full_name": "Giả Cục",
            "organisation": cuc_admin.organisation_id,
            "role": "admin",
        },
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Sở không được cấp tài khoản của Cục."
    # PATCH its own officer into the Cục: refused; into another province: not found.
    response = api.patch(
        f"/api/v1/users/{own_officer.pk}/", {"organisation": cuc_admin.organisation_id}, format="json"
    )
    assert response.status_code == 403
    response = api.patch(f"/api/v1/users/{own_officer.pk}/", {"organisation": tn_org.pk}, format="json")
    assert response.status_code == 404
    # Staff access (the system's admin pages) is not a field a Sở can send.
    response = api.patch(
        f"/api/v1/users/{own_officer.pk}/", {"is_staff": True, "role": "admin"}, format="json"
    )
    assert response.status_code == 200
    own_officer.refresh_from_db()
    assert (own_officer.organisation_id, own_officer.role, own_officer.is_staff) == (
        so_admin.organisation_id,
        "admin",
        False,
    )
    # The Cục's own admin is out of reach altogether.
    assert api.patch(f"/api/v1/users/{cuc_admin.pk}/", {"role": "viewer"}, format="json").status_code == 404
    assert api.get(f"/api/v1/users/{cuc_admin.pk}/").status_code == 404
    assert not User.objects.filter(username="fake.cuc").exists()
    cuc_admin.refresh_from_db()
    assert cuc_admin.role == "admin"


def test_officer_of_the_province_cannot_reach_the_user_pages(client, own_officer):
    client.force_login(own_officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/accounts/users/new/").status_code == 404
    assert client.post("/accounts/users/new/", _new_user(own_officer.organisation)).status_code == 404


def test_organisation_form_has_no_kind_chosen_and_offers_a_so_only_its_kinds(client, so_admin, cuc_admin):
    import re

    def kinds(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        body = client.get("/accounts/organisations/new/").content.decode()
        select = re.search(r'<select name="kind".*?</select>', body, re.S).group(0)
        return re.findall(r"<option[^>]*>([^<]*)</option>", select)

    assert kinds(cuc_admin)[:2] == ["— chọn loại tổ chức —", "Cục (Bộ Công Thương)"]
    assert kinds(so_admin) == [
        "— chọn loại tổ chức —",
        "Sở Công Thương",
        "Trung tâm Khuyến công",
        "Phòng Kinh tế xã/huyện",
        "Cơ sở công nghiệp nông thôn",
    ]
    # Sent without a kind: the form says so in Vietnamese, nothing is created.
    response = client.post("/accounts/organisations/new/", {"name": "Trung tâm Khuyến công Vĩnh Long"})
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
