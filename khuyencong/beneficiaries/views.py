"""Pages of the establishments registry: list (filters, sort, pages, Excel out, template, import), detail
(support history, possible duplicates), create, edit (versioned), merge. Reads come from scoped selectors (an
outsider gets 404); writes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST

from khuyencong.core.audit import history_url
from khuyencong.core.collation import ViSort, vi_order
from khuyencong.core.errors import ConcurrentEditError, DomainError, ImportFailed, NotAllowed
from khuyencong.core.listing import apply_sort, int_param, paginate_then_fetch
from khuyencong.core.permissions import can_edit, require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.core.text import words_match

from . import exports, imports, selectors, services
from .forms import EstablishmentForm, FilterForm, ImportForm, MergeForm

SORTS = {
    "name": ViSort("name"),
    "tax_code": "tax_code",
    "type": "establishment_type__code",
    "representative": ViSort("representative_name"),
    "commune": ViSort("commune__name"),
    "province": ViSort("province__name"),
    "sector": ViSort("sector__name"),
    "employees": "employees",
    "founded": "founded_year",
    "updated": "updated_at",
}


def _is_beneficiary(user) -> bool:
    return scope_for(user).kind == "establishment"


def _can_manage(user) -> bool:
    """Officers of a Sở/TTKC/Cục/local office: create, import, merge (not an establishment's own account)."""
    return can_edit(user) and not _is_beneficiary(user)


@login_required
def establishment_list(request):
    base = selectors.establishment_list_for(user=request.user)
    form = FilterForm(request.GET or None, base_qs=base, user=request.user)
    qs = apply_sort(selectors.establishment_filter(base, request.GET), request, SORTS, "name")
    if request.GET.get("format") == "xlsx":
        return exports.establishments_xlsx(
            selectors.with_related(qs), heading="Danh sách cơ sở công nghiệp nông thôn"
        )
    page = paginate_then_fetch(qs, request, selectors.with_related, count_group="projects")
    return render(
        request,
        "beneficiaries/establishment_list.html",
        {
            "form": form,
            "page": page,
            "count": page.paginator.count,
            "can_manage": _can_manage(request.user),
        },
    )


@login_required
def establishment_detail(request, pk: int):
    est = selectors.establishment_get_for(user=request.user, pk=pk)
    duplicates = selectors.possible_duplicates(
        name=est.name, commune_id=est.commune_id, exclude_pk=est.pk, user=request.user
    )
    history = selectors.establishment_support_history(est)
    return render(
        request,
        "beneficiaries/establishment_detail.html",
        {
            "e": est,
            "duplicates": duplicates,
            "support_rows": history,
            "support_total": sum(r.amount or 0 for r in history),
            "history_url": history_url(est),
            "can_edit": can_edit(request.user),
            "can_manage": _can_manage(request.user),
        },
    )


def _apply_domain_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
def establishment_create(request):
    if not _can_manage(request.user):
        require_edit(request.user, "thêm cơ sở")
        raise NotAllowed("Tài khoản của cơ sở chỉ được xem và sửa hồ sơ của chính cơ sở mình.")
    form = EstablishmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            est = services.establishment_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, f"Đã thêm cơ sở «{est.name}».")
            dups = selectors.possible_duplicates(
                name=est.name, commune_id=est.commune_id, exclude_pk=est.pk, user=request.user
            )
            if dups:
                messages.warning(
                    request,
                    "Có thể trùng với: "
                    + "; ".join(d.name for d in dups)
                    + ". Nếu là cùng một cơ sở, hãy gộp hồ sơ.",
                )
            return redirect("beneficiaries:detail", pk=est.pk)
    return render(request, "beneficiaries/establishment_form.html", {"form": form, "title": "Thêm cơ sở"})


@login_required
def establishment_edit(request, pk: int):
    est = selectors.establishment_get_for(user=request.user, pk=pk)
    require_edit(request.user, "sửa hồ sơ cơ sở")
    form = EstablishmentForm(request.POST or None, instance=est, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.establishment_update(
                actor=request.user,
                pk=est.pk,
                expected_version=form.cleaned_data["version"],
                changes=form.service_data(),
            )
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, "Đã lưu hồ sơ cơ sở.")
            return redirect("beneficiaries:detail", pk=est.pk)
    return render(
        request,
        "beneficiaries/establishment_form.html",
        {"form": form, "title": f"Sửa hồ sơ: {est.name}", "e": est},
    )


