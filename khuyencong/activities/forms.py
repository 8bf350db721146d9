"""Forms of the activity pages. They only read input; every write goes through services."""

from django import forms
from django.db.models import Q
from django.urls import reverse

from khuyencong.beneficiaries.models import Establishment
from khuyencong.catalog.models import ActivityContent
from khuyencong.core.fields import MoneyField, VNDateField
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.forms import establishments_for, styled

from .models import ActivityKind, ActivityStatus, InfoPiece, KindGroup


def _content_choices():
    seen, choices = set(), [("", "Tất cả")]
    for code, name in ActivityContent.objects.order_by("order", "code").values_list("code", "short_name"):
        if code not in seen:
            seen.add(code)
            choices.append((code, f"{code}. {name}"))
    return choices


def units_for(user):
    """The units an activity may belong to: the provinces (both eras) and, for a commune office, its units."""
    from khuyencong.core.scoping import scope_for

    scope = scope_for(user)
    qs = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE)
    if scope.kind == "all":
        return qs.order_by("era", "name")
    if scope.kind == "province":
        return AdminUnit.objects.filter(
            Q(level=AdminUnit.Level.PROVINCE, current_province_id=scope.province_id) | Q(pk=scope.province_id)
        ).order_by("era", "name")
    if scope.kind == "units":
        return AdminUnit.objects.filter(pk__in=scope.unit_ids).order_by("level", "name")
    return AdminUnit.objects.none()


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False)
    kind = forms.ChoiceField(label="Loại hoạt động", required=False)
    year = forms.IntegerField(label="Năm", required=False, min_value=2000, max_value=2100)
    province = forms.ModelChoiceField(
        label="Tỉnh (hiện nay)",
        required=False,
        queryset=AdminUnit.objects.filter(era="current", level=1).order_by("name"),
    )
    content = forms.ChoiceField(label="Nội dung", required=False)
    project = forms.IntegerField(label="Đề án (mã số)", required=False, min_value=1, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *ActivityStatus.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tất cả")] + [
            (k.code, k.name) for k in ActivityKind.objects.order_by("order", "name")
        ]
        self.fields["content"].choices = _content_choices()
        self.fields["province"].empty_label = "Tất cả"
        styled(self)


