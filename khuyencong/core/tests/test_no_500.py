"""No 500 on any input: each request that used to answer a 500 (found by fuzzing the API) now answers a 4xx
with
the documented JSON error and a Vietnamese message; pages ignore or refuse such values instead of crashing."""

import io

import pytest
from django.db import IntegrityError

from khuyencong.catalog.models import LegalDocument
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond 64 bits: SQLite raised OverflowError on it


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return body["error"]


def test_decimal_level_on_admin_units_is_a_400_naming_the_parameter(api_as, vinhlong_officer):
    error = error_of(api_as(vinhlong_officer).get("/api/v1/admin-units/?level=1.5"), 400)
    assert error["code"] == "invalid"
    assert error["message"].startswith("level: Hãy chọn một giá trị hợp lệ")


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/establishments/?commune={HUGE}",
        f"/api/v1/establishments/?province={HUGE}",
        f"/api/v1/admin-units/?parent={HUGE}",
        f"/api/v1/projects/?plan={HUGE}",
        f"/api/v1/plans/?year={HUGE}",
        f"/api/v1/programs/?owner_unit={HUGE}",
        f"/api/v1/reports/?province={HUGE}",
    ],
)
def test_a_number_beyond_64_bits_in_a_filter_is_a_400(api_as, vinhlong_officer, url):
    error = error_of(api_as(vinhlong_officer).get(url), 400)
    assert error["message"].endswith("Giá trị phải nhỏ hơn hoặc bằng 9223372036854775807.")


def test_a_huge_id_in_a_body_or_a_dashboard_parameter_is_a_400(api_as, vinhlong_officer, cuc_admin):
    api = api_as(vinhlong_officer)
    error = error_of(
        api.post("/api/v1/reports/", {"unit": int(HUGE), "kind": "year", "year": 2019}, format="json"), 400
    )
    assert error["message"] == "unit: Giá trị phải nhỏ hơn hoặc bằng 9223372036854775807."
    error = error_of(api_as(cuc_admin).get(f"/api/v1/reports/dashboard/?province={HUGE}"), 400)
    assert error["message"].startswith("province: Giá trị phải nhỏ hơn hoặc bằng")


def test_deleting_a_catalogue_entry_in_use_is_a_409_and_keeps_it(api_as, cuc_admin):
    nd45 = LegalDocument.objects.get(number="45/2012/NĐ-CP")
    error = error_of(api_as(cuc_admin).delete(f"/api/v1/catalog/legal-documents/{nd45.pk}/"), 409)
    assert error["code"] == "protected"
    assert error["message"].startswith("Không xóa được: bản ghi này đang được dùng (")
    assert "Nội dung hoạt động khuyến công" in error["message"]
    assert LegalDocument.objects.filter(pk=nd45.pk).exists()


def test_a_batch_id_not_of_the_plan_is_a_400_with_the_field(api_as, vinhlong_officer):
    plan = f.plan(vinhlong_officer)
    body = {"plan": plan.pk, "batch": 987654, "code": "BT18-QG-99", "title": "Đề án thử", "content": "3"}
    error = error_of(api_as(vinhlong_officer).post("/api/v1/projects/", body, format="json"), 400)
    assert error["message"] == f"Kế hoạch «{plan}» không có đợt giao mã 987654."
    assert error["details"] == {"field": "batch"}
    assert not plan.projects.exists()


def test_an_unknown_support_cap_code_is_refused_not_ignored(api_as, vinhlong_officer):
    plan = f.plan(vinhlong_officer)
    body = {
        "plan": plan.pk,
        "code": "BT18-QG-98",
        "title": "Đề án thử",
        "content": "3",
        "support_cap": "khong-co",
    }
    error = error_of(api_as(vinhlong_officer).post("/api/v1/projects/", body, format="json"), 400)
    assert error["message"] == "Không có mức hỗ trợ tối đa mã «khong-co»."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page_size=0", "page_size: Số dòng mỗi trang phải là số nguyên từ 1 đến 500."),
        ("page_size=abc", "page_size: Số dòng mỗi trang phải là số nguyên từ 1 đến 500."),
        ("page_size=501", "page_size: Số dòng mỗi trang phải là số nguyên từ 1 đến 500."),
    ],
)
def test_a_bad_page_size_is_a_400(api_as, vinhlong_officer, query, message):
    assert (
        error_of(api_as(vinhlong_officer).get(f"/api/v1/organisations/?{query}"), 400)["message"] == message
    )


def test_a_page_past_the_end_is_a_404_in_vietnamese(api_as, vinhlong_officer):
    error = error_of(api_as(vinhlong_officer).get(f"/api/v1/organisations/?page={HUGE}"), 404)
    assert error["message"] == "Không tìm thấy hoặc bạn không có quyền xem."


