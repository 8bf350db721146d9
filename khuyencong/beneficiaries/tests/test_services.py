import pytest

from khuyencong import testing
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries import services
from khuyencong.beneficiaries.models import Establishment
from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed

from . import factories

pytestmark = pytest.mark.django_db


def test_create_derives_current_province_and_audits_actor(vinhlong_officer):
    est = factories.establishment(name="Cơ sở kẹo dừa Thử", actor=vinhlong_officer, tax_code="0100047516")
    assert est.province.short_name == "Vĩnh Long"  # an old Bến Tre commune rolls up into today's Vĩnh Long
    record = est.history.get()
    assert record.history_user == vinhlong_officer
    assert record.history_change_reason == "Thêm cơ sở"


def test_same_tax_code_refused_naming_the_existing_record(vinhlong_officer):
    first = factories.minh_tam()
    with pytest.raises(DomainError) as exc:
        factories.establishment(name="Cơ sở khác", actor=vinhlong_officer, tax_code="1300000027")
    assert exc.value.message == (
        "Mã số thuế 1300000027 đã có trong hệ thống: cơ sở «Cơ sở thạch dừa - nước màn dừa Minh Tâm» "
        f"(MST 1300000027, Phường 6, Tỉnh Vĩnh Long, mã hồ sơ #{first.pk}). Không tạo trùng."
    )
    assert exc.value.field == "tax_code"
    assert Establishment.objects.filter(tax_code="1300000027").count() == 1


def test_invalid_tax_code_refused(vinhlong_officer):
    with pytest.raises(DomainError) as exc:
        factories.establishment(actor=vinhlong_officer, tax_code="0100047517")
    assert "chữ số thứ 10 phải là 6" in exc.value.message
    assert not Establishment.objects.exists()


def test_officer_cannot_create_in_another_province(thainguyen_officer):
    with pytest.raises(NotAllowed) as exc:
        factories.establishment("Bến Tre", actor=thainguyen_officer)
    assert "không thuộc phạm vi quản lý" in exc.value.message


def test_viewer_cannot_create(vinhlong_viewer):
    with pytest.raises(NotAllowed):
        factories.establishment(actor=vinhlong_viewer)


def test_versioned_edit_refuses_stale_version(vinhlong_officer):
    est = factories.establishment(actor=vinhlong_officer)
    services.establishment_update(
        actor=vinhlong_officer, pk=est.pk, expected_version=1, changes={"phone": "0275 3822 123"}
    )
    with pytest.raises(ConcurrentEditError):
        services.establishment_update(
            actor=vinhlong_officer, pk=est.pk, expected_version=1, changes={"phone": "0909 000 000"}
        )
    est.refresh_from_db()
    assert est.phone == "0275 3822 123" and est.version == 2


def test_edit_to_a_taken_tax_code_is_refused(vinhlong_officer):
    factories.minh_tam()
    other = factories.establishment(actor=vinhlong_officer)
    with pytest.raises(DomainError) as exc:
        services.establishment_update(
            actor=vinhlong_officer,
            pk=other.pk,
            expected_version=other.version,
            changes={"tax_code": "1300000027"},
        )
    assert "đã có trong hệ thống" in exc.value.message


def test_merge_moves_related_rows_and_is_in_history(vinhlong_officer):
    keep = factories.minh_tam()
    commune = keep.commune
    remove = factories.establishment(
        name="CS Thạch dừa Minh Tâm", commune=commune, phone="0275 3829 456", representative_name=""
    )
    org = testing.make_org("establishment", commune, "Tài khoản Minh Tâm", establishment=remove)
    result = services.establishment_merge(
        actor=vinhlong_officer, keep_pk=keep.pk, remove_pk=remove.pk, reason="nhập hai lần"
    )
    assert result["moved"] == 1
    org.refresh_from_db()
    assert org.establishment_id == keep.pk
    assert org.history.latest("history_date").history_change_reason.startswith(
        "Gộp từ «CS Thạch dừa Minh Tâm»"
    )
    assert not Establishment.objects.filter(pk=remove.pk).exists()
    keep.refresh_from_db()
    assert keep.phone == "0275 3829 456"  # a blank of the kept record filled from the removed one
    assert keep.representative_name == "Nguyễn Thị Tâm"  # never overwritten
    last = keep.history.order_by("-history_id").first()
    assert (
        last.history_change_reason == f"Gộp từ «CS Thạch dừa Minh Tâm», mã hồ sơ #{remove.pk}: nhập hai lần"
    )
    assert last.history_user == vinhlong_officer
    gone = Establishment.history.filter(id=remove.pk, history_type="-").get()
    assert gone.history_change_reason == f"Gộp vào «{keep.name}», mã hồ sơ #{keep.pk}"


def test_merge_moves_project_links_and_drops_a_link_already_there(vinhlong_officer):
    from khuyencong.projects.models import ProjectBeneficiary
    from khuyencong.projects.tests import factories as project_factories

    keep = factories.establishment(name="HTX Chỉ xơ dừa Định Thủy")
    remove = factories.establishment(name="HTX Chi xo dua Dinh Thuy", commune=keep.commune)
    both = project_factories.project(vinhlong_officer, establishments=[keep, remove])
    only_removed = project_factories.project(vinhlong_officer, establishments=[remove])
    result = services.establishment_merge(actor=vinhlong_officer, keep_pk=keep.pk, remove_pk=remove.pk)
    assert (result["moved"], result["dropped"]) == (1, 1)
    assert set(
        ProjectBeneficiary.objects.filter(establishment=keep).values_list("project_id", flat=True)
    ) == {both.pk, only_removed.pk}
    assert not ProjectBeneficiary.objects.filter(establishment_id=remove.pk).exists()


def test_merge_refused_outside_scope_and_for_beneficiary(vinhlong_officer, thainguyen_officer):
    from django.http import Http404

    a = factories.establishment()
    b = factories.establishment(commune=a.commune)
    with pytest.raises(Http404):
        services.establishment_merge(actor=thainguyen_officer, keep_pk=a.pk, remove_pk=b.pk)
    org = testing.make_org("establishment", a.commune, "Cơ sở A", establishment=a)
    owner = testing.make_user("owner.a", org, "officer")
    with pytest.raises(NotAllowed):
        services.establishment_merge(actor=owner, keep_pk=a.pk, remove_pk=b.pk)
    with pytest.raises(DomainError):
        services.establishment_merge(actor=vinhlong_officer, keep_pk=a.pk, remove_pk=a.pk)
    assert Establishment.objects.count() == 2


def test_merge_refused_when_both_have_an_account(vinhlong_officer):
    a = factories.establishment()
    b = factories.establishment(commune=a.commune)
    testing.make_org("establishment", a.commune, "Cơ sở A", establishment=a)
    testing.make_org("establishment", a.commune, "Cơ sở B", establishment=b)
    with pytest.raises(DomainError) as exc:
        services.establishment_merge(actor=vinhlong_officer, keep_pk=a.pk, remove_pk=b.pk)
    assert "cả hai hồ sơ đều đã có Tổ chức riêng" in exc.value.message
    assert Organisation.objects.filter(establishment=b).exists()
