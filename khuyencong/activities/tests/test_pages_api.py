"""Pages and API of activities: the officer's list (filters, totals, Excel), detail and forms; the outsider
(an officer of another province) gets 404 on every page and endpoint of an activity; an establishment's user
sees only what it took part in."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import establishment

from .. import services
from ..models import ActivityKind, ActivityStatus, Participation, Trainee
from .factories import activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(vinhlong_officer):
    a = activity(vinhlong_officer, title="Hội chợ hàng Việt Nam chất lượng cao năm 2016")
    est = establishment("Bến Tre", name="Cơ sở kẹo dừa Hai Tuyết")
    services.participation_add(
        actor=vinhlong_officer, activity=a, establishment=est, booths=2, support={"local": 5_000_000}
    )
    return a


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_officer_list_filters_totals_and_excel(as_user, vinhlong_officer, fair):
    activity(vinhlong_officer, kind="tap-huan", title="Lớp tập huấn tiết kiệm năng lượng", trainees_total=40)
    c = as_user(vinhlong_officer)
    page = c.get("/activities/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hội chợ hàng Việt Nam chất lượng cao năm 2016" in body and "Lớp tập huấn" in body
    assert "Tổng cộng: 2 hoạt động" in body
    only = c.get("/activities/", {"kind": "tap-huan", "year": 2016}).content.decode()
    assert "Lớp tập huấn" in only and "Hội chợ hàng Việt Nam" not in only
    assert "Hội chợ hàng Việt Nam" in c.get("/activities/", {"content": "4"}).content.decode()
    xlsx = c.get("/activities/", {"format": "xlsx"})
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(testing.response_bytes(xlsx))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert any("Hội chợ hàng Việt Nam chất lượng cao năm 2016" in (r[0] or "") for r in values)


def test_detail_form_and_transition_pages(as_user, vinhlong_officer, fair):
    c = as_user(vinhlong_officer)
    detail = c.get(f"/activities/{fair.pk}/")
    assert detail.status_code == 200
    assert "Cơ sở kẹo dừa Hai Tuyết" in detail.content.decode()
    assert c.get("/activities/new/").status_code == 200
    assert c.get(f"/activities/{fair.pk}/edit/").status_code == 200
    r = c.post(
        f"/activities/{fair.pk}/transition/",
        {"to_status": "held", "version": fair.version, "effective_date": "13/05/2016"},
    )
    assert r.status_code == 302
    fair.refresh_from_db()
    assert fair.status == ActivityStatus.HELD and fair.held_on == dt.date(2016, 5, 13)
    assert fair.steps.get().effective_date == dt.date(2016, 5, 13)


def test_create_page_makes_an_activity(as_user, vinhlong_officer):
    c = as_user(vinhlong_officer)
    r = c.post(
        "/activities/new/",
        {
            "kind": ActivityKind.objects.get(code="hoi-cho-trong-nuoc").pk,
            "title": "Hội chợ thử",
            "start_date": "02/06/2016",
            "unit": testing.old_province("Bến Tre").pk,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    from ..models import Activity

    made = Activity.objects.get(title="Hội chợ thử")
    assert made.content.code == "4" and made.province == testing.current_province("Vĩnh Long")


def test_outsider_gets_404_everywhere(as_user, api_as, thainguyen_officer, fair):
    c = as_user(thainguyen_officer)
    p = fair.participations.get()
    for url in [
        f"/activities/{fair.pk}/",
        f"/activities/{fair.pk}/edit/",
        f"/activities/{fair.pk}/participants.xlsx",
        f"/activities/{fair.pk}/import/participants/",
        f"/history/activities.activity/{fair.pk}/",
    ]:
        assert c.get(url).status_code == 404, url
    for url, data in [
        (f"/activities/{fair.pk}/transition/", {"to_status": "held", "version": fair.version}),
        (f"/activities/{fair.pk}/participants/", {"establishment": p.establishment_id}),
        (f"/activities/{fair.pk}/participants/{p.pk}/remove/", {}),
        (f"/activities/{fair.pk}/pieces/", {}),
        (f"/activities/{fair.pk}/attendees/", {}),
        (f"/activities/{fair.pk}/assessments/", {}),
        (f"/activities/{fair.pk}/import/trainees/", {}),
    ]:
        assert c.post(url, data).status_code == 404, url
    assert "Hội chợ hàng Việt Nam" not in c.get("/activities/").content.decode()
    api = api_as(thainguyen_officer)
    assert api.get("/api/v1/activities/").json()["count"] == 0
    assert api.get(f"/api/v1/activities/{fair.pk}/").status_code == 404
    assert api.get(f"/api/v1/activities/{fair.pk}/participants/").status_code == 404
    assert (
        api.post(
            f"/api/v1/activities/{fair.pk}/participants/", {"establishment": p.establishment_id}
        ).status_code
        == 404
    )
    assert api.post(f"/api/v1/activities/{fair.pk}/transitions/", {"to_status": "held"}).status_code == 404
    fair.refresh_from_db()
    assert fair.status == ActivityStatus.PLANNED and Participation.objects.filter(activity=fair).count() == 1


def test_api_list_filters_and_participants(api_as, vinhlong_officer, fair):
    api = api_as(vinhlong_officer)
    data = api.get("/api/v1/activities/", {"kind": "hoi-cho-trong-nuoc", "year": 2016}).json()
    assert data["count"] == 1 and data["results"][0]["participations"] == 1
    assert api.get("/api/v1/activities/", {"year": 2017}).json()["count"] == 0
    assert (
        api.get("/api/v1/activities/", {"province": testing.current_province("Vĩnh Long").pk}).json()["count"]
        == 1
    )
    assert api.get("/api/v1/activities/", {"content": "1"}).json()["count"] == 0
    assert api.get("/api/v1/activities/", {"year": "abc"}).status_code == 400
    parts = api.get(f"/api/v1/activities/{fair.pk}/participants/").json()
    assert parts["results"][0]["establishment_name"] == "Cơ sở kẹo dừa Hai Tuyết"
    assert parts["results"][0]["support"] == 5_000_000 and parts["results"][0]["booths"] == 2
    other = establishment("Bến Tre", name="Cơ sở bánh tráng Mỹ Lồng")
    r = api.post(
        f"/api/v1/activities/{fair.pk}/participants/", {"establishment": other.pk, "booths": 1}, format="json"
    )
    assert r.status_code == 201, r.json()
    r = api.post(
        f"/api/v1/activities/{fair.pk}/transitions/",
        {"to_status": "held", "expected_version": fair.version, "effective_date": "2016-05-13"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["held_on"] == "2016-05-13" and r.json()["participations"] == 2


def test_establishment_user_sees_only_its_own(as_user, api_as, vinhlong_officer, fair):
    own = fair.participations.get().establishment
    user = testing.make_user(
        "coso.ht", testing.make_org("establishment", None, own.name, establishment=own), "viewer"
    )
    activity(vinhlong_officer, title="Hội chợ khác")
    api = api_as(user)
    assert [a["title"] for a in api.get("/api/v1/activities/").json()["results"]] == [fair.title]


def test_trainee_list_with_one_bad_row_imports_nothing(as_user, vinhlong_officer):
    a = activity(vinhlong_officer, kind="dao-tao-nghe", title="Lớp đào tạo nghề đan lục bình")
    content = _xlsx(
        [
            ["DANH SÁCH HỌC VIÊN"],
            [
                "STT",
                "Họ và tên",
                "Giới tính",
                "Năm sinh",
                "Dân tộc thiểu số",
                "Cơ sở (tên hoặc mã số thuế)",
                "Xã, phường",
                "Số chứng chỉ",
                "Có việc làm sau đào tạo",
            ],
            [1, "Nguyễn Thị Lan", "Nữ", 1990, "Không", None, None, "CC-01", "Có"],
            [2, "Trần Văn Bình", "Nam", 1985, "Không", None, None, "CC-02", None],
            [3, "Lê Thị Cúc", "X", 1992, "Không", None, None, None, None],
            [4, "Phạm Văn Dũng", "Nam", 1988, "Có", None, None, None, None],
        ]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = as_user(vinhlong_officer)
    r = c.post(f"/activities/{a.pk}/import/trainees/", {"file": SimpleUploadedFile("hv.xlsx", content)})
    assert r.status_code == 400
    body = r.content.decode()
    assert "dòng 5, cột Giới tính: Ghi «Nam» hoặc «Nữ». (giá trị: X)" in body
    assert "Không có dòng nào được lưu" in body
    assert Trainee.objects.filter(activity=a).count() == 0
    a.refresh_from_db()
    assert a.trainees_total is None
    # The corrected file imports every row; the class's counts come from the list.
    rows = load_workbook(io.BytesIO(content)).active
    rows["C5"] = "Nữ"
    out = io.BytesIO()
    rows.parent.save(out)
    r = c.post(
        f"/activities/{a.pk}/import/trainees/", {"file": SimpleUploadedFile("hv.xlsx", out.getvalue())}
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.trainees_total, a.trainees_female, a.trainees_ethnic, a.certificates) == (4, 2, 1, 2)
    assert a.employed_count == 1


def test_participant_list_import_names_unknown_establishment(vinhlong_officer):
    from khuyencong.core.errors import ImportFailed

    from .. import imports

    a = activity(vinhlong_officer, title="Hội chợ nhập danh sách")
    known = establishment("Bến Tre", name="Cơ sở kẹo dừa Tư Lành")
    content = _xlsx(
        [
            imports.PARTICIPANT_HEADERS,
            [1, "Cơ sở kẹo dừa Tư Lành", None, 2, "Kẹo dừa", "5 triệu", None, 1, "50 triệu", "30 triệu"],
            [2, "Cơ sở không có thật", None, 1, None, None, None, None, None, None],
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        imports.participants_import(actor=vinhlong_officer, activity=a, content=content)
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "Tên cơ sở")]
    assert a.participations.count() == 0
    ok = _xlsx([imports.PARTICIPANT_HEADERS, [1, "co so keo dua tu lanh", None, 2, "Kẹo dừa", "5 triệu"]])
    assert imports.participants_import(actor=vinhlong_officer, activity=a, content=ok) == 1
    p = a.participations.get()
    assert p.establishment == known and p.booths == 2 and p.supports.get().amount == 5_000_000


def test_assessment_computes_toe_and_payback(vinhlong_officer):
    a = activity(vinhlong_officer, kind="kiem-toan-nang-luong", title="Kiểm toán năng lượng thử")
    est = establishment("Bến Tre", name="Công ty TNHH Dừa Xanh", type_code="DN")
    s = services.assessment_save(
        actor=vinhlong_officer,
        activity=a,
        establishment=est,
        assessed_on=dt.date(2016, 7, 25),
        baseline_kwh="2.450.000",
        expected_kwh=245_000,
        expected_money=390_000_000,
        investment=420_000_000,
    )
    assert str(s.baseline_toe) == "378.04" and str(s.expected_toe) == "37.80"
    assert str(s.payback_years) == "1.1" and s.expected_co2 > 0


def test_outsider_cannot_add_a_participation_of_own_establishment(thainguyen_officer, fair):
    from khuyencong.core.errors import NotAllowed

    own = establishment("Bắc Kạn", name="HTX Thành Ngân thử")
    with pytest.raises(NotAllowed):
        services.participation_add(actor=thainguyen_officer, activity=fair, establishment=own)


def test_list_query_count_does_not_grow_with_rows(as_user, vinhlong_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = as_user(vinhlong_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/activities/").status_code == 200
            assert c.get("/api/v1/activities/").status_code == 200
        return len(ctx.captured_queries)

    activity(vinhlong_officer, title="Hội chợ 1")
    few = queries()
    for i in range(2, 8):
        activity(vinhlong_officer, title=f"Hội chợ {i}", kind="tap-huan" if i % 2 else "hoi-cho-trong-nuoc")
    assert queries() == few


HUGE = "99999999999999999999"


@pytest.mark.parametrize("param", ["year", "province", "project"])
def test_bad_filters_answer_400_on_the_api_and_are_ignored_by_the_page(
    as_user, api_as, vinhlong_officer, param
):
    r = api_as(vinhlong_officer).get("/api/v1/activities/", {param: HUGE})
    assert r.status_code == 400 and r.json()["error"]["message"].startswith(param)
    assert as_user(vinhlong_officer).get("/activities/", {param: HUGE}).status_code == 200


def test_bad_participant_bodies_answer_4xx(api_as, vinhlong_officer, fair):
    api = api_as(vinhlong_officer)
    url = f"/api/v1/activities/{fair.pk}/participants/"
    assert api.post(url, {"establishment": HUGE}, format="json").status_code == 400
    assert api.post(url, {"establishment": 10**9}, format="json").status_code == 404
    own = fair.participations.get().establishment_id
    dup = api.post(url, {"establishment": own}, format="json")
    assert dup.status_code == 400 and "đã có trong danh sách" in dup.json()["error"]["message"]
    other = establishment("Bến Tre", name="Cơ sở thử nguồn lạ")
    bad = api.post(url, {"establishment": other.pk, "support": {"khac": 5}}, format="json")
    assert bad.status_code == 400 and fair.participations.count() == 1
    stale = api.post(
        f"/api/v1/activities/{fair.pk}/transitions/", {"to_status": "held", "expected_version": 99}
    )
    assert stale.status_code == 409
