"""The hook through which other apps' records (voting, activities, loans, clusters) reach the periodic report,
its documents, the aggregation and the dashboard: a provider counting real đề án rows in the scope stands in
for such an app, so each assertion compares the wiring with an independent count."""

import datetime as dt
import io

import openpyxl
import pytest

from khuyencong import testing
from khuyencong.projects.models import Project
from khuyencong.reports import record_figures
from khuyencong.reports.aggregation import aggregate
from khuyencong.reports.compute import compute_figures, merge_record_outputs
from khuyencong.reports.dashboard import chart_payload, dashboard_data
from khuyencong.reports.documents import report_tables, tables_xlsx
from khuyencong.reports.periods import NINE_MONTHS, Period
from khuyencong.reports.record_figures import INT, TEXT, Section

pytestmark = pytest.mark.django_db


def _in_scope(scope):
    return Project.objects.filter(
        scope.place_q("commune"), plan__year__gte=scope.start.year, plan__year__lte=scope.end.year
    )


@pytest.fixture
def provider():
    def outputs(scope):
        return {"hoc-vien": _in_scope(scope).count()}

    def section(scope):
        n = _in_scope(scope).count()
        return Section(
            key="test_records",
            title="Đề án có địa bàn (kiểm thử)",
            headers=["Nội dung", "Số đề án"],
            kinds=[TEXT, INT],
            rows=[["Đề án có địa bàn", n]],
            totals=["Tổng cộng", n],
        )

    record_figures.register("test_records", title="Kiểm thử", order=99, outputs=outputs, section=section)
    yield
    record_figures.unregister("test_records")


def test_place_q_scopes_old_and_current_provinces(demo_projects):
    ben_tre = testing.old_province("Bến Tre")
    vinh_long = testing.current_province("Vĩnh Long")
    start, end = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
    old = record_figures.Scope(ben_tre, start, end)
    current = record_figures.Scope(vinh_long, start, end)
    in_old = set(Project.objects.filter(old.place_q("commune")).values_list("pk", flat=True))
    in_current = set(Project.objects.filter(current.place_q("commune")).values_list("pk", flat=True))
    expected_old = set(
        Project.objects.filter(plan__unit=ben_tre, commune__isnull=False).values_list("pk", flat=True)
    )
    assert in_old and in_old == expected_old
    # Bến Tre rolled into Vĩnh Long in 2025: today's province holds every Bến Tre đề án.
    assert in_old <= in_current
    bac_kan = testing.old_province("Bắc Kạn")
    assert not set(Project.objects.filter(plan__unit=bac_kan).values_list("pk", flat=True)) & in_current


def test_report_counts_records_instead_of_typed_outputs(demo_projects, provider):
    ben_tre = testing.old_province("Bến Tre")
    period = Period.make(NINE_MONTHS, 2016)
    fig = compute_figures(ben_tre, period)
    n = Project.objects.filter(plan__unit=ben_tre, plan__year=2016, commune__isnull=False).count()
    assert n > 0
    outputs = {o["code"]: o for o in fig["outputs"]}
    assert outputs["hoc-vien"]["value"] == n and outputs["hoc-vien"]["source"] == "records"
    assert outputs["hoc-vien"]["name"] == "Lao động được đào tạo nghề"
    section = next(s for s in fig["sections"] if s["key"] == "test_records")
    assert section["rows"] == [["Đề án có địa bàn", n]]
    # The page/.docx/.xlsx tables carry the section; the workbook reads back the same number.
    table = next(t for t in report_tables(fig) if t.key == "test_records")
    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx([table])))
    ws = wb[table.sheet_title]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["Đề án có địa bàn", n] in cells


def test_typed_value_stands_where_records_hold_nothing():
    typed = [{"code": "hoc-vien", "name": "Lao động được đào tạo nghề", "unit": "người", "value": 35}]
    assert merge_record_outputs(typed, {"hoc-vien": 0}) == typed
    merged = merge_record_outputs(typed, {"hoc-vien": 12})
    assert [(o["code"], o["value"], o["source"]) for o in merged] == [("hoc-vien", 12, "records")]


def test_programme_targets_read_the_records_from_the_phase_start(demo_projects, provider):
    from khuyencong.programs import demo as programs_demo

    programs_demo.load()
    ben_tre = testing.old_province("Bến Tre")
    fig = compute_figures(ben_tre, Period.make(NINE_MONTHS, 2016))
    target = next(t for t in fig["targets"] if t["code"] == "hoc-vien")
    start_year = int(target["phase"].split("–")[0].split("-")[0].split()[-1])
    expected = Project.objects.filter(
        plan__unit=ben_tre, plan__year__gte=start_year, plan__year__lte=2016, commune__isnull=False
    ).count()
    assert target["achieved"] == expected


def test_aggregation_and_dashboard_sum_the_sections(demo_projects, provider, cuc_admin):
    period = Period.make(NINE_MONTHS, 2016)
    agg = aggregate(user=cuc_admin, region=None, period=period, source="live")
    table = next(t for t in agg["sections"] if t.key == "test_records")
    units = [r for r in agg["rows"] if not r.get("central")]
    assert units
    expected = Project.objects.filter(
        plan__unit__level=1, plan__unit__era="old", plan__year=2016, commune__isnull=False
    ).count()
    assert table.rows == [["Đề án có địa bàn", expected]]
    data = dashboard_data(cuc_admin, {"year_from": "2016", "year_to": "2016"})
    dash = next(t for t in data["tables"] if t.key == "test_records")
    everywhere = Project.objects.filter(plan__year=2016).exclude(commune__isnull=True).count()
    assert dash.rows == [["Đề án có địa bàn", everywhere]]
    charts = chart_payload(data["tables"])
    assert charts["test_records"] == {
        "labels": ["Đề án có địa bàn"],
        "series": [{"label": "Số đề án", "data": [everywhere]}],
    }
    targets = next(t for t in data["tables"] if t.key == "targets")
    assert ["Lao động được đào tạo nghề", "người", None, everywhere, None] in targets.rows
