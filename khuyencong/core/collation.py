"""Vietnamese sort order ("Bạc Liêu" < "Bến Tre" < "Bình Dương" < "Bình Thuận" < "Cà Mau" < … "Dương" < "Đà
Nẵng"), the same on PostgreSQL and SQLite, instead of byte order ("Bình" before "Bạc").

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: ă, â, đ, ê, ô, ơ, ư are letters of
their own (primary differences); the tone marks (none, huyền, hỏi, ngã, sắc, nặng) break ties, then case.

- PostgreSQL: the ICU collation "vi-VN-x-icu" (imported with ICU at initdb; migration core 0001 creates it
  when missing).
- SQLite: the function vi_key() and the collation "vi" (comparing `vi_key`s), registered on every new
  connection (`register_sqlite`, connected in CoreConfig.ready); `vi_order` sorts on vi_key(column).

`vi_order("name")` / `vi_order("-unit__name")` is the ORDER BY term for the current database;
`vi_sorted(items, key=…)` sorts Python lists the same way.
"""

import functools
import re
import unicodedata

from django.db import connection
from django.db.models import F, Func, TextField
from django.db.models.functions import Collate

PG_COLLATION = "vi-VN-x-icu"
SQLITE_COLLATION = "vi"
SQLITE_KEY_FUNCTION = "vi_key"

# The keys: NFD, lower case; ă â ê ô ơ ư đ become their base letter followed by a private-use character above
# every letter (so "ăn" comes after "az", and ă < â, ô < ơ); tone marks are dropped from the first part and
# mapped, in the order none < huyền < hỏi < ngã < sắc < nặng, into the second; the third is the text with its
# case swapped (lower case first, as ICU does).
_LETTERS = (("đ", "d\ue004"), ("\u0306", "\ue001"), ("\u0302", "\ue002"), ("\u031b", "\ue003"))
_TONES = (
    ("\u0300", "\ue010"),
    ("\u0309", "\ue011"),
    ("\u0303", "\ue012"),
    ("\u0301", "\ue013"),
    ("\u0323", "\ue014"),
)
_TONE_RE = re.compile("[\u0300\u0309\u0303\u0301\u0323]")


@functools.lru_cache(maxsize=100_000)
def vi_key(text: str | None) -> str:
    """A string whose code-point order is the Vietnamese order of `text`: letters, then tones, then case."""
    if not text:
        return ""
    s = unicodedata.normalize("NFD", " ".join(str(text).split()))
    low = s.lower()
    for a, b in _LETTERS:
        low = low.replace(a, b)
    toned = low
    for a, b in _TONES:
        toned = toned.replace(a, b)
    return f"{_TONE_RE.sub('', low)}\x01{toned}\x01{unicodedata.normalize('NFC', s).swapcase()}"


def vi_sorted(items, *, key=lambda x: x, reverse: bool = False) -> list:
    return sorted(items, key=lambda item: vi_key(key(item)), reverse=reverse)


def _compare(a: str, b: str) -> int:
    ka, kb = vi_key(a), vi_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(sender, connection, **kwargs) -> None:
    """connection_created receiver: SQLite learns the "vi" collation and the vi_key() function."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)
        connection.connection.create_function(SQLITE_KEY_FUNCTION, 1, vi_key, deterministic=True)


def collation_name() -> str | None:
    if connection.vendor == "postgresql":
        return PG_COLLATION
    if connection.vendor == "sqlite":
        return SQLITE_COLLATION
    return None


def vi_field(field: str):
    """The column in Vietnamese collation (for order_by, or an annotation to sort on).

    On SQLite, ORDER BY vi_key(column): the key is computed once per row and SQLite sorts the keys itself,
    where the "vi" collation would call Python on every comparison (n log n calls: seconds for 300.000
    establishments instead of a fraction of one)."""
    if connection.vendor == "sqlite":
        return Func(F(field), function=SQLITE_KEY_FUNCTION, output_field=TextField())
    name = collation_name()
    return Collate(F(field), name) if name else F(field)


def vi_order(field: str, *, descending: bool = False):
    """ORDER BY `field` (a leading "-" for descending) in Vietnamese order on the current database."""
    desc = descending or field.startswith("-")
    expr = vi_field(field.lstrip("-"))
    return expr.desc() if desc else expr.asc()


class ViSort(str):
    """A sort path for `core.listing.apply_sort` that sorts in Vietnamese order: SORTS = {"name":
    ViSort("name")}."""
