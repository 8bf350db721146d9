"""Lookups in the catalogues, one place for every app: a content, source, indicator or cap by its code, and
what
is valid on a day. Codes are compared stripped; a code that is not in the catalogue gives None."""

import datetime as dt

from .models import ActivityContent, FundingSource, OutputIndicator, SupportCap


def activity_contents_valid_on(day: dt.date):
    return ActivityContent.objects.valid_on(day).select_related("legal_basis")


def activity_content_by_code(code, *, on: dt.date | None = None) -> ActivityContent | None:
    """The content numbered `code` ("1".."9"): the one valid on `on` when there is one, else the earliest
    issued."""
    qs = ActivityContent.objects.filter(code=str(code).strip())
    if on is not None:
        dated = qs.valid_on(on)
        if dated.exists():
            qs = dated
    return qs.order_by("legal_basis__issued_date", "valid_from", "pk").first()


def funding_source_by_code(code) -> FundingSource | None:
    return FundingSource.objects.filter(code=str(code).strip()).first()


def output_indicator_by_code(code) -> OutputIndicator | None:
    return OutputIndicator.objects.filter(code=str(code).strip()).first()


def support_cap_by_code(code) -> SupportCap | None:
    return SupportCap.objects.filter(code=str(code).strip()).first()


def support_caps_for(*, content=None, funding_source=None, day: dt.date):
    """Caps valid on `day`, for a content and a source when given."""
    qs = SupportCap.objects.valid_on(day).select_related("legal_basis", "content", "funding_source")
    if content is not None:
        qs = qs.filter(content=content)
    if funding_source is not None:
        qs = qs.filter(funding_source=funding_source)
    return qs
