"""What each reader sees of a year's assessment. The Cục sees every province's line and breakdown. A province
(Sở, Trung tâm, commune office) sees its own line(s) — its pre-2025 provinces rolling up into it — with the
breakdown and rank, and how many provinces were ranked; the other provinces' lines only once the Cục has
published the table (the table as published). Anyone else gets 404."""

from decimal import Decimal

from django.http import Http404

from khuyencong.core.scoping import scope_for

from . import criteria
from .models import Publication


def region_key(region) -> str:
    return region.code if region is not None else ""


def publication_for(year: int, region) -> Publication | None:
    return Publication.objects.filter(year=year, region_key=region_key(region)).first()


def assessment_for(*, user, year: int, region, today=None) -> dict:
    scope = scope_for(user)
    if scope.kind not in ("all", "province", "units"):
        raise Http404
    publication = publication_for(year, region)
    if publication is not None:
        data = {
            "year": year,
            "rows": publication.rows,
            "published": publication,
            "max_total": str(sum((Decimal(c["weight"]) for c in publication.rows[0]["criteria"]), Decimal(0)))
            if publication.rows
            else "0",
        }
    else:
        data = criteria.assess(year=year, region=region, today=today)
        data["published"] = None
    data["ranked"] = len(data["rows"])
    data["full"] = scope.sees_all or publication is not None
    if not data["full"]:
        data["rows"] = [r for r in data["rows"] if r["province_id"] == scope.province_id]
    for row in data["rows"]:
        row["own"] = scope.kind != "all" and row["province_id"] == scope.province_id
        row["total_value"] = Decimal(row["total"])
        for c in row["criteria"]:
            c["points_value"] = Decimal(c["points"])
    data["max_total_value"] = Decimal(data["max_total"])
    return data
