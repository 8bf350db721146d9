import datetime as dt

import pytest

from khuyencong.geo.models import Region
from khuyencong.reports import demo
from khuyencong.reports.aggregation import aggregate
from khuyencong.reports.periods import HALF, Period
from khuyencong.reports.selectors import completeness


@pytest.fixture
def southern(db, cuc_admin):
    demo.load_southern_2019(cuc_admin)
    return Region.objects.get(code="phia-nam")


def test_demo_sums_exactly_to_seed_002(southern, cuc_admin):
    agg = aggregate(user=cuc_admin, region=southern, period=Period.make(HALF, 2019), source="accepted")
    assert agg["totals"]["plan"] == 85_865_000_000
    assert agg["totals"]["disbursed"] == 16_578_000_000
    assert f"{agg['totals']['rate'] * 100:.2f}" == "19.31"
    assert len(agg["rows"]) == 20 and agg["units_reported"] == 20 and not agg["missing"]
    outputs = {o["code"]: o["value"] for o in agg["outputs"]}
    assert outputs == {
        "co-so-ho-tro": 47,
        "danh-gia-sxsh": 1,
        "hoi-cho": 3,
        "luot-hoi-cho": 115,
        "thuong-hieu": 4,
        "tu-van": 3,
    }
    demo.load_southern_2019(cuc_admin)  # idempotent
    again = aggregate(user=cuc_admin, region=southern, period=Period.make(HALF, 2019), source="accepted")
    assert again["totals"]["plan"] == 85_865_000_000


def test_rolled_up_view_merges_old_provinces_into_today(southern, cuc_admin):
    period = Period.make(HALF, 2019)
    as_was = aggregate(user=cuc_admin, region=southern, period=period, rollup="as_was")
    current = aggregate(user=cuc_admin, region=southern, period=period, rollup="current")
    assert current["totals"]["plan"] == as_was["totals"]["plan"]
    names = {r["name"]: r for r in current["rows"]}
    vl = names["Tỉnh Vĩnh Long"]
    assert sorted(vl["members"]) == ["Tỉnh Bến Tre", "Tỉnh Trà Vinh", "Tỉnh Vĩnh Long"]
    assert vl["plan"] == (4185 + 3290 + 3610) * 1_000_000
    assert len(current["rows"]) < 20


def test_live_source_recomputes_and_says_so(southern, cuc_admin):
    agg = aggregate(user=cuc_admin, region=southern, period=Period.make(HALF, 2019), source="live")
    assert agg["source_label"].startswith("Tính trực tiếp")
    assert agg["totals"]["plan"] == 0  # no đề án of 2019 are recorded for the south: live figures differ


def test_province_user_sees_only_its_own_rows(southern, vinhlong_officer, thainguyen_officer):
    agg = aggregate(user=vinhlong_officer, region=southern, period=Period.make(HALF, 2019), rollup="as_was")
    assert sorted(r["name"] for r in agg["rows"]) == ["Tỉnh Bến Tre", "Tỉnh Trà Vinh", "Tỉnh Vĩnh Long"]
    outsider = aggregate(user=thainguyen_officer, region=southern, period=Period.make(HALF, 2019))
    assert outsider["rows"] == [] and outsider["totals"]["plan"] == 0


def test_completeness_and_timeliness_table(southern, cuc_admin):
    table = completeness(
        user=cuc_admin, region=southern, period=Period.make(HALF, 2019), today=dt.date(2019, 8, 1)
    )
    assert table["deadline"] == dt.date(2019, 7, 15)
    assert table["total"] == 20
    states = {r["unit"].short_name: r["state"] for r in table["rows"]}
    assert states["Hồ Chí Minh"] == "on_time"  # sent on 10/7
    assert states["Bình Thuận"] == "late"  # sent on 30/7
    assert table["counts"]["late"] == 6 and table["counts"]["on_time"] == 14
    assert table["rows"][0]["state"] == "on_time" and table["rows"][-1]["state"] == "late"
    # A period nobody reported yet: everyone is missing once the deadline has passed.
    empty = completeness(
        user=cuc_admin, region=southern, period=Period.make(HALF, 2020), today=dt.date(2020, 8, 1)
    )
    assert empty["counts"]["missing"] == 20
