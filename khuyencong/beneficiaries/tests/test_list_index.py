"""The establishment list in Vietnamese order reads an index on SQLite (ORDER BY vi_key(name) would otherwise
compute the key of all 300.000 rows for a page of 50) and sorts with the ICU collation on PostgreSQL."""

import pytest
from django.db import connection

from khuyencong.beneficiaries.models import Establishment
from khuyencong.core.collation import vi_order

pytestmark = pytest.mark.django_db


def test_vietnamese_order_of_the_list_is_served_by_the_database():
    qs = Establishment.objects.order_by(vi_order("name"), "pk").values_list("pk", flat=True)[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cur.fetchall())
            assert "USING INDEX beneficiaries_est_vi_name" in plan and "TEMP B-TREE" not in plan, plan
        else:
            assert 'COLLATE "vi-VN-x-icu"' in sql
