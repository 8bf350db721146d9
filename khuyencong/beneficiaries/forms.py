"""Forms of the establishment pages. They only check shapes; the rules (tax code, duplicates, scope) live in
services, whose DomainError is put back on the field it concerns."""

from django import forms
from django.urls import reverse

from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.core import dataversion
from khuyencong.core.collation import vi_order
from khuyencong.core.fields import VNDateField, VNDateInput
from khuyencong.core.listing import int_param
from khuyencong.core.scoping import scope_for
from khuyencong.geo.forms import UnitChoiceField
from khuyencong.geo.models import AdminUnit

from . import selectors
from .models import Establishment
from .validators import tax_code_problem


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return selectors.commune_label(obj)


def _select(field):
    field.widget.attrs.setdefault("class", "form-select form-select-sm")
    return field


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm (tên, MST, người đại diện, địa chỉ)", required=False)
    province = UnitChoiceField(
        label="Tỉnh (hiện nay)", required=False, queryset=AdminUnit.objects.none(), empty_label="Tất cả"
    )
    commune = CommuneChoiceField(
        label="Xã, phường", required=False, queryset=AdminUnit.objects.none(), empty_label="Tất cả"
    )
    sector = forms.ModelChoiceField(
        label="Ngành nghề", required=False, queryset=Sector.objects.all(), empty_label="Tất cả"
    )
    type = forms.ModelChoiceField(
        label="Loại hình",
        required=False,
        queryset=EstablishmentType.objects.all(),
        to_field_name="code",
        empty_label="Tất cả",
    )
    priority = forms.ChoiceField(
        label="Nhóm ưu tiên", required=False, choices=[("", "Tất cả")] + selectors.PRIORITY_CHOICES
    )

    def __init__(self, *args, base_qs=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"class": "form-control form-control-sm", "placeholder": "vd: minh tam"}
        )
        for name in ("province", "commune", "sector", "type", "priority"):
            _select(self.fields[name])
        if base_qs is not None:
            # Provinces: today's provinces the reader may see. Communes (both trees): only those of one
            # province
            # (the chosen one, or the reader's own) that hold establishments the reader may see — a national
            # list of every commune would be ~10.000 options on every page view.
            scope = scope_for(user)
            provinces = AdminUnit.objects.filter(era=AdminUnit.Era.CURRENT, level=AdminUnit.Level.PROVINCE)
            if scope.province_id:
                provinces = provinces.filter(pk=scope.province_id)
            elif not scope.sees_all:
                provinces = provinces.filter(pk__in=base_qs.values("province_id"))
            self.fields["province"].queryset = provinces.order_by(vi_order("name"))
            province_id = self._chosen_province(scope)
            if province_id:
                field = self.fields["commune"]
                field.queryset = (
                    AdminUnit.objects.filter(
                        pk__in=base_qs.filter(province_id=province_id).values("commune_id")
                    )
                    .select_related("parent", "parent__parent")
                    .order_by("era", vi_order("name"))
                )
                # The options (hundreds of communes of both trees, each labelled with its district and
                # province: 25 ms a page for a provincial officer) are kept until an establishment or an
                # administrative unit changes (core.dataversion); the queryset still validates a choice.
                options = dataversion.remember(
                    dataversion.FIGURES,
                    ("commune-options", dataversion.query_key(field.queryset)),
                    lambda: [(u.pk, field.label_from_instance(u)) for u in field.queryset],
                )
                field.widget.choices = [("", field.empty_label), *options]
            else:
                self.fields["commune"].empty_label = "Chọn tỉnh trước để lọc theo xã"

    def _chosen_province(self, scope) -> int | None:
        """The province whose communes the commune filter lists: the one chosen, else the reader's own, else
        the
        province of a commune given in the query."""
        data = self.data or {}
        province = int_param(data.get("province")) or scope.province_id
        if province:
            return province
        commune = int_param(data.get("commune"))
        if commune:
            return AdminUnit.objects.filter(pk=commune).values_list("current_province_id", flat=True).first()
        return None


class EstablishmentForm(forms.ModelForm):
    province = UnitChoiceField(
        label="Tỉnh (hiện nay)",
        required=False,
        queryset=AdminUnit.objects.filter(era="current", level=1),
        help_text="Chọn tỉnh để nạp danh sách xã, phường (gồm cả đơn vị trước 7/2025).",
    )
    commune = CommuneChoiceField(label="Xã, phường", queryset=AdminUnit.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Establishment
        fields = [
            "name",
            "establishment_type",
            "tax_code",
            "business_reg_no",
            "business_reg_date",
            "representative_name",
            "representative_gender",
            "woman_owned",
            "ethnic_minority_owned",
            "street",
            "commune",
            "sector",
            "main_products",
            "employees",
            "founded_year",
            "phone",
            "email",
            "craft_village",
            "notes",
        ]
        field_classes = {"business_reg_date": VNDateField}
        widgets = {
            "business_reg_date": VNDateInput(attrs={"class": "form-control vn-date"}),
            "main_products": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"tax_code": "10 chữ số, hoặc 10 chữ số - 3 chữ số của chi nhánh. Có thể để trống."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        provinces = AdminUnit.objects.filter(era="current", level=1).order_by(vi_order("name"))
        if not scope.sees_all and scope.province_id:
            provinces = provinces.filter(pk=scope.province_id)
        elif scope.kind == "establishment" and self.instance.pk:
            provinces = provinces.filter(pk=self.instance.province_id)
        self.fields["province"].queryset = provinces
        province_id = None
        if self.data.get("province"):
            province_id = self.data.get("province")
        elif self.instance.pk:
            province_id = self.instance.province_id
        elif provinces.count() == 1:
            province_id = provinces.first().pk
        if province_id:
            self.initial.setdefault("province", province_id)
        if province_id and str(province_id).isdigit() and provinces.filter(pk=province_id).exists():
            self.fields["commune"].queryset = selectors.communes_of_province(int(province_id))
        if scope.kind == "units":
            self.fields["commune"].queryset = self.fields["commune"].queryset.filter(pk__in=scope.unit_ids)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        for name in ("establishment_type", "sector", "commune", "province"):
            self.fields[name].empty_label = "— Chọn —"
        self.fields["representative_gender"].choices = [("", "— Chọn —"), *Establishment.Gender.choices]
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("beneficiaries:communes"),
                "hx-target": "#id_commune",
                "hx-trigger": "change",
            }
        )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def clean_tax_code(self):
        value = self.cleaned_data.get("tax_code")
        problem = tax_code_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value or None

    def _post_clean(self):
        """Model rules (tax code uniqueness with a message naming the record, scope) are checked by the
        services; the instance is not touched here."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(label="Hồ sơ bị gộp (sẽ bị xóa)", queryset=Establishment.objects.none())
    reason = forms.CharField(label="Lý do", required=False, max_length=300)
    confirm = forms.BooleanField(label="Tôi đã kiểm tra: hai hồ sơ là cùng một cơ sở", required=True)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["other"].queryset = candidates
        self.fields["other"].widget.attrs["class"] = "form-select"
        self.fields["reason"].widget.attrs["class"] = "form-control"
        self.fields["confirm"].widget.attrs["class"] = "form-check-input"


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx) theo mẫu")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
            raise forms.ValidationError("Hãy chọn tệp Excel (.xlsx).")
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Tệp quá lớn (tối đa 20 MB).")
        return f
