import io

import openpyxl
import pytest

from khuyencong import testing
from khuyencong.reports import demo
from khuyencong.reports.periods import HALF, Period

from .factories import make_report, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def vl_report(vinhlong_officer):
    return make_report(vinhlong_officer, results="Kết quả Bến Tre")


def report_urls(pk):
    return [
        f"/reports/{pk}/",
        f"/reports/{pk}/edit/",
        f"/reports/{pk}/docx/",
        f"/reports/{pk}/xlsx/",
        f"/history/reports.report/{pk}/",
    ]


def test_outsider_gets_404_on_every_report_page_and_export(vl_report, thainguyen_officer, as_user):
    client = as_user(thainguyen_officer)
    for url in report_urls(vl_report.pk):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/reports/{vl_report.pk}/transition/", {"to": "prepared"}).status_code == 404
    listing = client.get("/reports/").content.decode()
    assert "Tỉnh Bến Tre" not in listing
    xlsx = openpyxl.load_workbook(io.BytesIO(testing.response_bytes(client.get("/reports/?format=xlsx"))))
    assert xlsx.active.max_row == 2  # header + totals only


def test_owner_sees_pages_and_moves_the_report(vl_report, vinhlong_officer, vinhlong_approver, as_user):
    client = as_user(vinhlong_officer)
    for url in report_urls(vl_report.pk):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/reports/{vl_report.pk}/").content.decode()
    assert "Trình Sở duyệt" in page and "Kết quả Bến Tre" in page
    assert "Duyệt và gửi Cục" not in page  # an officer cannot submit
    assert 'name="version" value="%d"' % vl_report.version in page
    client.post(
        f"/reports/{vl_report.pk}/transition/",
        {"to": "prepared", "version": vl_report.version, "effective_date": "08/07/2016"},
    )
    vl_report.refresh_from_db()
    assert vl_report.status == "prepared"
    response = as_user(vinhlong_approver).post(
        f"/reports/{vl_report.pk}/transition/", {"to": "draft", "version": vl_report.version}, follow=True
    )
    assert "cần nêu lý do" in response.content.decode()
    # A page opened before someone else's change: refused, nothing changes.
    response = as_user(vinhlong_approver).post(
        f"/reports/{vl_report.pk}/transition/",
        {"to": "submitted", "version": vl_report.version - 1},
        follow=True,
    )
    assert "đã được người khác thay đổi" in response.content.decode()
    page = response.content.decode()
    assert "ngày 08/07/2016" in page and "ghi nhận lúc" in page
    vl_report.refresh_from_db()
    assert vl_report.status == "prepared"


def test_edit_page_offers_previous_text_and_refuses_locked(
    vinhlong_officer, vinhlong_approver, cuc_admin, as_user
):
    from khuyencong.reports.periods import NINE_MONTHS

    make_report(vinhlong_officer, difficulties="Thiếu vốn đối ứng kỳ trước")
    second = make_report(vinhlong_officer, period=Period.make(NINE_MONTHS, 2016), copy_previous=False)
    client = as_user(vinhlong_officer)
    page = client.get(f"/reports/{second.pk}/edit/").content.decode()
    assert "Nội dung kỳ trước (6 tháng đầu năm 2016)" in page and "Thiếu vốn đối ứng kỳ trước" in page
    for to, actor in (
        ("prepared", vinhlong_officer),
        ("submitted", vinhlong_approver),
        ("accepted", cuc_admin),
    ):
        move(actor, second.pk, to)
    second.refresh_from_db()
    data = {
        f: getattr(second, f) or ""
        for f in [
            "title",
            "number",
            "issuer_parent",
            "issuer",
            "place",
            "signer_title",
            "signer_name",
            "results",
            "difficulties",
            "causes",
            "solutions",
            "next_plan",
            "recipients",
        ]
    }
    data.update({"results": "Sửa trái phép", "version": second.version, "report_date": ""})
    page = client.post(f"/reports/{second.pk}/edit/", data, follow=True).content.decode()
    assert "đã khóa nên không sửa được nữa" in page
    second.refresh_from_db()
    assert second.results != "Sửa trái phép"


