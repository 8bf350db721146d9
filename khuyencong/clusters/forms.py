"""Forms of the cluster pages: shapes only; rules live in services (their DomainError goes back on the
field it names)."""

from django import forms
from django.urls import reverse

from khuyencong.beneficiaries.forms import CommuneChoiceField
from khuyencong.beneficiaries.selectors import communes_of_province, establishment_list_for
from khuyencong.core.collation import vi_order
from khuyencong.core.fields import VNDateField, VNDateInput, VNDecimalField
from khuyencong.core.scoping import scope_for
from khuyencong.geo.forms import UnitChoiceField
from khuyencong.geo.models import AdminUnit

from .models import WORKS, IndustrialCluster

DATE_FIELDS = ["decision_date", *[f"{k}_date" for k, _ in WORKS]]


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class ClusterForm(forms.ModelForm):
    province = UnitChoiceField(
        label="Tỉnh (hiện nay)",
        required=False,
        queryset=AdminUnit.objects.filter(era="current", level=1),
        help_text="Chọn tỉnh để nạp danh sách xã, phường (gồm cả đơn vị trước 7/2025).",
    )
    commune = CommuneChoiceField(
        label="Xã, phường (theo quyết định thành lập)", queryset=AdminUnit.objects.none()
    )
    current_commune = CommuneChoiceField(
        label="Xã, phường (hiện nay)", required=False, queryset=AdminUnit.objects.none()
    )
    planned_area_ha = VNDecimalField(label="Diện tích quy hoạch (ha)", help_text="Ví dụ 12,5")
    occupied_area_ha = VNDecimalField(label="Diện tích đã cho thuê (ha)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IndustrialCluster
        fields = [
            "name",
            "commune",
            "current_commune",
            "planned_area_ha",
            "occupied_area_ha",
            "decision_no",
            "decision_date",
            "investor",
            "planning_status",
            "planning_date",
            "infrastructure_status",
            "infrastructure_date",
            "wastewater_status",
            "wastewater_date",
            "note",
        ]
        field_classes = dict.fromkeys(DATE_FIELDS, VNDateField)
        widgets = {
            **{f: VNDateInput(attrs={"class": "form-control vn-date"}) for f in DATE_FIELDS},
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        provinces = AdminUnit.objects.filter(era="current", level=1).order_by(vi_order("name"))
        if not scope.sees_all:
            provinces = provinces.filter(pk=scope.province_id)
        self.fields["province"].queryset = provinces
        province_id = self.data.get("province") or (self.instance.province_id if self.instance.pk else None)
        if not province_id and provinces.count() == 1:
            province_id = provinces.first().pk
        if province_id and str(province_id).isdigit() and provinces.filter(pk=province_id).exists():
            self.initial.setdefault("province", int(province_id))
            communes = communes_of_province(int(province_id))
            self.fields["commune"].queryset = communes
            self.fields["current_commune"].queryset = communes.filter(era="current")
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        self.fields["province"].widget.attrs.update(
            {"hx-get": reverse("beneficiaries:communes"), "hx-target": "#id_commune", "hx-trigger": "change"}
        )
        for name in ("commune", "current_commune", "province"):
            self.fields[name].empty_label = "— Chọn —"
        _style(self)

    def _post_clean(self):
        """Rules are checked by the services; the instance is not touched here."""

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self._meta.fields}
        data["occupied_area_ha"] = data.get("occupied_area_ha") or 0
        return data


class MemberForm(forms.Form):
    establishment = forms.ModelChoiceField(label="Cơ sở", queryset=AdminUnit.objects.none())
    since = VNDateField(
        label="Vào cụm từ ngày", required=False, widget=VNDateInput(attrs={"class": "form-control vn-date"})
    )
    relocated = forms.BooleanField(label="Di dời vào cụm (cơ sở gây ô nhiễm)", required=False)
    relocated_from = forms.CharField(label="Di dời từ (địa điểm cũ)", required=False, max_length=255)
    relocation_date = VNDateField(
        label="Ngày di dời", required=False, widget=VNDateInput(attrs={"class": "form-control vn-date"})
    )
    area_ha = VNDecimalField(label="Diện tích thuê (ha)", required=False)
    note = forms.CharField(label="Ghi chú", required=False, max_length=300)

    def __init__(self, *args, user=None, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = establishment_list_for(user=user)
        if cluster is not None:
            qs = qs.filter(province_id=cluster.province_id)
        self.fields["establishment"].queryset = qs.order_by("name")
        _style(self)


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")
