"""Figures from the records: seed 000's 9-month report of Bến Tre (10 fairs, 4 classes, 2 energy audits as of
30/9/2016), an activity held after the period does not change it; seed 002's southern region 6 months 2019
(3 fairs, 115 participations); a participation shows in the establishment's support history."""

import datetime as dt

import pytest

from khuyencong import testing
from khuyencong.activities import services
from khuyencong.activities.models import Activity, ActivityKind, ActivityStatus
from khuyencong.beneficiaries.models import Establishment
from khuyencong.reports.record_figures import record_outputs, record_sections

D = dt.date
pytestmark = pytest.mark.django_db


def _rows(unit, start, end, **kw):
    sections = [s for s in record_sections(unit, start, end, **kw) if s["key"] == "activities"]
    assert len(sections) == 1
    s = sections[0]
    return {row[0]: dict(zip(s["headers"], row, strict=True)) for row in s["rows"]}


def test_ben_tre_nine_months_2016(activities_demo):
    bentre = testing.old_province("Bến Tre")
    rows = _rows(bentre, D(2016, 1, 1), D(2016, 9, 30))
    assert rows["Hội chợ, triển lãm trong nước"]["Số hoạt động (kỳ, lớp, đoàn…)"] == 10
    assert rows["Lớp tập huấn, bồi dưỡng"]["Số hoạt động (kỳ, lớp, đoàn…)"] == 4
    assert rows["Kiểm toán năng lượng"]["Cơ sở được kiểm toán, đánh giá"] == 2
    assert rows["Kiểm toán năng lượng"]["Số hoạt động (kỳ, lớp, đoàn…)"] == 2
    assert rows["Tin bài, phóng sự, chuyên mục, ấn phẩm"]["Tin, bài, ấn phẩm"] == 3
    out = record_outputs(bentre, D(2016, 1, 1), D(2016, 9, 30))
    assert out["lop-tap-huan"] == 4
    assert out["tuyen-truyen"] == 3
    assert out["tu-van"] == 2
    participations = rows["Hội chợ, triển lãm trong nước"]["Lượt cơ sở tham gia"]
    assert out["luot-hoi-cho"] == participations > 0
    # The audited companies lie within the report's range: 2–3 million kWh or 320–500 TOE a year.
    from khuyencong.activities.models import Assessment

    for a in Assessment.objects.filter(activity__unit=bentre):
        assert 2_000_000 <= a.baseline_kwh <= 3_000_000 and 320 <= a.baseline_toe <= 500
        assert a.key_energy_threshold() is None  # below the key-energy-user threshold (1.000 TOE)


def test_activity_held_after_period_end_does_not_count(activities_demo):
    bentre = testing.old_province("Bến Tre")
    officer = testing.province_user("Vĩnh Long", "vl.late", "officer")
    before = record_sections(bentre, D(2016, 1, 1), D(2016, 9, 30))
    a = services.activity_create(
        actor=officer,
        kind=ActivityKind.objects.get(code="hoi-cho-trong-nuoc"),
        title="Hội chợ tháng 10 năm 2016",
        start_date=D(2016, 9, 28),
        end_date=D(2016, 10, 5),
        unit=bentre,
    )
    est = Establishment.objects.get(name="Cơ sở kẹo dừa Phước Hiệp")
    services.participation_add(actor=officer, activity=a, establishment=est, booths=1)
    services.activity_transition(
        actor=officer,
        activity=a,
        to_status=ActivityStatus.HELD,
        expected_version=a.version,
        effective_date=D(2016, 10, 5),
    )
    assert record_sections(bentre, D(2016, 1, 1), D(2016, 9, 30)) == before
    after = _rows(bentre, D(2016, 1, 1), D(2016, 12, 31))
    assert after["Hội chợ, triển lãm trong nước"]["Số hoạt động (kỳ, lớp, đoàn…)"] == 11


