"""Data versions (core.dataversion): a bump invalidates kept answers at once and again on commit, with one
commit bump per group however many rows a transaction changes."""

import pytest
from django.db import connection, transaction

from khuyencong.core import dataversion

pytestmark = pytest.mark.django_db


def _commit_bumps(group: str) -> int:
    pending = [func for _sids, func, _robust in connection.run_on_commit]
    return sum(1 for func in pending if getattr(func, "dataversion_group", None) == group)


def test_many_bumps_in_a_transaction_register_one_commit_bump():
    before = dataversion.version("g1")
    for _ in range(55):  # e.g. the rows of a plan deleted one signal each
        dataversion.bump("g1")
    assert dataversion.version("g1") != before
    assert _commit_bumps("g1") == 1
    dataversion.bump("g2")
    assert _commit_bumps("g2") == 1 and _commit_bumps("g1") == 1


def test_an_answer_kept_before_the_commit_is_recomputed_after_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dataversion.bump("g3")
        # Another request reads before the commit: it does not see the uncommitted rows, and keeps its answer.
        assert dataversion.remember("g3", ("k",), lambda: "before the commit") == "before the commit"
        assert dataversion.remember("g3", ("k",), lambda: "unused") == "before the commit"
    assert len(callbacks) == 1
    assert dataversion.remember("g3", ("k",), lambda: "after the commit") == "after the commit"


def test_a_rolled_back_savepoint_takes_its_commit_bump_and_a_later_write_registers_one_again():
    try:
        with transaction.atomic():
            dataversion.bump("g4")
            assert _commit_bumps("g4") == 1
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert _commit_bumps("g4") == 0
    dataversion.bump("g4")
    assert _commit_bumps("g4") == 1


def test_full_rebuilds_after_raw_loads_drop_the_kept_figures():
    """Raw loaders (generate_national) write without signals and then rebuild the derived tables: those full
    rebuilds make every answer kept under the figures group be recomputed."""
    from khuyencong.projects import asof
    from khuyencong.reports.figures import plan_figures_rebuild

    assert dataversion.remember(dataversion.FIGURES, ("k",), lambda: 1) == 1
    assert dataversion.remember(dataversion.FIGURES, ("k",), lambda: 2) == 1
    asof.rebuild()
    assert dataversion.remember(dataversion.FIGURES, ("k",), lambda: 3) == 3
    plan_figures_rebuild()
    assert dataversion.remember(dataversion.FIGURES, ("k",), lambda: 4) == 4


def test_each_database_has_its_own_cache_keys():
    """Two apps sharing a cache directory (the demo, a benchmark database) never read each other's kept
    answers: the cache keys carry the database."""
    from config.settings import cache_key_prefix

    demo = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/kc/var/khuyencong.sqlite3"}
    bench = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/kc_nat.sqlite3"}
    pg = {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 5432, "NAME": "kc_nat"}
    pg_other = {**pg, "NAME": "khuyencong"}
    prefixes = {cache_key_prefix(db) for db in (demo, bench, pg, pg_other)}
    assert len(prefixes) == 4
    assert cache_key_prefix(dict(pg)) == cache_key_prefix(pg)  # the same database, the same keys
