"""The demo reproduces seeds 004 and 000; the as-of view reconstructs 30/6/2018 after the story moved on."""

import datetime as dt

import pytest
from django.db.models import Sum

from khuyencong.projects import selectors
from khuyencong.projects.models import AnnualPlan, Disbursement, Project, ProjectFunding, Status
from khuyencong.projects.tests.factories import old_province

pytestmark = pytest.mark.django_db
JUNE_30 = dt.date(2018, 6, 30)


def plan(short, year, level):
    return AnnualPlan.objects.get(unit=old_province(short), year=year, level=level)


def public_total(projects, column="approved"):
    return (
        ProjectFunding.objects.filter(project__in=projects)
        .exclude(source__code="counterpart")
        .aggregate(s=Sum(column))["s"]
    )


def test_bac_kan_local_plan_as_of_30_june_2018(demo):
    local = plan("Bắc Kạn", 2018, "local")
    rows = {p.code: p for p in selectors.with_figures(local.projects.all(), as_of=JUNE_30)}
    assert len(rows) == 10
    statuses = [p.asof_status for p in rows.values()]
    assert statuses.count(Status.COMPLETED) == 2
    in_progress = [p for p in rows.values() if p.asof_status == Status.IN_PROGRESS]
    assert len(in_progress) == 4 and {p.asof_progress for p in in_progress} == {50}
    assert statuses.count(Status.STOP_REQUESTED) == 2
    assert sum(1 for s in statuses if s in (Status.REGISTERED, Status.APPROVED)) == 2
    assert {
        rows["BK18-DP-07"].beneficiaries.get().establishment.name,
        rows["BK18-DP-08"].beneficiaries.get().establishment.name,
    } == {"HTX Thành Long", "HKD Sằm Văn Thường"}
    assert sum(p.approved_total for p in rows.values()) == 529_000_000
    summary = selectors.plan_summary(plan=local, as_of=JUNE_30)
    assert [g["text"] for g in summary["groups"]] == [
        "02/10 đề án đã hoàn thành",
        "04/10 đề án đã hoàn thành được 50% khối lượng công việc",
        "02/10 đề án xin dừng, dừng thực hiện",
        "02/10 đề án chưa thực hiện",
    ]
    # Today the story has moved on: everything completed or stopped in the second half of 2018.
    now = selectors.status_counts(local.projects.all())
    assert now == {Status.COMPLETED: 8, Status.STOPPED: 2}


def test_as_of_api_and_page(demo, api_as, as_user):
    from khuyencong.accounts.models import User

    officer = User.objects.get(username="thainguyen")
    local = plan("Bắc Kạn", 2018, "local")
    body = api_as(officer).get(f"/api/v1/projects/?as_of=2018-06-30&plan={local.pk}", secure=True).json()
    got = [(r["code"], r["status"], r["progress_pct"]) for r in body["results"]]
    assert sorted(s for _c, s, _p in got) == sorted(
        ["completed"] * 2 + ["in_progress"] * 4 + ["stop_requested"] * 2 + ["approved"] * 2
    )
    assert {p for _c, s, p in got if s == "in_progress"} == {50}
    body = (
        api_as(officer)
        .get("/api/v1/projects/?as_of=2018-06-30&status=in_progress&year=2018&level=local", secure=True)
        .json()
    )
    assert body["count"] == 4
    page = as_user(officer).get(f"/projects/plans/{local.pk}/?as_of=2018-06-30", secure=True).content.decode()
    for text in (
        "02/10 đề án đã hoàn thành",
        "04/10 đề án đã hoàn thành được 50% khối lượng công việc",
        "02/10 đề án xin dừng, dừng thực hiện",
        "02/10 đề án chưa thực hiện",
    ):
        assert text in page
    page = (
        as_user(officer)
        .get(f"/projects/?as_of=2018-06-30&plan={local.pk}&status=stop_requested", secure=True)
        .content.decode()
    )
    assert "HTX Thành Long" in page and "HKD Sằm Văn Thường" in page and "10 đề án" not in page
    page = as_user(officer).get(f"/projects/plans/{local.pk}/", secure=True).content.decode()
    assert "08/10 đề án đã hoàn thành" in page


