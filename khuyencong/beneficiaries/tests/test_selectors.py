import datetime as dt

import pytest

from khuyencong import testing
from khuyencong.beneficiaries import selectors
from khuyencong.beneficiaries.demo import old_commune

from . import factories

pytestmark = pytest.mark.django_db


def _names(qs):
    return sorted(e.name for e in qs)


@pytest.fixture
def registry(db):
    mt = factories.minh_tam()
    dl = factories.dinh_lam()
    other = factories.establishment(
        name="Cơ sở kẹo dừa Phước Hiệp",
        type_code="HKD",
        representative_name="Nguyễn Thị Hiệp",
        ethnic_minority_owned=False,
    )
    return mt, dl, other


def test_search_ignores_case_and_diacritics(registry, cuc_admin):
    qs = selectors.establishment_list_for(user=cuc_admin)
    assert _names(selectors.establishment_filter(qs, {"search": "minh tam"})) == [
        "Cơ sở thạch dừa - nước màn dừa Minh Tâm"
    ]
    assert _names(selectors.establishment_filter(qs, {"q": "dinh lam"})) == ["Công ty TNHH Đinh Lâm"]
    assert _names(selectors.establishment_filter(qs, {"q": "ĐINH LÂM"})) == ["Công ty TNHH Đinh Lâm"]
    # tax code, representative and address are searched too
    assert _names(selectors.establishment_filter(qs, {"q": "1300000027"})) == [
        "Cơ sở thạch dừa - nước màn dừa Minh Tâm"
    ]
    assert _names(selectors.establishment_filter(qs, {"q": "nguyen thi tam"})) == [
        "Cơ sở thạch dừa - nước màn dừa Minh Tâm"
    ]
    assert _names(selectors.establishment_filter(qs, {"q": "cho ra ba be"})) == ["Công ty TNHH Đinh Lâm"]
    assert _names(selectors.establishment_filter(qs, {"q": "minh tam dinh"})) == []


def test_filters_province_type_priority(registry, cuc_admin):
    mt, dl, other = registry
    qs = selectors.establishment_list_for(user=cuc_admin)
    tn = testing.current_province("Thái Nguyên")
    assert _names(selectors.establishment_filter(qs, {"province": tn.pk})) == ["Công ty TNHH Đinh Lâm"]
    assert _names(selectors.establishment_filter(qs, {"type": "DN"})) == ["Công ty TNHH Đinh Lâm"]
    assert _names(selectors.establishment_filter(qs, {"priority": "woman"})) == [mt.name]
    assert _names(selectors.establishment_filter(qs, {"commune": dl.commune_id})) == [dl.name]
    assert len(selectors.establishment_filter(qs, {"sector": "che-bien-nong-lam-thuy-san"})) == 3


def test_scope(registry, vinhlong_officer, thainguyen_officer):
    mt, dl, other = registry
    assert _names(selectors.establishment_list_for(user=vinhlong_officer)) == sorted([mt.name, other.name])
    assert _names(selectors.establishment_list_for(user=thainguyen_officer)) == [dl.name]
    owner = testing.make_user(
        "mt.owner", testing.make_org("establishment", mt.commune, mt.name, establishment=mt)
    )
    assert _names(selectors.establishment_list_for(user=owner)) == [mt.name]


def test_possible_duplicates_same_place_similar_name(registry):
    mt, dl, other = registry
    twin = factories.establishment(name="CS thạch dừa nước màn dừa Minh Tam", commune=mt.commune)
    elsewhere = factories.establishment(
        name="Cơ sở thạch dừa - nước màn dừa Minh Tâm 2",
        commune=old_commune("Bến Tre", "Châu Thành", "Giao Long"),
    )
    found = selectors.possible_duplicates(name=mt.name, commune_id=mt.commune_id, exclude_pk=mt.pk)
    assert [e.pk for e in found] == [twin.pk]
    assert elsewhere.pk not in [e.pk for e in found]
    assert selectors.names_similar("HTX Thành Long", "Hợp tác xã Thành Long")
    assert not selectors.names_similar("HTX Thành Long", "HTX Thành Ngân")


def test_support_history_merges_providers_sorted_by_date(registry):
    mt, dl, other = registry

    def fairs(establishment):
        if establishment.pk != mt.pk:
            return []
        return [
            {
                "date": dt.date(2019, 11, 5),
                "kind": "Hội chợ",
                "title": "Hội chợ CNNT khu vực phía Nam",
                "amount": 12_000_000,
                "status": "Đã tham gia",
                "url": None,
            }
        ]

    def awards(establishment):
        return [
            selectors.SupportRow(
                dt.date(2017, 9, 1),
                "Bình chọn",
                "Sản phẩm CNNT tiêu biểu cấp tỉnh",
                None,
                "Đạt",
                "/awards/1/",
            )
        ]

    selectors.register_support_history_provider(fairs)
    selectors.register_support_history_provider(awards)
    selectors.register_support_history_provider(fairs)  # twice: no effect
    try:
        rows = selectors.establishment_support_history(mt)
        own = [r for r in rows if r.kind in ("Hội chợ", "Bình chọn")]
        assert [(r.date, r.kind) for r in own] == [
            (dt.date(2017, 9, 1), "Bình chọn"),
            (dt.date(2019, 11, 5), "Hội chợ"),
        ]
        assert [r.date for r in rows] == sorted(r.date for r in rows)
        assert [r.kind for r in selectors.establishment_support_history(dl) if r.kind != "Đề án"] == [
            "Bình chọn"
        ]
    finally:
        selectors.unregister_support_history_provider(fairs)
        selectors.unregister_support_history_provider(awards)
    assert [
        r for r in selectors.establishment_support_history(mt) if r.kind in ("Hội chợ", "Bình chọn")
    ] == []


def test_local_office_sees_its_district_only(db):
    from khuyencong.beneficiaries.demo import old_commune
    from khuyencong.geo.models import AdminUnit

    my_thanh = old_commune("Bến Tre", "Giồng Trôm", "Mỹ Thạnh")
    inside = factories.establishment(name="Cơ sở bánh phồng Mỹ Thạnh", commune=my_thanh)
    outside = factories.establishment(
        name="Cơ sở Giao Long", commune=old_commune("Bến Tre", "Châu Thành", "Giao Long")
    )
    district = AdminUnit.objects.get(pk=my_thanh.parent_id)
    office = testing.make_user(
        "pkt.giongtrom", testing.make_org("local_office", district, "Phòng Kinh tế Giồng Trôm")
    )
    assert [e.pk for e in selectors.establishment_list_for(user=office)] == [inside.pk]
    assert outside.pk not in [e.pk for e in selectors.establishment_list_for(user=office)]
