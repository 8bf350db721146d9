"""Pages of product voting: rounds (list, create, detail with council, entries, results and the workflow),
entries (dossier, conditions, submission, the juror's own sheet), certificates (.docx) and the decision's
annex (.xlsx); and the public catalogue of recognised products (no login). Reads come from scoped selectors
(an outsider gets 404); writes go through services."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from khuyencong.core.errors import DomainError
from khuyencong.core.listing import int_param, paginate
from khuyencong.core.permissions import can_edit, role_of
from khuyencong.core.scoping import scope_for
from khuyencong.core.xlsx import Sheet, xlsx_response

from . import documents, public, selectors, services, workflow
from .forms import EntryForm, JurorForm, RoundForm, UploadForm
from .models import AwardLevel, AwardRound, Juror, ProductGroup, RoundStatus

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fail(request, exc: DomainError):
    messages.error(request, exc.message)


@login_required
def round_list(request):
    qs = selectors.round_filter(selectors.round_list_for(user=request.user), request.GET).order_by(
        "-year", "pk"
    )
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                r.title,
                r.get_level_display(),
                r.year,
                r.organiser.name,
                r.get_status_display(),
                r.quota,
                r.entries.filter(recognised=True).count(),
            ]
            for r in qs
        ]
        return xlsx_response(
            "dot-binh-chon.xlsx",
            [
                Sheet(
                    title="Đợt bình chọn",
                    headers=[
                        "Đợt",
                        "Cấp",
                        "Năm",
                        "Cơ quan tổ chức",
                        "Trạng thái",
                        "Chỉ tiêu",
                        "Được công nhận",
                    ],
                    rows=rows,
                )
            ],
        )
    return render(
        request,
        "awards/round_list.html",
        {
            "page": paginate(qs, request),
            "levels": AwardLevel.choices,
            "statuses": RoundStatus.choices,
            "can_create": can_edit(request.user)
            and scope_for(request.user).kind in ("all", "province", "units"),
        },
    )


@login_required
def round_new(request):
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            r = services.round_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lập đợt bình chọn.")
            return redirect("awards:round", r.pk)
    return render(request, "awards/round_form.html", {"form": form})


@login_required
def round_detail(request, pk: int):
    r = selectors.round_get_for(user=request.user, pk=pk)
    entries = (
        selectors.entry_list_for(user=request.user).filter(round=r).order_by("rank", "product__name", "pk")
    )
    manager = services.manages_round(request.user, r)
    show_results = r.status not in workflow.SHEETS_PRIVATE
    results = (
        [row for row in services.results(r) if row["entry"] in entries] if (manager or show_results) else []
    )
    if r.status in workflow.SHEETS_PRIVATE:
        for row in results:
            row["score"] = None  # the council's figures stay private until the decision
    targets = []
    if manager and r.status in (RoundStatus.DECIDED, RoundStatus.CLOSED) and r.level == AwardLevel.PROVINCE:
        targets = AwardRound.objects.filter(level=AwardLevel.REGION, status=RoundStatus.OPEN).order_by(
            "-year"
        )
    is_juror = Juror.objects.filter(round=r, user=request.user).exists()
    entries = list(entries)
    ranks = Counter(e.rank for e in entries if e.rank)
    tied = {rank for rank, n in ranks.items() if n > 1}
    return render(
        request,
        "awards/round_detail.html",
        {
            "r": r,
            "entries": entries,
            "tied": tied,
            "results": results,
            "manager": manager,
            "is_juror": is_juror,
            "transitions": workflow.allowed_transitions(r.status, role_of(request.user)) if manager else [],
            "jurors": r.jurors.select_related("user"),
            "juror_form": JurorForm(organiser=r.organiser) if manager else None,
            "criteria": r.criteria.order_by("order"),
            "steps": r.steps.select_related("actor"),
            "targets": targets,
            "can_enter": r.status == RoundStatus.OPEN
            and r.level not in (AwardLevel.REGION, AwardLevel.NATIONAL)
            and (manager or scope_for(request.user).kind == "establishment"),
        },
    )


@login_required
@require_POST
def round_transition(request, pk: int):
    r = selectors.round_get_for(user=request.user, pk=pk)
    p = request.POST
    recognised = p.getlist("recognised") or None
    try:
        services.round_transition(
            actor=request.user,
            award_round=r,
            to_status=p.get("to_status", ""),
            expected_version=p.get("version"),
            effective_date=p.get("effective_date") or None,
            decision_no=p.get("decision_no", ""),
            decision_date=p.get("decision_date") or None,
            decision_note=p.get("decision_note", ""),
            recognised=[int(i) for i in recognised if str(i).isdigit()] if recognised else None,
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã chuyển bước.")
    return redirect("awards:round", r.pk)


@login_required
@require_POST
def round_juror_add(request, pk: int):
    r = selectors.round_get_for(user=request.user, pk=pk)
    form = JurorForm(request.POST, organiser=r.organiser)
    if not form.is_valid():
        messages.error(request, "Chọn thành viên hội đồng.")
        return redirect("awards:round", r.pk)
    try:
        services.juror_add(actor=request.user, award_round=r, **form.cleaned_data)
    except DomainError as exc:
        _fail(request, exc)
    return redirect("awards:round", r.pk)


@login_required
def round_entry_new(request, pk: int):
    from khuyencong.beneficiaries.selectors import establishment_list_for

    r = selectors.round_get_for(user=request.user, pk=pk)
    products = selectors.product_list_for(user=request.user).filter(establishment__province_id=r.province_id)
    establishments = (
        establishment_list_for(user=request.user).filter(province_id=r.province_id).order_by("name")
    )
    form = EntryForm(request.POST or None, products=products, establishments=establishments)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            product = d["product"] or services.product_create(
                actor=request.user,
                establishment=d["establishment"],
                name=d["name"],
                group=d["group"],
                description=d["description"],
                made_by_establishment=d["made_by_establishment"],
                series_production=d["series_production"],
            )
            entry = services.entry_create(
                actor=request.user,
                award_round=r,
                product=product,
                registered_on=d["registered_on"],
                registration_details=d["registration_details"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã đăng ký sản phẩm; hãy tải hồ sơ (ít nhất 3 ảnh) rồi nộp.")
            return redirect("awards:entry", entry.pk)
    return render(request, "awards/entry_form.html", {"form": form, "r": r})


@login_required
@require_POST
def round_forward(request, pk: int):
    r = selectors.round_get_for(user=request.user, pk=pk)
    target = selectors.round_get_for(user=request.user, pk=int_param(request.POST.get("target")) or 0)
    ids = [int(i) for i in request.POST.getlist("entries") if str(i).isdigit()]
    entries = list(selectors.entry_list_for(user=request.user).filter(round=r, pk__in=ids))
    try:
        if not entries:
            raise DomainError("Chọn sản phẩm để chuyển lên.")
        services.entries_forward(
            actor=request.user,
            entries=entries,
            to_round=target,
            registered_on=request.POST.get("registered_on"),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Đã chuyển {len(entries)} sản phẩm lên «{target.title}».")
    return redirect("awards:round", r.pk)


@login_required
@require_GET
def round_annex(request, pk: int):
    r = selectors.round_get_for(user=request.user, pk=pk)
    if r.status not in (RoundStatus.DECIDED, RoundStatus.CLOSED):
        raise Http404
    response = HttpResponse(
        documents.annex_xlsx(r),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="phu-luc-quyet-dinh-{r.pk}.xlsx"'
    return response


@login_required
@require_GET
def round_annex_docx(request, pk: int):
    r = selectors.round_get_for(user=request.user, pk=pk)
    if r.status not in (RoundStatus.DECIDED, RoundStatus.CLOSED):
        raise Http404
    response = HttpResponse(documents.annex_docx(r), content_type=DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="phu-luc-quyet-dinh-{r.pk}.docx"'
    return response


@login_required
def entry_detail(request, pk: int):
    entry = selectors.entry_get_for(user=request.user, pk=pk)
    juror = Juror.objects.filter(round=entry.round, user=request.user).first()
    sheets = list(selectors.sheets_for(user=request.user, entry=entry))
    criteria = list(entry.round.criteria.order_by("order"))
    for s in sheets:
        s.rows = [(c, s.points.get(str(c.pk), "")) for c in criteria]
    own = next((s for s in sheets if juror and s.juror_id == juror.pk), None)
    return render(
        request,
        "awards/entry_detail.html",
        {
            "e": entry,
            "files": entry.product.files.all(),
            "conditions": services.entry_conditions(entry),
            "upload_form": UploadForm(),
            "can_edit_dossier": services._can_act_for(request.user, entry.establishment)
            and entry.status == "draft",
            "juror": juror,
            "can_score": juror is not None
            and entry.round.status == RoundStatus.SCORING
            and entry.status == "submitted",
            "criteria": [(c, own.points.get(str(c.pk), "") if own else "") for c in criteria],
            "sheets": sheets,
            "certificate": getattr(entry, "certificate", None) if entry.recognised else None,
        },
    )


@login_required
@require_POST
def entry_upload(request, pk: int):
    entry = selectors.entry_get_for(user=request.user, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Chọn loại tài liệu và tệp.")
    else:
        try:
            services.dossier_add(
                actor=request.user,
                product=entry.product,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Đã tải tệp lên.")
    return redirect("awards:entry", entry.pk)


@login_required
@require_POST
def entry_submit(request, pk: int):
    entry = selectors.entry_get_for(user=request.user, pk=pk)
    try:
        services.entry_submit(
            actor=request.user,
            entry=entry,
            expected_version=request.POST.get("version"),
            submitted_on=request.POST.get("submitted_on") or None,
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã nộp hồ sơ.")
    return redirect("awards:entry", entry.pk)


@login_required
@require_POST
def entry_score(request, pk: int):
    entry = selectors.entry_get_for(user=request.user, pk=pk)
    points = {k[len("c_") :]: v for k, v in request.POST.items() if k.startswith("c_")}
    try:
        services.sheet_save(
            actor=request.user,
            entry=entry,
            points=points,
            scored_on=request.POST.get("scored_on") or None,
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã lưu phiếu chấm.")
    return redirect("awards:entry", entry.pk)


@login_required
@require_GET
def file_download(request, pk: int):
    row = selectors.dossier_file_get_for(user=request.user, pk=pk)
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.original_name)


@login_required
def certificate_list(request):
    qs = selectors.certificate_list_for(user=request.user).order_by("-issued_on", "number", "pk")
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                c.number,
                c.issued_on.strftime("%d/%m/%Y"),
                c.get_level_display(),
                c.product.name,
                c.establishment.name,
                c.valid_until.strftime("%d/%m/%Y"),
                "Đã thu hồi" if c.revoked else "Còn hiệu lực",
            ]
            for c in qs
        ]
        return xlsx_response(
            "giay-chung-nhan.xlsx",
            [
                Sheet(
                    title="Giấy chứng nhận",
                    headers=["Số", "Ngày cấp", "Cấp", "Sản phẩm", "Cơ sở", "Có giá trị đến", "Tình trạng"],
                    rows=rows,
                )
            ],
        )
    return render(request, "awards/certificate_list.html", {"page": paginate(qs, request)})


@login_required
def certificate_detail(request, pk: int):
    c = selectors.certificate_get_for(user=request.user, pk=pk)
    return render(
        request,
        "awards/certificate_detail.html",
        {"c": c, "manager": services.manages_round(request.user, c.round)},
    )


@login_required
@require_GET
def certificate_docx(request, pk: int):
    c = selectors.certificate_get_for(user=request.user, pk=pk)
    response = HttpResponse(documents.certificate_docx(c), content_type=DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="giay-chung-nhan-{c.pk}.docx"'
    return response


@login_required
@require_GET
def certificate_pdf(request, pk: int):
    """The printable certificate as PDF (LibreOffice); without LibreOffice, the .docx."""
    c = selectors.certificate_get_for(user=request.user, pk=pk)
    data, ext = documents.certificate_file(c)
    response = HttpResponse(data, content_type="application/pdf" if ext == "pdf" else DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="giay-chung-nhan-{c.pk}.{ext}"'
    return response


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    c = selectors.certificate_get_for(user=request.user, pk=pk)
    try:
        services.certificate_revoke(
            actor=request.user,
            certificate=c,
            reason=request.POST.get("reason", ""),
            revoked_on=request.POST.get("revoked_on") or None,
            expected_version=request.POST.get("version"),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã thu hồi giấy chứng nhận.")
    return redirect("awards:certificate", c.pk)


# --- public catalogue (no login) ---------------------------------------------------------------------------


def _public_qs(request):
    params = {k: request.GET.get(k) for k in ("level", "group", "province", "year", "q")}
    for key in ("province", "year"):
        params[key] = int_param(params[key])
    return selectors.public_filter(selectors.public_certificates(), params)


def public_list(request):
    from khuyencong.geo.models import AdminUnit

    qs = _public_qs(request)
    if request.GET.get("format") == "xlsx":
        return xlsx_response("san-pham-cnnt-tieu-bieu.xlsx", [public.xlsx_sheet(public.rows(qs))])
    if request.GET.get("format") == "csv":
        return public_csv(request)
    page = paginate(qs, request, per_page=24)
    provinces = AdminUnit.objects.filter(
        pk__in=selectors.public_certificates().values("establishment__province_id")
    ).order_by("name")
    years = sorted(set(selectors.public_certificates().values_list("round__year", flat=True)), reverse=True)
    return render(
        request,
        "awards/public_list.html",
        {
            "page": page,
            "rows": public.rows(page.object_list),
            "levels": AwardLevel.choices,
            "groups": ProductGroup.choices,
            "provinces": provinces,
            "years": years,
        },
    )


@require_GET
def public_csv(request):
    """The catalogue as CSV (UTF-8 with BOM, so Excel reads the diacritics), with the page's filters."""
    response = HttpResponse(public.csv_text(public.rows(_public_qs(request))), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="san-pham-cnnt-tieu-bieu.csv"'
    return response


def public_product(request, pk: int):
    rows = public.rows(selectors.public_product_certificates(pk))
    if not rows:
        raise Http404
    photos = selectors.public_photos(pk)
    return render(request, "awards/public_product.html", {"p": rows[0], "rows": rows, "photos": photos})


@require_GET
def public_photo(request, pk: int):
    row = selectors.public_photo(pk)
    return FileResponse(row.file.open("rb"), content_type=row.content_type)
