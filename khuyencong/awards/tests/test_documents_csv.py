"""The printable certificate (PDF through LibreOffice when installed, else .docx), the decision's annex as
.docx (Nghị định 30/2020 layout), and the public catalogue as CSV (public columns only, recognised products
only, the page's filters)."""

import csv
import io
import shutil

import docx
import pytest

from khuyencong.accounts.models import User
from khuyencong.awards import demo, documents, public
from khuyencong.awards.models import AwardRound, Certificate, Entry
from khuyencong.beneficiaries.models import Establishment
from khuyencong.conftest import login

pytestmark = pytest.mark.django_db


def _texts(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _officer(client):
    return login(client, User.objects.get(username="vinhlong"))


def test_the_certificate_is_printed_as_docx_without_libreoffice(awards_demo, client, monkeypatch):
    cert = Certificate.objects.get(number="1125/QĐ-UBND/01")
    monkeypatch.setattr(documents, "soffice", lambda: None)
    response = _officer(client).get(f"/awards/certificates/{cert.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text = _texts(response.content)
    assert "GIẤY CHỨNG NHẬN" in text
    assert "Sản phẩm: Thạch dừa Minh Tâm" in text
    assert "Số: 1125/QĐ-UBND/01 — Ngày cấp: 30/05/2016" in text
    assert "Giấy chứng nhận có giá trị đến ngày 29/05/2019" in text
    # the .docx link says the same
    assert _texts(client.get(f"/awards/certificates/{cert.pk}/docx/").content) == text
    # an outsider (another province's officer) gets 404
    login(client, User.objects.get(username="thainguyen"))
    assert client.get(f"/awards/certificates/{cert.pk}/pdf/").status_code == 404


def test_the_certificate_is_printed_as_pdf_through_libreoffice(awards_demo, client):
    # `make test` installs LibreOffice (Makefile target `browser`): a missing soffice fails here, not skips.
    assert documents.soffice() is not None, "LibreOffice (soffice) is missing: run `make browser`"
    cert = Certificate.objects.get(number="245/QĐ-CCN/01")
    response = _officer(client).get(f"/awards/certificates/{cert.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response.content.startswith(b"%PDF")
    page = client.get(f"/awards/certificates/{cert.pk}/").content.decode()
    assert f"/awards/certificates/{cert.pk}/pdf/" in page
    if shutil.which("pdftotext"):
        import subprocess

        out = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Thạch dừa Minh Tâm" in out and "11/09/2019" in out


def test_the_decision_annex_as_docx(awards_demo, client):
    r = AwardRound.objects.get(title=demo.PROVINCIAL)
    response = _officer(client).get(f"/awards/rounds/{r.pk}/annex.docx")
    assert response.status_code == 200
    d = docx.Document(io.BytesIO(response.content))
    head = d.tables[0].rows[0].cells
    assert (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text and "Độc lập - Tự do - Hạnh phúc" in head[1].text
    )
    assert head[0].text.startswith("UBND TỈNH BẾN TRE")
    paragraphs = [p.text for p in d.paragraphs if p.text]
    assert "PHỤ LỤC" in paragraphs
    assert "DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP TỈNH NĂM 2016 ĐƯỢC CÔNG NHẬN" in paragraphs
    assert any(p.startswith("(Kèm theo Quyết định số 1125/QĐ-UBND ngày 30/05/2016") for p in paragraphs)
    table = d.tables[1]
    assert [c.text for c in table.rows[0].cells] == documents.ANNEX_HEADERS
    assert len(table.rows) == 1 + 15
    assert [c.text for c in table.rows[1].cells][:2] == ["1", "Thạch dừa Minh Tâm"]
    assert d.sections[0].page_width > d.sections[0].page_height  # landscape for the wide table
    assert f"/awards/rounds/{r.pk}/annex.docx" in client.get(f"/awards/rounds/{r.pk}/").content.decode()


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_public_catalogue_as_csv(awards_demo, client):
    response = client.get("/san-pham-tieu-bieu.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0] == [label for _, label in public.COLUMNS]
    assert rows[0] == [
        "Sản phẩm",
        "Nhóm sản phẩm",
        "Cấp công nhận",
        "Năm",
        "Cơ sở",
        "Xã, phường",
        "Tỉnh (khi công nhận)",
        "Tỉnh (hiện nay)",
        "Số giấy chứng nhận",
        "Ngày cấp",
        "Có giá trị đến",
        "Điểm bình quân (nếu đợt công bố)",
    ]
    body = rows[1:]
    assert len(body) == Certificate.objects.filter(revoked=False).count() == 21
    recognised = set(Entry.objects.filter(recognised=True).values_list("product__name", flat=True))
    assert {r[0] for r in body} == recognised
    not_recognised = set(Entry.objects.values_list("product__name", flat=True)) - recognised
    assert not_recognised and not ({r[0] for r in body} & not_recognised)
    row = next(r for r in body if r[8] == "245/QĐ-CCN/01")
    assert row[:4] == ["Thạch dừa Minh Tâm", "Chế biến nông-lâm-thủy sản và thực phẩm", "Cấp khu vực", "2016"]
    assert row[5:] == [
        "Phường 6",
        "Tỉnh Bến Tre",
        "Tỉnh Vĩnh Long",
        "245/QĐ-CCN/01",
        "12/09/2016",
        "11/09/2019",
        "",  # the round does not publish its scores
    ]
    # nothing personal, no scores
    flat = response.content.decode()
    est = Establishment.objects.get(name="Cơ sở thạch dừa - nước màn dừa Minh Tâm")
    for value in (est.phone, est.email, est.representative_name, est.tax_code, est.street):
        if value:
            assert value not in flat
    assert "88,3" not in flat and "88.3" not in flat
    # the page's filters, and the page's ?format=csv
    regional = _csv(client.get("/san-pham-tieu-bieu.csv?level=region"))
    assert len(regional) == 1 + 6 and {r[2] for r in regional[1:]} == {"Cấp khu vực"}
    assert {r[0] for r in _csv(client.get("/san-pham-tieu-bieu/?format=csv&q=keo dua"))[1:]} == {
        "Kẹo dừa sáp Tư Lành",
        "Kẹo dừa lá dứa Phước Hiệp",
    }
    # a revoked certificate leaves the catalogue
    Certificate.objects.filter(number="245/QĐ-CCN/01").update(revoked=True)
    assert len(_csv(client.get("/san-pham-tieu-bieu.csv"))) == 1 + 20
    assert "/san-pham-tieu-bieu.csv" in client.get("/san-pham-tieu-bieu/?level=region").content.decode()


def test_scores_are_public_only_when_the_round_publishes_them(awards_demo, client):
    regional = AwardRound.objects.get(title=demo.REGIONAL)
    assert not regional.publish_scores
    api = client.get("/api/v1/public/products/?page_size=100").json()
    assert {r["score"] for r in api["results"]} == {None}
    AwardRound.objects.filter(pk=regional.pk).update(publish_scores=True)
    rows = _csv(client.get("/san-pham-tieu-bieu.csv"))[1:]
    scores = {r[8]: r[11] for r in rows}
    assert scores["245/QĐ-CCN/01"] == "85"  # the regional mean of Thạch dừa Minh Tâm
    assert scores["1125/QĐ-UBND/01"] == ""  # the provincial round still keeps its scores
    api = client.get("/api/v1/public/products/?level=region&page_size=100").json()
    assert {r["certificate_no"]: r["score"] for r in api["results"]}["245/QĐ-CCN/02"] == 83.3
    page = client.get("/san-pham-tieu-bieu/?level=region").content.decode()
    assert "điểm bình quân 85,0" in page
    assert "88,3" not in client.get("/san-pham-tieu-bieu/?level=province").content.decode()
