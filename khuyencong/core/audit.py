"""Audit history: every domain model carries simple-history's HistoricalRecords.

Services save through `save_audited` / `delete_audited` so each history row has the actor and a reason.
`register_history` tells the generic "Lịch sử thay đổi" page how to fetch a record *for a user*
(scoped: an outsider gets 404).
"""

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from .text import nfc

_REGISTRY: dict[str, "HistoryEntry"] = {}


@dataclass(frozen=True)
class HistoryEntry:
    model: type[models.Model]
    getter: Callable  # getter(user=..., pk=...) -> instance, raises Http404 outside scope
    title: str


def register_history(model, getter: Callable, title: str | None = None) -> None:
    _REGISTRY[model._meta.label_lower] = HistoryEntry(model, getter, title or str(model._meta.verbose_name))


def history_entry(label: str) -> HistoryEntry | None:
    return _REGISTRY.get(label.lower())


def history_url(instance) -> str:
    from django.urls import reverse

    return reverse("history", args=[instance._meta.label_lower, instance.pk])


def normalise_text_fields(instance):
    """NFC every loaded CharField/TextField of a row, so text typed or pasted in decomposed Unicode (NFD, as
    some keyboards and macOS files send it) is stored in one form and found by an exact match. Pages, API and
    imports all save through services, hence through here (bulk imports call this themselves)."""
    values = instance.__dict__  # a deferred field is not loaded: not in the instance's dict
    for name in _text_attnames(type(instance)):
        value = values.get(name)
        if isinstance(value, str) and not value.isascii() and not unicodedata.is_normalized("NFC", value):
            values[name] = nfc(value)
    return instance


@functools.cache
def _text_attnames(model) -> tuple[str, ...]:
    return tuple(
        f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
    )


def save_audited(instance, *, actor, reason: str = "", update_fields=None):
    """Save a domain row, recording who did it and why in its history; clears the reason after.
    Text fields are normalised to NFC first (see `normalise_text_fields`)."""
    normalise_text_fields(instance)
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance._change_reason = reason or None
    try:
        instance.save(update_fields=update_fields)
    finally:
        for attr in ("_change_reason", "_history_user"):
            if hasattr(instance, attr):
                delattr(instance, attr)
    return instance


def delete_audited(instance, *, actor, reason: str = "") -> None:
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance._change_reason = reason or None
    instance.delete()


def field_changes(record) -> list[dict]:
    """Before/after of one history row against the previous one, with verbose field names."""
    previous = record.prev_record
    model = record.instance_type
    changes = []
    if previous is None:
        return changes
    delta = record.diff_against(previous, excluded_fields=["updated_at", "version", "search_text"])
    for change in delta.changes:
        try:
            field = model._meta.get_field(change.field)
            label = field.verbose_name
        except Exception:
            field, label = None, change.field
        old, new = change.old, change.new
        if field is not None and getattr(field, "choices", None):
            names = dict(field.flatchoices)
            old, new = names.get(old, old), names.get(new, new)
        changes.append({"field": str(label), "old": old, "new": new})
    return changes


HISTORY_TYPES = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


class HistoryIsReadOnly(Exception):
    """Raised when code tries to change or delete an audit-history row."""


def _is_history_model(sender) -> bool:
    from simple_history.models import HistoricalChanges

    return isinstance(sender, type) and issubclass(sender, HistoricalChanges)


def refuse_history_edit(sender, instance, raw=False, **kwargs):
    if raw or not _is_history_model(sender):
        return
    if instance.pk is not None and sender._default_manager.filter(pk=instance.pk).exists():
        raise HistoryIsReadOnly("Lịch sử thay đổi không được sửa.")


def refuse_history_delete(sender, instance, **kwargs):
    if _is_history_model(sender):
        raise HistoryIsReadOnly("Lịch sử thay đổi không được xóa.")