class ActivityForm(forms.Form):
    kind = forms.ModelChoiceField(label="Loại hoạt động", queryset=ActivityKind.objects.none())
    title = forms.CharField(label="Tên hoạt động", max_length=400)
    start_date = VNDateField(label="Từ ngày")
    end_date = VNDateField(label="Đến ngày", required=False, help_text="Để trống nếu diễn ra trong một ngày.")
    unit = forms.ModelChoiceField(label="Địa phương thực hiện", queryset=AdminUnit.objects.none())
    place = forms.ModelChoiceField(
        label="Nơi tổ chức (tỉnh)",
        required=False,
        queryset=AdminUnit.objects.filter(level=1).order_by("era", "name"),
        help_text="Tỉnh nơi diễn ra, vd. hội chợ tại tỉnh khác.",
    )
    venue = forms.CharField(label="Địa điểm", max_length=300, required=False)
    organiser_name = forms.CharField(
        label="Đơn vị tổ chức", max_length=300, required=False, help_text="Để trống: đơn vị của bạn."
    )
    funding_project = forms.ModelChoiceField(
        label="Đề án kinh phí",
        required=False,
        queryset=None,
        help_text="Để trống nếu là nhiệm vụ thường xuyên. Số lượt cơ sở, học viên, lớp, tin bài của đề án "
        "được "
        "tính từ các hoạt động này, không nhập tay.",
    )
    content = forms.ModelChoiceField(
        label="Nội dung khuyến công",
        required=False,
        queryset=ActivityContent.objects.order_by("order", "code"),
        help_text="Để trống: theo loại hoạt động.",
    )
    description = forms.CharField(
        label="Nội dung, chương trình", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    trainees_total = forms.IntegerField(label="Số học viên, đại biểu", required=False, min_value=0)
    trainees_female = forms.IntegerField(label="Trong đó nữ", required=False, min_value=0)
    trainees_ethnic = forms.IntegerField(label="Trong đó dân tộc thiểu số", required=False, min_value=0)
    certificates = forms.IntegerField(label="Số chứng chỉ cấp", required=False, min_value=0)
    employed_count = forms.IntegerField(label="Có việc làm sau đào tạo", required=False, min_value=0)
    employed_on = VNDateField(label="Ngày theo dõi việc làm", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        from khuyencong.projects.selectors import project_list_for

        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.filter(is_active=True).order_by("order", "name")
        self.fields["unit"].queryset = units_for(user)
        self.fields["unit"].label_from_instance = lambda u: u.label_with_era
        self.fields["place"].label_from_instance = lambda u: u.label_with_era
        self.fields["funding_project"].queryset = project_list_for(user=user).order_by("-plan__year", "code")
        self.fields["funding_project"].label_from_instance = lambda p: f"{p.code} — {p.title}"
        self.fields["content"].label_from_instance = lambda c: f"{c.code}. {c.short_name or c.name}"
        for name, label in (
            ("kind", "— Chọn loại hoạt động —"),
            ("unit", "— Chọn địa phương —"),
            ("place", "— Không chọn —"),
            ("funding_project", "— Nhiệm vụ thường xuyên (không thuộc đề án) —"),
            ("content", "— Theo loại hoạt động —"),
        ):
            self.fields[name].empty_label = label
        styled(self)
        for name in ("start_date", "end_date", "employed_on"):
            self.fields[name].widget.attrs["class"] += " vn-date"


class ParticipationForm(forms.Form):
    establishment = forms.ModelChoiceField(
        label="Cơ sở", queryset=Establishment.objects.none(), help_text="Gõ tên hoặc mã số thuế để tìm."
    )
    booths = forms.IntegerField(label="Số gian hàng", required=False, min_value=0, max_value=1000)
    products = forms.CharField(label="Sản phẩm trưng bày", required=False, max_length=1000)
    support_national = MoneyField(label="Hỗ trợ KCQG (đồng)", required=False)
    support_local = MoneyField(label="Hỗ trợ KCĐP (đồng)", required=False)
    contracts = forms.IntegerField(label="Số hợp đồng ký kết", required=False, min_value=0)
    contract_value = MoneyField(label="Giá trị hợp đồng (đồng)", required=False)
    sales = MoneyField(label="Doanh số bán (đồng)", required=False)

    def __init__(self, *args, user, **kwargs):
        from khuyencong.beneficiaries.selectors import establishment_label

        super().__init__(*args, **kwargs)
        field = self.fields["establishment"]
        field.queryset = establishments_for(user)
        field.label_from_instance = establishment_label
        chosen = self.data.get("establishment") if self.is_bound else None
        field.widget.choices = [("", "— Gõ để tìm cơ sở —")] + (
            [(e.pk, establishment_label(e)) for e in field.queryset.filter(pk=chosen)]
            if chosen and str(chosen).isdigit()
            else []
        )
        field.widget.attrs.update(
            {
                "data-picker": "",
                "data-picker-url": reverse("beneficiaries:search"),
                "data-picker-placeholder": "Gõ tên hoặc mã số thuế",
            }
        )
        styled(self)

    def support(self) -> dict:
        return {
            code: self.cleaned_data.get(f"support_{code}")
            for code in ("national", "local")
            if self.cleaned_data.get(f"support_{code}")
        }


class PieceForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=InfoPiece.Kind.choices)
    title = forms.CharField(label="Tiêu đề", max_length=400)
    medium = forms.CharField(label="Báo, đài", max_length=200)
    published_on = VNDateField(label="Ngày đăng, phát sóng")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["published_on"].widget.attrs["class"] += " vn-date"


class AttendeeForm(forms.Form):
    organisation = forms.CharField(label="Cơ quan, đơn vị", max_length=300)
    count = forms.IntegerField(label="Số người", min_value=1, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class AssessmentForm(forms.Form):
    establishment = forms.ModelChoiceField(label="Cơ sở", queryset=Establishment.objects.none())
    assessed_on = VNDateField(label="Ngày báo cáo kiểm toán, đánh giá")
    baseline_kwh = forms.CharField(label="Tiêu thụ trước (kWh/năm)", required=False)
    baseline_toe = forms.CharField(label="hoặc (TOE/năm)", required=False)
    measures_proposed = forms.CharField(
        label="Giải pháp đề xuất", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measures_adopted = forms.CharField(
        label="Giải pháp áp dụng", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_kwh = forms.CharField(label="Tiết kiệm dự kiến (kWh/năm)", required=False)
    expected_money = MoneyField(label="Tiết kiệm dự kiến (đồng/năm)", required=False)
    investment = MoneyField(label="Vốn đầu tư giải pháp (đồng)", required=False)

    def __init__(self, *args, user, **kwargs):
        from khuyencong.beneficiaries.selectors import establishment_label

        super().__init__(*args, **kwargs)
        field = self.fields["establishment"]
        field.queryset = establishments_for(user)
        field.label_from_instance = establishment_label
        chosen = self.data.get("establishment") if self.is_bound else None
        field.widget.choices = [("", "— Gõ để tìm cơ sở —")] + (
            [(e.pk, establishment_label(e)) for e in field.queryset.filter(pk=chosen)]
            if chosen and str(chosen).isdigit()
            else []
        )
        field.widget.attrs.update(
            {
                "data-picker": "",
                "data-picker-url": reverse("beneficiaries:search"),
                "data-picker-placeholder": "Gõ tên hoặc mã số thuế",
            }
        )
        styled(self)
        self.fields["assessed_on"].widget.attrs["class"] += " vn-date"


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")


GROUP_LABELS = dict(KindGroup.choices)
