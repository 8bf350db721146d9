"""Pages of the cluster registry: list (filters, Excel), create/edit, the cluster's page (works, its đề án and
their money by source and year, its establishments and relocations), Excel import. Reads come from scoped
selectors (an outsider gets 404); writes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from khuyencong.core.collation import vi_order
from khuyencong.core.errors import DomainError, ImportFailed
from khuyencong.core.listing import apply_sort, paginate
from khuyencong.core.permissions import can_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.xlsx import Sheet, stream_xlsx, xlsx_response
from khuyencong.geo.models import AdminUnit

from . import imports, selectors, services
from .forms import ClusterForm, ImportForm, MemberForm
from .models import WORKS, ClusterEstablishment, WorkStatus

SORTS = {
    "name": "name",
    "area": "planned_area_ha",
    "decision": "decision_date",
    "projects": "n_projects",
}


def _can_manage(user) -> bool:
    return can_edit(user) and scope_for(user).kind in ("all", "province")


def _form_error(form, exc: DomainError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def cluster_list(request):
    base = selectors.cluster_list_for(user=request.user)
    qs = selectors.with_counts(selectors.cluster_filter(base, request.GET))
    qs = apply_sort(qs, request, SORTS, "name")
    if request.GET.get("format") == "xlsx":
        return stream_xlsx("cum-cong-nghiep.xlsx", [imports.export_sheet(qs)])
    scope = scope_for(request.user)
    provinces = AdminUnit.objects.filter(era="current", level=1).order_by(vi_order("name"))
    if not scope.sees_all:
        provinces = provinces.filter(pk=scope.province_id or 0)
    return render(
        request,
        "clusters/cluster_list.html",
        {
            "page": paginate(qs, request),
            "works": [(f"{k}_status", label) for k, label in WORKS],
            "statuses": WorkStatus.choices,
            "provinces": provinces,
            "can_manage": _can_manage(request.user),
        },
    )


@login_required
def cluster_new(request):
    form = ClusterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.cluster_create(actor=request.user, **form.service_data())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Đã ghi cụm công nghiệp.")
            return redirect("clusters:cluster", cluster.pk)
    return render(request, "clusters/cluster_form.html", {"form": form})


@login_required
def cluster_edit(request, pk: int):
    cluster = selectors.cluster_get_for(user=request.user, pk=pk)
    form = ClusterForm(request.POST or None, instance=cluster, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_update(
                actor=request.user,
                cluster=cluster,
                changes=form.service_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Đã lưu cụm công nghiệp.")
            return redirect("clusters:cluster", cluster.pk)
    return render(request, "clusters/cluster_form.html", {"form": form, "cluster": cluster})


def cluster_context(user, cluster) -> dict:
    rows = selectors.cluster_projects(user=user, cluster=cluster)
    return {
        "cluster": cluster,
        "projects": rows,
        "money": selectors.money_by_year(rows),
        "members": list(selectors.members_of(cluster)),
    }


@login_required
def cluster_detail(request, pk: int):
    cluster = selectors.cluster_get_for(user=request.user, pk=pk)
    context = cluster_context(request.user, cluster)
    if request.GET.get("format") == "xlsx":
        money = context["money"]
        return xlsx_response(
            f"cum-cong-nghiep-{cluster.pk}.xlsx",
            [
                Sheet(
                    title="Đề án",
                    heading=cluster.name,
                    headers=["Năm", "Mã đề án", "Tên đề án", "Trạng thái", "KCQG", "KCĐP", "Đối ứng", "Tổng"],
                    rows=[
                        [
                            r["year"],
                            r["project"].code,
                            r["project"].title,
                            r["project"].get_status_display(),
                            r["national"],
                            r["local"],
                            r["counterpart"],
                            r["total"],
                        ]
                        for r in context["projects"]
                    ],
                    totals=[
                        "Cộng",
                        "",
                        "",
                        "",
                        *(money["totals"][c] for c in (*selectors.SOURCE_CODES, "total")),
                    ],
                ),
                Sheet(
                    title="Theo năm",
                    headers=["Năm", "KCQG", "KCĐP", "Đối ứng", "Tổng"],
                    rows=[
                        [y["year"], y["national"], y["local"], y["counterpart"], y["total"]]
                        for y in money["years"]
                    ],
                    totals=["Cộng", *(money["totals"][c] for c in (*selectors.SOURCE_CODES, "total"))],
                ),
                Sheet(
                    title="Cơ sở trong cụm",
                    headers=["Cơ sở", "Vào cụm từ", "Di dời", "Di dời từ", "Ngày di dời"],
                    rows=[
                        [
                            m.establishment.name,
                            m.since.strftime("%d/%m/%Y") if m.since else "",
                            "Có" if m.relocated else "Không",
                            m.relocated_from,
                            m.relocation_date.strftime("%d/%m/%Y") if m.relocation_date else "",
                        ]
                        for m in context["members"]
                    ],
                ),
            ],
        )
    context["can_manage"] = _can_manage(request.user) and scope_for(request.user).allows_province(
        cluster.province_id
    )
    if context["can_manage"]:
        context["member_form"] = MemberForm(user=request.user, cluster=cluster)
    return render(request, "clusters/cluster_detail.html", context)


@login_required
@require_POST
def member_add(request, pk: int):
    cluster = selectors.cluster_get_for(user=request.user, pk=pk)
    form = MemberForm(request.POST, user=request.user, cluster=cluster)
    if form.is_valid():
        try:
            services.member_set(actor=request.user, cluster=cluster, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã ghi cơ sở trong cụm.")
    else:
        messages.error(
            request,
            "; ".join(
                f"{form.fields[k].label}: {' '.join(v)}" if k in form.fields else " ".join(v)
                for k, v in form.errors.items()
            ),
        )
    return redirect("clusters:cluster", cluster.pk)


@login_required
@require_POST
def member_remove(request, pk: int):
    member = get_object_or_404(
        ClusterEstablishment.objects.select_related("cluster"),
        pk=pk,
        cluster__in=selectors.cluster_list_for(user=request.user),
    )
    try:
        services.member_remove(actor=request.user, member=member)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã bỏ cơ sở khỏi cụm.")
    return redirect("clusters:cluster", member.cluster_id)


@login_required
def cluster_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.cluster_import(actor=request.user, content=form.cleaned_data["file"].read())
        except ImportFailed as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, result.message)
            return redirect("clusters:list")
    return render(
        request,
        "clusters/cluster_import.html",
        {"form": form, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def import_template(request):
    return xlsx_response(
        "mau-nhap-cum-cong-nghiep.xlsx", [Sheet(title="Cụm công nghiệp", headers=imports.HEADERS)]
    )
