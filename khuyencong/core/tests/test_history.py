import pytest
from django.db import transaction

from khuyencong import testing
from khuyencong.accounts.models import Organisation
from khuyencong.core.audit import HistoryIsReadOnly, history_url, save_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_org(vinhlong_officer):
    org = vinhlong_officer.organisation
    org.name = "Sở Công Thương tỉnh Vĩnh Long (mới)"
    save_audited(org, actor=vinhlong_officer, reason="Đổi tên theo quyết định sáp nhập")
    return org


def test_edit_leaves_history_with_actor_and_before_after(edited_org, vinhlong_officer):
    last = edited_org.history.latest()
    assert last.history_user == vinhlong_officer
    assert last.history_change_reason == "Đổi tên theo quyết định sáp nhập"
    delta = last.diff_against(last.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", "Sở Công Thương Vĩnh Long", "Sở Công Thương tỉnh Vĩnh Long (mới)")
    ]


def test_history_page_shows_who_and_what(edited_org, vinhlong_officer, as_user):
    page = as_user(vinhlong_officer).get(history_url(edited_org)).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Sở Công Thương tỉnh Vĩnh Long (mới)" in page and "Sở Công Thương Vĩnh Long" in page
    assert vinhlong_officer.display_name in page
    assert "Đổi tên theo quyết định sáp nhập" in page


def test_history_page_is_read_only(edited_org, vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    assert client.post(history_url(edited_org), {"name": "x"}).status_code == 405


def test_history_rows_cannot_be_changed_or_deleted(edited_org):
    row = edited_org.history.latest()
    row.name = "giả mạo"
    with pytest.raises(HistoryIsReadOnly), transaction.atomic():
        row.save()
    with pytest.raises(HistoryIsReadOnly), transaction.atomic():
        row.delete()
    assert edited_org.history.latest().name == "Sở Công Thương tỉnh Vĩnh Long (mới)"


def test_outsider_gets_404_on_history(edited_org, thainguyen_officer, as_user):
    assert as_user(thainguyen_officer).get(history_url(edited_org)).status_code == 404


def test_admin_cannot_revert_history(edited_org, cuc_admin, client):
    cuc_admin.is_staff = cuc_admin.is_superuser = True
    cuc_admin.save()
    client.force_login(cuc_admin, backend="django.contrib.auth.backends.ModelBackend")
    first = edited_org.history.earliest()
    url = f"/admin/accounts/organisation/{edited_org.pk}/history/{first.history_id}/"
    response = client.get(url)
    assert response.status_code in (302, 403, 404) or "Revert" not in response.content.decode()
    edited_org.refresh_from_db()
    assert edited_org.name == "Sở Công Thương tỉnh Vĩnh Long (mới)"


def test_unknown_model_history_is_404(vinhlong_officer, as_user):
    assert as_user(vinhlong_officer).get("/history/accounts.user/1/").status_code == 404


def test_org_kinds_scope(db):
    vl = testing.current_province("Vĩnh Long")
    commune = vl.rolled_up_units.filter(era="current", level=3).first()
    office = testing.make_org(Organisation.Kind.LOCAL_OFFICE, commune, "Phòng Kinh tế xã")
    user = testing.make_user("xa.officer", office, "officer")
    from khuyencong.core.scoping import scope_for

    scope = scope_for(user)
    assert scope.kind == "units" and commune.id in scope.unit_ids and vl.id not in scope.unit_ids
