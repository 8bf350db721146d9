"""The lists at scale: a fixed number of queries whatever the number of rows (10 vs 200), the maintained as-of
table equal to the records on every day, and the demo's as-of list still right."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khuyencong.beneficiaries.models import Establishment
from khuyencong.catalog.models import EstablishmentType, FundingSource
from khuyencong.projects import asof, selectors
from khuyencong.projects.models import (
    FAR_FUTURE,
    AnnualPlan,
    Batch,
    Disbursement,
    Project,
    ProjectAsOf,
    ProjectBeneficiary,
    ProjectFunding,
    Status,
    StatusChange,
    asof_day_q,
)
from khuyencong.projects.tests import factories as f
from khuyencong.testing import response_bytes

pytestmark = pytest.mark.django_db
JUNE_30 = dt.date(2018, 6, 30)


def _grow(plan: AnnualPlan, n: int, *, carried_from: Batch, establishment: Establishment) -> None:
    """n more đề án in `plan` with what the list shows (a beneficiary, money, a payment, a status history, the
    batch they were carried over from), written in bulk; then the as-of table rebuilt."""
    source = FundingSource.objects.get(code=plan.level)
    content = f.content("3")
    start = Project.objects.count()
    projects = Project.objects.bulk_create(
        [
            Project(
                plan=plan,
                province_id=plan.province_id,
                code=f"BULK-{start + i:04d}",
                title=f"Đề án thử {i}",
                search_text=f"bulk-{start + i:04d} de an thu {i}",
                content=content,
                status=Status.IN_PROGRESS,
                progress_pct=40,
                carried_over_from=carried_from,
            )
            for i in range(n)
        ]
    )
    at = timezone.make_aware(dt.datetime(2018, 3, 1, 9))
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                project=p,
                changed_at=at,
                effective_date=at.date(),
                from_status="",
                to_status=Status.DRAFT,
                action="create",
            )
            for p in projects
        ]
        + [
            StatusChange(
                project=p,
                changed_at=at + dt.timedelta(days=60),
                effective_date=at.date() + dt.timedelta(days=60),
                from_status=Status.CONTRACTED,
                to_status=Status.IN_PROGRESS,
                progress_pct=40,
            )
            for p in projects
        ]
    )
    for p in projects:  # through save() so the funding history rows (read as of a date) exist
        ProjectFunding(
            project=p, source=source, requested=100_000_000, approved=90_000_000, effective_date=at.date()
        ).save()
    Disbursement.objects.bulk_create(
        [
            Disbursement(
                project=p, kind="advance", source=source, date=dt.date(2018, 6, 1), amount=10_000_000
            )
            for p in projects
        ]
    )
    ProjectBeneficiary.objects.bulk_create(
        [ProjectBeneficiary(project=p, establishment=establishment) for p in projects]
    )
    asof.rebuild()


@pytest.fixture
def big_plan(vinhlong_officer, vinhlong_approver):
    """One plan whose list grows from 10 to 200 đề án (the first made through the services)."""
    first = f.project(vinhlong_officer, province_short="Bến Tre", title="Hỗ trợ máy chế biến dừa")
    f.walk(first, Status.IN_PROGRESS, officer=vinhlong_officer, approver=vinhlong_approver)
    earlier = f.plan(vinhlong_officer, "Bến Tre", 2017, "local")
    batch = Batch.objects.create(plan=earlier, number=1, total=0)
    return first.plan, batch, first.beneficiaries.get().establishment


def _queries(client, url) -> int:
    client.get(url, secure=True)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, secure=True)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


LIST_URLS = [
    "/projects/",
    "/projects/?as_of=30/06/2018",
    "/projects/?q=de+an",
    "/projects/?sort=-approved",
    "/projects/?as_of=30/06/2018&status=in_progress&sort=-disbursed",
    "/projects/?sort=-status",
]


def test_project_list_queries_do_not_grow_with_rows(big_plan, vinhlong_officer, as_user):
    plan, batch, est = big_plan
    client = as_user(vinhlong_officer)
    _grow(plan, 9, carried_from=batch, establishment=est)
    assert Project.objects.filter(plan=plan).count() == 10
    small = {url: _queries(client, url) for url in LIST_URLS}
    _grow(plan, 190, carried_from=batch, establishment=est)
    big = {url: _queries(client, url) for url in LIST_URLS}
    assert big == small
    assert max(big.values()) <= 16
    page = client.get("/projects/?sort=code", secure=True).content.decode()
    assert "200 đề án" in page and "Chuyển tiếp từ Đợt 1 năm 2017" in page
    # The totals row adds up every matching đề án, not just the page: 199 bulk ones + the first.
    first = Project.objects.filter(plan=plan).exclude(code__startswith="BULK").get()
    approved = sum(selectors.project_figures([first.pk])[first.pk][k] for k in ["approved_total"])
    totals = selectors.project_totals(Project.objects.filter(plan=plan))
    assert totals["approved"] == 199 * 90_000_000 + approved
    assert totals["disbursed"] == 199 * 10_000_000


API_URLS = [
    "/api/v1/projects/",
    "/api/v1/projects/?as_of=2018-06-30",
    "/api/v1/projects/?as_of=2018-06-30&status=in_progress",
    "/api/v1/projects/?q=de+an&page_size=500",
]


def test_project_api_list_queries_do_not_grow_with_rows(big_plan, vinhlong_officer, as_user):
    """The API list pages on ids and loads the page's figures for its rows only (no per-row subqueries)."""
    plan, batch, est = big_plan
    client = as_user(vinhlong_officer)
    _grow(plan, 9, carried_from=batch, establishment=est)
    small = {url: _queries(client, url) for url in API_URLS}
    _grow(plan, 190, carried_from=batch, establishment=est)
    big = {url: _queries(client, url) for url in API_URLS}
    assert big == small
    body = client.get("/api/v1/projects/?as_of=2018-06-30&status=in_progress&page_size=500", secure=True)
    data = body.json()
    # The 199 bulk đề án were in progress on 30/06/2018 with 90 triệu approved and 10 triệu paid by 01/06.
    bulk = [r for r in data["results"] if r["code"].startswith("BULK")]
    assert data["count"] >= 199 and len(bulk) == 199
    assert {(r["status_display"], r["approved_total"], r["disbursed_total"]) for r in bulk} == {
        ("Đang thực hiện", 90_000_000, 10_000_000)
    }
    assert bulk[0]["beneficiaries"] == [{"id": est.pk, "name": est.name}]
    before = client.get("/api/v1/projects/?as_of=2018-02-28", secure=True).json()
    assert not [r for r in before["results"] if r["code"].startswith("BULK")]


