import pytest

from khuyencong.beneficiaries import demo
from khuyencong.beneficiaries.models import Establishment
from khuyencong.beneficiaries.validators import tax_code_problem

pytestmark = pytest.mark.django_db


def test_demo_establishments_are_valid_and_idempotent():
    demo.load()
    count = Establishment.objects.count()
    assert count >= 45
    demo.load()
    assert Establishment.objects.count() == count
    codes = list(Establishment.objects.exclude(tax_code=None).values_list("tax_code", flat=True))
    assert len(codes) >= count - 3 and all(tax_code_problem(c) is None for c in codes)
    # the accounts demo links `coso` to the first record whose name contains "Minh Tâm": there must be one
    assert list(Establishment.objects.filter(name__icontains="Minh Tâm").values_list("name", flat=True)) == [
        "Cơ sở thạch dừa - nước màn dừa Minh Tâm"
    ]
    mt = Establishment.objects.get(name="Cơ sở thạch dừa - nước màn dừa Minh Tâm")
    assert (mt.commune.name, mt.commune.parent.name, mt.province.short_name) == (
        "Phường 6",
        "Thành phố Bến Tre",
        "Vĩnh Long",
    )
    assert mt.history.first().history_change_reason == "Dữ liệu mẫu"
    provinces = set(Establishment.objects.values_list("province__short_name", flat=True))
    assert provinces == {"Vĩnh Long", "Thái Nguyên"}
    old = {
        e.commune.parent.parent.short_name
        for e in Establishment.objects.filter(commune__era="old").select_related("commune__parent__parent")
    }
    assert old == {"Bến Tre", "Trà Vinh", "Vĩnh Long", "Bắc Kạn", "Thái Nguyên"}
    dl = Establishment.objects.get(name="Công ty TNHH Đinh Lâm")
    assert (dl.commune.name, dl.commune.parent.name) == ("Thị trấn Chợ Rã", "Huyện Ba Bể")


def test_demo_completes_records_created_before_without_overwriting():
    from khuyencong.catalog.models import EstablishmentType
    from khuyencong.core.audit import save_audited

    commune = demo.old_commune("Bắc Kạn", "Na Rì", "Cường Lợi")
    old = save_audited(
        Establishment(
            name="HTX Thành Ngân",
            establishment_type=EstablishmentType.objects.get(code="HTX"),
            commune=commune,
            phone="0209 999",
        ),
        actor=None,
    )
    demo.load()
    old.refresh_from_db()
    assert old.phone == "0209 999" and old.tax_code and old.representative_name == "Lường Văn Ngân"
