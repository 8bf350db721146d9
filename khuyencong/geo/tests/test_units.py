import pytest

from khuyencong.geo.models import AdminUnit
from khuyencong.geo.selectors import current_province_of, old_provinces_of, units_rolling_up_into

pytestmark = pytest.mark.django_db


def test_current_tree_has_34_provinces_and_3321_communes():
    assert AdminUnit.objects.filter(era="current", level=1).count() == 34
    assert AdminUnit.objects.filter(era="current", level=3).count() == 3321
    assert not AdminUnit.objects.filter(era="current", level=2).exists()


def test_old_tree_has_63_provinces_with_districts():
    assert AdminUnit.objects.filter(era="old", level=1).count() == 63
    assert AdminUnit.objects.filter(era="old", level=2).count() == 696
    assert AdminUnit.objects.filter(era="old", level=3).count() == 10051


@pytest.mark.parametrize(
    ("old", "current"),
    [
        ("Bến Tre", "Vĩnh Long"),
        ("Trà Vinh", "Vĩnh Long"),
        ("Vĩnh Long", "Vĩnh Long"),
        ("Bắc Kạn", "Thái Nguyên"),
    ],
)
def test_old_provinces_roll_up_into_current(old, current):
    unit = AdminUnit.objects.get(era="old", level=1, short_name=old)
    assert current_province_of(unit).short_name == current


def test_old_communes_roll_up_and_reverse_lookup():
    vinh_long = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")
    assert sorted(p.short_name for p in old_provinces_of(vinh_long)) == ["Bến Tre", "Trà Vinh", "Vĩnh Long"]
    phuong6 = AdminUnit.objects.get(era="old", level=3, name="Phường 6", parent__name__icontains="Bến Tre")
    assert current_province_of(phuong6) == vinh_long
    assert units_rolling_up_into(vinh_long).filter(pk=phuong6.pk).exists()
    thai_nguyen = AdminUnit.objects.get(era="current", level=1, short_name="Thái Nguyên")
    assert not units_rolling_up_into(thai_nguyen).filter(pk=phuong6.pk).exists()
