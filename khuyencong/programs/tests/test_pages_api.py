"""Pages and API: what a Vĩnh Long officer sees of the (old) Bến Tre programme, what the outsider (Thái
Nguyên)
gets (404 everywhere), forms with Vietnamese errors, progress fed by đề án through program_execution."""

import io

import openpyxl
import pytest
from django.urls import reverse

from khuyencong.programs import services
from khuyencong.programs.tests.factories import make_program
from khuyencong.projects.selectors import ExecutionFigures

TR = 10**6


@pytest.fixture
def program(vinhlong_officer):
    p = make_program(vinhlong_officer, title="Chương trình khuyến công Bến Tre thử")
    services.budget_replace(
        actor=vinhlong_officer,
        program=p,
        cells={
            ("3", "national", 2016): 1_200 * TR,
            ("3", "local", 2016): 1_500 * TR,
            ("3", "counterpart", 2016): 30_000 * TR,
            ("9", "local", 2014): 200 * TR,
        },
    )
    services.stated_figure_add(
        actor=vinhlong_officer,
        program=p,
        kind="amount",
        value="150",
        content="9",
        location="Phần 2, mục II.2.9",
    )
    services.target_create(
        actor=vinhlong_officer,
        program=p,
        name="Đào tạo nghề cho lao động",
        unit="lao động",
        content="1",
        indicator="hoc-vien",
        values={"2014-2015": 400, "2016-2020": 1350},
    )
    return p


PAGES = [
    "programs:detail",
    "programs:edit",
    "programs:progress",
    "programs:appendix_xlsx",
    "programs:appendix_docx",
]
POSTS = [
    "programs:transition",
    "programs:import",
    "programs:budget",
    "programs:stated",
    "programs:target",
    "programs:phase",
    "programs:basis",
]