@login_required
def establishment_merge(request, pk: int):
    keep = selectors.establishment_get_for(user=request.user, pk=pk)
    if not _can_manage(request.user):
        require_edit(request.user, "gộp hồ sơ cơ sở")
        raise NotAllowed("Tài khoản của cơ sở không được gộp hồ sơ.")
    candidates = (
        selectors.establishment_list_for(user=request.user).exclude(pk=keep.pk).order_by(vi_order("name"))
    )
    suggested = selectors.possible_duplicates(
        name=keep.name, commune_id=keep.commune_id, exclude_pk=keep.pk, user=request.user
    )
    initial = {"other": suggested[0].pk} if suggested and not request.GET.get("other") else {}
    if request.GET.get("other"):
        initial["other"] = request.GET["other"]
    form = MergeForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.establishment_merge(
                actor=request.user,
                keep_pk=keep.pk,
                remove_pk=form.cleaned_data["other"].pk,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"Đã gộp «{result['removed_name']}» vào hồ sơ này: chuyển {result['moved']} "
                f"bản ghi liên quan.",
            )
            return redirect("beneficiaries:detail", pk=keep.pk)
    return render(
        request, "beneficiaries/establishment_merge.html", {"e": keep, "form": form, "suggested": suggested}
    )


@login_required
@require_GET
def import_template(request):
    return exports.template_response()


@login_required
def establishment_import(request):
    if not _can_manage(request.user):
        require_edit(request.user, "nhập danh sách cơ sở")
        raise NotAllowed("Tài khoản của cơ sở không được nhập danh sách cơ sở.")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.establishment_import(
                actor=request.user, content=upload.read(), filename=upload.name
            )
        except ImportFailed as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, result.message)
    return render(
        request,
        "beneficiaries/establishment_import.html",
        {"form": form, "errors": errors, "result": result},
        status=400 if errors else 200,
    )


@login_required
@require_GET
def commune_options(request):
    """<option>s of the communes (both trees) of a current province the user may work in (htmx)."""
    scope = scope_for(request.user)
    province = int_param(request.GET.get("province"))
    if not scope.sees_all and province != scope.province_id:
        province = scope.province_id
    units = selectors.communes_of_province(province)
    if scope.kind == "units":
        units = units.filter(pk__in=scope.unit_ids)
    options = ['<option value="">— Chọn xã, phường —</option>'] + [
        f'<option value="{u.pk}">{escape(selectors.commune_label(u))}</option>' for u in units
    ]
    return HttpResponse("\n".join(options))


# ---------------------------------------------------------------------------------------------------- pickers
# JSON for the searchable pickers (static/js/forms.js): {"results": [{"value", "text"}]}, always scoped —
# an outsider's search answers an empty list.


def _results(rows) -> JsonResponse:
    return JsonResponse({"results": [{"value": pk, "text": text} for pk, text in rows]})


@login_required
@require_GET
def commune_search(request):
    """Communes (both trees, each labelled with its era) of a province the reader may pick in, whose folded
    label holds every typed word ("phuong 6" finds "Phường 6", "phuong 6 ben tre" the one of Bến Tre); no
    `q`: the whole province's list. Matched on the label as the picker shows it (one province: a bounded
    list), not on unit codes."""
    units = selectors.picker_communes(request.user, int_param(request.GET.get("province")))
    q = request.GET.get("q") or ""
    if q.strip():
        units = words_match(units, q, selectors.commune_label)[: selectors.PICKER_LIMIT]
    return _results((u.pk, selectors.commune_label(u)) for u in units)


@login_required
@require_GET
def establishment_search(request):
    """Establishments the reader may pick as beneficiaries, by name or tax code, diacritics ignored."""
    found = selectors.picker_establishments(
        request.user, q=request.GET.get("q") or "", province_id=int_param(request.GET.get("province"))
    )[: selectors.PICKER_LIMIT]
    return _results((e.pk, selectors.establishment_label(e)) for e in found)


@login_required
@require_POST
def establishment_quick_create(request):
    """«Tạo mới» from a picker: an establishment with its name, type and commune (tax code optional) through
    the same service as the full form (tax-code check, duplicates, scope, history)."""
    from khuyencong.catalog.models import EstablishmentType
    from khuyencong.geo.models import AdminUnit

    post = request.POST
    try:
        if not _can_manage(request.user):
            raise NotAllowed("Tài khoản của bạn không được thêm cơ sở.")
        name = (post.get("name") or "").strip()
        if not name:
            raise DomainError("Hãy nhập tên cơ sở.", field="name")
        commune = AdminUnit.objects.filter(pk=int_param(post.get("commune")) or 0, level=3).first()
        if commune is None:
            raise DomainError("Hãy chọn xã, phường của cơ sở.", field="commune")
        kind = EstablishmentType.objects.filter(code=post.get("establishment_type") or "").first()
        if kind is None:
            raise DomainError("Hãy chọn loại hình cơ sở.", field="establishment_type")
        data = {"name": name, "commune": commune, "establishment_type": kind}
        if (post.get("tax_code") or "").strip():
            data["tax_code"] = post["tax_code"]
        est = services.establishment_create(actor=request.user, data=data, reason="Tạo mới khi lập đề án")
    except DomainError as exc:
        return JsonResponse(
            {"error": {"code": exc.code, "message": exc.message, "field": exc.field}}, status=exc.status
        )
    est = selectors.establishment_get_for(user=request.user, pk=est.pk)
    return JsonResponse({"value": est.pk, "text": selectors.establishment_label(est)}, status=201)
