"""Forms of the đề án pages. They only read input; every write goes through services."""

from django import forms
from django.db.models import Sum
from django.urls import reverse

from khuyencong.beneficiaries.models import Establishment
from khuyencong.catalog.models import ActivityContent, FundingSource, SupportCap
from khuyencong.core.fields import MoneyField, VNDateField
from khuyencong.core.scoping import scope_for
from khuyencong.geo.models import AdminUnit

from . import workflow
from .models import AnnualPlan, Batch, Disbursement, Level, Status

KEEP_CSS = (
    "money-input",
    "vn-date",
)  # the date picker (static/js/forms.js) and amount boxes are found by these


def styled(form):
    """Bootstrap classes on every widget (errors are shown next to the field by the templates)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        kept = [c for c in widget.attrs.get("class", "").split() if c in KEEP_CSS]
        widget.attrs["class"] = " ".join([css, *kept])
    return form


# A picker's <select> lists every choice (so the page works without JavaScript) up to this many; above it only
# the chosen ones, and the searchable picker (static/js/forms.js) finds the others by typing.
INLINE_CHOICES = 300


def establishments_for(user):
    """The establishments a user may pick as beneficiaries: exactly those the scoped selector lets them see
    (a commune office: its communes only)."""
    from khuyencong.beneficiaries.selectors import establishment_list_for

    return establishment_list_for(user=user).select_related("commune")


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False)
    province = forms.ModelChoiceField(
        label="Tỉnh (hiện nay)",
        required=False,
        queryset=AdminUnit.objects.filter(era="current", level=1).order_by("name"),
    )
    year = forms.IntegerField(label="Năm", required=False, min_value=2000, max_value=2100)
    level = forms.ChoiceField(label="Cấp", required=False, choices=[("", "Tất cả")] + Level.choices)
    content = forms.ChoiceField(label="Nội dung", required=False)
    status = forms.ChoiceField(label="Trạng thái", required=False, choices=[("", "Tất cả")] + Status.choices)
    beneficiary = forms.CharField(label="Đơn vị thụ hưởng", required=False)
    overdue = forms.BooleanField(label="Quá ngày kết thúc, chưa hoàn thành", required=False)
    as_of = VNDateField(label="Tình trạng tại ngày", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = ActivityContent.objects.order_by("order", "code").values_list("code", "short_name").distinct()
        seen, choices = set(), [("", "Tất cả")]
        for code, name in codes:
            if code not in seen:
                seen.add(code)
                choices.append((code, f"{code}. {name}"))
        self.fields["content"].choices = choices
        styled(self)


class ProjectForm(forms.Form):
    plan = forms.ModelChoiceField(label="Kế hoạch", queryset=AnnualPlan.objects.none())
    batch = forms.ModelChoiceField(label="Đợt", queryset=Batch.objects.none(), required=False)
    code = forms.CharField(label="Mã đề án", max_length=40)
    title = forms.CharField(label="Tên đề án", max_length=500)
    content = forms.ModelChoiceField(label="Nội dung hoạt động", queryset=ActivityContent.objects.all())
    support_cap = forms.ModelChoiceField(
        label="Nội dung chi (mức hỗ trợ tối đa)",
        required=False,
        queryset=SupportCap.objects.select_related("legal_basis"),
    )
    cluster = forms.ModelChoiceField(
        label="Cụm công nghiệp (nội dung 7)",
        required=False,
        queryset=AdminUnit.objects.none(),
        help_text="Đề án hỗ trợ quy hoạch, hạ tầng, xử lý nước thải của một cụm: chọn cụm để kiểm tra mức hỗ "
        "trợ tối đa của cụm trên mọi đề án.",
    )
    province = forms.ModelChoiceField(
        label="Tỉnh (hiện nay) của địa bàn",
        required=False,
        queryset=AdminUnit.objects.none(),
        help_text="Chọn tỉnh trước; danh sách xã, phường và cơ sở theo tỉnh này.",
    )
    commune = forms.ModelChoiceField(
        label="Xã, phường thực hiện",
        required=False,
        queryset=AdminUnit.objects.none(),
        help_text="Gõ để tìm, không cần dấu (vd. «phuong 6»); gồm cả đơn vị trước 1/7/2025.",
    )
    establishments = forms.ModelMultipleChoiceField(
        label="Đơn vị thụ hưởng",
        required=False,
        queryset=Establishment.objects.none(),
        help_text="Gõ tên hoặc mã số thuế để tìm; chọn được nhiều cơ sở.",
    )
    implementing_unit = forms.CharField(label="Đơn vị thực hiện", max_length=255, required=False)
    is_flagship = forms.BooleanField(label="Đề án điểm", required=False)
    recoverable = forms.BooleanField(label="Hỗ trợ có hoàn trả", required=False)
    start_date = VNDateField(label="Ngày bắt đầu", required=False)
    end_date = VNDateField(label="Ngày kết thúc", required=False)
    description = forms.CharField(
        label="Nội dung, mục tiêu", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requested_national = MoneyField(label="Đề nghị hỗ trợ — KCQG (đồng)", required=False)
    requested_local = MoneyField(label="Đề nghị hỗ trợ — KCĐP (đồng)", required=False)
    requested_district = MoneyField(label="Đề nghị hỗ trợ — NS huyện/xã (đồng)", required=False)
    requested_counterpart = MoneyField(label="Vốn đối ứng của cơ sở (đồng)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    effective_date = VNDateField(
        label="Ngày lập, đăng ký đề án",
        required=False,
        allow_future=False,
        help_text="Ngày ghi trên hồ sơ đề án (dd/mm/yyyy); để trống là hôm nay.",
    )

    FUNDING_CODES = ("national", "local", "district", "counterpart")

    def _chosen_plan(self, plans):
        from khuyencong.core.listing import int_param

        value = self.data.get("plan") if self.is_bound else self.initial.get("plan")
        pk = getattr(value, "pk", None) or int_param(value)
        return plans.filter(pk=pk).first() if pk else None

    def _pickers(self, user):
        """Province first, then its communes (both trees); establishments of the reader's scope. Each <select>
        carries what static/js/forms.js needs to become a searchable picker."""
        from khuyencong.beneficiaries import selectors as est_selectors
        from khuyencong.core.listing import int_param

        provinces = est_selectors.picker_provinces(user)
        self.fields["province"].queryset = provinces
        source = self.data if self.is_bound else self.initial
        province_id = int_param(getattr(source.get("province"), "pk", source.get("province")))
        commune_value = source.get("commune")
        commune_id = getattr(commune_value, "pk", None) or int_param(commune_value)
        if not province_id and commune_id:
            province_id = (
                AdminUnit.objects.filter(pk=commune_id).values_list("current_province_id", flat=True).first()
            )
        if not province_id and self.plan is not None:
            province_id = self.plan.province_id
        if not province_id and provinces.count() == 1:
            province_id = provinces.first().pk
        if province_id and not self.is_bound:
            self.initial["province"] = province_id
        communes = est_selectors.picker_communes(user, province_id)
        commune = self.fields["commune"]
        commune.queryset = communes
        commune.label_from_instance = est_selectors.commune_label
        commune.empty_label = "— Chọn xã, phường —" if province_id else "— Chọn tỉnh trước —"

        field = self.fields["establishments"]
        field.queryset = establishments_for(user)
        chosen = (
            source.getlist("establishments") if hasattr(source, "getlist") else source.get("establishments")
        )
        chosen_ids = [getattr(v, "pk", None) or int_param(v) for v in (chosen or [])]
        listed = field.queryset.order_by("name", "pk")
        if listed.count() > INLINE_CHOICES:
            listed = listed.filter(pk__in=[pk for pk in chosen_ids if pk])
        field.widget.choices = [(e.pk, est_selectors.establishment_label(e)) for e in listed]

        self.fields["province"].widget.attrs.update(
            {"data-picker": "", "data-picker-placeholder": "Gõ tên tỉnh"}
        )
        commune.widget.attrs.update(
            {
                "data-picker": "",
                "data-picker-url": reverse("beneficiaries:commune_search"),
                "data-picker-depends": "id_province",
                "data-picker-placeholder": "Gõ tên xã, phường (không cần dấu)",
            }
        )
        field.widget.attrs.update(
            {
                "data-picker": "",
                "data-picker-url": reverse("beneficiaries:search"),
                "data-picker-depends": "id_province",
                "data-picker-create": "establishment-create",
                "data-picker-placeholder": "Gõ tên hoặc mã số thuế",
            }
        )
        if "plan" in self.fields:
            self.fields["plan"].widget.attrs["data-plan-options"] = reverse(
                "projects:plan_form_options", args=[0]
            )

    def __init__(self, *args, user, plans, editing=False, money_editable=True, plan=None, **kwargs):
        """`editing`: the plan is fixed (`plan`); `money_editable` (editing only): the requested money may
        still be corrected (until approval; afterwards only an adjustment changes it)."""
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.plan = plan if editing else self._chosen_plan(plans)
        # Only the batches of the đề án's plan (none until a plan is chosen).
        batches = Batch.objects.filter(plan=self.plan) if self.plan else Batch.objects.none()
        self.fields["batch"].queryset = batches.select_related("plan").order_by("number")
        if self.plan is None:
            self.fields["batch"].empty_label = "— Chọn kế hoạch trước —"
        self._pickers(user)
        from khuyencong.clusters.selectors import cluster_choices_for

        self.fields["cluster"].queryset = cluster_choices_for(
            user=user, province_id=self.plan.province_id if self.plan else None
        )
        self.fields["cluster"].empty_label = "— Không gắn với cụm —"
        if editing:
            del self.fields["plan"]
            del self.fields["effective_date"]
            if not money_editable:
                for code in self.FUNDING_CODES:
                    del self.fields[f"requested_{code}"]
        styled(self)
        if "effective_date" in self.fields:
            self.fields["effective_date"].widget.attrs["class"] = "form-control form-control-sm vn-date"

    def funding(self) -> dict:
        out = {}
        for code in self.FUNDING_CODES:
            value = self.cleaned_data.get(f"requested_{code}")
            if value:
                out[code] = {"requested": value}
        return out

    def funding_changes(self, current: dict) -> dict:
        """The requested amounts that differ from `current` {source code: requested đồng}; a cleared box is
        0."""
        out = {}
        for code in self.FUNDING_CODES:
            name = f"requested_{code}"
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data.get(name) or 0
            if value != current.get(code, 0):
                out[code] = {"requested": value}
        return out


FIELD_WIDGETS = {
    "appraisal_result": lambda: forms.ChoiceField(
        label="Kết quả thẩm định", choices=[("passed", "Đạt"), ("failed", "Không đạt")]
    ),
    "appraisal_notes": lambda: forms.CharField(
        label="Ý kiến thẩm định", widget=forms.Textarea(attrs={"rows": 2})
    ),
    "decision_no": lambda: forms.CharField(label="Số quyết định", max_length=80),
    "decision_date": lambda: VNDateField(label="Ngày quyết định"),
    "contract_no": lambda: forms.CharField(label="Số hợp đồng", max_length=80),
    "contract_date": lambda: VNDateField(label="Ngày hợp đồng"),
    "progress_pct": lambda: forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100),
    "progress_date": lambda: VNDateField(label="Ngày báo cáo"),
    "acceptance_date": lambda: VNDateField(label="Ngày nghiệm thu"),
    "acceptance_minutes_no": lambda: forms.CharField(label="Số biên bản nghiệm thu", max_length=80),
    "acceptance_result": lambda: forms.CharField(label="Kết quả nghiệm thu", max_length=300),
    "settled_amount": lambda: MoneyField(label="Số quyết toán (đồng)"),
    "settled_date": lambda: VNDateField(label="Ngày quyết toán"),
    "stop_reason": lambda: forms.CharField(label="Lý do dừng", widget=forms.Textarea(attrs={"rows": 2})),
    "stop_requested_by": lambda: forms.CharField(label="Bên xin dừng", max_length=255),
    "note": lambda: forms.CharField(label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2})),
    "reason": lambda: forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2})),
    "end_date": lambda: VNDateField(label="Ngày kết thúc mới"),
}
OPTIONAL = ["document_no", "document_date", "note"]


class TransitionForm(forms.Form):
    """The form of one transition (or event), built from the table's `requires`."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project, target: str, user=None, **kwargs):
        """`user`: the reader, for the choices that are reads (the clusters an adjustment may name)."""
        super().__init__(*args, **kwargs)
        self.target = target
        if target in workflow.EVENTS:
            rule = workflow.EVENTS[target]
        else:
            rule = workflow.TRANSITIONS[(project.status, target)]
        self.label = rule["label"]
        self.fields["to_status"].initial = target
        self.fields["version"].initial = project.version
        for name in rule["requires"]:
            self.fields[name] = FIELD_WIDGETS[name]()
        if target == Status.APPRAISED:
            self.fields["appraisal_notes"] = FIELD_WIDGETS["appraisal_notes"]()
            self.fields["appraisal_notes"].required = False
        self.funding_codes = []
        if target in (Status.APPROVED, "adjust"):
            for f in project.fundings.select_related("source"):
                name = f"approved_{f.source.code}"
                self.fields[name] = MoneyField(
                    label=f"Phê duyệt — {f.source.short_name} (đồng)",
                    required=False,
                    initial=f.approved or f.requested,
                )
                self.funding_codes.append(f.source.code)
        if "settled_amount" in self.fields:  # prefilled (formatted) with what was paid, to be checked
            paid = project.disbursements.aggregate(s=Sum("amount"))["s"]
            self.fields["settled_amount"].initial = (
                project.settled_amount if project.settled_amount is not None else paid
            )
        if target == "adjust":
            self.fields["title"] = forms.CharField(label="Tên đề án", required=False, initial=project.title)
            self.fields["end_date"] = VNDateField(
                label="Ngày kết thúc", required=False, initial=project.end_date
            )
            self.fields["description"] = forms.CharField(
                label="Nội dung",
                required=False,
                initial=project.description,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            from .services import CLUSTER_CONTENT

            if user is not None and project.content.code == CLUSTER_CONTENT:
                from khuyencong.clusters.selectors import cluster_choices_for

                self.fields["cluster"] = forms.ModelChoiceField(
                    label="Cụm công nghiệp",
                    required=False,
                    queryset=cluster_choices_for(user=user, province_id=project.plan.province_id),
                    initial=project.cluster_id,
                    empty_label="— Giữ như cũ —" if project.cluster_id else "— Chưa gắn với cụm —",
                )
        self.fields["document_no"] = forms.CharField(label="Số văn bản", max_length=80, required=False)
        self.fields["document_date"] = VNDateField(label="Ngày văn bản", required=False)
        if "note" not in self.fields:
            self.fields["note"] = FIELD_WIDGETS["note"]()
            self.fields["note"].required = False
        # The business date of the step (its document's date); the service defaults it to the decision,
        # contract,
        # report… date of the step, else today, and refuses a future date or one before the previous step.
        self.fields["effective_date"] = VNDateField(
            label="Ngày hiệu lực (ngày của văn bản)",
            required=False,
            allow_future=False,
            help_text="dd/mm/yyyy; để trống: ngày của văn bản (quyết định, hợp đồng, báo cáo…), nếu không "
            "là hôm nay.",
        )
        styled(self)
        self.fields["effective_date"].widget.attrs["class"] = "form-control form-control-sm vn-date"

    def data_for_service(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("to_status", "version") and not k.startswith("approved_") and v not in (None, "")
        }
        if self.funding_codes:
            key = "approved" if self.target == Status.APPROVED else "funding"
            amounts = {
                c: {"approved": self.cleaned_data.get(f"approved_{c}")}
                for c in self.funding_codes
                if self.cleaned_data.get(f"approved_{c}") is not None
            }
            if amounts:
                data[key] = amounts
        return data


class DisbursementForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=Disbursement.Kind.choices)
    source = forms.ModelChoiceField(label="Nguồn", queryset=FundingSource.objects.all(), to_field_name="code")
    date = VNDateField(label="Ngày")
    amount = MoneyField(label="Số tiền (đồng)")
    document_no = forms.CharField(label="Chứng từ", max_length=80, required=False)
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class OutputForm(forms.Form):
    indicator = forms.ModelChoiceField(label="Chỉ tiêu", queryset=None)
    quantity = forms.IntegerField(label="Số lượng", min_value=0)
    date = VNDateField(label="Ngày ghi nhận")
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from khuyencong.activities.figures import COMPUTED_CODES
        from khuyencong.catalog.models import OutputIndicator

        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = OutputIndicator.objects.all()
        self.fields["indicator"].label_from_instance = lambda i: (
            f"{i.name} (tính từ hồ sơ hoạt động khi đã ghi)" if i.code in COMPUTED_CODES else i.name
        )
        styled(self)


class PlanForm(forms.Form):
    unit = forms.ModelChoiceField(label="Tỉnh lập kế hoạch", queryset=AdminUnit.objects.none())
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    level = forms.ChoiceField(label="Cấp", choices=Level.choices)
    status = forms.ChoiceField(label="Trạng thái", choices=AnnualPlan.PlanStatus.choices)
    title = forms.CharField(label="Tên kế hoạch", required=False, max_length=300)
    registered_total = MoneyField(label="Kinh phí đăng ký (đồng)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        qs = AdminUnit.objects.filter(level=1).order_by("era", "name")
        if not scope.sees_all:
            qs = qs.filter(current_province_id=scope.province_id) if scope.province_id else qs.none()
        self.fields["unit"].queryset = qs
        styled(self)
