"""Voting figures from the records, for periodic reports and the establishment's support history: entries,
recognised products and certificates by level and group, as of a period's end (a certificate revoked after
the end still counts for that period); and the rounds a province held ("tổ chức 04 lần bình chọn"). The
report hook reads them through record_figures_provider.py."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from .models import LEVEL_BELOW, AwardLevel, AwardRound, Certificate, Entry, ProductGroup, RoundStatus


def _place_q(unit, prefix: str = "establishment") -> Q:
    """Establishments of a province as the report names it: an old (pre-2025) province by its old communes, a
    current one by the current province that every establishment carries; None: everywhere."""
    if unit is None:
        return Q()
    if unit.era == "old":
        return Q(**{f"{prefix}__commune__parent__parent": unit}) | Q(**{f"{prefix}__commune__parent": unit})
    return Q(**{f"{prefix}__province": unit})


def valid_certificates(place: Q, day: dt.date):
    """Certificates of the establishments selected by `place` valid on `day` (issued, not expired, not
    revoked by then)."""
    return (
        Certificate.objects.filter(place, issued_on__lte=day, valid_until__gte=day)
        .exclude(revoked=True, revoked_on__lte=day)
        .select_related("product")
    )


def figures_for(place: Q, start: dt.date, end: dt.date) -> dict:
    """The counts of `voting_figures` for establishments selected by a Q (a report scope's place), plus the
    certificates valid at `end` by level and the distinct products recognised in the window."""
    entries = Entry.objects.filter(
        place, round__registration_start__gte=start, round__registration_start__lte=end
    )
    certs = Certificate.objects.filter(place, issued_on__gte=start, issued_on__lte=end).exclude(
        revoked=True, revoked_on__lte=end
    )
    out = {
        "entries": {lv: 0 for lv in AwardLevel.values},
        "recognised": {lv: 0 for lv in AwardLevel.values},
        "by_group": {lv: {g: 0 for g in ProductGroup.values} for lv in AwardLevel.values},
        "valid_at_end": {lv: 0 for lv in AwardLevel.values},
        "products": 0,
    }
    for level in entries.values_list("round__level", flat=True):
        out["entries"][level] += 1
    products = set()
    for level, group, product_id in certs.values_list("level", "product__group", "product_id"):
        out["recognised"][level] += 1
        out["by_group"][level][group] += 1
        products.add(product_id)
    out["products"] = len(products)
    for level in valid_certificates(place, end).values_list("level", flat=True):
        out["valid_at_end"][level] += 1
    return out


def voting_figures(unit, start: dt.date, end: dt.date) -> dict:
    """{"entries": {level: n}, "recognised": {level: n}, "by_group": {level: {group: n}}, "valid_at_end":
    {level: n}, "products": n} for establishments of `unit`: entries in rounds that opened between `start`
    and `end`, certificates issued between them and not revoked by `end` (business dates), certificates
    still valid on `end`, and the distinct products recognised at any level."""
    return figures_for(_place_q(unit), start, end)


def _round_place_q(unit) -> Q:
    """Rounds organised in `unit`: an old province by its own, its districts' and communes' rounds; a current
    province by the current province every round carries."""
    if unit is None:
        return Q()
    if unit.era == "old":
        return Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)
    return Q(province=unit)


def round_counts(unit, start: dt.date, end: dt.date) -> dict:
    """The rounds of a province between `start` and `end` by level, for the programme's targets ("tổ chức 04
    lần bình chọn sản phẩm CN-TTCN tiêu biểu cấp tỉnh, cấp huyện"): {"held": {level: n}, "decided": {level:
    n}}. Commune, district and provincial rounds count when the province (or one of its units) organises them;
    regional and national rounds when one of the province's establishments took part. Held = the round opened
    (registration start) in the window; decided = its recognition decision is dated in the window."""
    out = {"held": {lv: 0 for lv in AwardLevel.values}, "decided": {lv: 0 for lv in AwardLevel.values}}
    local = AwardRound.objects.filter(_round_place_q(unit)).exclude(level__in=list(LEVEL_BELOW))
    upper = AwardRound.objects.filter(level__in=list(LEVEL_BELOW)).filter(
        pk__in=Entry.objects.filter(_place_q(unit)).values("round_id")
    )
    for qs in (local, upper):
        for level in qs.filter(registration_start__gte=start, registration_start__lte=end).values_list(
            "level", flat=True
        ):
            out["held"][level] += 1
        decided = qs.filter(
            status__in=[RoundStatus.DECIDED, RoundStatus.CLOSED],
            decision_date__gte=start,
            decision_date__lte=end,
        )
        for level in decided.values_list("level", flat=True):
            out["decided"][level] += 1
    return out


def establishment_support_rows(establishment) -> list[dict]:
    """The establishment's certificates, for its support history (beneficiaries app)."""
    rows = []
    for c in Certificate.objects.filter(establishment=establishment).select_related("product", "round"):
        rows.append(
            {
                "date": c.issued_on,
                "kind": "Bình chọn sản phẩm CNNT tiêu biểu",
                "title": f"{c.product.name} — {c.get_level_display().lower()} năm {c.round.year} "
                f"(giấy chứng nhận số {c.number})",
                "amount": None,
                "status": "Đã thu hồi" if c.revoked else f"Có giá trị đến {c.valid_until:%d/%m/%Y}",
                "url": reverse("awards:certificate", args=[c.pk]),
            }
        )
    return rows
