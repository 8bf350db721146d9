import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db


def test_dashboard_tables_follow_the_year_filter(demo_projects, cuc_admin, as_user):
    client = as_user(cuc_admin)
    page_2018 = client.get("/reports/dashboard/?year_from=2018&year_to=2018").content.decode()
    page_2016 = client.get("/reports/dashboard/?year_from=2016&year_to=2016").content.decode()
    assert "1.129" in page_2018  # Bắc Kạn 2018 plans: 600 + 529 triệu
    assert "1.129" not in page_2016 and "2.164" in page_2016  # Bến Tre 2016: 1.820 + 344 triệu (carried over)
    assert '<td class="num">2.016</td>' not in page_2016
    for key in ("by_year", "by_content", "by_province", "by_status", "targets"):
        assert f'id="chart-{key}"' in page_2018 and f'data-table="{key}"' in page_2018
    wb = openpyxl.load_workbook(
        io.BytesIO(
            client.get("/reports/dashboard/?year_from=2018&year_to=2018&format=xlsx&chart=by_year").content
        )
    )
    ws = wb.worksheets[0]
    assert ws.title.startswith("Kế hoạch và thực hiện")
    assert ws.cell(ws.max_row, 3).value == 1129
    # The by-province table adds up to the same plan as the by-year table.
    page = client.get("/reports/dashboard/data/?year_from=2016&year_to=2016").json()
    totals = {t["key"]: t["totals"] for t in page["tables"]}
    assert totals["by_year"][2] == totals["by_province"][1] == "2.164"
    partial = client.get(
        "/reports/dashboard/?year_from=2016&year_to=2016", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and "2.164" in partial


def test_dashboard_is_scoped_to_the_province(demo_projects, as_user):
    from khuyencong.accounts.models import User

    thainguyen = User.objects.get(username="thainguyen")
    page = (
        as_user(thainguyen).get("/reports/dashboard/?year_from=2016&year_to=2018&province=1").content.decode()
    )
    assert "Tỉnh Bắc Kạn" in page and "Tỉnh Bến Tre" not in page and "2.164" not in page
    data = as_user(thainguyen).get("/reports/dashboard/data/?year_from=2016&year_to=2018").json()
    rows = next(t for t in data["tables"] if t["key"] == "by_province")["rows"]
    assert [r[0] for r in rows] == ["Tỉnh Bắc Kạn"]


def test_dashboard_follows_new_records_at_once(demo_projects):
    import datetime as dt

    from khuyencong.accounts.models import User
    from khuyencong.projects.models import Project
    from khuyencong.projects.services import disbursement_create
    from khuyencong.reports.dashboard import dashboard_data

    cuc = User.objects.get(username="cuc")
    params = {"year_from": 2018, "year_to": 2018}

    def paid_total():
        table = next(t for t in dashboard_data(cuc, params)["tables"] if t.key == "by_year")
        return table.totals[4]

    before = paid_total()
    assert paid_total() == before  # read again from the summary, same numbers
    from khuyencong.core.errors import DomainError

    for project in Project.objects.filter(plan__year=2018).order_by("code"):
        try:  # the first đề án that may still be paid 1 triệu
            disbursement_create(
                project=project,
                actor=cuc,
                kind="payment",
                source=project.plan.level,
                date=dt.date(2018, 8, 1),
                amount=1_000_000,
                document_no="TT-01",
            )
            break
        except DomainError:
            continue
    else:
        pytest.fail("no đề án of 2018 could take a payment")
    assert paid_total() == before + 1_000_000


def _figures_from_records():
    """What PlanFigure must hold, computed straight from the đề án, funding, payments and outputs."""
    from django.db.models import Count, Sum

    from khuyencong.projects.models import Disbursement, Project, ProjectFunding, ProjectOutput

    out = {}
    for r in (
        ProjectFunding.objects.exclude(source__code="counterpart")
        .exclude(project__status__in=["stopped", "cancelled"])
        .values("project__plan_id", "project__content_id")
        .annotate(s=Sum("approved"))
    ):
        out[(r["project__plan_id"], "money", str(r["project__content_id"]))] = (r["s"], 0)
    for r in (
        Disbursement.objects.exclude(source__code="counterpart")
        .exclude(project__status="cancelled")
        .values("project__plan_id", "project__content_id")
        .annotate(s=Sum("amount"))
    ):
        key = (r["project__plan_id"], "money", str(r["project__content_id"]))
        out[key] = (out.get(key, (0, 0))[0], r["s"])
    for (plan_id, _kind, _key), (approved, disbursed) in list(out.items()):
        total = out.get((plan_id, "total", ""), (0, 0))
        out[(plan_id, "total", "")] = (total[0] + approved, total[1] + disbursed)
    # The counterpart beside the state budget: one more total row a plan (approved of đề án still executing,
    # payments of đề án not cancelled).
    for r in (
        ProjectFunding.objects.filter(source__code="counterpart")
        .exclude(project__status__in=["stopped", "cancelled"])
        .values("project__plan_id")
        .annotate(s=Sum("approved"))
    ):
        if r["s"]:
            out[(r["project__plan_id"], "total", "counterpart")] = (r["s"], 0)
    for r in (
        Disbursement.objects.filter(source__code="counterpart")
        .exclude(project__status="cancelled")
        .values("project__plan_id")
        .annotate(s=Sum("amount"))
    ):
        key = (r["project__plan_id"], "total", "counterpart")
        out[key] = (out.get(key, (0, 0))[0], r["s"])
    for r in Project.objects.values("plan_id", "status").annotate(n=Count("pk")):
        out[(r["plan_id"], "status", r["status"])] = (r["n"], 0)
    for r in ProjectOutput.objects.values("project__plan_id", "indicator_id").annotate(s=Sum("quantity")):
        out[(r["project__plan_id"], "output", str(r["indicator_id"]))] = (r["s"], 0)
    return out


def _summary():
    from khuyencong.reports.figures import plan_figures_sync
    from khuyencong.reports.models import PlanFigure

    plan_figures_sync()
    return {
        (p, k, key): (v, d)
        for p, k, key, v, d in PlanFigure.objects.values_list("plan_id", "kind", "key", "value", "disbursed")
    }


def test_plan_summary_equals_the_records_after_every_kind_of_change(demo_projects):
    """Status changes (a stop removes the approved money), outputs, a đề án moved to another plan and a
    deleted
    đề án: after each, the summary the dashboard reads equals the records."""
    import datetime as dt

    from khuyencong.accounts.models import User
    from khuyencong.core.audit import delete_audited, save_audited
    from khuyencong.projects import services
    from khuyencong.projects.models import AnnualPlan, Project, ProjectOutput
    from khuyencong.reports.models import PlanFigure, PlanFigureDirty

    cuc = User.objects.get(username="cuc")
    assert _summary() == _figures_from_records()
    assert PlanFigureDirty.objects.count() == 0 and PlanFigure.objects.exists()

    # A đề án in progress asks to stop and is stopped: its approved money leaves the summary.
    asked = Project.objects.filter(status="in_progress").order_by("-code").first()
    approved_before = sum(
        v for (p, k, _c), (v, _d) in _summary().items() if p == asked.plan_id and k == "money"
    )
    services.project_transition(
        project=asked,
        actor=cuc,
        to_status="stop_requested",
        stop_reason="Không có thị trường",
        stop_requested_by="Cơ sở",
        expected_version=asked.version,
    )
    assert _summary() == _figures_from_records()
    asked = Project.objects.get(pk=asked.pk)
    services.project_transition(
        project=asked, actor=cuc, to_status="stopped", note="Đồng ý cho dừng", expected_version=asked.version
    )
    after = _summary()
    assert after == _figures_from_records()
    assert (
        sum(v for (p, k, _c), (v, _d) in after.items() if p == asked.plan_id and k == "money")
        < approved_before
    )

    # An output recorded by hand, then removed.
    project = Project.objects.filter(status="in_progress").exclude(pk=asked.pk).order_by("code").first()
    indicator = ProjectOutput.objects.values_list("indicator_id", flat=True).first()
    from khuyencong.catalog.models import OutputIndicator

    indicator = OutputIndicator.objects.get(pk=indicator) if indicator else OutputIndicator.objects.first()
    output = services.output_record(
        project=project, actor=cuc, indicator=indicator, quantity=7, date=dt.date(2018, 9, 1)
    )
    assert _summary() == _figures_from_records()
    delete_audited(output, actor=cuc)
    assert _summary() == _figures_from_records()

    # A đề án moved to another plan: both plans are rebuilt.
    other_plan = AnnualPlan.objects.exclude(pk=project.plan_id).order_by("pk").first()
    old_plan = project.plan_id
    project.plan = other_plan
    save_audited(project, actor=cuc)
    summary = _summary()
    assert summary == _figures_from_records()
    assert any(p == other_plan.pk for (p, _k, _c) in summary) and summary != {}
    assert PlanFigureDirty.objects.count() == 0
    assert old_plan != other_plan.pk

    # A deleted đề án (its funding rows, links and status trail go with it) leaves no figures behind.
    unpaid = (
        Project.objects.filter(disbursements__isnull=True).exclude(pk=project.pk).order_by("code").first()
    )
    plan_of_unpaid = unpaid.plan_id
    delete_audited(unpaid, actor=cuc)
    summary = _summary()
    assert summary == _figures_from_records()
    assert not any(
        key == unpaid.status and p == plan_of_unpaid and v == 0 for (p, _k, key), (v, _d) in summary.items()
    )


def test_dashboard_defaults_to_the_latest_years_on_record(demo_projects, cuc_admin, as_user):
    page = as_user(cuc_admin).get("/reports/dashboard/").content.decode()
    assert "kế hoạch năm 2014–2018" in page and "1.129" in page
