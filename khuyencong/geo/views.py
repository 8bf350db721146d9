from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from khuyencong.core.collation import ViSort
from khuyencong.core.listing import apply_sort, int_param, paginate
from khuyencong.core.xlsx import Sheet, xlsx_response

from .models import AdminUnit
from .selectors import admin_unit_list


@login_required
def admin_unit_index(request):
    g = request.GET
    era = g.get("era") if g.get("era") in AdminUnit.Era.values else None
    qs = admin_unit_list(
        level=int_param(g.get("level")), era=era, parent=int_param(g.get("parent")), q=g.get("q")
    ).select_related("parent", "current_province")
    if g.get("sort", "").lstrip("-") == "name":
        qs = apply_sort(qs, request, {"code": "code", "name": ViSort("name")}, "code")
    if g.get("format") == "xlsx":
        rows = [
            [
                u.code,
                u.name,
                u.get_level_display(),
                u.get_era_display(),
                u.parent.name if u.parent else "",
                u.current_province.name if u.current_province else "",
                u.valid_from,
                u.valid_to,
            ]
            for u in qs[:20000]
        ]
        return xlsx_response(
            "don-vi-hanh-chinh.xlsx",
            [
                Sheet(
                    "Đơn vị hành chính",
                    [
                        "Mã",
                        "Tên",
                        "Cấp",
                        "Thời kỳ",
                        "Cấp trên",
                        "Thuộc tỉnh hiện nay",
                        "Hiệu lực từ",
                        "Hiệu lực đến",
                    ],
                    rows,
                )
            ],
        )
    return render(
        request,
        "geo/index.html",
        {
            "page": paginate(qs, request),
            "levels": AdminUnit.Level.choices,
            "eras": AdminUnit.Era.choices,
            "total": qs.count(),
        },
    )
