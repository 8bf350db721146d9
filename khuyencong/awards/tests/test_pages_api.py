"""Pages and API of product voting, as their users see them: the officer, the establishment's own user, the
jurors; the .docx certificate and the decision's .xlsx annex; outsiders see nothing."""

import datetime as dt
import io

import docx
import openpyxl
import pytest

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import establishment

from ..models import Entry, RoundStatus
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(vinhlong_officer, vinhlong_approver):
    """A decided Bến Tre round: two jurors, an establishment user's product recognised, another one not."""
    own = establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long", phone="0275 3822 999")
    user = testing.make_user(
        "coso.thanhlong", testing.make_org("establishment", None, own.name, establishment=own), "officer"
    )
    r = f.provincial_round(vinhlong_officer, quota=1)
    f.move(r, vinhlong_officer, RoundStatus.OPEN)
    a = f.juror(vinhlong_officer, r, "gk.trang.a")
    b = f.juror(vinhlong_officer, r, "gk.trang.b")
    mine = f.submitted_entry(user, r, f.product(user, own, name="Kẹo dừa sữa Thanh Long"))
    other = f.submitted_entry(vinhlong_officer, r, f.product(vinhlong_officer, name="Bánh tráng sữa"))
    f.move(r, vinhlong_officer, RoundStatus.SCORING)
    for e in (mine, other):
        e.refresh_from_db()
    f.score(a, mine, [36, 36, 9, 9])
    f.score(b, mine, [34, 34, 8, 8])
    f.score(a, other, [20, 20, 5, 5])
    f.score(b, other, [20, 20, 5, 5])
    return {"round": r, "user": user, "a": a, "b": b, "mine": mine, "other": other}


def test_a_juror_cannot_read_another_jurors_sheet(story, api_as, as_user):
    mine, a, b = story["mine"], story["a"], story["b"]
    sheets = api_as(a).get(f"/api/v1/awards/entries/{mine.pk}/scores/").json()
    assert [(s["juror_name"], s["total"]) for s in sheets] == [(a.display_name, 90.0)]
    page = as_user(b).get(f"/awards/entries/{mine.pk}/").content.decode()
    assert "Phiếu chấm của tôi" in page
    assert a.display_name not in page and "90,0" not in page and "90.0" not in page
    assert b.display_name in page


