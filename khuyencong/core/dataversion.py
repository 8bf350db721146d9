"""Versions of groups of tables, for answers worth keeping until the data changes (a national list's count
and totals row: 100 ms of SQL over 100.000 đề án, the same for every Cục user until somebody changes a
đề án).

A group's version lives in a shared cache of its own (settings.CACHES["versions"]: a file cache in dev and
production, so every web worker sees one version; the kept answers are in the default cache). Every save or
delete of the group's models, and every bulk insert of them (`core.bulk.rows_inserted`), bumps it — at once
and again when the transaction commits, so an answer computed from uncommitted rows by another request is not
kept past the commit. `remember(group, parts, compute)` keeps an answer under the group's current version and
the given parts (e.g. the SQL of the query), so a change makes every answer of the group recomputed on its
next read.

Writes that bypass the ORM's signals must call `bump(group)` themselves (`projects.asof` does)."""

import functools
import hashlib
import time

from django.core.cache import cache, caches
from django.db import transaction

TIMEOUT = 3600
# The group of every table of the domain apps (reports/apps.py connects those of
# `reports.dashboard.FIGURE_APPS`), for answers read from many of them (the dashboard, a plan's money). The
# derived tables rebuilt while reading (dashboard summary, as-of table) do not bump it; their full rebuilds
# after raw loads do.
FIGURES = "figures"


def _versions():
    """The cache of the versions themselves (settings.CACHES["versions"]: a few keys, written on every
    change), apart from the kept answers."""
    return caches["versions"]


def _key(group: str) -> str:
    return f"dataversion:{group}"


def _set_new(group: str) -> None:
    _versions().set(_key(group), time.time_ns(), None)


def _set_new_on_commit(group: str):
    callback = functools.partial(_set_new, group)
    callback.dataversion_group = group
    return callback


def bump(group: str) -> None:
    """The group's answers are out of date: a new version now (this transaction's own later reads must not
    get an answer kept before its write) and, inside a transaction, once more when it commits (an answer
    another request computed meanwhile from the rows as they were must not outlive the commit). A
    transaction that changes many rows registers the commit's bump once per group: a pending one is kept
    until the commit, or dropped with the rollback of the savepoint holding it — which also undoes the
    write that found it pending."""
    _set_new(group)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # autocommit: the write is committed already
    for _sids, func, _robust in connection.run_on_commit:
        if getattr(func, "dataversion_group", None) == group:
            return
    transaction.on_commit(_set_new_on_commit(group))


def version(group: str) -> int:
    versions = _versions()
    v = versions.get(_key(group))
    if v is None:
        v = time.time_ns()
        versions.add(_key(group), v, None)
        v = versions.get(_key(group), v)
    return v


def query_key(qs):
    """What a queryset reads, for a key: its SQL and parameters (an empty queryset has no SQL)."""
    from django.core.exceptions import EmptyResultSet

    try:
        return qs.order_by().query.sql_with_params()
    except EmptyResultSet:
        return ("empty", qs.model._meta.label)


def remember(group: str, parts, compute, *, timeout: int = TIMEOUT):
    """compute(), or the answer kept for these parts since the group last changed."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"dataversion:{group}:{version(group)}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout)
    return found


def connect(group: str, labels: tuple[str, ...]) -> None:
    """Bump the group on every save, delete and bulk insert of these models ("app.Model"), and every change
    of a many-to-many relation whose through table is one of them."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .bulk import rows_inserted

    def changed(*args, **kwargs):
        bump(group)

    changed.__name__ = f"bump_{group}"
    _receivers.append(changed)  # signals keep weak references
    for label in labels:
        model = apps.get_model(label)
        for signal in (post_save, post_delete, rows_inserted, m2m_changed):
            signal.connect(changed, sender=model, dispatch_uid=f"dataversion-{group}-{label}-{id(signal)}")


def connect_apps(group: str, app_labels: tuple[str, ...], *, exclude: tuple[str, ...] = ()) -> None:
    """`connect` for every model of these apps (their history and many-to-many tables too) but the excluded
    ("app.Model"): a new model of such an app is covered without a list to keep up to date."""
    from django.apps import apps

    labels = tuple(
        model._meta.label
        for app_label in app_labels
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
        if model._meta.label not in exclude
    )
    connect(group, labels)


_receivers: list = []
