"""Vietnamese sort order ("Bạc Liêu" < "Bến Tre" < "Bình Dương" < "Bình Thuận" < "Cà Mau" < … "Dương" < "Đà
Nẵng"), the same on PostgreSQL and SQLite, instead of byte order ("Bình" before "Bạc").

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: ă, â, đ, ê, ô, ơ, ư are letters of
their own (primary differences); the tone marks (none, huyền, hỏi, ngã, sắc, nặng) break ties, then case.

- PostgreSQL: the ICU collation "vi-VN-x-icu" (imported with ICU at initdb; migration core 0001 creates it
  when missing).
- SQLite: the collation "vi", registered on every new connection (`register_sqlite`, connected in
  CoreConfig.ready), comparing `vi_key`s.

`vi_order("name")` / `vi_order("-unit__name")` is the ORDER BY term for the current database;
`vi_sorted(items, key=…)` sorts Python lists the same way.
"""

import functools
import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

PG_COLLATION = "vi-VN-x-icu"
SQLITE_COLLATION = "vi"

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # f j w z: foreign words, in Latin order
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def _tables() -> tuple[dict, dict, dict]:
    """str.translate tables from each Latin letter (precomposed, NFC) to its letter of the alphabet (placed
    above digits, spaces and punctuation), its tone and its case."""
    rank = {c: chr(0x3000 + i) for i, c in enumerate(ALPHABET)}
    primary, tone, case = {}, {}, {}
    points = [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
    for cp in points:
        ch = chr(cp)
        decomposed = unicodedata.normalize("NFD", ch)
        base = "đ" if ch in "đĐ" else decomposed[0].lower()
        mark = "0"
        for m in decomposed[1:]:
            if m in _TONES:
                mark = _TONES[m]
            else:
                base = _LETTER_MARKS.get((base, m), base)
        if base in rank:
            primary[cp], tone[cp], case[cp] = rank[base], mark, "1" if ch != ch.lower() else "0"
    return primary, tone, case


_PRIMARY, _TONE, _CASE = _tables()


@functools.lru_cache(maxsize=100_000)
def vi_key(text: str | None) -> str:
    """A string whose code-point order is the Vietnamese order of `text`: letters, then tones, then case."""
    if not text:
        return ""
    s = unicodedata.normalize("NFC", " ".join(str(text).split()))
    return f"{s.translate(_PRIMARY)}\x01{s.translate(_TONE)}\x01{s.translate(_CASE)}"


def vi_sorted(items, *, key=lambda x: x, reverse: bool = False) -> list:
    return sorted(items, key=lambda item: vi_key(key(item)), reverse=reverse)


def _compare(a: str, b: str) -> int:
    ka, kb = vi_key(a), vi_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(sender, connection, **kwargs) -> None:
    """connection_created receiver: SQLite learns the "vi" collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


def collation_name() -> str | None:
    if connection.vendor == "postgresql":
        return PG_COLLATION
    if connection.vendor == "sqlite":
        return SQLITE_COLLATION
    return None


def vi_field(field: str):
    """The column in Vietnamese collation (for order_by, or an annotation to sort on)."""
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
