"""Issue 11: no leak through a duplicate tax code, commune offices see their communes only, users are never
deleted, role changes are audited, tokens die with the password, the password form locks out like the
login."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from rest_framework.authtoken.models import Token

from khuyencong import testing
from khuyencong.accounts import services as account_services
from khuyencong.accounts.admin import UserAdmin
from khuyencong.accounts.models import User
from khuyencong.beneficiaries import services as est_services
from khuyencong.beneficiaries.services import DuplicateTaxCode
from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.forms import establishments_for
from khuyencong.projects.tests import factories as f

VALID_TAX_CODE = "0100109106"  # a real check digit (Viettel)


def _est_in(province_short, name, tax_code=None, commune=None):
    data = {"name": name, "establishment_type": "HKD", "commune": commune or f.a_commune(province_short)}
    if tax_code:
        data["tax_code"] = tax_code
    return est_services.establishment_create(actor=None, data=data)


@pytest.mark.django_db
def test_duplicate_tax_code_outside_scope_names_nothing(thainguyen_officer, vinhlong_officer):
    held = _est_in("Bến Tre", "Cơ sở dừa Minh Tâm", VALID_TAX_CODE)
    commune = f.a_commune("Bắc Kạn")
    with pytest.raises(DuplicateTaxCode) as refused:
        est_services.establishment_create(
            actor=thainguyen_officer,
            data={
                "name": "Cơ sở khác",
                "establishment_type": "HKD",
                "commune": commune,
                "tax_code": VALID_TAX_CODE,
            },
        )
    message = refused.value.message
    assert message == "Mã số thuế này đã được đăng ký ở một đơn vị khác; liên hệ Cục để hợp nhất."
    for leak in (held.name, "Bến Tre", "Vĩnh Long", str(held.pk), held.commune.name):
        assert leak not in message
    # Inside the scope the record may be named.
    with pytest.raises(DuplicateTaxCode) as inside:
        est_services.establishment_create(
            actor=vinhlong_officer,
            data={
                "name": "Cơ sở khác",
                "establishment_type": "HKD",
                "commune": f.a_commune("Bến Tre"),
                "tax_code": VALID_TAX_CODE,
            },
        )
    assert "Minh Tâm" in inside.value.message


@pytest.mark.django_db
def test_duplicate_tax_code_page_answer_has_no_detail(client, thainguyen_officer):
    _est_in("Bến Tre", "Cơ sở dừa Minh Tâm", VALID_TAX_CODE)
    client.force_login(thainguyen_officer, backend="django.contrib.auth.backends.ModelBackend")
    commune = f.a_commune("Bắc Kạn")
    response = client.post(
        "/api/v1/establishments/",
        {
            "name": "Cơ sở khác",
            "establishment_type": "HKD",
            "commune": commune.pk,
            "tax_code": VALID_TAX_CODE,
        },
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    body = response.content.decode()
    assert "Minh Tâm" not in body and "Bến Tre" not in body and "Vĩnh Long" not in body


@pytest.mark.django_db
def test_commune_office_picks_only_its_communes_establishments(vinhlong_officer):
    commune = f.a_commune("Bến Tre")
    other = (
        AdminUnit.objects.filter(era="old", level=3, parent__parent__short_name="Bến Tre")
        .exclude(pk=commune.pk)
        .order_by("code")
        .first()
    )
    mine = _est_in("Bến Tre", "Cơ sở trong xã", commune=commune)
    theirs = _est_in("Bến Tre", "Cơ sở xã khác", commune=other)
    office = testing.make_org("local_office", commune, "Phòng Kinh tế xã thử")
    clerk = testing.make_user("xa.officer", office, "officer")
    visible = set(establishments_for(clerk).values_list("pk", flat=True))
    assert mine.pk in visible
    assert theirs.pk not in visible
    assert theirs.pk in set(establishments_for(vinhlong_officer).values_list("pk", flat=True))


@pytest.mark.django_db
def test_users_are_never_deleted_and_history_keeps_the_name(vinhlong_officer, cuc_admin, rf):
    est = _est_in("Bến Tre", "Cơ sở có lịch sử")
    est_services.establishment_update(
        actor=vinhlong_officer, pk=est.pk, expected_version=est.version, changes={"phone": "0275 123 456"}
    )
    with pytest.raises(DomainError):
        vinhlong_officer.delete()
    with pytest.raises((DomainError, ProtectedError)), transaction.atomic():
        User.objects.filter(pk=vinhlong_officer.pk).delete()
    assert User.objects.filter(pk=vinhlong_officer.pk).exists()
    request = rf.get("/")
    request.user = cuc_admin
    from django.contrib import admin as django_admin

    assert UserAdmin(User, django_admin.site).has_delete_permission(request, vinhlong_officer) is False
    account_services.user_update(actor=cuc_admin, user=vinhlong_officer, changes={"is_active": False})
    last = est.history.order_by("-history_date").first()
    assert last.history_user.display_name == vinhlong_officer.display_name


@pytest.mark.django_db
def test_role_change_is_audited_with_who_and_what(vinhlong_officer, cuc_admin):
    account_services.user_update(
        actor=cuc_admin, user=vinhlong_officer, changes={"role": "approver"}, reason="Giao quyền phê duyệt"
    )
    row = vinhlong_officer.history.order_by("-history_date", "-history_id").first()
    assert row.role == "approver"
    assert row.history_user == cuc_admin
    assert row.history_change_reason == "Giao quyền phê duyệt"
    assert row.prev_record.role == "officer"
    with pytest.raises(DomainError):
        account_services.user_update(actor=vinhlong_officer, user=cuc_admin, changes={"role": "viewer"})


@pytest.mark.django_db(transaction=True)
def test_password_change_revokes_api_tokens(base_data_transactional):
    user = testing.province_user("Vĩnh Long", "tok.officer", "officer")
    Token.objects.create(user=user)
    user.set_password("một mật khẩu mới rất dài 2026")
    user.save()
    assert not Token.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_password_change_form_locks_out_like_the_login(client, vinhlong_officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    wrong = {
        "old_password": "sai",
        "new_password1": "MatKhauMoi!2026xyz",
        "new_password2": "MatKhauMoi!2026xyz",
    }
    for _ in range(2):
        response = client.post("/password-change/", wrong)
        assert response.status_code == 200
        assert "không đúng" in response.content.decode().lower() or "incorrect" in response.content.decode()
    response = client.post("/password-change/", wrong)
    assert response.status_code in (403, 429), response.status_code
    # Locked out: even the right password is refused now.
    right = {**wrong, "old_password": settings.DEMO_PASSWORD}
    response = client.post("/password-change/", right)
    assert response.status_code in (403, 429)
    vinhlong_officer.refresh_from_db()
    assert vinhlong_officer.check_password(settings.DEMO_PASSWORD)
