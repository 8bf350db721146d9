"""Issue 19: a content-7 đề án of a plan's Excel file names its industrial cluster (optional column «Cụm công
nghiệp»), matched by name within the plan's province; the per-cluster cap of Thông tư 28/2018 is checked over
every đề án of the cluster, the file's other rows included; errors by row and column; the template and the
exports carry the column."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.clusters.tests.factories import TR, cluster, cluster_project
from khuyencong.core.errors import ImportFailed
from khuyencong.projects import plan_import
from khuyencong.projects.models import Project, ProjectFunding, Revision, StatusChange
from khuyencong.projects.tests import factories as f
from khuyencong.projects.tests.test_plan_import import xlsx
from khuyencong.testing import response_bytes

pytestmark = pytest.mark.django_db

CLUSTER = plan_import.HEADER_OF["cluster"]
MONEY = plan_import.HEADER_OF["requested"]


@pytest.fixture
def plan(vinhlong_officer):
    return f.plan(vinhlong_officer, "Bến Tre", 2019, "national", title="KCQG 2019")


@pytest.fixture
def an_hiep(vinhlong_officer):
    return cluster(vinhlong_officer, name="Cụm công nghiệp An Hiệp")


def row(title, national, cluster_name="", content="7", **kw):
    return {
        "title": title,
        "content": content,
        "registered_on": "10/01/2019",
        "requested": national,
        "cluster": cluster_name,
        **kw,
    }


def approved(title, national, cluster_name="", **kw):
    return row(
        title,
        national,
        cluster_name,
        approved=national,
        decision_no="20/QĐ-SCT",
        decision_date="15/03/2019",
        status="Đã phê duyệt",
        status_date="15/03/2019",
        **kw,
    )


def run(actor, plan, rows, **kw):
    return plan_import.plan_projects_import(
        actor=actor, plan=plan, content=xlsx(rows), filename="ke-hoach.xlsx", **kw
    )


def errors_of(exc) -> list[tuple]:
    return [(e.row, e.column, e.reason) for e in exc.value.errors]


@pytest.mark.parametrize("bulk", [True, False])
def test_a_row_names_its_cluster_by_name_without_diacritics(vinhlong_officer, plan, an_hiep, bulk):
    result = run(
        vinhlong_officer,
        plan,
        [
            approved("Hạ tầng CCN An Hiệp giai đoạn 1", "2.000 triệu", "CCN an hiep"),
            row("Tập huấn", "80 triệu", "", content="1"),
        ],
        bulk=bulk,
    )
    assert result.created == 2
    p = Project.objects.get(plan=plan, title="Hạ tầng CCN An Hiệp giai đoạn 1")
    assert p.cluster_id == an_hiep.pk and p.status == "approved"
    assert Project.objects.get(plan=plan, title="Tập huấn").cluster_id is None
    # The cluster's page lists it with its approved money.
    assert an_hiep.projects.get().pk == p.pk


def test_template_and_exports_carry_the_cluster_and_round_trip(vinhlong_officer, plan, an_hiep, as_user):
    run(vinhlong_officer, plan, [approved("Hạ tầng An Hiệp", "2.000 triệu", "cụm công nghiệp an hiệp")])
    client = as_user(vinhlong_officer)
    response = client.get(reverse("projects:plan_projects_xlsx", args=[plan.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(response_bytes(response)))
    ws = wb["Đề án"]
    header = [c.value for c in ws[1]]
    line = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert line[CLUSTER] == "Cụm công nghiệp An Hiệp"
    valid = [[c.value for c in r] for r in wb["Mã hợp lệ"].iter_rows()]
    assert valid[0][12] == "Cụm công nghiệp" and ["Cụm công nghiệp An Hiệp"] == [
        r[12] for r in valid[1:] if r[12]
    ]
    guide = " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"])
    assert "Cụm công nghiệp" in guide and "kể cả các dòng khác của tệp này" in guide
    # The exported file imported again changes nothing.
    again = plan_import.plan_projects_import(
        actor=vinhlong_officer, plan=plan, content=response_bytes(response), filename="lai.xlsx"
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    # The đề án list export has the column too.
    listing = client.get("/projects/?format=xlsx&sort=code")
    sheet = openpyxl.load_workbook(io.BytesIO(response_bytes(listing))).active
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[2]
    assert head[-1] == "Cụm công nghiệp"
    assert rows[3][head.index("Cụm công nghiệp")] == "Cụm công nghiệp An Hiệp"


def test_unknown_foreign_and_non_content_7_clusters_are_refused_by_row_and_column(
    vinhlong_officer, cuc_admin, thainguyen_officer, plan, an_hiep
):
    cluster(thainguyen_officer, province_short="Thái Nguyên", name="Cụm công nghiệp Sơn Cẩm")
    rows = [
        approved("Hạ tầng cụm không có", "1.000 triệu", "Cụm công nghiệp Không Có"),
        approved("Hạ tầng cụm tỉnh khác", "1.000 triệu", "Sơn Cẩm"),
        row("Đào tạo nghề", "80 triệu", "An Hiệp", content="1"),
    ]
    with pytest.raises(ImportFailed) as exc:
        run(vinhlong_officer, plan, rows)
    found = errors_of(exc)
    assert [(r, c) for r, c, _ in found] == [(2, CLUSTER), (3, CLUSTER), (4, CLUSTER)]
    assert "Không có cụm công nghiệp tên này trong" in found[0][2]
    # The province officer does not see Thái Nguyên's cluster: to them it is unknown, and never named.
    assert "Không có cụm công nghiệp tên này trong" in found[1][2]
    assert "Chỉ đề án nội dung 7" in found[2][2] and "nội dung 1" in found[2][2]
    # The Cục sees every cluster: told it is of another province.
    with pytest.raises(ImportFailed) as exc:
        run(cuc_admin, plan, rows)
    assert "không thuộc" in errors_of(exc)[1][2] and "tỉnh của kế hoạch" in errors_of(exc)[1][2]
    assert not Project.objects.filter(plan=plan).exists()


@pytest.mark.parametrize(("bulk", "commit"), [(True, True), (True, False), (False, True)])
def test_two_rows_under_the_cap_but_above_it_together_are_refused(
    vinhlong_officer, plan, an_hiep, bulk, commit
):
    rows = [
        approved("Quy hoạch chi tiết An Hiệp", "3.500 triệu", "An Hiệp"),
        row("Hạ tầng An Hiệp", "3.000 triệu", "An Hiệp"),
        row("Tập huấn", "80 triệu", content="1"),
    ]
    with pytest.raises(ImportFailed) as exc:
        run(vinhlong_officer, plan, rows, bulk=bulk, commit=commit)
    [(n, column, reason)] = errors_of(exc)
    assert (n, column) == (3, MONEY)
    assert "mỗi cụm công nghiệp" in reason and "Thông tư 28/2018/TT-BTC" in reason
    assert "Cụm công nghiệp An Hiệp" in reason and "6,5 tỷ" in reason
    if bulk:
        assert "kể cả dòng 2 của tệp" in reason
    assert not Project.objects.filter(plan=plan).exists()
    # Each alone is under the cap.
    assert run(vinhlong_officer, plan, rows[1:], bulk=bulk).created == 2


def test_the_cap_counts_the_clusters_other_projects_in_the_database(vinhlong_officer, plan, an_hiep):
    cluster_project(vinhlong_officer, an_hiep, national=4_000 * TR, year=2017)
    with pytest.raises(ImportFailed) as exc:
        run(vinhlong_officer, plan, [row("Hạ tầng đợt 2", "2.500 triệu", "An Hiệp")])
    [(n, column, reason)] = errors_of(exc)
    assert (n, column) == (2, MONEY) and "4 tỷ" in reason and "mỗi cụm công nghiệp" in reason
    # A stopped or cancelled đề án holds nothing; exactly the cap is allowed.
    assert run(vinhlong_officer, plan, [row("Hạ tầng đợt 2", "2.000 triệu", "An Hiệp")]).created == 1


def test_a_changed_project_of_the_file_counts_against_its_new_rows(vinhlong_officer, plan, an_hiep):
    """A đề án already in the plan, raised by the file through the services, plus a new row: together above
    the cap (each check alone would pass)."""
    run(vinhlong_officer, plan, [row("Hạ tầng giai đoạn 1", "3.000 triệu", "An Hiệp")])
    code = Project.objects.get(plan=plan).code
    rows = [
        row("Hạ tầng giai đoạn 2", "2.800 triệu", "An Hiệp"),
        row("Hạ tầng giai đoạn 1", "3.500 triệu", "An Hiệp", code=code),
    ]
    with pytest.raises(ImportFailed) as exc:
        run(vinhlong_officer, plan, rows)
    [(n, column, reason)] = errors_of(exc)
    assert (n, column) == (2, MONEY) and "mỗi cụm công nghiệp" in reason and "6,3 tỷ" in reason
    assert Project.objects.filter(plan=plan).count() == 1
    assert ProjectFunding.objects.get(project__plan=plan, source__code="national").requested == 3_000 * TR


def test_an_approved_project_names_its_cluster_by_an_adjustment(vinhlong_officer, plan, an_hiep):
    without = approved("Hạ tầng An Hiệp", "2.000 triệu")
    del without["cluster"]
    run(vinhlong_officer, plan, [without])
    p = Project.objects.get(plan=plan)
    assert p.cluster_id is None
    result = run(vinhlong_officer, plan, [{**without, "code": p.code, "cluster": "An Hiệp"}])
    assert result.updated == 1 and "Cụm công nghiệp" in result.lines[0]
    p.refresh_from_db()
    assert p.cluster_id == an_hiep.pk and p.status == "approved"
    revision = Revision.objects.get(project=p)
    assert revision.new_values["cluster"] == "Cụm công nghiệp An Hiệp"
    assert StatusChange.objects.filter(project=p, action="adjust").count() == 1
    # Again: nothing changes; a blank cell does not take the cluster away.
    assert run(vinhlong_officer, plan, [{**without, "code": p.code, "cluster": "An Hiệp"}]).unchanged == 1
    assert run(vinhlong_officer, plan, [{**without, "code": p.code, "cluster": ""}]).unchanged == 1


def test_cluster_names_are_read_in_one_query(vinhlong_officer, plan, an_hiep):
    others = [cluster(vinhlong_officer, name=f"Cụm công nghiệp Số {i}") for i in range(6)]

    def count(n, start):
        rows = [
            row(f"Hạ tầng {start + i}", "100 triệu", others[i % len(others)].name, code=f"C-{start + i:03d}")
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            assert run(vinhlong_officer, plan, rows).created == n
        return len(ctx.captured_queries)

    small, large = count(6, 1), count(36, 100)
    assert large - small < 12, (small, large)
