"""Writes of the assessment: the year's weights (the Cục only) and publishing a ranked table (frozen as
published). Each runs in a transaction and leaves a history row."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from khuyencong.core.audit import save_audited
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.fields import parse_business_date
from khuyencong.core.permissions import require_edit
from khuyencong.core.scoping import scope_for

from . import criteria
from .models import AssessmentScheme, Criterion, CriterionWeight, Publication
from .selectors import region_key


def _require_cuc(actor, action: str) -> None:
    require_edit(actor, action)
    if not scope_for(actor).sees_all:
        raise NotAllowed(f"Chỉ Cục được {action}.")


def _decimal(value, label: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label} phải là một số.", field=field)
    if not Decimal(0) <= number <= Decimal(100):
        raise DomainError(f"{label} phải từ 0 đến 100.", field=field)
    return number.quantize(Decimal("0.01"))


def scheme_save(
    *,
    actor,
    year: int,
    weights: dict,
    basis: str = "",
    late_penalty_per_day=criteria.DEFAULT_LATE_PENALTY,
    late_floor=criteria.DEFAULT_LATE_FLOOR,
) -> AssessmentScheme:
    """The weights of `year` (criterion code → points); a year keeps its own row, so earlier years' results
    do not move when a later year's weights change."""
    _require_cuc(actor, "đặt trọng số tiêu chí đánh giá")
    if not 2000 <= int(year) <= 2100:
        raise DomainError("Năm không hợp lệ.", field="year")
    unknown = set(weights) - set(Criterion.values)
    if unknown:
        raise DomainError(f"Không có tiêu chí: {', '.join(sorted(unknown))}.", field="weights")
    values = {c: _decimal(weights.get(c, 0), Criterion(c).label, c) for c in Criterion.values}
    if sum(values.values()) <= 0:
        raise DomainError("Tổng điểm các tiêu chí phải lớn hơn 0.", field="weights")
    with transaction.atomic():
        scheme = AssessmentScheme.objects.select_for_update().filter(year=year).first()
        scheme = scheme or AssessmentScheme(year=year)
        scheme.basis = basis or ""
        scheme.late_penalty_per_day = _decimal(
            late_penalty_per_day, "Mức trừ mỗi ngày", "late_penalty_per_day"
        )
        scheme.late_floor = _decimal(late_floor, "Mức tối thiểu khi nộp muộn", "late_floor")
        if scheme.pk:
            scheme.version += 1
        save_audited(scheme, actor=actor, reason="Trọng số tiêu chí đánh giá")
        for code, weight in values.items():
            row = CriterionWeight.objects.filter(scheme=scheme, criterion=code).first()
            row = row or CriterionWeight(scheme=scheme, criterion=code, weight=weight)
            if row.pk and row.weight == weight:
                continue
            row.weight = weight
            save_audited(row, actor=actor, reason="Trọng số tiêu chí đánh giá")
        return scheme


def assessment_publish(
    *, actor, year: int, region, published_on, document_no: str = "", today: dt.date | None = None
) -> Publication:
    """Publish the year's ranked table of the region (None: the nation): provinces then see every line. The
    table is frozen as computed now; publishing again replaces it."""
    _require_cuc(actor, "công bố kết quả đánh giá")
    day = parse_business_date(published_on, label="Ngày công bố", field="published_on")
    data = criteria.assess(year=year, region=region, today=today)
    with transaction.atomic():
        pub = Publication.objects.select_for_update().filter(year=year, region_key=region_key(region)).first()
        pub = pub or Publication(year=year, region=region, region_key=region_key(region))
        pub.published_on = day
        pub.document_no = document_no or ""
        pub.published_by = actor if getattr(actor, "is_authenticated", False) else None
        pub.rows = data["rows"]
        if pub.pk:
            pub.version += 1
        return save_audited(pub, actor=actor, reason="Công bố kết quả đánh giá")
