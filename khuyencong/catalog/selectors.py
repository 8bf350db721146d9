import datetime as dt

from .models import ActivityContent, FundingSource, SupportCap


def activity_contents_valid_on(day: dt.date):
    return ActivityContent.objects.valid_on(day).select_related("legal_basis")


def funding_source(code: str) -> FundingSource:
    return FundingSource.objects.get(code=code)


def support_caps_for(*, content=None, funding_source=None, day: dt.date):
    qs = SupportCap.objects.valid_on(day).select_related("legal_basis", "content", "funding_source")
    if content is not None:
        qs = qs.filter(content__code=content.code)
    if funding_source is not None:
        qs = qs.filter(funding_source=funding_source)
    return qs
