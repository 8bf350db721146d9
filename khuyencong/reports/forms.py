from django import forms

from khuyencong.core.fields import VNDateField, VNDateInput
from khuyencong.geo.forms import UnitChoiceField
from khuyencong.geo.models import AdminUnit

from .models import Report
from .periods import KIND_CHOICES, Period, PeriodError

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}
INPUT_DATE = {"class": "form-control vn-date"}


class ReportCreateForm(forms.Form):
    unit = UnitChoiceField(
        label="Đơn vị báo cáo", queryset=AdminUnit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(label="Loại kỳ", choices=KIND_CHOICES, widget=forms.Select(attrs=SELECT))
    year = forms.IntegerField(
        label="Năm", required=False, min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    number = forms.IntegerField(
        label="Quý (nếu là báo cáo quý)",
        required=False,
        min_value=1,
        max_value=4,
        widget=forms.NumberInput(attrs=INPUT),
    )
    start = VNDateField(label="Từ ngày (kỳ tùy chọn)", required=False, widget=VNDateInput(attrs=INPUT_DATE))
    end = VNDateField(label="Đến ngày (kỳ tùy chọn)", required=False, widget=VNDateInput(attrs=INPUT_DATE))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        try:
            data["period"] = Period.make(
                data.get("kind"), data.get("year"), data.get("number"), data.get("start"), data.get("end")
            )
        except PeriodError as exc:
            field = "number" if "Quý" in str(exc) else ("end" if "ngày" in str(exc).lower() else "year")
            self.add_error(field, str(exc))
        return data


class ReportEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Report
        fields = [
            "title",
            "number",
            "issuer_parent",
            "issuer",
            "place",
            "report_date",
            "signer_title",
            "signer_name",
            "results",
            "difficulties",
            "causes",
            "solutions",
            "next_plan",
            "recipients",
        ]
        field_classes = {"report_date": VNDateField}
        widgets = {
            "report_date": VNDateInput(attrs=INPUT_DATE),
            **{
                f: forms.Textarea(attrs={**INPUT, "rows": 5})
                for f in ["results", "difficulties", "causes", "solutions", "next_plan"]
            },
            "recipients": forms.Textarea(attrs={**INPUT, "rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            if name != "version":
                f.widget.attrs.setdefault("class", "form-control")


class TemplateUploadForm(forms.Form):
    name = forms.CharField(
        label="Tên mẫu", max_length=200, required=False, widget=forms.TextInput(attrs=INPUT)
    )
    file = forms.FileField(label="Tệp mẫu Word (.docx)", widget=forms.ClearableFileInput(attrs=INPUT))


class DeadlineForm(forms.Form):
    period_kind = forms.ChoiceField(label="Loại kỳ", choices=KIND_CHOICES, widget=forms.Select(attrs=SELECT))
    days_after_end = forms.IntegerField(
        label="Số ngày sau cuối kỳ", min_value=0, max_value=365, widget=forms.NumberInput(attrs=INPUT)
    )
    note = forms.CharField(
        label="Căn cứ, ghi chú", required=False, max_length=300, widget=forms.TextInput(attrs=INPUT)
    )


class ReportTransitionForm(forms.Form):
    """One step of the report's path: the version the page showed (a stale one is refused with 409), the
    business date of the sending or acceptance document (dd/mm/yyyy; default today) and the reason."""

    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    effective_date = VNDateField(label="Ngày", required=False, allow_future=False)
    reason = forms.CharField(label="Lý do", required=False)