def test_a_score_above_the_maximum_is_a_400_through_the_api(story, api_as):
    mine, a = story["mine"], story["a"]
    criteria = list(story["round"].criteria.order_by("order"))
    points = {str(c.pk): "5" for c in criteria}
    points[str(criteria[0].pk)] = "41"
    response = api_as(a).post(
        f"/api/v1/awards/entries/{mine.pk}/scores/",
        {"points": points, "scored_on": "2016-05-02"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "score_out_of_range"
    assert mine.sheets.get(juror__user=a).total == 90


def test_the_establishment_user_sees_only_its_own_entries(story, api_as, as_user):
    r, user = story["round"], story["user"]
    listed = api_as(user).get(f"/api/v1/awards/rounds/{r.pk}/entries/").json()["results"]
    assert [e["product_name"] for e in listed] == ["Kẹo dừa sữa Thanh Long"]
    assert api_as(user).get(f"/api/v1/awards/entries/{story['other'].pk}/").status_code == 404
    page = as_user(user).get(f"/awards/rounds/{r.pk}/").content.decode()
    assert "Kẹo dừa sữa Thanh Long" in page and "Bánh tráng sữa" not in page
    photo = story["other"].product.files.first()
    assert as_user(user).get(f"/awards/files/{photo.pk}/").status_code == 404
    own_photo = story["mine"].product.files.first()
    response = as_user(user).get(f"/awards/files/{own_photo.pk}/")
    assert response.status_code == 200 and testing.response_bytes(response).startswith(b"\x89PNG")


def test_the_decision_by_api_needs_the_version_then_issues_the_certificate_docx_and_annex(
    story, api_as, as_user, vinhlong_approver, vinhlong_officer
):
    r = story["round"]
    api = api_as(vinhlong_approver)
    body = {"to_status": "decided", "decision_no": "88/QĐ-UBND", "decision_date": "2016-06-03"}
    assert api.post(f"/api/v1/awards/rounds/{r.pk}/transitions/", body, format="json").status_code == 409
    r.refresh_from_db()
    body["expected_version"] = r.version
    response = api.post(f"/api/v1/awards/rounds/{r.pk}/transitions/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "decided"
    mine = Entry.objects.get(pk=story["mine"].pk)
    assert (mine.recognised, str(mine.score)) == (True, "87.0")
    certs = api_as(story["user"]).get("/api/v1/awards/certificates/").json()["results"]
    assert [(c["number"], c["valid_until"]) for c in certs] == [("88/QĐ-UBND/01", "2019-06-02")]
    document = docx.Document(
        io.BytesIO(as_user(story["user"]).get(f"/awards/certificates/{certs[0]['id']}/docx/").content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Sản phẩm: Kẹo dừa sữa Thanh Long" in text
    assert "Giấy chứng nhận có giá trị đến ngày 02/06/2019" in text
    annex = as_user(vinhlong_officer).get(f"/awards/rounds/{r.pk}/annex.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(annex.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any("Quyết định số 88/QĐ-UBND ngày 03/06/2016" in str(row[0]) for row in values)
    assert [row[1] for row in values if row[0] == 1] == ["Kẹo dừa sữa Thanh Long"]
    # after the decision every reader of the entry sees both sheets with the mean
    page = as_user(vinhlong_officer).get(f"/awards/entries/{mine.pk}/").content.decode()
    assert story["a"].display_name in page and story["b"].display_name in page
    assert "87,0" in page or "87.0" in page


def test_the_establishment_enters_a_product_with_three_photos_through_the_pages(vinhlong_officer, as_user):
    own = establishment("Bến Tre", name="Cơ sở chỉ xơ dừa Hưng Phong")
    user = testing.make_user(
        "coso.hp", testing.make_org("establishment", None, own.name, establishment=own), "viewer"
    )
    r = f.provincial_round(vinhlong_officer)
    f.move(r, vinhlong_officer, RoundStatus.OPEN)
    client = as_user(user)
    response = client.post(
        f"/awards/rounds/{r.pk}/entries/new/",
        {
            "establishment": own.pk,
            "name": "Chỉ xơ dừa se sợi",
            "group": "craft",
            "made_by_establishment": "on",
            "series_production": "on",
            "registered_on": "05/03/2016",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(product__name="Chỉ xơ dừa se sợi")
    client.post(
        f"/awards/entries/{entry.pk}/submit/", {"version": entry.version, "submitted_on": "06/03/2016"}
    )
    entry.refresh_from_db()
    assert entry.status == "draft"
    for i in range(3):
        client.post(f"/awards/entries/{entry.pk}/files/", {"kind": "photo", "file": f.photo(f"anh{i}.png")})
    client.post(
        f"/awards/entries/{entry.pk}/submit/", {"version": entry.version, "submitted_on": "06/03/2016"}
    )
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_on, entry.product.files.count()) == (
        "submitted",
        dt.date(2016, 3, 6),
        3,
    )
    assert (
        "✔ Có ít nhất 3 ảnh màu sản phẩm (hiện có 3)"
        in client.get(f"/awards/entries/{entry.pk}/").content.decode()
    )


def test_a_round_is_created_through_the_api_and_listed_in_the_schema(api_as, vinhlong_officer):
    body = {
        "title": "Bình chọn cấp tỉnh 2018",
        "level": "province",
        "year": 2018,
        "unit": testing.old_province("Bến Tre").pk,
        "registration_start": "2018-03-01",
        "registration_end": "2018-04-01",
        "scoring_start": "2018-04-05",
        "scoring_end": "2018-04-30",
        "quota": 20,
    }
    response = api_as(vinhlong_officer).post("/api/v1/awards/rounds/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["pass_mark"] == 70.0
    assert [c["max_points"] for c in response.json()["criteria"]] == [40.0, 40.0, 10.0, 10.0]
    schema = api_as(vinhlong_officer).get("/api/schema/").content
    for path in (
        b"/api/v1/awards/rounds/",
        b"/api/v1/awards/rounds/{id}/entries/",
        b"/api/v1/awards/entries/{id}/scores/",
        b"/api/v1/awards/certificates/",
        b"/api/v1/public/products/",
    ):
        assert path in schema


def test_outsiders_see_nothing(story, api_as, as_user, thainguyen_officer, client):
    r, mine = story["round"], story["mine"]
    api = api_as(thainguyen_officer)
    assert api.get(f"/api/v1/awards/rounds/{r.pk}/").status_code == 404
    assert api.get(f"/api/v1/awards/rounds/{r.pk}/entries/").status_code == 404
    assert api.get(f"/api/v1/awards/entries/{mine.pk}/scores/").status_code == 404
    assert api.get("/api/v1/awards/rounds/").json()["count"] == 0
    assert api.get("/api/v1/awards/certificates/").json()["count"] == 0
    page = as_user(thainguyen_officer)
    assert "Kẹo dừa sữa" not in page.get("/awards/").content.decode()
    assert page.get(f"/awards/rounds/{r.pk}/").status_code == 404
    assert page.get(f"/awards/entries/{mine.pk}/").status_code == 404
    assert page.get(f"/awards/rounds/{r.pk}/annex.xlsx").status_code == 404


def test_a_tie_at_the_quota_needs_the_councils_choice_and_is_shown(
    vinhlong_officer, vinhlong_approver, as_user
):

    from khuyencong.core.errors import DomainError

    r = f.provincial_round(vinhlong_officer, quota=1)
    f.move(r, vinhlong_officer, RoundStatus.OPEN)
    jury = f.juror(vinhlong_officer, r, "gk.hoa")
    first = f.submitted_entry(vinhlong_officer, r, f.product(vinhlong_officer, name="Kẹo chuối Bến Tre"))
    second = f.submitted_entry(vinhlong_officer, r, f.product(vinhlong_officer, name="Kẹo mãng cầu"))
    f.move(r, vinhlong_officer, RoundStatus.SCORING)
    for e in (first, second):
        e.refresh_from_db()
        f.score(jury, e, [32, 32, 8, 8])
    with pytest.raises(DomainError) as exc:
        f.move(r, vinhlong_approver, RoundStatus.DECIDED, decision_no="3/QĐ", decision_date="04/06/2016")
    assert "đồng điểm (80) ở vị trí thứ 1" in exc.value.message
    f.move(
        r,
        vinhlong_approver,
        RoundStatus.DECIDED,
        decision_no="3/QĐ",
        decision_date="04/06/2016",
        recognised=[second.pk],
        decision_note="Hội đồng biểu quyết chọn Kẹo mãng cầu.",
    )
    page = as_user(vinhlong_officer).get(f"/awards/rounds/{r.pk}/").content.decode()
    assert page.count("1 (đồng hạng)") == 2
    assert "Hội đồng biểu quyết chọn Kẹo mãng cầu." in page
    assert "Đạt điểm nhưng ngoài chỉ tiêu 1 sản phẩm" in page


def test_the_organiser_edits_the_pass_mark_with_the_version_it_read(
    api_as, vinhlong_officer, thainguyen_officer
):
    r = f.provincial_round(vinhlong_officer)
    api = api_as(vinhlong_officer)
    stale = api.patch(
        f"/api/v1/awards/rounds/{r.pk}/", {"pass_mark": "75", "expected_version": 99}, format="json"
    )
    assert stale.status_code == 409
    ok = api.patch(
        f"/api/v1/awards/rounds/{r.pk}/", {"pass_mark": "75", "expected_version": r.version}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["pass_mark"] == 75.0
    r.refresh_from_db()
    assert r.history.first().history_change_reason == "Sửa đợt bình chọn"
    outsider = api_as(thainguyen_officer).patch(
        f"/api/v1/awards/rounds/{r.pk}/", {"quota": 1, "expected_version": r.version}, format="json"
    )
    assert outsider.status_code == 404
