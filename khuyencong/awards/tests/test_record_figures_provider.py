"""Product voting's provider for the report hook: the values and the table a periodic report takes from the
voting records (seed 000: Bến Tre's 9-month report 2016 counts 15 provincial and 6 regional products), and
the rounds a province held."""

import datetime as dt

import pytest

from khuyencong import testing
from khuyencong.awards import record_figures_provider as provider
from khuyencong.awards.models import Certificate
from khuyencong.reports import record_figures
from khuyencong.reports.record_figures import Scope

pytestmark = pytest.mark.django_db

NINE_MONTHS_2016 = (dt.date(2016, 1, 1), dt.date(2016, 9, 30))


def _rows(section):
    return {r[0]: r[1:] for r in section.rows}


def test_outputs_and_section_of_bến_tre_9_months_2016(awards_demo):
    ben_tre = testing.old_province("Bến Tre")
    scope = Scope(ben_tre, *NINE_MONTHS_2016)
    # 15 distinct products recognised (the 6 regional ones are among the 15 provincial)
    assert provider.outputs(scope) == {"san-pham-binh-chon": 15, "lan-binh-chon": 1}
    s = provider.section(scope)
    assert s.key == "awards" and len(s.headers) == len(s.kinds) == 8
    rows = _rows(s)
    # entries, recognised, craft, food, machinery, other, valid on 30/9/2016
    assert rows["Sản phẩm CNNT tiêu biểu cấp tỉnh"] == [18, 15, 4, 9, 1, 1, 15]
    assert rows["Sản phẩm CNNT tiêu biểu cấp khu vực"] == [8, 6, 1, 3, 1, 1, 6]
    assert rows["Sản phẩm CNNT tiêu biểu cấp quốc gia"] == [0, 0, 0, 0, 0, 0, 0]
    assert "Sản phẩm CNNT tiêu biểu cấp huyện" not in rows
    assert s.totals == ["Cộng (lượt)", 26, 21, 5, 12, 2, 2, 21]
    assert s.headers[-1] == "Giấy chứng nhận còn hiệu lực ngày 30/09/2016"
    # the 6-month report: the regional decision (12/9/2016) is not in it yet
    half = Scope(testing.current_province("Vĩnh Long"), dt.date(2016, 1, 1), dt.date(2016, 6, 30))
    assert _rows(provider.section(half))["Sản phẩm CNNT tiêu biểu cấp khu vực"] == [8, 0, 0, 0, 0, 0, 0]
    # a certificate revoked before the end leaves the counts and the valid ones; revoked after, it stays
    cert = Certificate.objects.get(number="1125/QĐ-UBND/01")
    Certificate.objects.filter(pk=cert.pk).update(revoked=True, revoked_on=dt.date(2016, 8, 1))
    assert _rows(provider.section(scope))["Sản phẩm CNNT tiêu biểu cấp tỉnh"][1] == 14
    assert provider.outputs(scope)["san-pham-binh-chon"] == 15  # still recognised at region
    Certificate.objects.filter(pk=cert.pk).update(revoked_on=dt.date(2016, 11, 1))
    assert _rows(provider.section(scope))["Sản phẩm CNNT tiêu biểu cấp tỉnh"][1] == 15
    # a province without voting records: no section, nothing counted
    bac_kan = Scope(testing.old_province("Bắc Kạn"), *NINE_MONTHS_2016)
    assert provider.section(bac_kan) is None and provider.outputs(bac_kan) == {
        "san-pham-binh-chon": 0,
        "lan-binh-chon": 0,
    }
    # the whole country (unit None) holds Bến Tre's records
    assert provider.outputs(Scope(None, *NINE_MONTHS_2016))["san-pham-binh-chon"] == 15


def test_through_the_hook(awards_demo):
    """The provider is registered by AwardsConfig.ready(): the report reads it with nothing else set up."""
    from khuyencong.reports.compute import compute_figures
    from khuyencong.reports.periods import NINE_MONTHS, Period

    ben_tre = testing.old_province("Bến Tre")
    assert record_figures.record_outputs(ben_tre, *NINE_MONTHS_2016)["san-pham-binh-chon"] == 15
    sections = record_figures.record_sections(ben_tre, *NINE_MONTHS_2016)
    awards = next(s for s in sections if s["key"] == "awards")
    assert ["Sản phẩm CNNT tiêu biểu cấp tỉnh", 18, 15, 4, 9, 1, 1, 15] in awards["rows"]
    assert ["Sản phẩm CNNT tiêu biểu cấp khu vực", 8, 6, 1, 3, 1, 1, 6] in awards["rows"]
    fig = compute_figures(ben_tre, Period.make(NINE_MONTHS, 2016))
    out = {o["code"]: o for o in fig["outputs"]}
    assert out["san-pham-binh-chon"]["value"] == 15 and out["san-pham-binh-chon"]["source"] == "records"
    assert any(s["key"] == "awards" for s in fig["sections"])


def test_programme_target_of_four_rounds_reads_the_rounds(awards_demo_all):
    """Bến Tre's programme 2014-2020: "tổ chức 04 lần bình chọn" — achieved counts the provincial rounds
    decided (2014, 2016 in the demo), not the products recognised."""
    from khuyencong.programs import demo as programs_demo
    from khuyencong.programs.models import Program
    from khuyencong.programs.selectors import program_progress

    programs_demo.load()
    program = Program.objects.get(year_from=2014, year_to=2020)
    rows = program_progress(program)["targets"]
    row = next(r for r in rows if r["target"].indicator_id and r["target"].indicator.code == "lan-binh-chon")
    assert (row["planned"], row["achieved"]) == (4, 2)
    by_phase = {c["phase"].name: c["achieved"] for c in row["cells"]}
    assert by_phase == {"2014-2015": 1, "2016-2020": 1}
