"""Text typed in decomposed Unicode (NFD: "a" + combining circumflex + combining acute) is stored as NFC, so
an
exact match on the name finds it, whichever way it came in: the page, the API or an Excel import."""

import io
import unicodedata

import pytest
from openpyxl import Workbook

from khuyencong.beneficiaries import imports
from khuyencong.beneficiaries.models import Establishment
from khuyencong.beneficiaries.tests import factories
from khuyencong.beneficiaries.validators import make_tax_code
from khuyencong.core.text import nfc
from khuyencong.programs.tests.factories import make_program

pytestmark = pytest.mark.django_db

NAME = "Cơ sở đan lát Hưng Thịnh Lấp Vò"
NFD = unicodedata.normalize("NFD", NAME)


def test_the_fixture_really_is_decomposed():
    assert NFD != NAME and len(NFD) > len(NAME) and nfc(NFD) == NAME
    assert nfc(None) is None and nfc(12) == 12


def test_service_stores_nfc_and_exact_match_finds_it(vinhlong_officer):
    est = factories.establishment(
        name=NFD, representative_name=unicodedata.normalize("NFD", "Lê Thị Ấu"), actor=vinhlong_officer
    )
    est.refresh_from_db()
    assert est.name == NAME and est.representative_name == "Lê Thị Ấu"
    assert Establishment.objects.get(name=NAME).pk == est.pk
    assert est.history.first().name == NAME  # the history snapshot is NFC too


def test_retyping_the_same_text_in_nfd_is_no_change(vinhlong_officer):
    from khuyencong.beneficiaries import services

    est = factories.establishment(name=NAME, actor=vinhlong_officer)
    same = services.establishment_update(
        actor=vinhlong_officer, pk=est.pk, expected_version=est.version, changes={"name": NFD}
    )
    assert same.version == est.version and est.history.count() == 1


def test_page_form_stores_nfc(vinhlong_officer, as_user):
    commune = factories.a_commune()
    from khuyencong.catalog.models import EstablishmentType

    response = as_user(vinhlong_officer).post(
        "/establishments/new/",
        {
            "name": NFD,
            "establishment_type": EstablishmentType.objects.get(code="HKD").pk,
            "province": commune.current_province_id,
            "commune": commune.pk,
            "tax_code": make_tax_code("13", 5151),
        },
    )
    assert response.status_code == 302
    assert Establishment.objects.filter(name=NAME).count() == 1


def test_api_stores_nfc(vinhlong_officer, api_as):
    commune = factories.a_commune()
    response = api_as(vinhlong_officer).post(
        "/api/v1/establishments/",
        {"name": NFD, "establishment_type": "HKD", "commune": commune.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == NAME
    assert Establishment.objects.filter(name=NAME).count() == 1


def test_excel_import_stores_nfc_and_reimport_is_unchanged(vinhlong_officer):
    values = {
        "name": NFD,
        "establishment_type": "HKD",
        "tax_code": make_tax_code("13", 6262),
        "commune_name": "Mỹ Thạnh",
        "district_name": "Giồng Trôm",
        "province_name": "Bến Tre",
        "main_products": unicodedata.normalize("NFD", "Giỏ, nón lá"),
    }
    wb = Workbook()
    wb.active.append(imports.HEADERS)
    wb.active.append([values.get(key) for _, key in imports.COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    first = imports.establishment_import(actor=vinhlong_officer, content=buf.getvalue(), filename="nfd.xlsx")
    assert first.created == 1
    est = Establishment.objects.get(name=NAME)
    assert est.main_products == "Giỏ, nón lá"
    again = imports.establishment_import(actor=vinhlong_officer, content=buf.getvalue(), filename="nfd.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_other_domain_models_too(vinhlong_officer):
    program = make_program(
        vinhlong_officer, title=unicodedata.normalize("NFD", "Chương trình khuyến công Đồng Khởi")
    )
    program.refresh_from_db()
    assert program.title == "Chương trình khuyến công Đồng Khởi"
