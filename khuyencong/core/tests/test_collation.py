"""Vietnamese sort order on every name list, the same on SQLite and PostgreSQL (run this file with
DATABASE_URL=postgres://… too): "Bạc Liêu" < "Bến Tre" < "Bình Dương" < "Bình Thuận" < "Cà Mau", and "Đà
Nẵng" after "Dương…" (đ is a letter after d), where byte order puts "Bình" before "Bạc"."""

import html
import re

import pytest
from django.db import connection

from khuyencong.beneficiaries.models import Establishment
from khuyencong.beneficiaries.tests.factories import establishment
from khuyencong.core.collation import PG_COLLATION, vi_key, vi_order, vi_sorted
from khuyencong.geo.models import AdminUnit

ORDER = ["Bạc Liêu", "Bến Tre", "Bình Dương", "Bình Thuận", "Cà Mau", "Dương Minh Châu", "Đà Nẵng"]


def test_the_python_key_sorts_the_vietnamese_way():
    shuffled = ["Đà Nẵng", "Bình Thuận", "Cà Mau", "Dương Minh Châu", "Bến Tre", "Bạc Liêu", "Bình Dương"]
    assert sorted(shuffled) != ORDER  # byte order is the bug
    assert vi_sorted(shuffled) == ORDER
    # ă â after a, ê after e, ô ơ after o, ư after u; tones only break ties (a à ả ã á ạ); then case.
    assert vi_sorted(["Ơn", "Ôn", "On", "Ưng", "Ung", "Ân", "Ăn", "An"]) == [
        "An",
        "Ăn",
        "Ân",
        "On",
        "Ôn",
        "Ơn",
        "Ung",
        "Ưng",
    ]
    assert vi_sorted(["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert vi_sorted(["Ma", "Mà", "Mac"]) == ["Ma", "Mà", "Mac"]  # the letters first, then the tones
    assert vi_key("Ta\u0302m") == vi_key("Tâm")  # decomposed input sorts as composed
    assert vi_sorted(["bến tre", "Bến Tre", "Bến tre"]) == ["bến tre", "Bến tre", "Bến Tre"]


@pytest.mark.django_db
def test_the_database_sorts_names_the_same_way():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [PG_COLLATION])
            assert cursor.fetchone() is not None
    for name in reversed(ORDER):
        establishment(name=name)
    names = list(
        Establishment.objects.filter(name__in=ORDER).order_by(vi_order("name")).values_list("name", flat=True)
    )
    assert names == ORDER
    names = list(
        Establishment.objects.filter(name__in=ORDER)
        .order_by(vi_order("-name"))
        .values_list("name", flat=True)
    )
    assert names == ORDER[::-1]


PROVINCES = ["Tỉnh Bạc Liêu", "Tỉnh Bến Tre", "Tỉnh Bình Dương", "Tỉnh Bình Thuận", "Tỉnh Cà Mau"]


def _names_in(page: str, names: list[str]) -> list[str]:
    text = html.unescape(page)
    found = re.findall("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), text)
    seen = []
    for n in found:
        if n not in seen:
            seen.append(n)
    return seen


@pytest.mark.django_db
def test_unit_list_and_establishment_list_pages_sort_vietnamese(cuc_admin, as_user):
    assert AdminUnit.objects.filter(era="old", level=1, name__in=PROVINCES).count() == 5
    client = as_user(cuc_admin)

    def unit_names(query):  # the "Tên" column over the two pages of the 63 old provinces
        names = []
        for number in (1, 2):
            page = html.unescape(client.get(f"/admin-units/{query}&page={number}").content.decode())
            names += re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", page)
        assert len(names) == 63
        return [n for n in names if n in PROVINCES]

    assert unit_names("?level=1&era=old&sort=name") == PROVINCES
    assert unit_names("?level=1&era=old&sort=-name") == PROVINCES[::-1]
    for name in ["Đà Nẵng", "Bình Thuận", "Cà Mau", "Dương Minh Châu", "Bến Tre", "Bạc Liêu", "Bình Dương"]:
        establishment(name=f"Cơ sở {name}")
    page = client.get("/establishments/").content.decode()  # sorted by name by default
    wanted = [f"Cơ sở {n}" for n in ORDER]
    assert _names_in(page, wanted) == wanted
    # The province select of the report form: Vietnamese order too.
    page = html.unescape(client.get("/reports/new/").content.decode())
    options = [o.strip() for o in re.findall(r"<option[^>]*>([^<]*)</option>", page)]
    picked = [
        next(p for p in PROVINCES if o.startswith(p)) for o in options if o.startswith(tuple(PROVINCES))
    ]
    assert picked == ["Tỉnh Cà Mau", *PROVINCES]  # the current provinces first, then the old ones
