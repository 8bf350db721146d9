"""Pages of the portal. The establishment's own pages (its profile, what it received, its applications and
notifications) and the office's work queue (applications to check, profile changes to confirm). Reads come
from scoped selectors (anything else: 404); writes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from khuyencong.beneficiaries.models import Establishment
from khuyencong.core.errors import DomainError
from khuyencong.core.scoping import scope_for
from khuyencong.surveys.selectors import own_open_invitations

from . import selectors, services
from .forms import ApplicationForm, AttachmentForm, ProfileForm, ReviewForm
from .models import ApplicationStatus


def _own(request) -> Establishment:
    est_id = services.own_establishment_id(request.user)
    if est_id is None:
        raise Http404
    return Establishment.objects.select_related("commune", "province", "establishment_type").get(pk=est_id)


@login_required
def home(request):
    if services.own_establishment_id(request.user) is None:
        return redirect("portal:queue")
    est = _own(request)
    notes = selectors.notifications_for(user=request.user)
    unread = list(notes.filter(read_at__isnull=True)[:50])
    context = {
        "est": est,
        "projects": selectors.own_projects(est.pk),
        "certificates": selectors.own_certificates(est.pk),
        "other_support": selectors.other_support(est),
        "applications": selectors.application_list_for(user=request.user),
        "notifications": notes[:20],
        "unread": len(unread),
        "pending_changes": selectors.profile_changes_for(user=request.user).filter(state="pending"),
        "surveys": own_open_invitations(user=request.user),
    }
    notes.filter(pk__in=[n.pk for n in unread]).update(read_at=timezone.now())
    return render(request, "portal/home.html", context)


@login_required
def profile(request):
    est = _own(request)
    form = ProfileForm(request.POST or None, establishment=est)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_change_propose(actor=request.user, changes=form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã gửi đề nghị sửa hồ sơ; cán bộ Sở sẽ xác nhận.")
            return redirect("portal:home")
    return render(request, "portal/profile.html", {"est": est, "form": form})


@login_required
def application_new(request):
    est = _own(request)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, "Đã lưu đăng ký. Hãy đính kèm báo giá, giấy đăng ký kinh doanh rồi gửi."
            )
            return redirect("portal:application", pk=app.pk)
    return render(request, "portal/application_form.html", {"est": est, "form": form})


@login_required
def cap_check(request):
    """The live check of the support caps while the establishment types (htmx)."""
    form = ApplicationForm(request.POST or request.GET)
    form.is_valid()
    d = form.cleaned_data
    ok, message = True, ""
    if d.get("content") and d.get("requested") and d.get("year") and d.get("level"):
        ok, message = services.cap_message(
            {
                "year": d["year"],
                "level": d["level"],
                "content": d["content"],
                "support_cap": d.get("support_cap"),
                "requested": d["requested"],
                "counterpart": d.get("counterpart") or 0,
            }
        )
    return render(request, "portal/_cap_check.html", {"ok": ok, "message": message})


@login_required
def application_detail(request, pk: int):
    app = selectors.application_get_for(user=request.user, pk=pk)
    own = services.own_establishment_id(request.user) == app.establishment_id
    is_office = not own and scope_for(request.user).kind in ("all", "province")
    return render(
        request,
        "portal/application_detail.html",
        {
            "app": app,
            "own": own,
            "is_office": is_office,
            "can_review": is_office and app.status == ApplicationStatus.SUBMITTED,
            "upload_form": AttachmentForm(),
            "review_form": ReviewForm(),
            "steps": app.steps.select_related("actor"),
            "attachments": app.attachments.all(),
        },
    )


@login_required
@require_POST
def application_upload(request, pk: int):
    app = selectors.application_get_for(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                application=app,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, "Đã đính kèm tài liệu.")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("portal:application", pk=app.pk)


@login_required
@require_POST
def application_submit(request, pk: int):
    app = selectors.application_get_for(user=request.user, pk=pk)
    try:
        services.application_transition(
            actor=request.user,
            application=app,
            to_status=ApplicationStatus.SUBMITTED,
            expected_version=request.POST.get("version"),
        )
        messages.success(request, "Đã gửi đăng ký đến Sở Công Thương.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:application", pk=app.pk)


@login_required
@require_POST
def application_review(request, pk: int):
    app = selectors.application_get_for(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chọn cách xử lý.")
        return redirect("portal:application", pk=app.pk)
    try:
        app = services.application_transition(
            actor=request.user,
            application=app,
            to_status=form.cleaned_data["to_status"],
            expected_version=request.POST.get("version"),
            note=form.cleaned_data["note"],
        )
        if app.project_id:
            messages.success(request, f"Đã tiếp nhận: đề án {app.project.code} của {app.project.plan}.")
        else:
            messages.success(request, "Đã xử lý đăng ký.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:application", pk=app.pk)


@login_required
def attachment_download(request, pk: int):
    row = selectors.attachment_get_for(user=request.user, pk=pk)
    return FileResponse(
        row.file.open("rb"), content_type=row.content_type, as_attachment=True, filename=row.original_name
    )


@login_required
def queue(request):
    if scope_for(request.user).kind not in ("all", "province"):
        raise Http404
    return render(
        request,
        "portal/queue.html",
        {
            "applications": selectors.work_queue(user=request.user),
            "decided": selectors.application_list_for(user=request.user)
            .exclude(status=ApplicationStatus.SUBMITTED)
            .order_by("-pk")[:50],
            "changes": [
                _labelled(c) for c in selectors.profile_changes_for(user=request.user).filter(state="pending")
            ],
        },
    )


def _labelled(change):
    """The change's rows as (field label, before, after) for the page."""
    change.rows = [
        (Establishment._meta.get_field(k).verbose_name, before, after)
        for k, (before, after) in change.changes.items()
    ]
    return change


@login_required
@require_POST
def profile_change_decide(request, pk: int):
    change = selectors.profile_change_get_for(user=request.user, pk=pk)
    try:
        services.profile_change_decide(
            actor=request.user,
            change=change,
            confirm=request.POST.get("decision") == "confirm",
            note=request.POST.get("note", ""),
        )
        messages.success(request, "Đã xử lý đề nghị sửa hồ sơ.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:queue")
