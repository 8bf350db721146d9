"""Forms of the voting pages; every write goes through services (the forms only read input)."""

from django import forms

from khuyencong.core.fields import VNDateField
from khuyencong.core.scoping import scope_for
from khuyencong.geo.models import AdminUnit, Region

from .models import AwardLevel, DossierFile, Juror, ProductGroup


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label_with_era


class RoundForm(forms.Form):
    title = forms.CharField(label="Tên đợt bình chọn", max_length=300)
    level = forms.ChoiceField(label="Cấp bình chọn", choices=AwardLevel.choices)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    unit = UnitChoice(label="Địa bàn tổ chức", queryset=AdminUnit.objects.none(), required=False)
    region = forms.ModelChoiceField(label="Khu vực", queryset=Region.objects.all(), required=False)
    registration_start = VNDateField(label="Nhận hồ sơ từ ngày")
    registration_end = VNDateField(label="Nhận hồ sơ đến ngày")
    scoring_start = VNDateField(label="Chấm điểm từ ngày")
    scoring_end = VNDateField(label="Chấm điểm đến ngày")
    pass_mark = forms.DecimalField(label="Điểm đạt", initial=70, min_value=0, max_value=100, decimal_places=1)
    quota = forms.IntegerField(label="Số sản phẩm được công nhận tối đa", min_value=1, max_value=10000)
    validity_years = forms.IntegerField(
        label="Thời hạn giấy chứng nhận (năm)", initial=3, min_value=1, max_value=20
    )
    publish_scores = forms.BooleanField(
        label="Công bố điểm bình quân trên danh mục công khai",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        units = AdminUnit.objects.filter(level__in=[1, 2, 3]).order_by("era", "level", "name")
        if scope.kind == "province":
            units = units.filter(current_province_id=scope.province_id, level__in=[1, 2])
        elif scope.kind == "units":
            units = units.filter(pk__in=scope.unit_ids)
        else:
            units = units.filter(level=1)
        self.fields["unit"].queryset = units
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class JurorForm(forms.Form):
    user = forms.ModelChoiceField(label="Thành viên", queryset=None)
    role = forms.ChoiceField(label="Vai trò", choices=Juror.Role.choices)
    affiliation = forms.CharField(label="Đơn vị công tác", required=False, max_length=200)

    def __init__(self, *args, organiser=None, **kwargs):
        from khuyencong.accounts.models import User

        super().__init__(*args, **kwargs)
        qs = User.objects.filter(is_active=True).exclude(organisation__kind="establishment")
        if organiser is not None and organiser.kind != "ministry":
            qs = qs.filter(organisation__unit__current_province=organiser.unit.current_province_id)
        self.fields["user"].queryset = qs.order_by("last_name", "first_name")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"


class EntryForm(forms.Form):
    product = forms.ModelChoiceField(label="Sản phẩm đã có", queryset=None, required=False)
    establishment = forms.ModelChoiceField(label="Cơ sở", queryset=None, required=False)
    name = forms.CharField(label="Tên sản phẩm mới", max_length=300, required=False)
    group = forms.ChoiceField(
        label="Nhóm sản phẩm", choices=[("", "—"), *ProductGroup.choices], required=False
    )
    description = forms.CharField(
        label="Mô tả sản phẩm", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    made_by_establishment = forms.BooleanField(
        label="Cơ sở tự sản xuất sản phẩm", required=False, initial=True
    )
    series_production = forms.BooleanField(
        label="Sản xuất hàng loạt (không phải sản phẩm đơn chiếc)", required=False, initial=True
    )
    registered_on = VNDateField(label="Ngày đăng ký", required=False, allow_future=False)
    registration_details = forms.CharField(
        label="Thông tin đăng ký (năng lực sản xuất, thị trường…)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, products=None, establishments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["establishment"].queryset = establishments

    def clean(self):
        data = super().clean()
        if not data.get("product") and not (
            data.get("establishment") and data.get("name") and data.get("group")
        ):
            raise forms.ValidationError("Chọn sản phẩm đã có, hoặc nhập cơ sở, tên và nhóm của sản phẩm mới.")
        return data


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Loại tài liệu", choices=DossierFile.Kind.choices)
    file = forms.FileField(label="Tệp (JPG, PNG, PDF; tối đa 10 MB)")
