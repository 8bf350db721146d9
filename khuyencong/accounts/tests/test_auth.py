import pytest
from django.urls import reverse

from khuyencong import testing

pytestmark = pytest.mark.django_db


def test_root_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_is_vietnamese(client):
    page = client.get("/login/").content.decode()
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page
    assert '<html lang="vi">' in page


def test_login_then_home_in_vietnamese(client, vinhlong_officer):
    response = client.post("/login/", {"username": "vl.officer", "password": "khuyencong2026"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hệ thống quản lý hoạt động khuyến công" in page
    assert "Sở Công Thương Vĩnh Long" in page and "Tỉnh Vĩnh Long" in page
    assert "Đăng xuất" in page


def test_wrong_password_shows_vietnamese_error(client, vinhlong_officer):
    response = client.post("/login/", {"username": "vl.officer", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_lockout_after_repeated_failures(client, vinhlong_officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "vl.officer", "password": "sai"})
    response = client.post("/login/", {"username": "vl.officer", "password": "khuyencong2026"})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_logout_and_password_change(client, vinhlong_officer):
    client.post("/login/", {"username": "vl.officer", "password": "khuyencong2026"})
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "khuyencong2026",
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
    )
    assert response.status_code == 302
    client.post("/logout/")
    assert client.get("/").status_code == 302
    response = client.post("/login/", {"username": "vl.officer", "password": "Mat-khau-moi-2026!"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_language_switch_to_english(client, vinhlong_officer):
    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page and "Establishments" in page


def test_a_browser_set_to_english_still_gets_vietnamese_until_the_user_switches(client, vinhlong_officer):
    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Đăng xuất" in page and "Log out" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en-US")
    assert "Log out" in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def test_dates_are_dd_mm_yyyy():
    import datetime as dt

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(dt.date(2018, 6, 30), "SHORT_DATE_FORMAT") == "30/06/2018"


def test_establishment_user_scope_is_its_own_record(db):
    from khuyencong.beneficiaries.models import Establishment
    from khuyencong.catalog.models import EstablishmentType
    from khuyencong.core.scoping import scope_for
    from khuyencong.geo.models import AdminUnit

    commune = AdminUnit.objects.filter(era="old", level=3, current_province__short_name="Vĩnh Long").first()
    est = Establishment(
        name="Cơ sở A", establishment_type=EstablishmentType.objects.get(code="HKD"), commune=commune
    )
    est.save()
    org = testing.make_org("establishment", commune, "Cơ sở A", establishment=est)
    user = testing.make_user("coso.a", org, "officer")
    scope = scope_for(user)
    assert scope.kind == "establishment" and scope.establishment_id == est.id
    other = Establishment(name="Cơ sở B", establishment_type=est.establishment_type, commune=commune)
    other.save()
    visible = Establishment.objects.filter(scope.q(province="province", establishment="pk"))
    assert list(visible) == [est]
    assert list(Establishment.objects.filter(scope.q(province="province"))) == []
