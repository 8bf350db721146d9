"""Organisations and users in the app (the Cục's admins, and a Sở's admin for its own province)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from khuyencong.core.collation import vi_order
from khuyencong.core.errors import DomainError
from khuyencong.core.listing import paginate
from khuyencong.core.permissions import is_admin
from khuyencong.core.text import fold, search_terms, words_match
from khuyencong.core.xlsx import Sheet, xlsx_response
from khuyencong.geo.selectors import admin_unit_list

from . import selectors, services
from .admin_forms import OrganisationForm, UserForm, unit_label
from .models import Organisation


def _require_manager(request):
    if not is_admin(request.user):
        raise Http404
    try:
        return services.admin_province_id(request.user)
    except DomainError:
        raise Http404


def _require_organisation_in_reach(request, form) -> None:
    """An organisation id posted from outside the admin's reach (another province, the Cục) answers 404, as
    the API does, instead of a form error that would tell the id exists."""
    pk = request.POST.get("organisation", "")
    if pk.isdigit() and not form.fields["organisation"].queryset.filter(pk=int(pk)).exists():
        raise Http404


def _form_error(form, exc: DomainError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _units_found(request) -> tuple[str, list]:
    """Units whose folded name contains what was typed, both trees labelled; a Sở's admin finds only its
    province's units (anyone else who manages no organisation: 404)."""
    province = _require_manager(request)
    q = request.GET.get("unit_q") or request.GET.get("q") or ""
    units = []
    if len(fold(q)) >= 2:
        # The database narrows on the longest word typed; the label (name and parent: "Phường 6, Thành phố
        # Bến Tre") must then hold every word, so "phuong 6 ben tre" finds the ward of Bến Tre.
        longest = max(search_terms(q), key=len)
        qs = admin_unit_list(q=longest).select_related("parent")
        if province is not None:
            qs = qs.filter(current_province_id=province) | qs.filter(pk=province)
        # Matched on the name as shown (not on unit codes, where "6" is everywhere), whole words first.
        units = words_match(qs.order_by("level", "era", vi_order("name"))[:5000], q, unit_label)[:50]
    return q, units


@login_required
def unit_options(request):
    """<option>s for the unit box (htmx)."""
    q, units = _units_found(request)
    return render(
        request, "accounts/_unit_options.html", {"units": [(u.pk, unit_label(u)) for u in units], "q": q}
    )


@login_required
def unit_search(request):
    """The same units as JSON for the searchable picker (static/js/forms.js)."""
    _q, units = _units_found(request)
    return JsonResponse({"results": [{"value": u.pk, "text": unit_label(u)} for u in units]})


@login_required
def organisation_list(request):
    _require_manager(request)
    qs = selectors.managed_organisations(user=request.user).order_by("kind", vi_order("name"))
    q = request.GET.get("q")
    if q:
        words = fold(q).split()
        ids = [o.pk for o in qs if all(w in fold(o.name) for w in words)]
        qs = qs.filter(pk__in=ids)
    if request.GET.get("kind") in Organisation.Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                o.name,
                o.get_kind_display(),
                unit_label(o.unit) if o.unit else "",
                o.parent.name if o.parent else "",
                o.phone,
                o.email,
                "Có" if o.is_active else "Không",
            ]
            for o in qs
        ]
        return xlsx_response(
            "to-chuc.xlsx",
            [
                Sheet(
                    "Tổ chức",
                    [
                        "Tên",
                        "Loại",
                        "Đơn vị hành chính",
                        "Cơ quan chủ quản",
                        "Điện thoại",
                        "Thư điện tử",
                        "Hoạt động",
                    ],
                    rows,
                )
            ],
        )
    return render(
        request,
        "accounts/organisation_list.html",
        {"page": paginate(qs, request), "kinds": Organisation.Kind.choices, "unit_label": unit_label},
    )