def test_create_page_validates_in_vietnamese(vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    bt = testing.old_province("Bến Tre")
    page = client.post(
        "/reports/new/", {"unit": bt.pk, "kind": "quarter", "year": 2016, "number": 7}
    ).content.decode()
    assert "Quý phải từ 1 đến 4" in page or "nhỏ hơn hoặc bằng 4" in page
    response = client.post("/reports/new/", {"unit": bt.pk, "kind": "quarter", "year": 2016, "number": 2})
    assert response.status_code == 302
    outsider_unit = testing.old_province("Bắc Kạn")
    page = client.post(
        "/reports/new/", {"unit": outsider_unit.pk, "kind": "half", "year": 2016}
    ).content.decode()
    assert "Lựa chọn không hợp lệ" in page or "không" in page.lower()


def test_regional_page_shows_seed_002_totals_and_says_its_source(cuc_admin, as_user):
    demo.load_southern_2019(cuc_admin)
    client = as_user(cuc_admin)
    page = client.get(
        "/reports/aggregate/?region=phia-nam&kind=half&year=2019&source=accepted"
    ).content.decode()
    assert "85.865 triệu đồng" in page and "16.578 triệu đồng" in page and "19,3 %" in page
    assert "Tổng hợp từ các báo cáo đã được Cục tiếp nhận" in page
    assert "85,865 tỷ đồng" in page
    live = client.get("/reports/aggregate/?region=phia-nam&kind=half&year=2019&source=live").content.decode()
    assert "Tính trực tiếp từ dữ liệu đề án" in live
    wb = openpyxl.load_workbook(
        io.BytesIO(client.get("/reports/aggregate/?region=phia-nam&kind=half&year=2019&format=xlsx").content)
    )
    ws = wb["Kinh phí theo tỉnh"]
    headers = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    totals = dict(
        zip(headers, [ws.cell(ws.max_row, c).value for c in range(1, ws.max_column + 1)], strict=True)
    )
    assert totals["Tỉnh, thành phố"] == "Tổng cộng" and totals["Kế hoạch được giao (triệu đồng)"] == 85865
    assert totals["Thực hiện NSNN (triệu đồng)"] == 16578 and totals["Tỷ lệ thực hiện"] == 0.1931
    assert totals["Giải ngân KCQG (triệu đồng)"] + totals["Giải ngân KCĐP (triệu đồng)"] == 16578
    response = client.get("/reports/aggregate/?region=phia-nam&kind=half&year=2019&format=docx")
    name = "tong-hop-6-thang-2019-khu-vuc-phia-nam.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    docx_bytes = response.content
    import docx
    from docx.enum.section import WD_ORIENT

    d = docx.Document(io.BytesIO(docx_bytes))
    text = "\n".join(p.text for p in d.paragraphs)
    # The 16-column province table prints on a landscape page; the letter itself stays portrait.
    portrait, landscape = WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE
    assert [s.orientation for s in d.sections] == [portrait, landscape, portrait]
    assert "Báo cáo tổng hợp" not in text and "Tổng hợp kết quả hoạt động khuyến công" in text
    from khuyencong.core.money import amount_in_words

    assert "85.865" in text and f"bằng chữ: {amount_in_words(85_865_000_000)}" in text
    assert amount_in_words(85_865_000_000).startswith("Tám mươi")
    completeness = client.get("/reports/completeness/?region=phia-nam&kind=half&year=2019").content.decode()
    assert "Trễ hạn" in completeness and "15/07/2019" in completeness


def test_outsider_sees_no_other_province_in_aggregate_and_completeness(
    cuc_admin, thainguyen_officer, as_user
):
    demo.load_southern_2019(cuc_admin)
    client = as_user(thainguyen_officer)
    for url in (
        "/reports/aggregate/?region=phia-nam&kind=half&year=2019",
        "/reports/completeness/?region=phia-nam&kind=half&year=2019",
    ):
        page = client.get(url).content.decode()
        assert "Tỉnh Bến Tre" not in page and "Thành phố Hồ Chí Minh" not in page, url
    page = client.get("/reports/aggregate/?region=phia-nam&kind=half&year=2019").content.decode()
    assert "85.865" not in page


def test_settings_page_is_admin_only_and_replaces_the_template(
    cuc_admin, vinhlong_officer, as_user, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from khuyencong.reports.documents import DEFAULT_TEMPLATE

    settings.MEDIA_ROOT = tmp_path
    assert as_user(vinhlong_officer).get("/reports/settings/").status_code == 403
    client = as_user(cuc_admin)
    assert client.get("/reports/settings/").status_code == 200
    # A replacement: the default with a marker line added.
    import docx

    d = docx.Document(str(DEFAULT_TEMPLATE))
    d.add_paragraph("MẪU THAY THẾ CỦA CỤC {{ unit }}")
    buf = io.BytesIO()
    d.save(buf)
    upload = SimpleUploadedFile("mau.docx", buf.getvalue())
    client.post("/reports/settings/", {"tpl-name": "Mẫu mới", "tpl-file": upload})
    report = make_report(cuc_admin)
    out = docx.Document(io.BytesIO(client.get(f"/reports/{report.pk}/docx/").content))
    assert any("MẪU THAY THẾ CỦA CỤC Tỉnh Bến Tre" in p.text for p in out.paragraphs)
    bad = SimpleUploadedFile("x.docx", b"not a docx")
    page = client.post("/reports/settings/", {"tpl-file": bad}, follow=True).content.decode()
    assert "không đọc được" in page
    client.post(
        "/reports/settings/", {"dl-period_kind": "half", "dl-days_after_end": 20, "dl-note": "Công văn"}
    )
    from khuyencong.reports.services import deadline_for

    assert deadline_for(Period.make(HALF, 2020)).isoformat() == "2020-07-20"


def test_report_list_totals_sum_the_frozen_figures_of_the_listed_reports(cuc_admin, as_user):
    """Seed 002's 20 accepted southern reports: 85.865 triệu assigned, 16.578 triệu done (summed in SQL)."""
    demo.load_southern_2019(cuc_admin)
    page = as_user(cuc_admin).get("/reports/?kind=half&year=2019").content.decode()
    foot = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert "85.865" in foot and "16.578" in foot
