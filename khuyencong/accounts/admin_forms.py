"""Forms of the organisation and user pages (they only read input; services write)."""

from django import forms
from django.urls import reverse

from khuyencong.core.collation import vi_order
from khuyencong.core.permissions import is_admin
from khuyencong.geo.models import AdminUnit

from .models import Organisation, User

CSS = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


def unit_label(unit: AdminUnit) -> str:
    """ "Tỉnh Đắk Lắk (hiện nay)" / "Tỉnh Đắk Lắk (trước 1/7/2025)": the two trees' units told apart."""
    era = "hiện nay" if unit.era == AdminUnit.Era.CURRENT else "trước 1/7/2025"
    parent = f", {unit.parent.name}" if unit.level > 1 and unit.parent_id else ""
    return f"{unit.name}{parent} ({era})"


class UnitChoiceField(forms.ModelChoiceField):
    """A unit found by typing part of its name (diacritics ignored): the page fills the choices by htmx from
    /accounts/unit-options/; any valid unit id is accepted on submit."""

    def label_from_instance(self, obj):
        return unit_label(obj)


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại tổ chức", choices=Organisation.Kind.choices, widget=forms.Select(attrs=SELECT)
    )
    name = forms.CharField(label="Tên tổ chức", max_length=255, widget=forms.TextInput(attrs=CSS))
    short_name = forms.CharField(
        label="Tên viết tắt", max_length=80, required=False, widget=forms.TextInput(attrs=CSS)
    )
    unit_q = forms.CharField(
        label="Tìm đơn vị hành chính (gõ không dấu được)",
        required=False,
        widget=forms.TextInput(
            attrs={**CSS, "placeholder": "vd. vinh long, phuong 6", "autocomplete": "off"}
        ),
    )
    unit = UnitChoiceField(
        label="Đơn vị hành chính",
        required=False,
        queryset=AdminUnit.objects.all(),
        widget=forms.Select(attrs=SELECT),
    )
    parent = forms.ModelChoiceField(
        label="Sở Công Thương chủ quản (với Trung tâm)",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="— không có (chỉ Trung tâm Khuyến công cần) —",
        widget=forms.Select(attrs=SELECT),
    )
    establishment = forms.ModelChoiceField(
        label="Hồ sơ cơ sở (với tổ chức loại cơ sở)",
        required=False,
        queryset=None,
        empty_label="— không có (chỉ tổ chức loại cơ sở cần) —",
        widget=forms.Select(attrs=SELECT),
    )
    address = forms.CharField(
        label="Địa chỉ", max_length=255, required=False, widget=forms.TextInput(attrs=CSS)
    )
    phone = forms.CharField(
        label="Điện thoại", max_length=40, required=False, widget=forms.TextInput(attrs=CSS)
    )
    email = forms.EmailField(label="Thư điện tử", required=False, widget=forms.EmailInput(attrs=CSS))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from khuyencong.beneficiaries.selectors import establishment_list_for

        from .selectors import managed_organisations
        from .services import PROVINCE_KINDS, admin_province_id

        # No kind chosen in advance (the first, "Cục", would be a wrong default); a Sở's admin is offered only
        # the kinds it may create.
        in_province = is_admin(user) and admin_province_id(user) is not None
        self.fields["kind"].choices = [("", "— chọn loại tổ chức —")] + [
            (v, label) for v, label in Organisation.Kind.choices if not in_province or v in PROVINCE_KINDS
        ]
        self.fields["parent"].queryset = managed_organisations(user=user).filter(
            kind=Organisation.Kind.DEPARTMENT
        )
        self.fields["establishment"].queryset = establishment_list_for(user=user).order_by(vi_order("name"))
        bound_unit = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        unit_pk = getattr(bound_unit, "pk", bound_unit)
        self.fields["unit"].widget.choices = [("", "— gõ tên ở ô trên để tìm —")] + [
            (u.pk, unit_label(u)) for u in AdminUnit.objects.filter(pk=unit_pk or 0).select_related("parent")
        ]
        # With JavaScript the unit box becomes one searchable picker (static/js/forms.js) and the separate
        # search box above it is hidden; without it, the search box fills the list (htmx) as before.
        self.fields["unit"].widget.attrs.update(
            {
                "data-picker": "",
                "data-picker-url": reverse("unit_search"),
                "data-picker-min": "2",
                "data-picker-hides": "id_unit_q",
                "data-picker-placeholder": "Gõ tên đơn vị, không cần dấu (vd. phuong 6)",
            }
        )
        self.fields["establishment"].widget.attrs.update(
            {
                "data-picker": "",
                "data-picker-url": reverse("beneficiaries:search"),
                "data-picker-placeholder": "Gõ tên hoặc mã số thuế",
            }
        )


class UserForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=150, widget=forms.TextInput(attrs=CSS))
    username = forms.CharField(label="Tên đăng nhập", max_length=150, widget=forms.TextInput(attrs=CSS))
    email = forms.EmailField(label="Thư điện tử", required=False, widget=forms.EmailInput(attrs=CSS))
    phone = forms.CharField(
        label="Điện thoại", max_length=40, required=False, widget=forms.TextInput(attrs=CSS)
    )
    job_title = forms.CharField(
        label="Chức vụ", max_length=120, required=False, widget=forms.TextInput(attrs=CSS)
    )
    organisation = forms.ModelChoiceField(
        label="Tổ chức",
        queryset=Organisation.objects.none(),
        empty_label="— chọn tổ chức —",
        widget=forms.Select(attrs=SELECT),
    )
    role = forms.ChoiceField(
        label="Vai trò",
        choices=User.Role.choices,
        initial=User.Role.OFFICER,
        widget=forms.Select(attrs=SELECT),
    )
    password = forms.CharField(
        label="Mật khẩu ban đầu (để trống: tạo đường dẫn đặt mật khẩu)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={**CSS, "autocomplete": "new-password"}),
        help_text="Người dùng phải đổi mật khẩu này ở lần đăng nhập đầu tiên.",
    )

    def __init__(self, *args, user, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import managed_organisations

        self.fields["organisation"].queryset = managed_organisations(user=user).order_by(vi_order("name"))
        if editing is not None:
            del self.fields["password"]
            self.fields["username"].disabled = True
            self.fields["is_active"] = forms.BooleanField(
                label="Đang hoạt động (bỏ chọn để khóa tài khoản)",
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
