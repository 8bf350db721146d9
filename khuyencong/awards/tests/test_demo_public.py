"""Seed 000's voting story in the demo, and the public catalogue (no login) that shows exactly the
recognised products of the demo and nothing personal."""

import io
from decimal import Decimal

import openpyxl
import pytest

from khuyencong.accounts.models import User
from khuyencong.awards import demo
from khuyencong.awards.models import AwardRound, Certificate, Entry
from khuyencong.beneficiaries.models import Establishment

pytestmark = pytest.mark.django_db


def test_seed_000_bến_tre_2016_provincial_15_and_regional_6(awards_demo):
    provincial = AwardRound.objects.get(title=demo.PROVINCIAL)
    regional = AwardRound.objects.get(title=demo.REGIONAL)
    assert (provincial.status, regional.status) == ("decided", "decided")
    assert provincial.entries.count() == 18
    assert provincial.entries.filter(eligible=True).count() == 16
    assert provincial.entries.filter(recognised=True).count() == 15
    assert regional.entries.filter(recognised=True).count() == 6
    assert Certificate.objects.filter(level="province").count() == 15
    assert Certificate.objects.filter(level="region").count() == 6
    # scores consistent with the pass marks: every recognised product reached its round's pass mark
    for entry in Entry.objects.filter(recognised=True).select_related("round"):
        assert entry.score >= entry.round.pass_mark
    best = provincial.entries.get(rank=1)
    assert (best.product.name, best.score) == ("Thạch dừa Minh Tâm", Decimal("88.3"))
    assert [s.total for s in best.sheets.order_by("total")] == [
        Decimal("86.8"),
        Decimal("88.3"),
        Decimal("89.8"),
    ]
    # every regional entry came up from the province with the same dossier
    assert all(e.forwarded_from.product_id == e.product_id for e in regional.entries.all())
    AwardRound.objects.update()  # nothing pending
    demo.load_seed_000()  # idempotent
    assert AwardRound.objects.count() == 2 and Certificate.objects.count() == 21


def test_the_public_catalogue_shows_exactly_the_recognised_products(awards_demo, client):
    response = client.get("/san-pham-tieu-bieu/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "21 giấy chứng nhận" in body
    recognised = set(Entry.objects.filter(recognised=True).values_list("product__name", flat=True))
    not_recognised = (
        set(Entry.objects.filter(recognised=False).values_list("product__name", flat=True)) - recognised
    )
    assert len(recognised) == 15
    api = client.get("/api/v1/public/products/?page_size=100").json()
    assert api["count"] == 21
    assert {r["product"] for r in api["results"]} == recognised
    names = "\n".join(r["product"] for r in api["results"])
    for name in not_recognised:
        assert name not in body and name not in names
    row = next(
        r for r in api["results"] if r["product"] == "Thạch dừa Minh Tâm" and r["level"] == "Cấp khu vực"
    )
    assert row["certificate_no"] == "245/QĐ-CCN/01"
    assert row["valid_until"] == "2019-09-11"
    assert row["province_old"] == "Tỉnh Bến Tre" and row["province"] == "Tỉnh Vĩnh Long"
    assert row["commune"] == "Phường 6"
    assert client.get(row["photo_url"])["Content-Type"] == "image/png"


def test_the_public_catalogue_holds_no_personal_data(awards_demo, client):
    pages = [
        client.get("/san-pham-tieu-bieu/").content.decode(),
        client.get("/api/v1/public/products/?page_size=100").content.decode(),
    ]
    product = Entry.objects.filter(recognised=True).first().product
    pages.append(client.get(f"/san-pham-tieu-bieu/{product.pk}/").content.decode())
    pages.append(client.get(f"/api/v1/public/products/{product.pk}/").content.decode())
    book = openpyxl.load_workbook(io.BytesIO(client.get("/san-pham-tieu-bieu/?format=xlsx").content))
    pages.append("\n".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v))
    personal = []
    for est in Establishment.objects.filter(products__entries__recognised=True).distinct():
        personal += [
            v for v in (est.phone, est.email, est.representative_name, est.tax_code, est.street) if v
        ]
    personal += [u.display_name for u in User.objects.filter(username__contains="giamkhao")]
    assert personal
    for text in pages:
        for value in personal:
            assert value not in text
        assert "88,3" not in text and "88.3" not in text  # no scores
    assert "Thạch dừa Minh Tâm" in pages[2]


def test_the_public_catalogue_filters_and_searches_without_diacritics(awards_demo, client):
    api = client.get("/api/v1/public/products/?q=keo dua").json()
    assert {r["product"] for r in api["results"]} == {"Kẹo dừa sáp Tư Lành", "Kẹo dừa lá dứa Phước Hiệp"}
    api = client.get("/api/v1/public/products/?level=region").json()
    assert api["count"] == 6
    api = client.get("/api/v1/public/products/?group=machinery").json()
    assert {r["product"] for r in api["results"]} == {"Máy gọt vỏ dừa khô"}
    page = client.get("/san-pham-tieu-bieu/?q=chi xo dua&year=2016").content.decode()
    assert "Chỉ xơ dừa xuất khẩu" in page and "Thạch dừa Minh Tâm" not in page
    assert client.get("/api/v1/public/products/?year=abc").status_code == 400


def test_a_product_not_recognised_has_no_public_page_nor_photo(awards_demo, client):
    entry = Entry.objects.filter(recognised=False, round__level="province").order_by("score").first()
    assert client.get(f"/san-pham-tieu-bieu/{entry.product_id}/").status_code == 404
    assert client.get(f"/api/v1/public/products/{entry.product_id}/").status_code == 404
    photo = entry.product.files.first()
    assert client.get(f"/san-pham-tieu-bieu/anh/{photo.pk}/").status_code == 404
    assert client.get(f"/awards/files/{photo.pk}/").status_code == 302  # the login page


def test_the_9_month_2016_figures_of_bến_tre_count_15_provincial_and_6_regional_products(awards_demo):
    import datetime as dt

    from khuyencong import testing
    from khuyencong.awards.figures import voting_figures

    nine_months = voting_figures(testing.old_province("Bến Tre"), dt.date(2016, 1, 1), dt.date(2016, 9, 30))
    assert nine_months["recognised"]["province"] == 15
    assert nine_months["recognised"]["region"] == 6
    assert nine_months["entries"]["province"] == 18 and nine_months["entries"]["region"] == 8
    assert nine_months["by_group"]["region"]["food"] == 3
    # the 6-month report: the regional decision (12/9/2016) is not in it yet
    half = voting_figures(testing.current_province("Vĩnh Long"), dt.date(2016, 1, 1), dt.date(2016, 6, 30))
    assert (half["recognised"]["province"], half["recognised"]["region"]) == (15, 0)
    assert (
        voting_figures(testing.old_province("Bắc Kạn"), dt.date(2016, 1, 1), dt.date(2016, 12, 31))[
            "recognised"
        ]["province"]
        == 0
    )


def test_the_establishments_support_history_lists_its_certificates(awards_demo, client):
    from khuyencong.accounts.models import User
    from khuyencong.conftest import login

    est = Establishment.objects.get(name="Cơ sở thạch dừa - nước màn dừa Minh Tâm")
    page = login(client, User.objects.get(username="coso")).get(f"/establishments/{est.pk}/").content.decode()
    assert "Thạch dừa Minh Tâm — cấp tỉnh năm 2016 (giấy chứng nhận số 1125/QĐ-UBND/01)" in page
    assert "Thạch dừa Minh Tâm — cấp khu vực năm 2016" in page
