from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from khuyencong.core.money import format_number
from khuyencong.core.xlsx import Sheet, xlsx_response

from .models import ActivityContent, EstablishmentType, FundingSource, OutputIndicator, Sector, SupportCap


def _tables(*, for_page: bool = False):
    """The catalogues as (title, headers, rows). On the page amounts and rates are written the Vietnamese way
    ("200.000.000", "70"); the .xlsx keeps numbers that a spreadsheet can add up."""

    def amount(value):
        return format_number(value) if for_page and value is not None else value

    def rate(value):
        return format_number(value.normalize()) if for_page and value is not None else value

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
            ["Tên", "Viết tắt"],
            [[s.name, s.short_name] for s in FundingSource.objects.all()],
        ),
        ("Loại hình cơ sở", ["Mã", "Tên"], [[t.code, t.name] for t in EstablishmentType.objects.all()]),
        ("Ngành nghề CNNT", ["Mã", "Tên"], [[s.code, s.name] for s in Sector.objects.all()]),
        (
            "Mức hỗ trợ tối đa",
            ["Nội dung chi", "Tỷ lệ tối đa (%)", "Mức tối đa (đồng)", "Tính theo", "Căn cứ", "Hiệu lực từ"],
            [
                [
                    c.name,
                    rate(c.max_percent),
                    amount(c.max_amount),
                    c.get_per_display(),
                    str(c.legal_basis),
                    c.valid_from,
                ]
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
    if request.GET.get("format") == "xlsx":
        return xlsx_response("danh-muc.xlsx", [Sheet(t, h, rows) for t, h, rows in _tables()])
    return render(request, "catalog/index.html", {"tables": _tables(for_page=True)})
