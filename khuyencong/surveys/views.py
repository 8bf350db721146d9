"""Pages of the demand surveys: campaigns (list, create, detail with invitations, completeness, results,
the one-step registration of selected answers, the Excel export) and the answer form (the establishment's
own, or a paper form entered by an officer). Reads come from scoped selectors; writes go through services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.core.errors import DomainError
from khuyencong.core.fields import MoneyField, VNDateField
from khuyencong.core.scoping import scope_for
from khuyencong.core.xlsx import Sheet, xlsx_response
from khuyencong.geo.models import AdminUnit

from . import selectors, services
from .models import CampaignStatus, Question


class CampaignForm(forms.Form):
    unit = forms.ModelChoiceField(label="Tỉnh khảo sát", queryset=AdminUnit.objects.none())
    title = forms.CharField(label="Tên đợt khảo sát", max_length=300)
    plan_year = forms.IntegerField(label="Cho kế hoạch năm", min_value=2000, max_value=2100)
    level = forms.ChoiceField(
        label="Cấp kế hoạch",
        choices=[("local", "Khuyến công địa phương"), ("national", "Khuyến công quốc gia")],
    )
    opens_on = VNDateField(label="Nhận phiếu từ ngày")
    closes_on = VNDateField(label="Nhận phiếu đến ngày")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        units = AdminUnit.objects.filter(level=1).order_by("era", "name")
        if scope.kind == "province":
            units = units.filter(current_province_id=scope.province_id)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.label_with_era
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(f.widget, forms.Select)
                else "form-control form-control-sm",
            )


def answer_form(campaign, data=None, initial=None) -> forms.Form:
    fields = {}
    for q in campaign.questions.all():
        if q.kind == Question.Kind.CHOICE:
            f = forms.ChoiceField(choices=[("", "—"), *[(str(v), label) for v, label in q.choices]])
            f.widget.attrs["class"] = "form-select form-select-sm"
        elif q.kind == Question.Kind.MONEY:
            f = MoneyField()
        elif q.kind == Question.Kind.NUMBER:
            f = forms.IntegerField(min_value=0)
            f.widget.attrs["class"] = "form-control form-control-sm"
        else:
            f = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"})
            )
        f.label = q.text
        f.required = q.required
        fields[q.code] = f
    form_cls = type("AnswerForm", (forms.Form,), fields)
    return form_cls(data, initial=initial)


def _office(request, campaign):
    if not selectors.is_office(request.user, campaign):
        raise Http404


@login_required
def campaign_list(request):
    scope = scope_for(request.user)
    return render(
        request,
        "surveys/campaign_list.html",
        {
            "campaigns": selectors.campaign_list_for(user=request.user),
            "invitations": selectors.invitation_list_for(user=request.user)
            if scope.kind == "establishment"
            else [],
            "can_create": scope.kind in ("all", "province"),
        },
    )


@login_required
def campaign_new(request):
    if scope_for(request.user).kind not in ("all", "province"):
        raise Http404
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.campaign_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("surveys:campaign", pk=c.pk)
    return render(request, "surveys/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk: int):
    c = selectors.campaign_get_for(user=request.user, pk=pk)
    if not selectors.is_office(request.user, c):
        inv = selectors.invitation_list_for(user=request.user, campaign=c).first()
        if inv is None:
            raise Http404
        return redirect("surveys:answer", pk=inv.pk)
    responses = selectors.response_list_for(user=request.user, campaign=c)
    if request.GET.get("format") == "xlsx":
        return _export(c, responses)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "c": c,
            "completeness": selectors.completeness(c),
            "tabulation": selectors.tabulate(c, responses),
            "responses": responses,
            "invitations": selectors.invitation_list_for(user=request.user, campaign=c),
            "questions": c.questions.all(),
            "communes": AdminUnit.objects.filter(level=3, current_province_id=c.province_id).order_by(
                "era", "name"
            ),
            "sectors": Sector.objects.order_by("name"),
            "types": EstablishmentType.objects.order_by("name"),
            "statuses": CampaignStatus,
        },
    )


def _export(c, responses):
    comp = selectors.completeness(c)
    head = ["Theo", "Nhóm", "Số cơ sở được mời", "Số phiếu trả lời", "Trong đó phiếu giấy", "Tỷ lệ"]
    comp_rows = [
        [
            "Tổng",
            comp["total"]["label"],
            comp["total"]["invited"],
            comp["total"]["answered"],
            comp["total"]["on_paper"],
            comp["total"]["rate"],
        ]
    ]
    for key, label in (("by_commune", "Xã, phường"), ("by_sector", "Ngành nghề")):
        comp_rows += [
            [label, r["label"], r["invited"], r["answered"], r["on_paper"], r["rate"]] for r in comp[key]
        ]
    questions, matrix = selectors.response_matrix(c, responses)
    answers = [
        [
            r.invitation.establishment.name,
            r.invitation.commune.name,
            r.answered_on.strftime("%d/%m/%Y"),
            "Phiếu giấy" if r.on_paper else "Trực tuyến",
            r.project.code if r.project_id else "",
            *[vals.get(q.pk, "") for q in questions],
        ]
        for r, vals in matrix
    ]
    tab_rows = []
    for t in selectors.tabulate(c, responses):
        q = t["question"]
        if t["options"]:
            tab_rows += [[q.text, o["label"], o["count"]] for o in t["options"]]
        elif t["sum"] is not None:
            tab_rows.append([q.text, "Tổng" + (" (đồng)" if q.kind == Question.Kind.MONEY else ""), t["sum"]])
        else:
            tab_rows.append([q.text, "Số phiếu trả lời", t["answered"]])
    return xlsx_response(
        f"khao-sat-{c.pk}.xlsx",
        [
            Sheet(title="Mức độ đầy đủ", heading=c.title, headers=head, rows=comp_rows),
            Sheet(
                title="Tổng hợp",
                heading=c.title,
                headers=["Câu hỏi", "Lựa chọn / chỉ tiêu", "Số"],
                rows=tab_rows,
            ),
            Sheet(
                title="Phiếu trả lời",
                heading=c.title,
                headers=[
                    "Cơ sở",
                    "Xã, phường",
                    "Ngày trả lời",
                    "Hình thức",
                    "Đề án đăng ký",
                    *[q.text for q in questions],
                ],
                rows=answers,
            ),
        ],
    )


@login_required
@require_POST
def campaign_transition(request, pk: int):
    c = selectors.campaign_get_for(user=request.user, pk=pk)
    _office(request, c)
    try:
        services.campaign_transition(
            actor=request.user,
            campaign=c,
            to_status=request.POST.get("to_status", ""),
            expected_version=request.POST.get("version"),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:campaign", pk=c.pk)


@login_required
@require_POST
def campaign_invite(request, pk: int):
    c = selectors.campaign_get_for(user=request.user, pk=pk)
    _office(request, c)
    try:
        n = services.invitations_create(
            actor=request.user,
            campaign=c,
            communes=[int(x) for x in request.POST.getlist("communes") if x.isdigit()],
            sectors=[int(x) for x in request.POST.getlist("sectors") if x.isdigit()],
            types=[int(x) for x in request.POST.getlist("types") if x.isdigit()],
        )
        messages.success(request, f"Đã mời thêm {n} cơ sở.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:campaign", pk=c.pk)


@login_required
@require_POST
def campaign_register(request, pk: int):
    c = selectors.campaign_get_for(user=request.user, pk=pk)
    _office(request, c)
    ids = [int(x) for x in request.POST.getlist("responses") if x.isdigit()]
    try:
        projects = services.responses_to_registrations(actor=request.user, campaign=c, response_ids=ids)
        messages.success(
            request,
            f"Đã lập {len(projects)} đề án đăng ký của kế hoạch năm {c.plan_year}: "
            + ", ".join(p.code for p in projects),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:campaign", pk=c.pk)


@login_required
def answer(request, pk: int):
    inv = selectors.invitation_get_for(user=request.user, pk=pk)
    c = inv.campaign
    office = selectors.is_office(request.user, c)
    existing = getattr(inv, "response", None)
    initial = {}
    if existing is not None:
        for a in existing.answers.select_related("question"):
            initial[a.question.code] = (
                a.number if a.question.kind in (Question.Kind.NUMBER, Question.Kind.MONEY) else a.text
            )
    form = answer_form(c, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save(
                actor=request.user,
                invitation=inv,
                answers={k: v for k, v in form.cleaned_data.items()},
                answered_on=request.POST.get("answered_on") or None,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, "Đã ghi nhận phiếu trả lời. Cảm ơn cơ sở!" if not office else "Đã nhập phiếu giấy."
            )
            return redirect("surveys:campaign", pk=c.pk) if office else redirect("portal:home")
    return render(
        request,
        "surveys/answer.html",
        {
            "inv": inv,
            "c": c,
            "form": form,
            "office": office,
            "existing": existing,
            "locked": existing is not None and existing.project_id is not None,
        },
    )
