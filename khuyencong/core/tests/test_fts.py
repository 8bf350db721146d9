"""The SQLite search index (core/fts.py): the establishment search answers from FTS5 on SQLite, gives the same
rows as the folded LIKE it replaces (on both databases), follows every write — save, `update()`, delete —
and survives a table remade by a migration (triggers gone: post_migrate puts them back and rebuilds)."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.beneficiaries import selectors
from khuyencong.beneficiaries.models import Establishment
from khuyencong.beneficiaries.tests import factories
from khuyencong.core import fts
from khuyencong.core.text import search_terms

pytestmark = pytest.mark.django_db

TABLE = "beneficiaries_establishment"


def _search(user, q):
    qs = selectors.establishment_filter(selectors.establishment_list_for(user=user), {"q": q})
    return sorted(qs.values_list("name", flat=True))


def _like(q):
    qs = Establishment.objects.all()
    for term in search_terms(q):
        qs = qs.filter(search_text__contains=term)
    return sorted(qs.values_list("name", flat=True))


@pytest.fixture
def names(db):
    for name, rep in [
        ("Cơ sở chế biến chè Minh Phát", "Nguyễn Văn Phát"),
        ("Công ty TNHH Chế Biến Nông Sản Minh Phương", "Lê Thị Hà"),
        ("Hợp tác xã mây tre đan Phú Vinh", "Trần Văn Ba"),
        ("Cơ sở nước mắm Phát Đạt", "Võ Thị Minh"),
    ]:
        factories.establishment(name=name, representative_name=rep)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index (PostgreSQL: pg_trgm)")
def test_sqlite_search_reads_the_index(names, cuc_admin):
    with CaptureQueriesContext(connection) as ctx:
        assert _search(cuc_admin, "minh phat che bien") == ["Cơ sở chế biến chè Minh Phát"]
    assert any("MATCH" in q["sql"] for q in ctx.captured_queries)


def test_search_gives_the_rows_of_the_folded_like(names, cuc_admin):
    """On both databases (SQLite from its index, PostgreSQL with LIKE): the same rows as the plain filter."""
    assert _search(cuc_admin, "minh") == [
        "Công ty TNHH Chế Biến Nông Sản Minh Phương",
        "Cơ sở chế biến chè Minh Phát",
        "Cơ sở nước mắm Phát Đạt",
    ]
    # Words of 1–2 letters cannot use trigrams: they stay LIKE on the rows the others left.
    assert _search(cuc_admin, "tnhh ha") == ["Công ty TNHH Chế Biến Nông Sản Minh Phương"]
    assert _search(cuc_admin, "tnhh ba") == []
    for q in ["minh", "MINH PHÁT", "phat dat", "che bien nong", "phu", "tre dan", "minh tam", 'a"b', "ha"]:
        assert _search(cuc_admin, q) == _like(q), q


def test_search_follows_every_write(names, cuc_admin):
    phu_vinh = Establishment.objects.get(name__startswith="Hợp tác xã")
    phu_vinh.name = "Hợp tác xã mây tre đan Phú Thịnh"
    phu_vinh.save()
    assert _search(cuc_admin, "phu thinh") == ["Hợp tác xã mây tre đan Phú Thịnh"]
    assert _search(cuc_admin, "phu vinh") == []
    # update() writes the column without save() or its signals: the SQL triggers follow it too.
    Establishment.objects.filter(pk=phu_vinh.pk).update(search_text="hop tac xa gom su bat trang")
    assert _search(cuc_admin, "bat trang") == ["Hợp tác xã mây tre đan Phú Thịnh"]
    Establishment.objects.filter(name__contains="Phát Đạt").delete()
    assert _search(cuc_admin, "phat") == ["Cơ sở chế biến chè Minh Phát"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_triggers_lost_in_a_table_remake_come_back_after_migrate(names, cuc_admin):
    with connection.cursor() as cur:
        for name in ("_ai", "_ad", "_au"):
            cur.execute(f'DROP TRIGGER "{fts.fts_table(TABLE)}{name}"')
    # What a remade table looks like: rows written while no trigger keeps the index in step.
    Establishment.objects.filter(name__contains="Phát Đạt").update(search_text="co so nuoc mam ca com")
    assert _search(cuc_admin, "ca com") == []
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert _search(cuc_admin, "ca com") == ["Cơ sở nước mắm Phát Đạt"]
    assert fts.ensure(connection, TABLE) is False  # nothing left to do