@pytest.mark.django_db
def test_outsider_gets_404_on_every_page_export_and_endpoint(program, thainguyen_officer, as_user, api_as):
    client = as_user(thainguyen_officer)
    for name in PAGES:
        assert client.get(reverse(name, args=[program.pk])).status_code == 404, name
    for name in POSTS:
        assert client.post(reverse(name, args=[program.pk]), {"target": "submitted"}).status_code == 404, name
    assert client.get(f"/history/programs.program/{program.pk}/").status_code == 404
    listing = client.get(reverse("programs:list"))
    assert program.title not in listing.content.decode()
    api = api_as(thainguyen_officer)
    assert api.get("/api/v1/programs/").json()["count"] == 0
    for suffix in ("", "matrix/", "check/", "progress/", "transitions/"):
        response = api.get(f"/api/v1/programs/{program.pk}/{suffix}")
        assert response.status_code == 404, suffix
        assert response.json()["error"]["message"] == "Không tìm thấy hoặc bạn không có quyền xem."
    assert (
        api.post(
            f"/api/v1/programs/{program.pk}/transitions/", {"to_status": "submitted"}, format="json"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_vinhlong_sees_the_ben_tre_programme(program, vinhlong_officer, cuc_admin, as_user, api_as):
    client = as_user(vinhlong_officer)
    page = client.get(reverse("programs:list")).content.decode()
    assert program.title in page and "Tỉnh Bến Tre" in page and "32.900" in page
    detail = client.get(reverse("programs:detail", args=[program.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "Dự thảo" in html and "Giai đoạn 2014-2015" in html and "Tổng giai đoạn" in html
    assert "32.700" in html  # content 3, year 2016 = 1.200 + 1.500 + 30.000 (computed)
    assert "1 chênh lệch" in html and "Phần 2, mục II.2.9" in html
    assert 'data-testid="disagree-cell"' in html  # content 9, programme total cell highlighted
    assert "Lịch sử thay đổi" in html and "Trình phê duyệt" in html
    history = client.get(f"/history/programs.program/{program.pk}/")
    assert history.status_code == 200
    data = api_as(vinhlong_officer).get("/api/v1/programs/").json()
    assert data["count"] == 1 and data["results"][0]["budget_total"] == 32_900 * TR
    assert api_as(cuc_admin).get(f"/api/v1/programs/{program.pk}/").status_code == 200


@pytest.mark.django_db
def test_list_filters_sort_and_excel(program, vinhlong_officer, as_user):
    other = make_program(
        vinhlong_officer,
        owner="Trà Vinh",
        year_from=2021,
        year_to=2025,
        phases=(),
        title="Chương trình khuyến công Trà Vinh 2021-2025",
    )
    client = as_user(vinhlong_officer)
    html = client.get(reverse("programs:list"), {"q": "tra vinh"}).content.decode()
    assert other.title in html and program.title not in html
    html = client.get(reverse("programs:list"), {"year": "2015"}).content.decode()
    assert program.title in html and other.title not in html
    html = client.get(reverse("programs:list"), {"sort": "title"}).content.decode()
    assert html.index(program.title) < html.index(other.title)
    response = client.get(reverse("programs:list"), {"format": "xlsx", "year": "2015"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[2][0] == "Tên chương trình" and values[3][0] == program.title and values[3][9] == 32_900
    assert values[4][0] == "Tổng cộng" and len(values) == 5


@pytest.mark.django_db
def test_exports_from_the_page(program, vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    xlsx = client.get(reverse("programs:appendix_xlsx", args=[program.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["A1"].value == "PHỤ LỤC 1" and ws["A3"].value == "Đơn vị tính: Triệu đồng"
    docx_response = client.get(reverse("programs:appendix_docx", args=[program.pk]))
    assert docx_response.status_code == 200 and docx_response.content[:2] == b"PK"


@pytest.mark.django_db
def test_forms_show_vietnamese_errors_next_to_fields(program, vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    response = client.post(
        reverse("programs:budget", args=[program.pk]),
        {"cell-content": "1", "cell-funding_source": "national", "cell-year": "2014", "cell-amount": "1.2.3"},
    )
    assert response.status_code == 400
    assert "Không rõ nghĩa «1.2.3»" in response.content.decode()
    response = client.post(
        reverse("programs:budget", args=[program.pk]),
        {"cell-content": "1", "cell-funding_source": "national", "cell-year": "2014", "cell-amount": "60"},
    )
    assert response.status_code == 400  # a bare "60" (triệu or đồng?) must say its unit
    assert "Ghi rõ đơn vị: 60 triệu đồng hay 60 đồng?" in response.content.decode()
    assert not program.budget_lines.filter(content__code="1", year=2014).exists()
    response = client.post(
        reverse("programs:budget", args=[program.pk]),
        {
            "cell-content": "1",
            "cell-funding_source": "national",
            "cell-year": "2014",
            "cell-amount": "60 triệu",
        },
    )
    assert response.status_code == 302
    assert program.budget_lines.get(content__code="1", year=2014).amount == 60 * TR
    bad_file = io.BytesIO(b"xx")
    bad_file.name = "phu-luc.xlsx"
    response = client.post(reverse("programs:import", args=[program.pk]), {"file": bad_file})
    assert response.status_code == 400 and "không phải là bảng tính Excel" in response.content.decode()


@pytest.mark.django_db
def test_import_through_the_page_lists_errors_by_row_and_column(program, vinhlong_officer, as_user):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["TT", "Nội dung", "Năm 2014", "Năm 2015"])
    ws.append(["1", "Đào tạo nghề", "", ""])
    ws.append(["1.1", "Nguồn Trung ương", "60", "bảy mươi"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "phu-luc.xlsx"
    before = program.budget_lines.count()
    response = as_user(vinhlong_officer).post(reverse("programs:import", args=[program.pk]), {"file": buf})
    html = response.content.decode()
    assert response.status_code == 400
    assert "dòng 3, cột D «Năm 2015»: Không đọc được số: «bảy mươi»." in html
    assert program.budget_lines.count() == before


@pytest.mark.django_db
def test_transitions_through_the_page_and_the_api(
    program, vinhlong_officer, vinhlong_approver, as_user, api_as
):
    client = as_user(vinhlong_officer)
    response = client.post(
        reverse("programs:transition", args=[program.pk]),
        {
            "target": "submitted",
            "t-submitted-version": program.version,
            "t-submitted-effective_date": "20/11/2013",
        },
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == "submitted"
    api = api_as(vinhlong_officer)
    url = f"/api/v1/programs/{program.pk}/transitions/"
    refused = api.post(
        url,
        {
            "to_status": "approved",
            "decision_no": "1/QĐ",
            "decision_date": "2014-01-10",
            "expected_version": program.version,
        },
        format="json",
    )
    assert refused.status_code == 403 and "không được phép «Phê duyệt»" in refused.json()["error"]["message"]
    approver = api_as(vinhlong_approver)
    missing = approver.post(
        url, {"to_status": "approved", "expected_version": program.version}, format="json"
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["message"] == "Thiếu thông tin bắt buộc: số quyết định, ngày quyết định."
    body = {"to_status": "approved", "decision_no": "2345/QĐ-UBND", "decision_date": "2013-12-12"}
    assert approver.post(url, body, format="json").status_code == 409  # no version: nothing changes
    assert (
        approver.post(url, {**body, "expected_version": program.version - 1}, format="json").status_code
        == 409
    )
    early = approver.post(
        url, {**body, "expected_version": program.version, "decision_date": "2013-11-01"}, format="json"
    )
    assert early.status_code == 400
    assert early.json()["error"]["message"] == (
        "Ngày hiệu lực (01/11/2013) không được trước ngày của bước trước (20/11/2013)."
    )
    ok = approver.post(url, {**body, "expected_version": program.version}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    changes = approver.get(url).json()
    assert [c["to_status"] for c in changes] == ["draft", "submitted", "approved"]
    assert [c["effective_date"] for c in changes[1:]] == ["2013-11-20", "2013-12-12"]
    html = as_user(vinhlong_approver).get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Quyết định phê duyệt số <strong>2345/QĐ-UBND</strong> ngày 12/12/2013" in html


@pytest.mark.django_db
def test_matrix_and_check_endpoints(program, vinhlong_officer, api_as):
    api = api_as(vinhlong_officer)
    matrix = api.get(f"/api/v1/programs/{program.pk}/matrix/").json()
    assert matrix["total"] == 32_900 * TR
    content3 = next(r for r in matrix["rows"] if r["kind"] == "content" and r["content"] == "3")
    assert content3["values"]["y2016"] == 32_700 * TR and content3["values"]["total"] == 32_700 * TR
    check = api.get(f"/api/v1/programs/{program.pk}/check/").json()
    assert check["count"] == 1
    assert check["disagreements"][0]["location"] == "Phần 2, mục II.2.9"
    assert (check["disagreements"][0]["stated"], check["disagreements"][0]["computed"]) == ("150", "200")
    detail = api.get(f"/api/v1/programs/{program.pk}/").json()
    assert detail["phases"][0]["name"] == "2014-2015"
    assert detail["targets"][0]["values"] == {"2014-2015": 400, "2016-2020": 1350}
    assert detail["allowed_transitions"] == [
        {"to_status": "submitted", "label": "Trình phê duyệt", "requires": []}
    ]


@pytest.mark.django_db
def test_progress_reads_0_until_projects_exist(program, vinhlong_officer, as_user):
    html = as_user(vinhlong_officer).get(reverse("programs:progress", args=[program.pk])).content.decode()
    assert 'data-testid="total-planned">32.900<' in html
    assert 'data-testid="total-approved">0<' in html and 'data-testid="total-disbursed">0<' in html


@pytest.mark.django_db
def test_progress_shows_what_program_execution_returns(
    program, vinhlong_officer, as_user, api_as, monkeypatch
):
    calls = []

    def fake_execution(*, province_id, year_from, year_to):
        calls.append((province_id, year_from, year_to))
        return ExecutionFigures(
            money={
                ("3", "national", 2016): {"approved": 900 * TR, "disbursed": 450 * TR},
                ("5", "local", 2017): {"approved": 120 * TR, "disbursed": 0},
            },
            outputs={("hoc-vien", 2015): 120, ("hoc-vien", 2017): 300, ("may-moc", 2016): 4},
        )

    monkeypatch.setattr("khuyencong.projects.selectors.program_execution", fake_execution)
    html = as_user(vinhlong_officer).get(reverse("programs:progress", args=[program.pk])).content.decode()
    assert calls == [(program.province_id, 2014, 2020)]
    assert 'data-key="3|national|2016"' in html
    assert 'data-testid="approved">900<' in html and 'data-testid="disbursed">450<' in html
    assert 'data-testid="total-approved">1.020<' in html and 'data-testid="total-disbursed">450<' in html
    assert 'data-testid="achieved">420<' in html  # 120 in 2015 + 300 in 2017 trained workers
    data = api_as(vinhlong_officer).get(f"/api/v1/programs/{program.pk}/progress/").json()
    assert data["targets"][0]["achieved"] == 420
    assert data["targets"][0]["phases"] == [
        {"phase": "2014-2015", "planned": 400, "achieved": 120},
        {"phase": "2016-2020", "planned": 1350, "achieved": 300},
    ]
    assert data["totals"] == {"planned": 32_900 * TR, "approved": 1_020 * TR, "disbursed": 450 * TR}
    xlsx = as_user(vinhlong_officer).get(reverse("programs:progress", args=[program.pk]), {"format": "xlsx"})
    assert xlsx.status_code == 200


@pytest.mark.django_db
def test_create_and_edit_through_the_pages(vinhlong_officer, vinhlong_viewer, as_user):
    from khuyencong import testing

    client = as_user(vinhlong_officer)
    ben_tre = testing.old_province("Bến Tre")
    response = client.post(
        reverse("programs:create"),
        {
            "owner_unit": ben_tre.pk,
            "title": "Chương trình khuyến công 2021-2025",
            "year_from": 2021,
            "year_to": 2025,
        },
    )
    assert response.status_code == 302
    from khuyencong.programs.models import Program

    program = Program.objects.get(title="Chương trình khuyến công 2021-2025")
    assert program.province.short_name == "Vĩnh Long"
    response = client.post(
        reverse("programs:edit", args=[program.pk]),
        {
            "title": "Chương trình khuyến công 2021-2025 (sửa)",
            "year_from": 2021,
            "year_to": 2020,
            "version": program.version,
        },
    )
    assert "Năm kết thúc phải sau năm bắt đầu." in response.content.decode()
    response = client.post(
        reverse("programs:phase", args=[program.pk]),
        {"phase-name": "", "phase-year_from": 2021, "phase-year_to": 2023},
    )
    assert response.status_code == 302 and program.phases.get().name == "2021-2023"
    thai = testing.current_province("Thái Nguyên")
    response = client.post(
        reverse("programs:create"), {"owner_unit": thai.pk, "title": "X", "year_from": 2021, "year_to": 2025}
    )
    assert response.status_code == 200 and 'data-testid="field-error"' in response.content.decode()
    assert not Program.objects.filter(title="X").exists()  # Thái Nguyên is not among the offered provinces
    assert as_user(vinhlong_viewer).get(reverse("programs:create")).status_code == 403


@pytest.mark.django_db
def test_targets_for_periodic_reports(program, thainguyen_officer):
    from khuyencong.programs.selectors import targets_for_report

    rows = targets_for_report(province_id=program.province_id, year=2016)
    assert rows == [
        {
            "code": "hoc-vien",
            "name": "Đào tạo nghề cho lao động",
            "unit": "lao động",
            "target": 1350,
            "phase": "2016-2020",
        }
    ]
    assert targets_for_report(province_id=program.province_id, year=2014)[0]["target"] == 400
    assert targets_for_report(province_id=program.province_id, year=2030) == []
    other = thainguyen_officer.organisation.unit
    assert targets_for_report(province_id=other.pk, year=2016) == []
