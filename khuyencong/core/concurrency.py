"""Optimistic concurrency: a save carries the version the user read; a stale one is refused."""

from django.db import transaction

from .audit import save_audited
from .errors import ConcurrentEditError
from .text import nfc


def update_versioned(model, *, pk, expected_version: int | None, changes: dict, actor, reason: str = ""):
    """Apply `changes` to row `pk` only if its version is still `expected_version`.

    The row is locked for the check (PostgreSQL); SQLite serialises writers anyway.
    Returns the saved instance; raises ConcurrentEditError and writes nothing if the row moved on.
    """
    with transaction.atomic():
        instance = model.objects.select_for_update().get(pk=pk)
        if expected_version is not None and int(expected_version) != instance.version:
            raise ConcurrentEditError()
        changed = False
        for field, value in changes.items():
            value = nfc(value)  # as save_audited stores it: an NFD retype of the same text is no change
            if getattr(instance, field) != value:
                setattr(instance, field, value)
                changed = True
        if changed:
            instance.version += 1
            if hasattr(instance, "full_clean"):
                instance.full_clean(validate_unique=False, validate_constraints=False)
            save_audited(instance, actor=actor, reason=reason)
        return instance