def test_southern_region_six_months_2019(activities_demo):
    from khuyencong.geo.models import Region

    provinces = list(Region.objects.get(code="phia-nam").provinces.values_list("pk", flat=True))
    rows = _rows(None, D(2019, 1, 1), D(2019, 6, 30), provinces=provinces)
    fairs = rows["Hội chợ, triển lãm trong nước"]
    assert fairs["Số hoạt động (kỳ, lớp, đoàn…)"] == 3
    assert fairs["Lượt cơ sở tham gia"] == 115
    assert rows["Đánh giá sản xuất sạch hơn"]["Cơ sở được kiểm toán, đánh giá"] == 1
    assert record_outputs(None, D(2019, 1, 1), D(2019, 6, 30), provinces=provinces)["luot-hoi-cho"] == 115
    # Participants come from across the region, not from the organisers' provinces only.
    counted = Activity.objects.filter(year=2019, kind__code="hoi-cho-trong-nuoc")
    assert (
        Establishment.objects.filter(participations__activity__in=counted)
        .values("province")
        .distinct()
        .count()
        > 3
    )


def test_participation_in_support_history(activities_demo):
    from khuyencong.beneficiaries.selectors import establishment_support_history

    est = Establishment.objects.get(name="Cơ sở thạch dừa - nước màn dừa Minh Tâm")
    rows = [r for r in establishment_support_history(est) if r.kind == "Hội chợ, triển lãm trong nước"]
    assert rows
    assert all(r.url.startswith("/activities/") for r in rows)
    assert any(r.amount for r in rows)


def test_unrecorded_scope_returns_no_codes(db):
    """A province with no activity records keeps its typed outputs: no indicator code is returned."""
    assert "luot-hoi-cho" not in record_outputs(
        testing.old_province("Bắc Kạn"), D(2016, 1, 1), D(2016, 12, 31)
    )


def test_nine_month_report_of_ben_tre_counts_from_records(activities_demo):
    """compute_figures (the periodic report's figures, frozen on submission) carries the section and replaces
    the typed indicator values by the records'."""
    from khuyencong.reports.compute import compute_figures
    from khuyencong.reports.periods import NINE_MONTHS, Period

    fig = compute_figures(testing.old_province("Bến Tre"), Period.make(NINE_MONTHS, 2016))
    section = next(s for s in fig["sections"] if s["key"] == "activities")
    rows = {r[0]: r for r in section["rows"]}
    assert rows["Hội chợ, triển lãm trong nước"][1] == 10
    assert rows["Lớp tập huấn, bồi dưỡng"][1] == 4
    assert rows["Kiểm toán năng lượng"][6] == 2
    outputs = {o["code"]: o for o in fig["outputs"]}
    assert outputs["lop-tap-huan"]["value"] == 4 and outputs["lop-tap-huan"]["source"] == "records"
    assert outputs["luot-hoi-cho"]["value"] == rows["Hội chợ, triển lãm trong nước"][2]


def test_region_aggregation_six_months_2019(activities_demo, cuc_admin):
    from khuyencong.geo.models import Region
    from khuyencong.reports.aggregation import aggregate
    from khuyencong.reports.periods import HALF, Period

    agg = aggregate(
        user=cuc_admin,
        region=Region.objects.get(code="phia-nam"),
        period=Period.make(HALF, 2019),
        source="live",
    )
    table = next(t for t in agg["sections"] if t.key == "activities")
    rows = {r[0]: r for r in table.rows}
    assert rows["Hội chợ, triển lãm trong nước"][1:3] == [3, 115]
    assert rows["Đánh giá sản xuất sạch hơn"][6] == 1


def test_bac_kan_first_half_2018(activities_demo):
    """Seed 004: the fair and information đề án at 50 % on 30/6/2018 — their first halves held and counted,
    the second halves planned and not counted."""
    bac_kan = testing.old_province("Bắc Kạn")
    rows = _rows(bac_kan, D(2018, 1, 1), D(2018, 6, 30))
    assert rows["Hội chợ, triển lãm trong nước"]["Số hoạt động (kỳ, lớp, đoàn…)"] == 1
    assert rows["Hội chợ, triển lãm trong nước"]["Lượt cơ sở tham gia"] == 4
    assert rows["Tin bài, phóng sự, chuyên mục, ấn phẩm"]["Tin, bài, ấn phẩm"] == 4
    planned = Activity.objects.filter(unit=bac_kan, status=ActivityStatus.PLANNED)
    assert planned.count() == 2


def test_project_output_form_says_which_indicators_are_computed(db):
    from khuyencong.projects.forms import OutputForm

    labels = dict(OutputForm().fields["indicator"].choices)
    assert "Lượt cơ sở tham gia hội chợ triển lãm (tính từ hồ sơ hoạt động khi đã ghi)" in labels.values()
    assert "Mô hình trình diễn kỹ thuật" in labels.values()
