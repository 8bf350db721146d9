"""Money and dates as people type them, on the đề án pages and the API: "250" alone is refused asking for the
unit (next to the field, nothing saved), prefilled amounts are formatted, dates read and show dd/mm/yyyy, and
the requested money can be corrected until approval (afterwards only «Điều chỉnh» changes it)."""

import html
import re

import pytest

from khuyencong.projects.models import AnnualPlan, Disbursement, Project, Status
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db

UNIT_250 = "Ghi rõ đơn vị: 250 triệu đồng hay 250 đồng?"


def _field_errors(body: str) -> list[str]:
    return [html.unescape(e) for e in re.findall(r'data-testid="field-error">([^<]*)<', body)]


def _input(body: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, f"no input {name}"
    return match.group(0)


def _approved(officer, approver, **funding):
    project = f.project(officer, funding=funding or None)
    return f.walk(project, Status.APPROVED, officer=officer, approver=approver)


def test_bare_250_in_a_payment_is_refused_next_to_the_field_and_nothing_is_saved(
    vinhlong_officer, vinhlong_approver, as_user
):
    p = _approved(vinhlong_officer, vinhlong_approver)
    client = as_user(vinhlong_officer)
    r = client.post(
        f"/projects/{p.pk}/disbursements/",
        {"kind": "advance", "source": "national", "date": "15/07/2018", "amount": "250"},
        secure=True,
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert _field_errors(body) == [UNIT_250]
    # The error sits right under the amount box, which keeps what was typed.
    amount_box = _input(body, "amount")
    assert 'value="250"' in amount_box
    assert body.index(UNIT_250) > body.index(amount_box) > body.index("Số tiền (đồng)")
    assert not Disbursement.objects.filter(project=p).exists()

    r = client.post(
        f"/projects/{p.pk}/disbursements/",
        {"kind": "advance", "source": "national", "date": "15/07/2018", "amount": "150 triệu"},
        secure=True,
    )
    assert r.status_code == 302
    assert Disbursement.objects.get(project=p).amount == 150_000_000
    page = client.get(f"/projects/{p.pk}/", secure=True).content.decode()
    row = re.search(r'data-testid="disbursements".*?</table>', page, re.S).group(0)
    assert "15/07/2018" in row and "150.000.000 đồng" in row


def test_pages_show_dates_dd_mm_yyyy_whatever_the_language(vinhlong_officer, vinhlong_approver, as_user):
    p = _approved(vinhlong_officer, vinhlong_approver)
    client = as_user(vinhlong_officer)
    client.post(
        f"/projects/{p.pk}/disbursements/",
        {"kind": "advance", "source": "national", "date": "2018-07-15", "amount": "1.820.000"},
        secure=True,
    )
    for language in ("vi", "en"):
        client.cookies["django_language"] = language
        page = client.get(
            f"/projects/{p.pk}/", secure=True, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
        ).content.decode()
        assert "01/06/2018 – 31/12/2018" in page  # start – end dates
        assert "ngày 10/06/2018" in page  # the approval decision
        assert "15/07/2018" in page and "1.820.000 đồng" in page
        assert 'type="date"' not in page


def test_approval_and_settlement_forms_prefill_formatted(vinhlong_officer, vinhlong_approver, as_user):
    p = f.walk(
        f.project(vinhlong_officer), Status.APPRAISED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    page = as_user(vinhlong_approver).get(f"/projects/{p.pk}/", secure=True).content.decode()
    assert 'value="200.000.000"' in _input(page, "approved_national")
    assert 'value="300.000.000"' in _input(page, "approved_counterpart")
    assert "Phê duyệt — KCQG (đồng)" in page
    assert "vn-date" in _input(page, "decision_date") and 'type="text"' in _input(page, "decision_date")

    accepted = f.walk(
        f.project(vinhlong_officer), Status.ACCEPTED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    client = as_user(vinhlong_officer)
    client.post(
        f"/projects/{accepted.pk}/disbursements/",
        {"kind": "payment", "source": "national", "date": "14/12/2018", "amount": "180 triệu"},
        secure=True,
    )
    page = as_user(vinhlong_approver).get(f"/projects/{accepted.pk}/", secure=True).content.decode()
    assert 'value="180.000.000"' in _input(page, "settled_amount")
    assert "Số quyết toán (đồng)" in page


def test_officer_corrects_the_requested_money_until_approval(vinhlong_officer, vinhlong_approver, as_user):
    p = f.walk(
        f.project(vinhlong_officer), Status.REGISTERED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    client = as_user(vinhlong_officer)
    page = client.get(f"/projects/{p.pk}/edit/", secure=True).content.decode()
    assert 'value="200.000.000"' in _input(page, "requested_national")
    assert 'value="300.000.000"' in _input(page, "requested_counterpart")
    assert 'value="01/06/2018"' in _input(page, "start_date")
    form = {
        "code": p.code,
        "title": p.title,
        "content": p.content_id,
        "support_cap": p.support_cap_id,
        "establishments": [e.pk for e in p.establishments.all()],
        "start_date": "01/06/2018",
        "end_date": "31/12/2018",
        "requested_national": "250",
        "requested_counterpart": "300.000.000",
        "version": p.version,
    }
    r = client.post(f"/projects/{p.pk}/edit/", form, secure=True)
    assert r.status_code == 200 and _field_errors(r.content.decode()) == [UNIT_250]
    assert p.fundings.get(source__code="national").requested == 200_000_000

    r = client.post(
        f"/projects/{p.pk}/edit/",
        {**form, "requested_national": "180 triệu", "title": "Máy mới"},
        secure=True,
    )
    assert r.status_code == 302, _field_errors(r.content.decode())
    p.refresh_from_db()
    assert p.title == "Máy mới"
    assert p.fundings.get(source__code="national").requested == 180_000_000
    assert p.fundings.get(source__code="counterpart").requested == 300_000_000
    page = client.get(f"/projects/{p.pk}/", secure=True).content.decode()
    assert "180.000.000 đồng" in page and "kinh phí đề nghị sửa được" in page.lower()


def test_a_refused_money_correction_keeps_the_other_edits_unsaved(vinhlong_officer, as_user):
    p = f.project(vinhlong_officer)
    form = {
        "code": p.code,
        "title": "Tên mới",
        "content": p.content_id,
        "support_cap": p.support_cap_id,
        "establishments": [e.pk for e in p.establishments.all()],
        "start_date": "01/06/2018",
        "end_date": "31/12/2018",
        "requested_national": "900 triệu",
        "requested_counterpart": "300 triệu",
        "version": p.version,
    }
    r = as_user(vinhlong_officer).post(f"/projects/{p.pk}/edit/", form, secure=True)
    assert r.status_code == 200
    errors = _field_errors(r.content.decode())
    assert len(errors) == 1 and "vượt mức hỗ trợ tối đa 300 triệu đồng" in errors[0]
    p.refresh_from_db()
    assert p.title != "Tên mới" and p.fundings.get(source__code="national").requested == 200_000_000


def test_after_approval_money_changes_only_through_adjustment(vinhlong_officer, vinhlong_approver, as_user):
    p = _approved(vinhlong_officer, vinhlong_approver)
    client = as_user(vinhlong_officer)
    page = client.get(f"/projects/{p.pk}/edit/", secure=True).content.decode()
    assert "kinh phí chỉ thay đổi qua thao tác «Điều chỉnh»" in page
    assert 'name="requested_national"' not in page
    detail = client.get(f"/projects/{p.pk}/", secure=True).content.decode()
    assert "Đề án đã được phê duyệt: kinh phí chỉ thay đổi qua thao tác «Điều chỉnh»." in detail


def test_plan_and_create_forms_refuse_a_bare_250(vinhlong_officer, as_user):
    client = as_user(vinhlong_officer)
    unit = f.old_province("Bến Tre")
    r = client.post(
        "/projects/plans/new/",
        {"unit": unit.pk, "year": 2017, "level": "local", "status": "registered", "registered_total": "250"},
        secure=True,
    )
    assert r.status_code == 200 and _field_errors(r.content.decode()) == [UNIT_250]
    assert not AnnualPlan.objects.filter(unit=unit, year=2017).exists()
    plan = f.plan(vinhlong_officer)
    r = client.post(
        "/projects/new/",
        {
            "plan": plan.pk,
            "code": "BT-250",
            "title": "Thử",
            "content": f.content("1").pk,
            "start_date": "15/05/2018",
            "requested_local": "250",
        },
        secure=True,
    )
    assert r.status_code == 200 and _field_errors(r.content.decode()) == [UNIT_250]
    assert not Project.objects.filter(code="BT-250").exists()


def test_api_refuses_the_string_250_and_keeps_integers_as_dong(vinhlong_officer, vinhlong_approver, api_as):
    p = _approved(vinhlong_officer, vinhlong_approver)
    api = api_as(vinhlong_officer)
    url = f"/api/v1/projects/{p.pk}/disbursements/"
    r = api.post(
        url,
        {"kind": "advance", "source": "national", "date": "2018-07-15", "amount": "250"},
        format="json",
        secure=True,
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"] == f"amount: {UNIT_250}"
    assert r.json()["error"]["details"] == {"amount": [UNIT_250]}
    assert not Disbursement.objects.filter(project=p).exists()
    r = api.post(
        url,
        {"kind": "advance", "source": "national", "date": "2018-07-15", "amount": "150 triệu"},
        format="json",
        secure=True,
    )
    assert r.status_code == 201 and r.json()["amount"] == 150_000_000
    r = api.post(
        url,
        {"kind": "advance", "source": "national", "date": "2018-07-16", "amount": 250},
        format="json",
        secure=True,
    )
    assert r.status_code == 201 and r.json()["amount"] == 250  # a JSON integer is đồng by contract
    # Amounts inside the funding of a new đề án go through the same rule.
    r = api.post(
        "/api/v1/projects/",
        {
            "plan": p.plan_id,
            "code": "API-250",
            "title": "Thử",
            "content": "1",
            "funding": {"national": {"requested": "250"}},
        },
        format="json",
        secure=True,
    )
    assert r.status_code == 400 and UNIT_250 in r.json()["error"]["message"]
    assert not Project.objects.filter(code="API-250").exists()
