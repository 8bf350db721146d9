"""Voting figures from the records, for periodic reports and the establishment's support history: entries,
recognised products and certificates by level and group, as of a period's end (a certificate revoked after
the end still counts for that period). The reports app can read `voting_figures`; it is not wired into the
report's figures yet."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from .models import AwardLevel, Certificate, Entry, ProductGroup


def _place_q(unit, prefix: str = "establishment") -> Q:
    """Establishments of a province as the report names it: an old (pre-2025) province by its old communes, a
    current one by the current province that every establishment carries."""
    if unit.era == "old":
        return Q(**{f"{prefix}__commune__parent__parent": unit}) | Q(**{f"{prefix}__commune__parent": unit})
    return Q(**{f"{prefix}__province": unit})


def voting_figures(unit, start: dt.date, end: dt.date) -> dict:
    """{"entries": {level: n}, "recognised": {level: n}, "by_group": {level: {group: n}}} for establishments
    of `unit`: entries in rounds that opened between `start` and `end`, certificates issued between them and
    not revoked by `end` (business dates)."""
    entries = Entry.objects.filter(_place_q(unit), round__registration_start__lte=end).filter(
        round__registration_start__gte=start
    )
    certs = Certificate.objects.filter(_place_q(unit), issued_on__gte=start, issued_on__lte=end).exclude(
        revoked=True, revoked_on__lte=end
    )
    out = {
        "entries": {lv: 0 for lv in AwardLevel.values},
        "recognised": {lv: 0 for lv in AwardLevel.values},
        "by_group": {lv: {g: 0 for g in ProductGroup.values} for lv in AwardLevel.values},
    }
    for level in entries.values_list("round__level", flat=True):
        out["entries"][level] += 1
    for level, group in certs.values_list("level", "product__group"):
        out["recognised"][level] += 1
        out["by_group"][level][group] += 1
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
