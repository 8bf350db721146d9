"""Pages of the yearly assessment: the ranked table (year, region or the nation) with each province's
breakdown, its .xlsx and .docx annex; the Cục's weights of a year and publishing the table."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError
from khuyencong.core.listing import int_param
from khuyencong.core.permissions import can_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.xlsx import XLSX_MIME
from khuyencong.geo.models import Region
from khuyencong.reports.documents import DOCX_MIME

from . import criteria, documents, selectors, services
from .models import Criterion


def _params(request):
    year = int_param(request.GET.get("year") or request.POST.get("year")) or timezone.localdate().year - 1
    if not 2000 <= year <= 2100:
        raise Http404
    code = request.GET.get("region", request.POST.get("region", ""))
    region = Region.objects.filter(code=code).first() if code else None
    if code and region is None:
        raise Http404
    return year, region


def _region_label(region) -> str:
    return region.name if region is not None else "Toàn quốc"


def _attachment(content: bytes, mime: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _is_cuc(user) -> bool:
    return can_edit(user) and scope_for(user).sees_all


@login_required
def ranking(request):
    year, region = _params(request)
    data = selectors.assessment_for(user=request.user, year=year, region=region)
    label = _region_label(region)
    slug = f"xep-hang-khuyen-cong-{year}-{region.code if region else 'toan-quoc'}"
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _attachment(documents.xlsx(data, label), XLSX_MIME, f"{slug}.xlsx")
    if fmt == "docx":
        return _attachment(documents.docx(data, label), DOCX_MIME, f"{slug}.docx")
    return render(
        request,
        "rankings/ranking.html",
        {
            "data": data,
            "year": year,
            "region": region,
            "region_label": label,
            "regions": Region.objects.order_by("name"),
            "criteria": list(Criterion),
            "is_cuc": _is_cuc(request.user),
            "today": timezone.localdate(),
            "method": criteria.METHOD,
        },
    )


@login_required
def weights(request):
    if not scope_for(request.user).sees_all:
        raise Http404
    year, _region = _params(request)
    current = criteria.weights_for(year)
    errors = []
    if request.method == "POST":
        try:
            services.scheme_save(
                actor=request.user,
                year=year,
                weights={c: request.POST.get(c, "0") for c in Criterion.values},
                basis=request.POST.get("basis", ""),
                late_penalty_per_day=request.POST.get("late_penalty_per_day", "2"),
                late_floor=request.POST.get("late_floor", "50"),
            )
        except DomainError as exc:
            errors.append(exc.message)
        else:
            messages.success(request, f"Đã lưu trọng số tiêu chí năm {year}.")
            return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "rankings/weights.html",
        {
            "year": year,
            "current": current,
            "rows": [(c, current.values.get(c.value)) for c in Criterion],
            "errors": errors,
            "can_edit": _is_cuc(request.user),
        },
    )


@login_required
@require_POST
def publish(request):
    year, region = _params(request)
    try:
        services.assessment_publish(
            actor=request.user,
            year=year,
            region=region,
            published_on=request.POST.get("published_on") or dt.date.today(),
            document_no=request.POST.get("document_no", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã công bố bảng xếp hạng: các tỉnh xem được toàn bộ bảng.")
    return redirect(f"/rankings/?year={year}&region={region.code if region else ''}")
