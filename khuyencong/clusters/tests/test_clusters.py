"""The cluster registry: the per-cluster cap across đề án, the cluster page's money, scoping, Excel, the
report hook."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from khuyencong.core.errors import DomainError, ImportFailed
from khuyencong.projects.models import ProjectFunding
from khuyencong.projects.tests import factories as pf

from .. import figures, imports, selectors, services
from ..models import IndustrialCluster
from .factories import TR, cluster, cluster_project

pytestmark = pytest.mark.django_db


def test_second_project_over_the_per_cluster_cap_is_refused_naming_the_rule(vinhlong_officer):
    c = cluster(vinhlong_officer)
    first = cluster_project(vinhlong_officer, c, national=3_500 * TR, counterpart=4_000 * TR, year=2017)
    assert first.cluster_id == c.pk
    with pytest.raises(DomainError) as exc:
        cluster_project(vinhlong_officer, c, national=3_000 * TR, counterpart=3_000 * TR, year=2018)
    message = exc.value.message
    assert "mỗi cụm công nghiệp" in message
    assert "Thông tư 28/2018/TT-BTC" in message
    assert "6 tỷ đồng mỗi cụm công nghiệp" in message
    assert exc.value.details["cap"] == "tt28-ha-tang-ccn"
    # Nothing of the refused đề án was kept; each alone is under the cap.
    assert c.projects.count() == 1
    other = cluster(vinhlong_officer)
    alone = cluster_project(vinhlong_officer, other, national=3_000 * TR, year=2018)
    assert alone.cluster_id == other.pk


def test_raising_money_on_an_existing_project_counts_the_others(vinhlong_officer):
    from khuyencong.projects import services as project_services

    c = cluster(vinhlong_officer)
    cluster_project(vinhlong_officer, c, national=4_000 * TR, year=2017)
    second = cluster_project(vinhlong_officer, c, national=1_500 * TR, year=2018)
    with pytest.raises(DomainError, match="mỗi cụm công nghiệp"):
        project_services.project_set_funding(
            project=second,
            actor=vinhlong_officer,
            funding={"national": {"requested": 2_500 * TR}},
            effective_date=dt.date(2018, 4, 2),
        )
    # Up to the cap exactly is allowed.
    project_services.project_set_funding(
        project=second,
        actor=vinhlong_officer,
        funding={"national": {"requested": 2_000 * TR}},
        effective_date=dt.date(2018, 4, 2),
    )


def test_moving_a_project_into_a_full_cluster_is_refused(vinhlong_officer):
    from khuyencong.projects import services as project_services

    full = cluster(vinhlong_officer)
    cluster_project(vinhlong_officer, full, national=5_000 * TR, year=2017)
    elsewhere = cluster(vinhlong_officer)
    p = cluster_project(vinhlong_officer, elsewhere, national=2_000 * TR, year=2018)
    with pytest.raises(DomainError, match="mỗi cụm công nghiệp"):
        project_services.project_update(
            project=p, actor=vinhlong_officer, changes={"cluster": full}, expected_version=p.version
        )


def test_cluster_page_totals_equal_the_sum_of_its_projects(vinhlong_officer, as_user):
    c = cluster(vinhlong_officer)
    a = cluster_project(vinhlong_officer, c, national=450 * TR, counterpart=150 * TR, year=2017)
    b = cluster_project(vinhlong_officer, c, national=2_500 * TR, counterpart=3_200 * TR, year=2017)
    d = cluster_project(vinhlong_officer, c, national=3_000 * TR, counterpart=2_800 * TR, year=2018)
    rows = selectors.cluster_projects(user=vinhlong_officer, cluster=c)
    money = selectors.money_by_year(rows)
    funding = ProjectFunding.objects.filter(project__in=[a, b, d])
    expected = sum(f.requested for f in funding)
    assert money["totals"]["total"] == expected == sum(r["total"] for r in rows)
    assert money["totals"]["national"] == 5_950 * TR
    assert sum(y["total"] for y in money["years"]) == expected
    assert [y["year"] for y in money["years"]] == [2017, 2018]
    response = as_user(vinhlong_officer).get(reverse("clusters:cluster", args=[c.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert a.title in html and d.code in html
    assert "5.950" in html  # national total, triệu
    api = as_user(vinhlong_officer).get(f"/api/v1/clusters/{c.pk}/projects/")
    assert api.status_code == 200
    assert api.json()["totals"]["total"] == expected


def test_outsider_gets_404_on_every_cluster_page_and_endpoint(vinhlong_officer, thainguyen_officer, as_user):
    c = cluster(vinhlong_officer)
    est = pf.establishment("Bến Tre")
    member = services.member_set(actor=vinhlong_officer, cluster=c, establishment=est)
    client = as_user(thainguyen_officer)
    for url in [
        reverse("clusters:cluster", args=[c.pk]),
        reverse("clusters:cluster", args=[c.pk]) + "?format=xlsx",
        reverse("clusters:edit", args=[c.pk]),
        f"/api/v1/clusters/{c.pk}/",
        f"/api/v1/clusters/{c.pk}/projects/",
        f"/api/v1/clusters/{c.pk}/members/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("clusters:member-add", args=[c.pk]),
        reverse("clusters:member-remove", args=[member.pk]),
    ]:
        assert client.post(url, {"establishment": est.pk}).status_code == 404, url
    assert (
        client.patch(f"/api/v1/clusters/{c.pk}/", {"name": "X"}, content_type="application/json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/clusters/{c.pk}/members/{member.pk}/").status_code == 404
    assert c.members.count() == 1
    listing = client.get(reverse("clusters:list"))
    assert c.name not in listing.content.decode()
    assert client.get("/api/v1/clusters/").json()["count"] == 0
    # The owner sees it.
    assert as_user(vinhlong_officer).get(reverse("clusters:cluster", args=[c.pk])).status_code == 200


def test_outsider_cannot_write_into_another_provinces_cluster(vinhlong_officer, thainguyen_officer):
    c = cluster(vinhlong_officer)
    with pytest.raises(DomainError):
        services.cluster_update(actor=thainguyen_officer, cluster=c, changes={"name": "Khác"})
    with pytest.raises(DomainError):
        cluster(thainguyen_officer, province_short="Bến Tre")


def test_project_cannot_name_a_cluster_of_another_province(vinhlong_officer, thainguyen_officer):
    other = cluster(thainguyen_officer, province_short="Bắc Kạn")
    with pytest.raises(DomainError, match="không thuộc tỉnh"):
        cluster_project(vinhlong_officer, other, national=100 * TR)


def _xlsx(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(imports.HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(
    name, commune_code, planned="50", occupied="10", planning="Đã hoàn thành", planning_date="10/09/2015"
):
    return [
        name,
        commune_code,
        "",
        "",
        "",
        planned,
        occupied,
        "1/QĐ",
        "20/06/2013",
        "Chủ đầu tư",
        planning,
        planning_date,
        "Chưa thực hiện",
        "",
        "Chưa thực hiện",
        "",
        "",
    ]


def test_import_is_all_or_nothing_with_row_and_column(vinhlong_officer):
    commune = pf.a_commune("Bến Tre")
    content = _xlsx(
        [
            _row("Cụm A", commune.code),
            _row("Cụm B", commune.code, planned="5", occupied="9"),
            _row("Cụm C", "99999", planning="Xong rồi"),
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        imports.cluster_import(actor=vinhlong_officer, content=content)
    errors = {(e.row, e.column) for e in exc.value.errors}
    assert (3, "Diện tích đã cho thuê (ha)") in errors
    assert (4, "Mã xã, phường (theo QĐ thành lập)") in errors
    assert (4, "Quy hoạch chi tiết") in errors
    assert not IndustrialCluster.objects.exists()
    result = imports.cluster_import(actor=vinhlong_officer, content=_xlsx([_row("Cụm A", commune.code)]))
    assert result.created == 1
    c = IndustrialCluster.objects.get()
    assert c.planning_status == "done" and c.planning_date == dt.date(2015, 9, 10)


def test_export_reimports_as_updates(vinhlong_officer, as_user):
    from khuyencong.testing import response_bytes

    cluster(vinhlong_officer, name="Cụm công nghiệp Xuất")
    response = as_user(vinhlong_officer).get(reverse("clusters:list") + "?format=xlsx")
    assert response.status_code == 200
    result = imports.cluster_import(actor=vinhlong_officer, content=response_bytes(response))
    assert (result.created, result.updated) == (0, 0) or result.updated <= 1
    assert IndustrialCluster.objects.count() == 1


def test_outputs_count_supported_clusters_and_relocations(vinhlong_officer, vinhlong_approver):
    from khuyencong.testing import old_province

    c = cluster(vinhlong_officer)
    p = cluster_project(vinhlong_officer, c, national=1_000 * TR, year=2018)
    pf.walk(p, "approved", officer=vinhlong_officer, approver=vinhlong_approver)
    est = pf.establishment("Bến Tre")
    services.member_set(
        actor=vinhlong_officer,
        cluster=c,
        establishment=est,
        relocated=True,
        relocated_from="Phường 7",
        relocation_date=dt.date(2018, 9, 1),
    )

    from khuyencong.reports.record_figures import record_outputs, record_sections

    ben_tre, vinh_long = old_province("Bến Tre"), _current_province("Vĩnh Long")
    year = (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    expected = {"cum-cong-nghiep": 1, "co-so-di-doi": 1}
    assert {k: v for k, v in record_outputs(ben_tre, *year).items() if k in expected} == expected
    assert {k: v for k, v in record_outputs(vinh_long, *year).items() if k in expected} == expected
    assert not {
        k for k in record_outputs(ben_tre, dt.date(2019, 1, 1), dt.date(2019, 12, 31)) if k in expected
    }
    assert not {k for k in record_outputs(old_province("Bắc Kạn"), *year) if k in expected}
    section = next(s for s in record_sections(ben_tre, *year) if s["key"] == "clusters")
    assert section["rows"] == [[c.name, c.commune.name, "Chưa thực hiện", "Chưa thực hiện", 1, 1]]
    assert section["totals"][-2:] == [1, 1]
    # The periodic report counts them ("computed, not typed") and carries the section.
    from khuyencong.reports.compute import compute_figures
    from khuyencong.reports.periods import YEAR, Period

    fig = compute_figures(ben_tre, Period.make(YEAR, 2018))
    outputs = {o["code"]: o for o in fig["outputs"]}
    assert outputs[figures.CLUSTER_CODE]["value"] == 1
    assert outputs[figures.CLUSTER_CODE].get("source") == "records"
    assert any(s["key"] == "clusters" for s in fig["sections"])


def _current_province(name):
    from khuyencong.testing import current_province

    return current_province(name)


def test_demo_loads_clusters_with_projects(db):
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.clusters import demo

    beneficiaries_demo.load()
    accounts_demo.load()
    demo.load()
    demo.load()  # idempotent
    assert IndustrialCluster.objects.count() == 5
    assert IndustrialCluster.objects.filter(planning_status="done").count() == 3
    an_hiep = IndustrialCluster.objects.get(name="Cụm công nghiệp An Hiệp")
    assert an_hiep.projects.count() == 2
    assert an_hiep.members.filter(relocated=True).count() == 2


def test_pages_create_edit_filter_and_member(vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    commune = pf.a_commune("Bến Tre")
    assert client.get(reverse("clusters:new")).status_code == 200
    response = client.post(
        reverse("clusters:new"),
        {
            "province": commune.current_province_id,
            "commune": commune.pk,
            "name": "Cụm công nghiệp Trang",
            "planned_area_ha": "40",
            "occupied_area_ha": "5",
            "planning_status": "done",
            "planning_date": "10/09/2015",
            "infrastructure_status": "none",
            "wastewater_status": "none",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    c = IndustrialCluster.objects.get(name="Cụm công nghiệp Trang")
    assert client.get(reverse("clusters:edit", args=[c.pk])).status_code == 200
    listing = client.get(reverse("clusters:list") + "?planning_status=done&supported=0&q=trang&sort=-area")
    assert "Cụm công nghiệp Trang" in listing.content.decode()
    assert (
        "Cụm công nghiệp Trang"
        not in client.get(reverse("clusters:list") + "?planning_status=none").content.decode()
    )
    est = pf.establishment("Bến Tre")
    r = client.post(
        reverse("clusters:member-add", args=[c.pk]),
        {
            "establishment": est.pk,
            "relocated": "on",
            "relocated_from": "Phường 7",
            "relocation_date": "01/09/2018",
        },
    )
    assert r.status_code == 302
    assert c.members.get().relocated
    assert client.get(reverse("clusters:import")).status_code == 200
    assert client.get(reverse("clusters:template")).status_code == 200
    api = client.get("/api/v1/clusters/?planning_status=done").json()
    assert api["count"] == 1
    assert client.get(f"/api/v1/clusters/{c.pk}/members/").json()[0]["relocated"] is True
    # Taken out again through the API (a cluster itself is never deleted).
    member = c.members.get()
    assert client.delete(f"/api/v1/clusters/{c.pk}/").status_code == 405
    assert client.delete(f"/api/v1/clusters/{c.pk}/members/{member.pk + 1000}/").status_code == 404
    assert client.delete(f"/api/v1/clusters/{c.pk}/members/{member.pk}/").status_code == 204
    assert not c.members.exists()


def test_api_project_names_its_cluster_and_cap_holds(vinhlong_officer, api_as):
    c = cluster(vinhlong_officer)
    cluster_project(vinhlong_officer, c, national=4_000 * TR, year=2018)
    plan = pf.plan(vinhlong_officer, "Bến Tre", 2018, "national")
    body = {
        "plan": plan.pk,
        "code": "CCN-API-1",
        "title": "Hạ tầng cụm (API)",
        "content": "7",
        "cluster": c.pk,
        "funding": {"national": {"requested": "2.500 triệu"}},
        "start_date": "2018-06-01",  # caps are read on it: Thông tư 28/2018 is in force from 15/05/2018
        "effective_date": "2018-04-01",
    }
    response = api_as(vinhlong_officer).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400, response.json()
    assert "mỗi cụm công nghiệp" in response.json()["error"]["message"]
    body["funding"] = {"national": {"requested": "2.000 triệu"}}
    response = api_as(vinhlong_officer).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["cluster"] == c.pk


def test_list_query_count_does_not_grow(vinhlong_officer, as_user, django_assert_max_num_queries):
    client = as_user(vinhlong_officer)
    for _ in range(3):
        cluster(vinhlong_officer)
    client.get(reverse("clusters:list"))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("clusters:list"))
    for _ in range(7):
        cluster(vinhlong_officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("clusters:list"))


def test_api_patch_names_a_cluster_on_a_content_7_project_only(vinhlong_officer, thainguyen_officer, api_as):
    c = cluster(vinhlong_officer)
    cluster(vinhlong_officer)  # another cluster, full: moving into it is refused by the cap
    full = cluster(vinhlong_officer)
    cluster_project(vinhlong_officer, full, national=5_000 * TR, year=2017)
    p = cluster_project(vinhlong_officer, c, national=2_000 * TR, year=2018)
    p.__class__.objects.filter(pk=p.pk).update(cluster=None)
    client = api_as(vinhlong_officer)

    def patch(project, cluster_id):
        project.refresh_from_db()
        body = {"expected_version": project.version, "cluster": cluster_id}
        return client.patch(f"/api/v1/projects/{project.pk}/", body, format="json")

    response = patch(p, c.pk)
    assert response.status_code == 200, response.json()
    assert response.json()["cluster"] == c.pk
    response = patch(p, full.pk)
    assert response.status_code == 400 and "mỗi cụm công nghiệp" in response.json()["error"]["message"]
    # A cluster the reader cannot see is unknown to them.
    foreign = cluster(thainguyen_officer, province_short="Thái Nguyên")
    response = patch(p, foreign.pk)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"Không có cụm công nghiệp mã {foreign.pk}."
    # Only a đề án of content 7 names a cluster.
    training = pf.project(vinhlong_officer, year=2018, content_code="1", support_cap=None)
    response = patch(training, c.pk)
    assert response.status_code == 400
    assert "Chỉ đề án nội dung 7" in response.json()["error"]["message"]
    # null takes the cluster away.
    response = patch(p, None)
    assert response.status_code == 200 and response.json()["cluster"] is None


def test_an_approved_project_names_its_cluster_on_the_adjustment_form(
    vinhlong_officer, vinhlong_approver, as_user
):
    from khuyencong.projects import services as project_services

    c = cluster(vinhlong_officer, name="Cụm công nghiệp Giao Long")
    full = cluster(vinhlong_officer, name="Cụm công nghiệp Đầy")
    cluster_project(vinhlong_officer, full, national=5_000 * TR, year=2017)
    p = cluster_project(vinhlong_officer, c, national=2_000 * TR, year=2018)
    p.__class__.objects.filter(pk=p.pk).update(cluster=None)
    for to, data in (
        ("registered", {}),
        ("appraised", {"appraisal_result": "passed"}),
        ("approved", {"decision_no": "9/QĐ-SCT", "decision_date": dt.date(2018, 6, 5)}),
    ):
        p.refresh_from_db()
        p = project_services.project_transition(
            project=p,
            actor=vinhlong_officer if to == "registered" else vinhlong_approver,
            to_status=to,
            expected_version=p.version,
            effective_date=dt.date(2018, 6, 5),
            **data,
        )
    client = as_user(vinhlong_approver)
    page = client.get(reverse("projects:detail", args=[p.pk])).content.decode()
    assert "— Chưa gắn với cụm —" in page and "Cụm công nghiệp Giao Long" in page

    def adjust(target):
        p.refresh_from_db()
        return client.post(
            reverse("projects:transition", args=[p.pk]),
            {"to_status": "adjust", "version": p.version, "reason": "Gắn cụm", "cluster": target.pk},
        )

    refused = adjust(full)
    assert refused.status_code == 400 and "mỗi cụm công nghiệp" in refused.content.decode()
    assert adjust(c).status_code == 302
    p.refresh_from_db()
    assert p.cluster_id == c.pk and p.status == "approved"
    assert p.revisions.get().new_values["cluster"] == "Cụm công nghiệp Giao Long"
    # A đề án of another content has no cluster box.
    training = pf.project(vinhlong_officer, year=2018, content_code="1", support_cap=None)
    assert 'name="cluster"' not in client.get(reverse("projects:detail", args=[training.pk])).content.decode()
