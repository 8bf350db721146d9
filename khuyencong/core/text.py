"""Vietnamese text helpers: folding for diacritic-free search."""

import unicodedata


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
    PostgreSQL)."""
    for term in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset


def nfc(text):
    """Unicode NFC of a text ("Tâm" typed as "Ta\u0302m" becomes one code point per letter); other values
    pass."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def ascii_slug(*parts) -> str:
    """An ASCII file-name slug of the parts, Vietnamese folded first ("Đà Nẵng" → "da-nang", not "a-nang")."""
    from django.utils.text import slugify

    return "-".join(s for s in (slugify(fold(str(p))) for p in parts if p not in (None, "")) if s)
