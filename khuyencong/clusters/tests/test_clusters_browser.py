"""In Chromium, as a new province officer: records a cluster (decision number and date, area typed the
Vietnamese way, commune, detailed planning done), opens it, imports a plan's content-7 đề án naming it from
the plan's own Excel template, reads on the cluster page the đề án and a total equal to its approved money,
then filters and sorts the cluster list and downloads its Excel export, read back with openpyxl."""

import os

import openpyxl
import pytest

from khuyencong import testing
from khuyencong.browser import browser_page, login
from khuyencong.clusters.models import IndustrialCluster
from khuyencong.projects import plan_import
from khuyencong.projects.models import Project
from khuyencong.projects.tests import factories as pf

pytestmark = pytest.mark.browser


def _filled_template(path: str) -> str:
    """The downloaded template with one content-7 đề án naming the cluster (folded, without "Cụm công
    nghiệp"), approved for 3.500 triệu of national funds."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Đề án"]
    header = [c.value for c in ws[1]]
    assert plan_import.HEADER_OF["cluster"] in header
    values = {
        "title": "Hỗ trợ đầu tư hạ tầng cụm công nghiệp Phú Thuận",
        "content": "7",
        "registered_on": "10/01/2019",
        "requested": "3.500 triệu",
        "approved": "3.500 triệu",
        "counterpart": "1,2 tỷ",
        "decision_no": "88/QĐ-SCT",
        "decision_date": "15/03/2019",
        "status": "Đã phê duyệt",
        "status_date": "15/03/2019",
        "cluster": "phu thuan",
    }
    ws.append([values.get(key, None) for _h, key in plan_import.COLUMNS])
    out = path.replace(".xlsx", "-filled.xlsx")
    wb.save(out)
    return out


def test_officer_records_a_cluster_and_funds_it(live_server, base_data_transactional, settings, tmp_path):
    officer = testing.province_user("Vĩnh Long", "vl.ccn", "officer")
    plan = pf.plan(officer, "Bến Tre", 2019, "national", title="Kế hoạch KCQG 2019")
    commune = pf.a_commune("Bến Tre")
    other = IndustrialCluster.objects.none()
    url = live_server.url
    with browser_page() as page:

        def names():
            return page.locator("table tbody tr td:first-child").all_inner_texts()

        login(page, url, "vl.ccn", settings.DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=user-org]")
        page.goto(f"{url}/clusters/")
        page.click("a:has-text('Thêm cụm công nghiệp')")
        page.fill("#id_name", "Cụm công nghiệp Phú Thuận")
        page.select_option("#id_commune", str(commune.pk))
        page.fill("#id_planned_area_ha", "12,5")
        page.fill("#id_occupied_area_ha", "3,25")
        page.fill("#id_decision_no", "45/QĐ-UBND")
        page.fill("#id_decision_date", "20/03/2015")
        page.fill("#id_investor", "Công ty Phát triển hạ tầng Bến Tre")
        page.select_option("#id_planning_status", "done")
        page.fill("#id_planning_date", "12/10/2016")
        page.click("button:has-text('Lưu')")
        page.wait_for_selector(".alert-success")
        assert page.inner_text("h1") == "Cụm công nghiệp Phú Thuận"
        facts = page.inner_text("dl")
        assert "45/QĐ-UBND ngày 20/03/2015" in facts
        assert "12,50 ha / 3,25 ha (26,0 %)" in facts
        assert "Đã hoàn thành (12/10/2016)" in facts
        assert commune.name in facts
        assert "Chưa có đề án nào hỗ trợ cụm này." in page.inner_text("[data-testid=cluster-projects]")
        cluster = IndustrialCluster.objects.get(name="Cụm công nghiệp Phú Thuận")

        # A second cluster, not yet planned nor funded: the filters must tell them apart.
        page.goto(f"{url}/clusters/new/")
        page.fill("#id_name", "Cụm công nghiệp An Hiệp")
        page.select_option("#id_commune", str(commune.pk))
        page.fill("#id_planned_area_ha", "30")
        page.click("button:has-text('Lưu')")
        page.wait_for_selector(".alert-success")
        other = IndustrialCluster.objects.get(name="Cụm công nghiệp An Hiệp")

        # The plan's đề án from its own Excel template, the cluster named in the new column.
        page.goto(f"{url}/projects/plans/{plan.pk}/")
        page.click("[data-testid=plan-import]")
        with page.expect_download() as info:
            page.click("[data-testid=template]")
        template = str(tmp_path / "mau.xlsx")
        info.value.save_as(template)
        page.set_input_files("#f-file", _filled_template(template))
        page.click("[data-testid=import-upload]")
        preview = page.inner_text("[data-testid=import-preview]")
        assert preview == "Sẽ nhập 1 dòng: 1 đề án mới, 0 đề án thay đổi, 0 đề án không thay đổi."
        page.click("[data-testid=import-confirm]")
        page.wait_for_selector(".alert-success")
        project = Project.objects.get(plan=plan)
        assert project.cluster_id == cluster.pk

        page.goto(f"{url}/clusters/{cluster.pk}/")
        table = page.inner_text("[data-testid=cluster-projects]")
        assert "Hỗ trợ đầu tư hạ tầng cụm công nghiệp Phú Thuận" in table and "Đã phê duyệt" in table
        assert page.inner_text("[data-testid=total-national]") == "3.500"
        assert page.inner_text("[data-testid=total-all]") == "4.700"
        page.click("a:has-text('Hỗ trợ đầu tư hạ tầng cụm công nghiệp Phú Thuận')")
        page.wait_for_selector("h1")
        assert "Cụm công nghiệp Phú Thuận" in page.content()

        # The list: search without diacritics, filters by work and support, sorts by area.
        page.goto(f"{url}/clusters/")
        page.fill("#f-q", "phu thuan")
        page.press("#f-q", "Enter")
        page.wait_for_url("**q=phu+thuan**")
        assert names() == ["Cụm công nghiệp Phú Thuận"]
        page.goto(f"{url}/clusters/")
        page.select_option("#f-planning_status", "none")
        page.select_option("#f-s", "0")
        page.locator("#f-s").evaluate("el => el.form.requestSubmit()")
        page.wait_for_url("**supported=0**")
        assert names() == ["Cụm công nghiệp An Hiệp"]
        page.goto(f"{url}/clusters/?supported=1")
        assert names() == ["Cụm công nghiệp Phú Thuận"]
        page.goto(f"{url}/clusters/")
        page.click("th a:has-text('Quy hoạch (ha)')")
        page.wait_for_url("**sort=area")
        by_area = names()
        assert by_area == ["Cụm công nghiệp Phú Thuận", "Cụm công nghiệp An Hiệp"]  # 12,5 ha, 30 ha
        page.click("th a:has-text('Quy hoạch (ha)')")
        page.wait_for_url("**sort=-area")
        assert names() == by_area[::-1]

        # Its Excel export, filtered, read back.
        page.goto(f"{url}/clusters/?q=phu+thuan")
        with page.expect_download() as info:
            page.click("a:has-text('Xuất Excel')")
        exported = tmp_path / "cum.xlsx"
        info.value.save_as(exported)
        if os.environ.get("KC_SHOT"):
            page.goto(f"{url}/clusters/{cluster.pk}/")
            page.screenshot(path=os.environ["KC_SHOT"], full_page=True)
    rows = list(openpyxl.load_workbook(exported).active.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and "Tên cụm công nghiệp" in [str(c) for c in r])
    header = [str(c) if c is not None else "" for c in rows[header_at]]
    body = [dict(zip(header, r, strict=False)) for r in rows[header_at + 1 :] if r and r[0]]
    line = next(r for r in body if r["Tên cụm công nghiệp"] == "Cụm công nghiệp Phú Thuận")
    assert all(r["Tên cụm công nghiệp"] != other.name for r in body)
    assert line["Số QĐ thành lập"] == "45/QĐ-UBND" and line["Ngày QĐ thành lập"] == "20/03/2015"
    assert float(line["Diện tích quy hoạch (ha)"]) == 12.5
    assert float(line["Diện tích đã cho thuê (ha)"]) == 3.25
    assert line["Quy hoạch chi tiết"] == "Đã hoàn thành" and line["Ngày (quy hoạch chi tiết)"] == "12/10/2016"
    assert line["Xã, phường"] == commune.name