def test_bac_kan_national_as_of_30_june(demo):
    nat = plan("Bắc Kạn", 2018, "national")
    rows = {p.code: p for p in selectors.with_figures(nat.projects.all(), as_of=JUNE_30)}
    assert public_total(nat.projects.all()) == 600_000_000
    assert rows["BK18-QG-01"].asof_status == Status.IN_PROGRESS
    assert rows["BK18-QG-02"].asof_status == Status.APPROVED
    assert rows["BK18-QG-03"].asof_status == Status.STOP_REQUESTED
    assert rows["BK18-QG-01"].disbursed_total == 60_000_000  # the December payment is not yet there
    assert Project.objects.get(code="BK18-QG-03").status == Status.STOPPED
    # Before the Cục assigned the plan (May 2018) nothing was approved.
    early = {p.code: p for p in selectors.with_figures(nat.projects.all(), as_of=dt.date(2018, 5, 1))}
    assert {p.asof_status for p in early.values()} == {Status.APPRAISED}
    assert sum(p.approved_total for p in early.values()) == 0
    assert sum(p.requested_total for p in early.values()) == 600_000_000


def test_ben_tre_2016_seed(demo):
    nat = plan("Bến Tre", 2016, "national")
    main = nat.projects.filter(batch__number=1)
    assert main.count() == 5
    assert public_total(main) == 1_820_000_000
    assert main.filter(status=Status.ACCEPTED).count() == 3
    supplementary = nat.projects.get(batch__is_supplementary=True)
    assert supplementary.status == Status.REGISTERED
    assert public_total([supplementary], "requested") == 300_000_000
    carried = Project.objects.filter(carried_over_from__plan=plan("Bến Tre", 2015, "local"))
    assert carried.count() == 3 and {p.plan.year for p in carried} == {2016}
    assert {p.carried_over_from.number for p in carried} == {2}
    assert public_total(carried) == 344_000_000
    reg = plan("Bến Tre", 2017, "local")
    assert reg.status == AnnualPlan.PlanStatus.REGISTERED and reg.registered_total == 2_300_000_000
    assert reg.projects.count() == 8 and set(reg.projects.values_list("status", flat=True)) == {
        Status.REGISTERED
    }
    assert public_total(reg.projects.all(), "requested") == 2_300_000_000
    # At the 9-month report (30/9/2016) 3 đề án were accepted.
    rows = selectors.with_figures(main, as_of=dt.date(2016, 9, 30))
    assert sum(1 for p in rows if p.asof_status == Status.ACCEPTED) == 3


def test_demo_is_idempotent(demo):
    from khuyencong.projects import demo as projects_demo

    count = Project.objects.count()
    projects_demo.load()
    assert Project.objects.count() == count == 30


def test_program_execution_from_records(demo):
    from khuyencong.geo.models import AdminUnit

    tn = AdminUnit.objects.get(era="current", level=1, short_name="Thái Nguyên")
    fig = selectors.program_execution(province_id=tn.pk, year_from=2018, year_to=2018)
    # Content 3 national: 3 × 200 triệu, but Đinh Lâm stopped → 400 triệu approved; Tân Thành paid 200 triệu.
    assert fig.money[("3", "national", 2018)] == {"approved": 400_000_000, "disbursed": 200_000_000}
    local_approved = sum(v["approved"] for (c, s, y), v in fig.money.items() if s == "local")
    assert local_approved == 529_000_000 - 80_000_000 - 70_000_000
    local_paid = sum(v["disbursed"] for (c, s, y), v in fig.money.items() if s == "local")
    assert (
        local_paid
        == Disbursement.objects.filter(
            project__plan__unit__short_name="Bắc Kạn", source__code="local"
        ).aggregate(s=Sum("amount"))["s"]
    )
    assert fig.outputs[("may-moc", 2018)] == 5
    vl = AdminUnit.objects.get(era="current", level=1, short_name="Vĩnh Long")
    assert selectors.program_execution(province_id=vl.pk, year_from=2018, year_to=2018).money == {}
    bt = selectors.program_execution(province_id=vl.pk, year_from=2016, year_to=2016)
    assert bt.money[("3", "national", 2016)]["approved"] == 1_820_000_000
