"""Forms of the portal; they only read input, every write goes through services."""

import datetime as dt

from django import forms
from django.utils import timezone

from khuyencong.catalog.models import ActivityContent, SupportCap
from khuyencong.core.fields import MoneyField, VNDateField

from .models import Attachment
from .services import PROFILE_FIELDS


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        elif not isinstance(field.widget, forms.CheckboxInput | forms.FileInput):
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class ContentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}. {obj.short_name or obj.name}"


class CapChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.rule_text


class ApplicationForm(forms.Form):
    year = forms.IntegerField(label="Năm kế hoạch", min_value=2000, max_value=2100)
    level = forms.ChoiceField(
        label="Nguồn đề nghị hỗ trợ",
        choices=[("local", "Khuyến công địa phương"), ("national", "Khuyến công quốc gia")],
    )
    content = ContentChoice(label="Nội dung hoạt động", queryset=ActivityContent.objects.none())
    support_cap = CapChoice(
        label="Nội dung chi (mức hỗ trợ tối đa)", queryset=SupportCap.objects.none(), required=False
    )
    title = forms.CharField(label="Tên đề án đề nghị", max_length=500)
    description = forms.CharField(
        label="Nội dung, mục tiêu", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    items = forms.CharField(
        label="Máy móc, thiết bị cần mua / việc cần làm",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requested = MoneyField(label="Kinh phí đề nghị hỗ trợ")
    counterpart = MoneyField(label="Vốn đối ứng của cơ sở", required=False)
    start_date = VNDateField(label="Dự kiến bắt đầu", required=False)
    end_date = VNDateField(label="Dự kiến kết thúc", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year + 1
        self.fields["content"].queryset = ActivityContent.objects.valid_on(today).order_by("order", "code")
        self.fields["support_cap"].queryset = (
            SupportCap.objects.valid_on(today).select_related("legal_basis").order_by("code")
        )
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        d["counterpart"] = d.get("counterpart") or 0
        return d


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="Loại tài liệu", choices=Attachment.Kind.choices)
    file = forms.FileField(label="Tệp (PDF, JPG, PNG; tối đa 10 MB)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["file"].widget.attrs["class"] = "form-control form-control-sm"


class ReviewForm(forms.Form):
    to_status = forms.ChoiceField(
        label="Xử lý",
        choices=[
            ("accepted", "Tiếp nhận thành đề án đăng ký"),
            ("returned", "Trả lại để bổ sung"),
            ("rejected", "Không chấp nhận"),
        ],
    )
    note = forms.CharField(label="Ý kiến / lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ProfileForm(forms.Form):
    name = forms.CharField(label="Tên cơ sở", max_length=255)
    business_reg_no = forms.CharField(label="Số đăng ký kinh doanh", max_length=40, required=False)
    representative_name = forms.CharField(label="Người đại diện", max_length=120, required=False)
    street = forms.CharField(label="Địa chỉ (số nhà, đường, ấp/thôn)", max_length=255, required=False)
    main_products = forms.CharField(
        label="Sản phẩm chính", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    employees = forms.IntegerField(label="Số lao động", min_value=0, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=40, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    craft_village = forms.CharField(label="Làng nghề", max_length=200, required=False)

    def __init__(self, *args, establishment=None, **kwargs):
        if establishment is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(establishment, f) for f in PROFILE_FIELDS}
        super().__init__(*args, **kwargs)
        _style(self)


def parse_year(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return dt.date.today().year + 1
