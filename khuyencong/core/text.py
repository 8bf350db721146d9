"""Vietnamese text helpers: folding for diacritic-free search."""

import unicodedata

from khuyencong.core import fts


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics, đ→d, collapse spaces: "Bến Tre" → "ben tre"."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", str(text))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return " ".join(text.split())


def search_terms(query: str | None) -> list[str]:
    """Folded words of a search query, for AND-matching against a folded column."""
    return [w for w in fold(query).split(" ") if w]


def filter_folded(queryset, query: str | None, field: str = "search_text"):
    """Keep rows whose folded `field` contains every folded word of `query` (same on SQLite and
    PostgreSQL). On SQLite, a table with an FTS5 trigram index (core/fts.py) answers the words of 3 letters or
    more from it; PostgreSQL's pg_trgm index serves the LIKE itself."""
    terms = search_terms(query)
    if terms and fts.usable(queryset, field):
        indexed = [t for t in terms if len(t) >= fts.MIN_TERM]
        if indexed:
            queryset = fts.filter_ids(queryset, indexed)
        terms = [t for t in terms if len(t) < fts.MIN_TERM]
    for term in terms:
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset


def nfc(text):
    """Unicode NFC of a text ("Tâm" typed as "Ta\u0302m" becomes one code point per letter); other values
    pass."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def words_match(items, query: str | None, text_of) -> list:
    """The items whose folded `text_of(item)` holds every folded word of `query`, those where each word
    starts a word of the text first ("phuong 6" puts "Phường 6 — …" before "Phường 16 — …"); the order is
    kept otherwise. Used by pickers on a bounded candidate list (one province's communes)."""
    terms = search_terms(query)
    if not terms:
        return list(items)
    first, second = [], []
    for item in items:
        text = fold(text_of(item))
        if not all(t in text for t in terms):
            continue
        words = text.replace(",", " ").replace("(", " ").split()
        if all(any(w.startswith(t) for w in words) for t in terms):
            first.append(item)
        else:
            second.append(item)
    return first + second


def ascii_slug(*parts) -> str:
    """An ASCII file-name slug of the parts, Vietnamese folded first ("Đà Nẵng" → "da-nang", not "a-nang")."""
    from django.utils.text import slugify

    return "-".join(s for s in (slugify(fold(str(p))) for p in parts if p not in (None, "")) if s)