def _org_form_view(request, org=None):
    _require_manager(request)
    initial = {}
    if org is not None:
        initial = {
            f: getattr(org, f)
            for f in (
                "kind",
                "name",
                "short_name",
                "unit",
                "parent",
                "establishment",
                "address",
                "phone",
                "email",
            )
        }
    form = OrganisationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("unit_q", "version")}
        try:
            if org is None:
                org = services.organisation_create(actor=request.user, **data)
                messages.success(request, f"Đã tạo tổ chức «{org.name}».")
            else:
                org = services.organisation_update(actor=request.user, organisation=org, changes=data)
                messages.success(request, f"Đã lưu tổ chức «{org.name}».")
            return redirect("organisations")
        except DomainError as exc:
            _form_error(form, exc)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "org": org, "title": "Sửa tổ chức" if org else "Thêm tổ chức"},
    )


@login_required
def organisation_create(request):
    return _org_form_view(request)


@login_required
def organisation_edit(request, pk: int):
    return _org_form_view(request, selectors.managed_organisation_get(user=request.user, pk=pk))


@login_required
def user_list(request):
    _require_manager(request)
    qs = selectors.user_list_for(user=request.user)
    q = request.GET.get("q")
    if q:
        words = fold(q).split()
        ids = [u.pk for u in qs if all(w in fold(f"{u.username} {u.display_name}") for w in words)]
        qs = qs.filter(pk__in=ids)
    if request.GET.get("organisation", "").isdigit():
        qs = qs.filter(organisation_id=int(request.GET["organisation"]))
    if request.GET.get("active") in ("0", "1"):
        qs = qs.filter(is_active=request.GET["active"] == "1")
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                u.username,
                u.display_name,
                u.organisation.name if u.organisation else "",
                u.get_role_display(),
                u.email,
                u.phone,
                "Có" if u.is_active else "Đã khóa",
            ]
            for u in qs
        ]
        return xlsx_response(
            "nguoi-dung.xlsx",
            [
                Sheet(
                    "Người dùng",
                    [
                        "Tên đăng nhập",
                        "Họ tên",
                        "Tổ chức",
                        "Vai trò",
                        "Thư điện tử",
                        "Điện thoại",
                        "Hoạt động",
                    ],
                    rows,
                )
            ],
        )
    return render(request, "accounts/user_list.html", {"page": paginate(qs, request)})


@login_required
def user_create(request):
    _require_manager(request)
    form = UserForm(request.POST or None, user=request.user)
    if request.method == "POST":
        _require_organisation_in_reach(request, form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.user_create(
                actor=request.user,
                username=d["username"],
                full_name=d["full_name"],
                email=d["email"],
                phone=d["phone"],
                job_title=d["job_title"],
                organisation=d["organisation"],
                role=d["role"],
                password=d["password"] or None,
                base_url=request.build_absolute_uri("/"),
            )
            return render(request, "accounts/user_created.html", {"created": created})
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "accounts/user_form.html", {"form": form, "title": "Thêm người dùng"})


@login_required
def user_edit(request, pk: int):
    _require_manager(request)
    target = selectors.user_get_for(user=request.user, pk=pk)
    initial = {
        "full_name": target.display_name if (target.first_name or target.last_name) else "",
        "username": target.username,
        "email": target.email,
        "phone": target.phone,
        "job_title": target.job_title,
        "organisation": target.organisation,
        "role": target.role,
        "is_active": target.is_active,
    }
    form = UserForm(request.POST or None, user=request.user, editing=target, initial=initial)
    if request.method == "POST":
        _require_organisation_in_reach(request, form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        parts = d["full_name"].strip().rsplit(" ", 1)
        last, first = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        changes = {
            "first_name": first,
            "last_name": last,
            "email": d["email"],
            "phone": d["phone"],
            "job_title": d["job_title"],
            "organisation": d["organisation"],
            "role": d["role"],
            "is_active": d["is_active"],
        }
        changes = {k: v for k, v in changes.items() if getattr(target, k) != v}
        try:
            if changes:
                services.user_update(actor=request.user, user=target, changes=changes)
            messages.success(request, f"Đã lưu người dùng «{target.username}».")
            return redirect("users")
        except DomainError as exc:
            _form_error(form, exc)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": f"Sửa người dùng {target.username}", "target": target},
    )
