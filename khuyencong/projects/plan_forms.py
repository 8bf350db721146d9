"""Forms of the plan pages (plan, batches, the plan's steps). They only read input; every write goes through
services. Amounts are typed with their unit (core.fields.MoneyField), dates as dd/mm/yyyy (VNDateField)."""

from django import forms

from khuyencong.core.collation import vi_order
from khuyencong.core.fields import MoneyField, VNDateField
from khuyencong.core.scoping import scope_for
from khuyencong.geo.forms import UnitChoiceField
from khuyencong.geo.models import AdminUnit, valid_in_year_q

from . import plan_workflow
from .models import AnnualPlan, Batch, Level


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control form-control-sm")
    return form


def plan_units_for(user, year: int | None):
    """Provinces the user may file a plan on; with a year, only those in force in that year (1/1 or 31/12)."""
    scope = scope_for(user)
    qs = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).order_by(
        "era", vi_order("name")
    )  # current first
    if not scope.sees_all:
        qs = qs.filter(current_province_id=scope.province_id) if scope.province_id else qs.none()
    if year:
        qs = qs.filter(valid_in_year_q(year))
    return qs


def _year(value) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


class PlanForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    unit = UnitChoiceField(
        label="Tỉnh lập kế hoạch",
        queryset=AdminUnit.objects.none(),
        help_text="Chỉ có các tỉnh có hiệu lực trong năm kế hoạch.",
    )
    level = forms.ChoiceField(label="Cấp", choices=Level.choices)
    title = forms.CharField(label="Tên kế hoạch", required=False, max_length=300)
    registered_total = MoneyField(label="Kinh phí đăng ký", required=False)
    effective_date = VNDateField(
        label="Ngày đăng ký kế hoạch",
        required=False,
        allow_future=False,
        help_text="Ngày của văn bản đăng ký; để trống là hôm nay.",
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, editing: bool = False, registered: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        year = _year(source.get("year"))
        self.fields["unit"].queryset = plan_units_for(user, year)
        if scope_for(user).sees_all:
            self.fields["unit"].required = False
            self.fields["unit"].empty_label = "— Cục: kế hoạch quốc gia do Cục trực tiếp thực hiện —"
            # The Cục picks among ~100 provinces of both trees: searchable (static/js/forms.js).
            self.fields["unit"].widget.attrs.update(
                {
                    "data-picker": "",
                    "data-picker-empty": "",
                    "data-picker-placeholder": "Gõ tên tỉnh (không cần dấu)",
                }
            )
        # Changing the year reloads the unit list (htmx), so only units of that year are offered.
        self.fields["year"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-trigger": "change",
                "hx-target": "#id_unit",
                "hx-select": "#id_unit",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )
        if editing and not registered:
            del self.fields["effective_date"]
        _style(self)


class BatchForm(forms.Form):
    number = forms.IntegerField(
        label="Đợt số", min_value=1, required=False, help_text="Để trống: đợt tiếp theo."
    )
    decision_no = forms.CharField(label="Số quyết định giao", max_length=80, required=False)
    decision_date = VNDateField(label="Ngày quyết định", required=False, allow_future=False)
    issuer = forms.CharField(label="Cơ quan giao", max_length=200, required=False)
    is_supplementary = forms.BooleanField(
        label="Đăng ký bổ sung (chưa có quyết định thì chưa tính là được giao)", required=False
    )
    carried_over_from = forms.ModelChoiceField(
        label="Chuyển tiếp từ đợt", required=False, queryset=Batch.objects.none()
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan: AnnualPlan, **kwargs):
        from khuyencong.catalog.models import FundingSource

        from .services import plan_source_codes

        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["carried_over_from"].queryset = (
            Batch.objects.filter(
                plan__province_id=plan.province_id, plan__level=plan.level, plan__year__lt=plan.year
            )
            .select_related("plan")
            .order_by("-plan__year", "number")
        )
        self.fields["carried_over_from"].label_from_instance = lambda b: f"{b} — {b.plan}"
        self.codes = plan_source_codes(plan, counterpart=False)
        names = dict(FundingSource.objects.filter(code__in=self.codes).values_list("code", "name"))
        for code in self.codes:
            self.fields[f"amount_{code}"] = MoneyField(
                label=f"Kinh phí giao — {names.get(code, code)}", required=False
            )
        _style(self)

    def amounts(self) -> dict:
        return {
            c: self.cleaned_data.get(f"amount_{c}")
            for c in self.codes
            if self.cleaned_data.get(f"amount_{c}") is not None
        }

    def service_values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and not k.startswith("amount_")}
        data["amounts"] = self.amounts()
        for key in ("decision_no", "issuer", "note"):
            data[key] = data.get(key) or ""
        return data


class PlanTransitionForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision_no = forms.CharField(label="Số quyết định, văn bản", max_length=80)
    decision_date = VNDateField(label="Ngày quyết định, văn bản", allow_future=False)
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200, required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: AnnualPlan, target: str, **kwargs):
        super().__init__(*args, **kwargs)
        rule = plan_workflow.PLAN_TRANSITIONS[(plan.status, target)]
        self.target, self.label = target, rule["label"]
        self.fields["to_status"].initial = target
        self.fields["version"].initial = plan.version
        _style(self)


class AsOfForm(forms.Form):
    as_of = VNDateField(label="Tình trạng tại ngày", required=False)
