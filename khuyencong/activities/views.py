"""Pages of activities: the list (filters, totals, Excel), the detail (participants, trainees, attendees,
pieces, audits; the workflow), the form, and the Excel imports. Reads come from scoped selectors (an outsider
gets 404); writes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError, ImportFailed
from khuyencong.core.listing import int_param, paginate
from khuyencong.core.permissions import can_edit, role_of
from khuyencong.core.scoping import scope_for
from khuyencong.core.xlsx import XLSX_MIME, Sheet, stream_xlsx

from . import imports, selectors, services, workflow
from .forms import (
    ActivityForm,
    AssessmentForm,
    AttendeeForm,
    FilterForm,
    ImportForm,
    ParticipationForm,
    PieceForm,
)
from .models import (
    ASSESSMENT_GROUPS,
    ATTENDEE_GROUPS,
    PARTICIPANT_GROUPS,
    TRAINEE_GROUPS,
    KindGroup,
)

LIST_HEADERS = [
    "Hoạt động",
    "Loại",
    "Từ ngày",
    "Đến ngày",
    "Địa phương",
    "Nơi tổ chức",
    "Đề án",
    "Trạng thái",
    "Lượt cơ sở",
    "Học viên",
    "Kiểm toán, đánh giá",
]


def _fail(request, exc: DomainError):
    messages.error(request, exc.message)


def _can_create(user) -> bool:
    return can_edit(user) and scope_for(user).kind in ("all", "province", "units")


@login_required
def activity_list(request):
    form = FilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    if request.GET.get("project"):
        params = {**params, "project": int_param(request.GET.get("project"))}
    qs = selectors.activity_filter(selectors.activity_list_for(user=request.user), params).annotate(
        n_participations=Count("participations", distinct=True),
        n_assessments=Count("assessments", distinct=True),
    )
    qs = qs.order_by("-start_date", "pk")
    if request.GET.get("format") == "xlsx":
        totals = selectors.activity_totals(qs)

        def rows():
            for a in qs.iterator(chunk_size=500):
                yield [
                    a.title,
                    a.kind.name,
                    a.start_date,
                    a.end_date,
                    a.unit.label_with_era,
                    a.place.label_with_era if a.place else a.venue,
                    a.funding_project.code if a.funding_project else "",
                    a.get_status_display(),
                    a.n_participations,
                    a.trainees_total or 0,
                    a.n_assessments,
                ]

        return stream_xlsx(
            "hoat-dong-khuyen-cong.xlsx",
            [
                Sheet(
                    title="Hoạt động",
                    headers=LIST_HEADERS,
                    rows=rows(),
                    totals=[
                        f"Tổng cộng: {totals['activities']} hoạt động",
                        *[""] * 7,
                        totals["participations"],
                        totals["trainees"],
                        totals["assessments"],
                    ],
                )
            ],
        )
    return render(
        request,
        "activities/list.html",
        {
            "form": form,
            "page": paginate(qs, request),
            "totals": selectors.activity_totals(qs),
            "can_create": _can_create(request.user),
        },
    )


def _form_changes(form) -> dict:
    d = dict(form.cleaned_data)
    d.pop("version", None)
    return d


@login_required
def activity_new(request):
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            a = services.activity_create(actor=request.user, **_form_changes(form))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lập hoạt động.")
            return redirect("activities:detail", a.pk)
    return render(request, "activities/form.html", {"form": form, "title": "Lập hoạt động khuyến công"})


@login_required
def activity_edit(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    if not services.manages(request.user, a):
        messages.error(request, "Bạn không quản lý hoạt động này.")
        return redirect("activities:detail", a.pk)
    fields = [f for f in services.ACTIVITY_FIELDS if f not in ("organiser",)]
    initial = {f: getattr(a, f) for f in fields} | {"version": a.version}
    form = ActivityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=request.user,
                activity=a,
                expected_version=form.cleaned_data.get("version"),
                changes=_form_changes(form),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu.")
            return redirect("activities:detail", a.pk)
    return render(request, "activities/form.html", {"form": form, "title": f"Sửa: {a.title}", "a": a})


@login_required
def activity_detail(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    manager = services.manages(request.user, a)
    group = a.kind.group
    participations = (
        selectors.participation_list_for(user=request.user)
        .filter(activity=a)
        .annotate(support=Sum("supports__amount"))
        .order_by("pk")
    )
    part_totals = participations.aggregate(n=Count("pk"), booths=Sum("booths"), sales=Sum("sales"))
    trainees = (
        a.trainees.select_related("establishment", "commune")
        if scope_for(request.user).kind != ("establishment")
        else a.trainees.none()
    )
    return render(
        request,
        "activities/detail.html",
        {
            "a": a,
            "manager": manager,
            "transitions": workflow.allowed_transitions(a.status, role_of(request.user)) if manager else [],
            "steps": a.steps.select_related("actor"),
            "has_participants": group in PARTICIPANT_GROUPS,
            "has_trainees": group in TRAINEE_GROUPS,
            "has_attendees": group in ATTENDEE_GROUPS,
            "has_pieces": group == KindGroup.INFORMATION,
            "has_assessments": group in ASSESSMENT_GROUPS,
            "participations": participations,
            "part_totals": part_totals,
            "trainees": trainees,
            "attendees": a.attendees.all(),
            "pieces": a.pieces.all(),
            "assessments": a.assessments.select_related("establishment", "factor"),
            "participation_form": ParticipationForm(user=request.user) if manager else None,
            "piece_form": PieceForm() if manager else None,
            "attendee_form": AttendeeForm() if manager else None,
            "assessment_form": AssessmentForm(user=request.user) if manager else None,
            "import_form": ImportForm() if manager else None,
        },
    )


@login_required
@require_POST
def activity_transition(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    p = request.POST
    try:
        services.activity_transition(
            actor=request.user,
            activity=a,
            to_status=p.get("to_status", ""),
            expected_version=p.get("version"),
            effective_date=p.get("effective_date") or None,
            result_note=p.get("result_note", ""),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã chuyển bước.")
    return redirect("activities:detail", a.pk)


@login_required
@require_POST
def participation_add(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    form = ParticipationForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("activities:detail", a.pk)
    d = form.cleaned_data
    try:
        services.participation_add(
            actor=request.user,
            activity=a,
            establishment=d["establishment"],
            booths=d.get("booths") or 0,
            products=d.get("products") or "",
            contracts=d.get("contracts") or 0,
            contract_value=d.get("contract_value") or 0,
            sales=d.get("sales") or 0,
            support=form.support(),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Đã thêm «{d['establishment'].name}».")
    return redirect("activities:detail", a.pk)


@login_required
@require_POST
def participation_remove(request, pk: int, participation_pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    p = selectors.participation_list_for(user=request.user).filter(activity=a, pk=participation_pk).first()
    if p is None:
        from django.http import Http404

        raise Http404
    try:
        services.participation_remove(actor=request.user, participation=p)
    except DomainError as exc:
        _fail(request, exc)
    return redirect("activities:detail", a.pk)


@login_required
@require_POST
def piece_add(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    form = PieceForm(request.POST)
    if form.is_valid():
        try:
            services.info_piece_add(actor=request.user, activity=a, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, "Nhập đủ loại, tiêu đề, báo đài và ngày.")
    return redirect("activities:detail", a.pk)


@login_required
@require_POST
def attendee_add(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    form = AttendeeForm(request.POST)
    if form.is_valid():
        try:
            services.attendee_add(actor=request.user, activity=a, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, "Nhập cơ quan, đơn vị và số người.")
    return redirect("activities:detail", a.pk)


@login_required
@require_POST
def assessment_add(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    form = AssessmentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.assessment_save(actor=request.user, activity=a, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Đã lưu kết quả kiểm toán, đánh giá.")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("activities:detail", a.pk)


@login_required
def list_import(request, pk: int, which: str):
    """GET: the template file; POST: import the participant or trainee list (all or nothing)."""
    if which not in ("participants", "trainees"):
        from django.http import Http404

        raise Http404
    a = selectors.activity_get_for(user=request.user, pk=pk)
    headers = imports.PARTICIPANT_HEADERS if which == "participants" else imports.TRAINEE_HEADERS
    title = "Danh sách cơ sở tham gia" if which == "participants" else "Danh sách học viên"
    if request.method != "POST":
        response = HttpResponse(imports.template(headers, title), content_type=XLSX_MIME)
        response["Content-Disposition"] = f'attachment; filename="mau-{which}.xlsx"'
        return response
    form = ImportForm(request.POST, request.FILES)
    errors = []
    if not form.is_valid():
        messages.error(request, "Chọn tệp Excel (.xlsx).")
    else:
        content = form.cleaned_data["file"].read()
        try:
            if which == "participants":
                n = imports.participants_import(actor=request.user, activity=a, content=content)
            else:
                n = imports.trainees_import(actor=request.user, activity=a, content=content)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
            messages.error(request, exc.message)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"Đã nhập {n} dòng.")
            return redirect("activities:detail", a.pk)
    if errors:
        return render(request, "activities/import_errors.html", {"a": a, "errors": errors}, status=400)
    return redirect("activities:detail", a.pk)


@login_required
def participants_export(request, pk: int):
    a = selectors.activity_get_for(user=request.user, pk=pk)
    qs = (
        selectors.participation_list_for(user=request.user)
        .filter(activity=a)
        .annotate(support=Sum("supports__amount"))
        .order_by("pk")
    )

    def rows():
        for i, p in enumerate(qs, start=1):
            yield [
                i,
                p.establishment.name,
                p.establishment.tax_code or "",
                p.booths,
                p.products,
                p.support or 0,
                p.contracts,
                p.contract_value,
                p.sales,
            ]

    return stream_xlsx(
        "co-so-tham-gia.xlsx",
        [
            Sheet(
                title="Cơ sở tham gia",
                heading=a.title,
                headers=[
                    "STT",
                    "Tên cơ sở",
                    "Mã số thuế",
                    "Số gian hàng",
                    "Sản phẩm trưng bày",
                    "Kinh phí hỗ trợ (đồng)",
                    "Số hợp đồng",
                    "Giá trị hợp đồng (đồng)",
                    "Doanh số (đồng)",
                ],
                rows=rows(),
            )
        ],
    )
