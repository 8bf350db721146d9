"""The consistency check: subtotals and shares recomputed and compared with every stated figure; phase targets
compared with stated overall targets; seed 001's demo programme disagrees with itself on content 9."""

import io

import pytest
from django.core.management import call_command

from khuyencong.programs import checks, services
from khuyencong.programs.models import Program
from khuyencong.programs.tests.factories import make_program

TR = 10**6


@pytest.fixture
def small(vinhlong_officer):
    program = make_program(vinhlong_officer)
    cells = {
        ("9", "local", 2014): 200 * TR,
        ("9", "local", 2015): 200 * TR,
        ("9", "national", 2016): 50 * TR,
        ("3", "national", 2014): 1_000 * TR,
        ("3", "counterpart", 2014): 25_000 * TR,
    }
    services.budget_replace(actor=vinhlong_officer, program=program, cells=cells)
    return program


@pytest.mark.django_db
def test_agreeing_figures_pass(small, vinhlong_officer):
    add = services.stated_figure_add
    add(actor=vinhlong_officer, program=small, kind="amount", value="26.450", location="II.1")
    add(
        actor=vinhlong_officer,
        program=small,
        kind="amount",
        value="400",
        content="9",
        phase="2014-2015",
        location="II.2.9",
    )
    add(
        actor=vinhlong_officer,
        program=small,
        kind="amount",
        value="1 tỷ",
        content="3",
        funding_source="national",
        year=2014,
        location="Phụ lục",
    )
    add(
        actor=vinhlong_officer,
        program=small,
        kind="share",
        value="94,5%",
        funding_source="counterpart",
        location="II.1",
    )  # 25.000 / 26.450 = 94,518 %
    result = checks.check_program(small)
    assert result.ok and result.checked == 4


@pytest.mark.django_db
def test_disagreements_say_where_what_was_stated_and_what_is_computed(small, vinhlong_officer):
    add = services.stated_figure_add
    add(
        actor=vinhlong_officer,
        program=small,
        kind="amount",
        value="400",
        content="9",
        location="Phần 2, mục II.2.9",
    )
    add(
        actor=vinhlong_officer,
        program=small,
        kind="amount",
        value="1.000",
        content="3",
        location="Phần 2, mục II.2.3",
    )
    add(
        actor=vinhlong_officer,
        program=small,
        kind="share",
        value="94,6%",
        funding_source="counterpart",
        location="Phần 2, mục II.1",
    )
    target = services.target_create(
        actor=vinhlong_officer,
        program=small,
        name="Đào tạo nghề",
        unit="lao động",
        content="1",
        indicator="hoc-vien",
        values={"2014-2015": 400, "2016-2020": 1350},
        location="I.1.2",
    )
    add(actor=vinhlong_officer, program=small, kind="target", target=target, value="2.500", location="II.2.1")
    add(
        actor=vinhlong_officer,
        program=small,
        kind="target",
        target=target,
        value="400",
        phase="2014-2015",
        location="I.1.2.1",
    )
    services.target_create(
        actor=vinhlong_officer,
        program=small,
        name="Cụm công nghiệp",
        unit="cụm",
        values={"2014-2015": 2, "2016-2020": 6},
        overall_value=9,
        location="II.2.7",
    )
    result = checks.check_program(small)
    got = [(d.kind, d.location, d.stated, d.computed) for d in result.disagreements]
    assert got == [
        ("amount", "Phần 2, mục II.2.9", "400", "450"),
        ("amount", "Phần 2, mục II.2.3", "1.000", "26.000"),
        ("share", "Phần 2, mục II.1", "94,6 %", "94,5 %"),
        ("target", "II.2.1", "2.500", "1.750"),
        ("target", "II.2.7", "9", "8"),
    ]
    assert (
        result.disagreements[1].hint
        == "Số văn bản ghi bằng tổng Nguồn Trung ương (không tính các nguồn còn lại)."
    )
    assert result.disagreements[3].hint == "Các giai đoạn: 400 (2014-2015) + 1.350 (2016-2020)."
    assert "Nội dung 9" in result.disagreements[0].what
    assert result.as_dict()["count"] == 5


@pytest.fixture
def demo_program(db):
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.programs import demo

    accounts_demo.load()
    program = demo.load()
    assert demo.load().pk == program.pk  # idempotent
    return program


@pytest.mark.django_db
def test_demo_programme_is_seed_001_whole(demo_program):
    from khuyencong.programs.selectors import budget_matrix

    p = demo_program
    assert Program.objects.filter(title=p.title).count() == 1
    assert (
        p.status == "submitted"
        and p.owner_unit.name == "Tỉnh Bến Tre"
        and p.province.short_name == "Vĩnh Long"
    )
    assert [ph.name for ph in p.phases.order_by("year_from")] == ["2014-2015", "2016-2020"]
    assert p.legal_basis_rows.count() == 11
    assert p.targets.count() == 18
    matrix = budget_matrix(p)
    assert matrix.total == 391_573 * TR
    assert [matrix.sum(source=s) for s in ("national", "local", "counterpart")] == [
        16_448 * TR,
        19_845 * TR,
        355_280 * TR,
    ]
    assert p.stated_figures.filter(origin="text", kind="amount").count() == 21
    assert p.stated_figures.filter(origin="text", kind="share").count() == 9
    # Every statement was made through the services: history rows have the officer.
    assert p.budget_lines.first().history.first().history_user.username == "vinhlong"


@pytest.mark.django_db
def test_program_check_on_the_demo_exits_1_and_names_content_9(demo_program):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("program_check", demo_program.pk, stdout=out)
    assert exit_info.value.code == 1
    text = out.getvalue()
    assert "Có 7 chênh lệch" in text
    assert "Nội dung 9 (Nâng cao năng lực quản lý khuyến công)" in text
    assert "Nêu tại: Phần 2, mục II.2.9" in text
    assert "Văn bản ghi: 1.600 triệu đồng — tính lại: 1.650 triệu đồng — chênh lệch 50 triệu đồng" in text
    assert "Văn bản ghi: 19.700 triệu đồng — tính lại: 219.700 triệu đồng" in text
    assert "Văn bản ghi: 87,8 % — tính lại: 87,7 %" in text
    assert "Văn bản ghi: 2.500 lao động — tính lại: 1.750 lao động" in text


@pytest.mark.django_db
def test_program_check_exits_0_when_everything_agrees(vinhlong_officer):
    program = make_program(vinhlong_officer)
    out = io.StringIO()
    call_command("program_check", program.pk, stdout=out)
    assert "Không có chênh lệch." in out.getvalue()
