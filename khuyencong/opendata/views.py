"""Open data pages (public, no login): /du-lieu-mo/ with the province and year filters, the three tables as
CSV and XLSX, the Frictionless Data Package and the IATI-like JSON per đề án. And the publish setting of a
province (its officers, logged in)."""

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from khuyencong.core.listing import int_param
from khuyencong.core.xlsx import Sheet, xlsx_response

from . import data, services

TABLES = {"de-an": "projects", "ke-hoach": "plans", "san-pham": "products"}


def _params(request):
    return int_param(request.GET.get("province")), int_param(request.GET.get("year"))


def _rows(name: str, request) -> list[dict]:
    province, year = _params(request)
    return data.filtered(data.dataset()[TABLES[name]], province_id=province, year=year)


@require_GET
def index(request):
    ds = data.dataset()
    province, year = _params(request)
    projects = data.filtered(ds["projects"], province_id=province, year=year)
    plans = data.filtered(ds["plans"], province_id=province, year=year)
    products = data.filtered(ds["products"], province_id=province, year=year)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    years = sorted({r["year"] for r in ds["plans"]}, reverse=True)
    totals = {
        k: sum(r[k] for r in plans)
        for k in ("registered", "assigned", "approved", "paid", "counterpart", "projects")
    }
    return render(
        request,
        "opendata/index.html",
        {
            "page": page,
            "plans": plans,
            "products": products[:50],
            "n_products": len(products),
            "n_projects": len(projects),
            "totals": totals,
            "provinces": ds["provinces"],
            "years": years,
            "query": request.GET.urlencode(),
        },
    )


def _csv(name: str, rows: list[dict]) -> HttpResponse:
    fields = data.RESOURCES[name][1]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([f[0] for f in fields])
    for r in rows:
        w.writerow([data.cell(r.get(f[0])) for f in fields])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def table_csv(request, name: str):
    if name not in TABLES:
        raise Http404
    return _csv(name, _rows(name, request))


@require_GET
def table_xlsx(request, name: str):
    if name not in TABLES:
        raise Http404
    title, fields = data.RESOURCES[name]
    rows = _rows(name, request)
    return xlsx_response(
        f"{name}.xlsx",
        [
            Sheet(
                title=title[:31],
                heading=title,
                headers=[f[2] for f in fields],
                rows=[
                    [
                        r.get(f[0]).strftime("%d/%m/%Y") if f[1] == "date" and r.get(f[0]) else r.get(f[0])
                        for f in fields
                    ]
                    for r in rows
                ],
            )
        ],
    )


@require_GET
def datapackage(request):
    response = JsonResponse(data.datapackage(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def iati(request, identifier: str):
    row = next((r for r in data.dataset()["projects"] if r["identifier"] == identifier), None)
    if row is None:
        raise Http404
    return JsonResponse(data.iati_activity(row), json_dumps_params={"ensure_ascii": False, "indent": 2})


class SettingForm(forms.Form):
    publish = forms.BooleanField(label="Công bố dữ liệu mở của tỉnh", required=False)
    from_year = forms.IntegerField(label="Từ kế hoạch năm", min_value=2000, max_value=2100)


@login_required
def setting(request):
    province = services.office_province(request.user)
    if province is None:
        raise Http404
    current = services.setting_for(province)
    form = SettingForm(
        request.POST or None,
        initial={
            "publish": current.publish if current else False,
            "from_year": current.from_year if current else 2015,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.setting_save(actor=request.user, province=province, **form.cleaned_data)
        messages.success(request, "Đã lưu cài đặt công bố dữ liệu mở.")
        return redirect("opendata:setting")
    for f in form.fields.values():
        f.widget.attrs.setdefault(
            "class",
            "form-check-input"
            if isinstance(f.widget, forms.CheckboxInput)
            else "form-control form-control-sm",
        )
    return render(request, "opendata/setting.html", {"form": form, "province": province})