def test_plan_list_queries_do_not_grow(vinhlong_officer, as_user):
    from khuyencong.geo.models import AdminUnit

    client = as_user(vinhlong_officer)
    ben_tre = f.old_province("Bến Tre")

    def plans(years):
        AnnualPlan.objects.bulk_create(
            [
                AnnualPlan(
                    unit=ben_tre,
                    province_id=ben_tre.current_province_id,
                    year=y,
                    level=level,
                    status="assigned",
                )
                for y in years
                for level in ("national", "local")
            ]
        )

    plans(range(2001, 2006))
    assert AnnualPlan.objects.count() == 10
    small = _queries(client, "/projects/plans/")
    plans(range(2006, 2101))
    assert AnnualPlan.objects.count() == 200 and AdminUnit.objects.filter(pk=ben_tre.pk).exists()
    assert _queries(client, "/projects/plans/") == small


def test_establishment_list_queries_do_not_grow(vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    t = EstablishmentType.objects.get(code="HKD")
    commune = f.a_commune("Bến Tre")

    def grow(n):
        start = Establishment.objects.count()
        Establishment.objects.bulk_create(
            [
                Establishment(
                    name=f"Cơ sở {start + i}",
                    establishment_type=t,
                    commune=commune,
                    province_id=commune.current_province_id,
                    search_text=f"co so {start + i}",
                )
                for i in range(n)
            ]
        )

    grow(10)
    small = (_queries(client, "/establishments/"), _queries(client, "/establishments/?q=co+so"))
    grow(190)
    assert Establishment.objects.count() == 200
    assert (_queries(client, "/establishments/"), _queries(client, "/establishments/?q=co+so")) == small
    export = client.get("/establishments/?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response_bytes(export)), read_only=True).active
    assert (
        sum(
            1 for row in ws.iter_rows(values_only=True) if row and row[0] and str(row[0]).startswith("Cơ sở ")
        )
        == 200
    )


def test_report_list_queries_do_not_grow(vinhlong_officer, as_user):
    from khuyencong.reports.models import Report

    client = as_user(vinhlong_officer)
    ben_tre = f.old_province("Bến Tre")

    def grow(days):
        Report.objects.bulk_create(
            [
                Report(
                    unit=ben_tre,
                    province_id=ben_tre.current_province_id,
                    period_kind="custom",
                    year=2018,
                    period_start=dt.date(2018, 1, 1),
                    period_end=dt.date(2018, 1, 1) + dt.timedelta(days=d),
                    figures={"plan": 1_000_000, "disbursed": 500_000},
                )
                for d in days
            ]
        )

    grow(range(10))
    small = _queries(client, "/reports/")
    grow(range(10, 200))
    assert Report.objects.count() == 200
    assert _queries(client, "/reports/") == small
    ws = openpyxl.load_workbook(
        io.BytesIO(response_bytes(client.get("/reports/?format=xlsx"))), read_only=True
    ).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[-1][0] == "Tổng cộng" and rows[-1][7] == 200 * 1_000_000 and rows[-1][8] == 200 * 500_000


def _from_records(projects, day):
    return {
        p.pk: (p.asof_status, p.asof_progress, p.requested_total, p.approved_total, p.disbursed_total)
        for p in selectors.with_figures(projects, as_of=day)
    }


def _from_table(projects, day):
    asof.refresh()
    return {
        pid: (
            v["asof_status"],
            v["asof_progress"],
            v["requested_total"],
            v["approved_total"],
            v["disbursed_total"],
        )
        for pid, v in selectors.project_figures(
            list(projects.values_list("pk", flat=True)), as_of=day
        ).items()
        if "asof_status" in v
    }


def test_asof_table_equals_the_records_on_every_day(demo):
    projects = Project.objects.all()
    days = sorted(
        set(StatusChange.objects.values_list("effective_date", flat=True))
        | set(Disbursement.objects.values_list("date", flat=True))
    )
    # Every 31 December and 1 January too: closed rows are cut there (the year buckets).
    years = range(days[0].year, timezone.localdate().year + 1)
    checked = (
        [d for d in days[:: max(1, len(days) // 40)]]
        + [dt.date(2016, 9, 30), JUNE_30, timezone.localdate()]
        + [dt.date(y, 12, 31) for y in years[:-1]]
        + [dt.date(y, 1, 1) for y in years]
    )
    for day in checked:
        assert _from_table(projects, day) == _from_records(projects, day), day
    # One open-ended (current) row per đề án that has a status history, in the open bucket; every closed
    # row within the one year of its bucket.
    assert ProjectAsOf.objects.filter(valid_to=FAR_FUTURE).count() == Project.objects.count()
    assert ProjectAsOf.objects.filter(bucket=ProjectAsOf.OPEN).count() == Project.objects.count()
    for row in ProjectAsOf.objects.exclude(bucket=ProjectAsOf.OPEN):
        assert row.valid_from.year == row.bucket and row.valid_to <= dt.date(row.bucket + 1, 1, 1), row


def test_asof_rows_are_cut_at_each_new_year():
    row = ProjectAsOf(
        project_id=7,
        valid_from=dt.date(2016, 11, 3),
        valid_to=dt.date(2019, 2, 1),
        status=Status.IN_PROGRESS,
        progress_pct=60,
        requested=5,
        approved=4,
        disbursed=3,
    )
    pieces = asof.split_by_year(row)
    assert [(p.bucket, p.valid_from, p.valid_to) for p in pieces] == [
        (2016, dt.date(2016, 11, 3), dt.date(2017, 1, 1)),
        (2017, dt.date(2017, 1, 1), dt.date(2018, 1, 1)),
        (2018, dt.date(2018, 1, 1), dt.date(2019, 1, 1)),
        (2019, dt.date(2019, 1, 1), dt.date(2019, 2, 1)),
    ]
    assert {(p.project_id, p.status, p.progress_pct, p.approved, p.disbursed) for p in pieces} == {
        (7, Status.IN_PROGRESS, 60, 4, 3)
    }
    open_row = ProjectAsOf(project_id=7, valid_from=dt.date(2019, 2, 1), valid_to=FAR_FUTURE)
    assert [(p.bucket, p.valid_to) for p in asof.split_by_year(open_row)] == [(ProjectAsOf.OPEN, FAR_FUTURE)]


@pytest.mark.parametrize(
    "as_of, status, sort, desc",
    [
        (dt.date(2018, 6, 30), None, "code", False),
        (dt.date(2018, 6, 30), Status.IN_PROGRESS, "code", False),
        (dt.date(2018, 6, 30), Status.IN_PROGRESS, "title", True),
        (dt.date(2016, 12, 31), None, "disbursed_total", True),
        (dt.date(2016, 12, 31), "most common that day", "progress_pct", False),
        (dt.date(2017, 1, 1), None, "approved_total", False),
    ],
)
def test_cuc_asof_list_from_day_rows_equals_the_joined_list(demo, as_of, status, sort, desc, as_user):
    """The Cục's unfiltered as-of list reads the day's rows alone (count, totals, figure sorts, few
    matches): the same count, totals and page as the list joined to the đề án, and what the page shows."""
    from khuyencong.accounts.models import User

    cuc = User.objects.get(username="cuc")
    if status == "most common that day":
        asof.refresh()
        counts = ProjectAsOf.objects.filter(asof_day_q(as_of)).values_list("status", flat=True)
        status = max(set(counts), key=list(counts).count)
    base = selectors.project_list_for(user=cuc)
    params = {"status": status} if status else {}
    qs = selectors.project_list_filter(base, params, as_of=as_of)
    ordered = selectors.project_list_order(qs, sort, desc=desc, as_of=as_of)
    day_rows = selectors.project_day_rows(base, params, as_of=as_of)
    assert day_rows is not None
    fast = selectors.project_list_summary(qs, as_of=as_of, day_rows=day_rows)
    joined = selectors.project_list_summary(qs, as_of=as_of)
    assert fast == joined and fast["count"] > 0
    few = fast["count"] if status else None
    ids = list(selectors.project_list_ids(ordered, sort, desc=desc, day_rows=day_rows, few=few))
    assert ids == list(ordered.values_list("pk", flat=True))
    url_sort = {
        "code": "code",
        "title": "title",
        "disbursed_total": "disbursed",
        "approved_total": "approved",
    }
    url_sort["progress_pct"] = "progress"
    query = f"as_of={as_of:%d/%m/%Y}&sort={'-' if desc else ''}{url_sort[sort]}" + (
        f"&status={status}" if status else ""
    )
    page = as_user(cuc).get(f"/projects/?{query}", secure=True)
    assert page.context["count"] == fast["count"]
    assert [r["pk"] for r in page.context["rows"]] == ids[:50]
    # A province filter takes the joined path.
    assert selectors.project_day_rows(base, {**params, "province": ids and 1}, as_of=as_of) is None


@pytest.mark.parametrize("sort", ["requested_total", "approved_total", "disbursed_total"])
@pytest.mark.parametrize("desc", [False, True])
def test_cuc_list_sorted_by_money_reads_the_open_rows_in_the_joined_order(demo, sort, desc, as_user):
    """The Cục's unfiltered list sorted by a current figure reads its ids from the open as-of rows: the same
    order as joining every đề án to its row, every slice of it, and a đề án without an open row placed where
    the joined list puts its NULL figure (last descending, first ascending)."""
    from khuyencong.accounts.models import User
    from khuyencong.core import dataversion

    cuc = User.objects.get(username="cuc")
    base = selectors.project_list_for(user=cuc)
    qs = selectors.project_list_filter(base, {})
    ordered = selectors.project_list_order(qs, sort, desc=desc, as_of=None)

    def check():
        ids = selectors.project_list_ids(ordered, sort, desc=desc)
        assert isinstance(ids, selectors.CurrentFigureOrder)
        joined = list(ordered.values_list("pk", flat=True))
        assert len(ids) == len(joined) > 20
        assert ids[0 : len(joined)] == joined
        for start, stop in ((0, 7), (5, 12), (len(joined) - 3, len(joined)), (len(joined) - 3, None)):
            assert ids[start:stop] == joined[start:stop]
        return joined

    joined = check()
    # A province's officer keeps the joined path (a filtered list).
    officer_qs = selectors.project_list_filter(selectors.project_list_for(user=demo_officer()), {})
    officer_ordered = selectors.project_list_order(officer_qs, sort, desc=desc, as_of=None)
    assert not isinstance(
        selectors.project_list_ids(officer_ordered, sort, desc=desc), selectors.CurrentFigureOrder
    )

    # The open row of the top đề án gone (as before a first dated step): it moves to the NULLs' place.
    top = joined[0]
    ProjectAsOf.objects.filter(project_id=top, bucket=ProjectAsOf.OPEN).delete()
    dataversion.bump("projects")
    moved = check()
    assert moved[-1 if desc else 0] == top

    # The page sorts by approved and disbursed money (requested is an API/export sort).
    url = {"approved_total": "approved", "disbursed_total": "disbursed"}.get(sort)
    if url:
        page = as_user(cuc).get(f"/projects/?sort={'-' if desc else ''}{url}", secure=True)
        assert [r["pk"] for r in page.context["rows"]] == moved[:50]


def demo_officer():
    from khuyencong.accounts.models import User

    return User.objects.get(username="vinhlong")


def test_asof_table_follows_changes(demo):
    """A payment and a stop recorded today are in the table at the next read (marked in the same
    transaction)."""
    from django.db.models import Sum

    from khuyencong.accounts.models import User
    from khuyencong.projects import services

    project, source = next(
        (p, fu.source)
        for p in Project.objects.filter(status__in=services.PAYABLE).order_by("code")
        for fu in p.fundings.exclude(source__code="counterpart")
        if fu.approved - (p.disbursements.filter(source=fu.source).aggregate(s=Sum("amount"))["s"] or 0)
        >= 5_000_000
    )
    officer = next(u for u in User.objects.filter(role="officer") if _may_edit(u, project))
    before = _from_table(Project.objects.filter(pk=project.pk), timezone.localdate())[project.pk]
    services.disbursement_create(
        actor=officer,
        project=project,
        kind="payment",
        source=source,
        date=timezone.localdate(),
        amount=5_000_000,
    )
    after = _from_table(Project.objects.filter(pk=project.pk), timezone.localdate())[project.pk]
    assert after[4] == before[4] + 5_000_000
    assert after == _from_records(Project.objects.filter(pk=project.pk), timezone.localdate())[project.pk]
    # Yesterday is unchanged.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert _from_table(Project.objects.filter(pk=project.pk), yesterday)[project.pk][4] == before[4]


def _may_edit(user, project) -> bool:
    from khuyencong.core.scoping import scope_for

    scope = scope_for(user)
    return scope.kind == "province" and scope.province_id == project.province_id


def test_bac_kan_as_of_list_page_and_export(demo, as_user):
    from khuyencong.accounts.models import User

    officer = User.objects.get(username="thainguyen")
    local = AnnualPlan.objects.get(unit=f.old_province("Bắc Kạn"), year=2018, level="local")
    client = as_user(officer)
    page = client.get(f"/projects/?as_of=30/06/2018&plan={local.pk}", secure=True).content.decode()
    assert "10 đề án" in page
    statuses = [Status(s).label for s in (Status.COMPLETED, Status.IN_PROGRESS, Status.STOP_REQUESTED)]
    counts = [page.count(f'data-testid="status">{label}<') for label in statuses]
    assert counts == [2, 4, 2]
    assert 'data-testid="total-approved">529<' in page
    plan_page = client.get(f"/projects/plans/{local.pk}/?as_of=2018-06-30", secure=True).content.decode()
    for text in (
        "02/10 đề án đã hoàn thành",
        "04/10 đề án đã hoàn thành được 50% khối lượng công việc",
        "02/10 đề án xin dừng, dừng thực hiện",
        "02/10 đề án chưa thực hiện",
    ):
        assert text in plan_page
    ws = openpyxl.load_workbook(
        io.BytesIO(
            response_bytes(
                client.get(f"/projects/?as_of=30/06/2018&plan={local.pk}&format=xlsx", secure=True)
            )
        )
    ).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].endswith("tình trạng tại ngày 30/06/2018")
    body = rows[3:-1]
    assert len(body) == 10 and [r[6] for r in body].count(Status.IN_PROGRESS.label) == 4
    assert rows[-1][1] == "10 đề án" and rows[-1][9] == 529_000_000
    # Sorted by the status of that day, the list still has the same 10 đề án.
    page = client.get(
        f"/projects/?as_of=30/06/2018&plan={local.pk}&sort=-status", secure=True
    ).content.decode()
    assert [page.count(f'data-testid="status">{label}<') for label in statuses] == [2, 4, 2]


def test_search_matches_code_title_and_beneficiary_without_diacritics(demo, as_user):
    from khuyencong.accounts.models import User

    client = as_user(User.objects.get(username="thainguyen"))
    page = client.get("/projects/?q=thanh+long", secure=True).content.decode()
    assert "HTX Thành Long" in page
    page = client.get("/projects/?q=bk18-dp-07", secure=True).content.decode()
    assert "BK18-DP-07" in page and "BK18-DP-08" not in page and "1 đề án" in page
    project = Project.objects.get(code="BK18-DP-07")
    project.title = "Hỗ trợ máy sấy măng"
    project.save(update_fields=["title"])
    page = client.get("/projects/?q=may+say+mang", secure=True).content.decode()
    assert "BK18-DP-07" in page and "1 đề án" in page
