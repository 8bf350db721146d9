from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from khuyencong.core.xlsx import Sheet, xlsx_response

from .models import ActivityContent, EstablishmentType, FundingSource, OutputIndicator, Sector, SupportCap


def _tables():
    return [
        (
            "Nội dung hoạt động khuyến công",
            ["Mã", "Nội dung", "Căn cứ", "Hiệu lực từ", "Hiệu lực đến"],
            [
                [c.code, c.name, str(c.legal_basis), c.valid_from, c.valid_to]
                for c in ActivityContent.objects.select_related("legal_basis")
            ],
        ),
        (
            "Nguồn kinh phí",
            ["Mã", "Tên", "Viết tắt"],
            [[s.code, s.name, s.short_name] for s in FundingSource.objects.all()],
        ),
        ("Loại hình cơ sở", ["Mã", "Tên"], [[t.code, t.name] for t in EstablishmentType.objects.all()]),
        ("Ngành nghề CNNT", ["Mã", "Tên"], [[s.code, s.name] for s in Sector.objects.all()]),
        (
            "Mức hỗ trợ tối đa",
            ["Nội dung chi", "Tỷ lệ tối đa (%)", "Mức tối đa (đồng)", "Tính theo", "Căn cứ", "Hiệu lực từ"],
            [
                [c.name, c.max_percent, c.max_amount, c.get_per_display(), str(c.legal_basis), c.valid_from]
                for c in SupportCap.objects.select_related("legal_basis")
            ],
        ),
        (
            "Chỉ tiêu đầu ra",
            ["Mã", "Chỉ tiêu", "Đơn vị tính"],
            [[i.code, i.name, i.unit] for i in OutputIndicator.objects.all()],
        ),
    ]


@login_required
def catalog_index(request):
    tables = _tables()
    if request.GET.get("format") == "xlsx":
        return xlsx_response("danh-muc.xlsx", [Sheet(t, h, rows) for t, h, rows in tables])
    return render(request, "catalog/index.html", {"tables": tables})