def test_an_unknown_api_url_answers_the_json_error_not_an_html_page(api_as, vinhlong_officer):
    error = error_of(api_as(vinhlong_officer).get("/api/v1/admin-units/abc/"), 404)
    assert error == {"code": "not_found", "message": "Không tìm thấy hoặc bạn không có quyền xem."}


def test_validation_messages_of_the_libraries_are_vietnamese(api_as, vinhlong_officer):
    api = api_as(vinhlong_officer)
    error = error_of(api.post("/api/v1/reports/", {"kind": "year"}, format="json"), 400)
    assert error["message"] == "unit: Trường này là bắt buộc."
    error = error_of(api.post("/api/v1/reports/", {"unit": "x", "kind": "year"}, format="json"), 400)
    assert error["message"] == "unit: Phải là số nguyên."
    error = error_of(api.post("/api/v1/reports/", {"unit": 1, "kind": "weekly"}, format="json"), 400)
    assert error["message"] == "kind: «weekly» không phải là một lựa chọn hợp lệ."


@pytest.mark.parametrize(
    "url",
    [
        f"/establishments/?commune={HUGE}",
        f"/establishments/?province={HUGE}",
        "/admin-units/?level=1.5",
        f"/admin-units/?parent={HUGE}",
    ],
)
def test_pages_ignore_a_filter_value_the_database_cannot_hold(as_user, vinhlong_officer, url):
    assert as_user(vinhlong_officer).get(url).status_code == 200


def test_the_project_list_page_refuses_a_huge_id_with_a_404(as_user, vinhlong_officer):
    assert as_user(vinhlong_officer).get(f"/projects/?province={HUGE}").status_code == 404
    assert as_user(vinhlong_officer).get(f"/projects/?beneficiary={HUGE}").status_code == 200


def test_appendix_import_on_a_programme_that_is_not_a_draft_says_why(vinhlong_officer, as_user):
    from django.urls import reverse

    from khuyencong.programs import services
    from khuyencong.programs.tests.factories import make_program

    program = make_program(vinhlong_officer, title="Chương trình đã trình")
    services.program_transition(
        actor=vinhlong_officer,
        program=program,
        to_status="submitted",
        expected_version=program.version,
        effective_date="2013-07-01",
    )
    upload = io.BytesIO(b"xx")
    upload.name = "phu-luc.xlsx"
    response = as_user(vinhlong_officer).post(reverse("programs:import", args=[program.pk]), {"file": upload})
    assert response.status_code == 400
    assert (
        "Chương trình đang ở trạng thái «Đã trình phê duyệt»: chỉ sửa được khi còn là dự thảo."
        in response.content.decode()
    )


def test_the_schema_declares_the_error_envelope_on_every_operation(api_as, vinhlong_officer):
    schema = api_as(vinhlong_officer).get("/api/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]
    ref = {"$ref": "#/components/schemas/Error"}
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) > 80
    for path, method, op in operations:
        for code in ("400", "401", "403", "404"):
            assert op["responses"][code]["content"]["application/json"]["schema"] == ref, (path, method, code)
        if method != "get":
            assert "409" in op["responses"], (path, method)


def test_a_catalogue_entry_ending_before_it_starts_is_refused(api_as, cuc_admin):
    body = {"code": "thu-nghiem", "name": "Ngành thử", "valid_from": "2020-01-01", "valid_to": "2010-01-01"}
    error = error_of(api_as(cuc_admin).post("/api/v1/catalog/sectors/", body, format="json"), 400)
    assert error["message"] == "valid_to: Ngày hết hiệu lực phải sau ngày có hiệu lực."


def test_page_filters_beyond_64_bits_are_ignored_on_programmes_reports_and_dashboard(as_user, cuc_admin):
    client = as_user(cuc_admin)
    for url in [
        f"/programs/?owner_unit={HUGE}",
        f"/programs/?year={HUGE}",
        f"/reports/?province={HUGE}",
        "/reports/?year=²",
        f"/reports/dashboard/?province={HUGE}",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("exc", "status", "code", "text"),
    [
        (OverflowError("Python int too large to convert to SQLite INTEGER"), 400, "invalid", "Số quá lớn."),
        (
            ValueError("Field 'id' expected a number but got 'x'."),
            400,
            "invalid",
            "Dữ liệu gửi lên không hợp lệ.",
        ),
        (
            IntegrityError("UNIQUE constraint failed"),
            409,
            "conflict",
            "Dữ liệu trùng hoặc mâu thuẫn với dữ liệu đã có; không có gì được lưu.",
        ),
    ],
)
def test_the_handler_answers_4xx_for_what_slipped_past_validation(exc, status, code, text):
    from khuyencong.core.api import exception_handler

    response = exception_handler(exc, {})
    assert response.status_code == status
    assert response.data == {"error": {"code": code, "message": text}}
