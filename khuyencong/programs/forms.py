"""Forms of the programme pages; Vietnamese labels; the services do the real validation (their DomainError is
shown next to the field it names)."""

from django import forms

from khuyencong.catalog.models import OutputIndicator
from khuyencong.core.collation import vi_order
from khuyencong.core.fields import MoneyField, VNDateField
from khuyencong.core.scoping import scope_for
from khuyencong.geo.forms import label_with_era
from khuyencong.geo.models import AdminUnit

from . import workflow
from .models import Program, StatedFigure, Status
from .selectors import budget_matrix, program_contents, source_label

BS = {"class": "form-control form-control-sm"}
SEL = {"class": "form-select form-select-sm"}


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm (không dấu cũng được)", required=False, widget=forms.TextInput(attrs=BS))
    status = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[("", "Tất cả"), *Status.choices],
        widget=forms.Select(attrs=SEL),
    )
    year = forms.IntegerField(
        label="Có hiệu lực năm",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=BS),
    )


def owner_units_for(user):
    """Provinces (old and current) the user may file a programme for."""
    scope = scope_for(user)
    qs = AdminUnit.objects.filter(level=1)
    if not scope.sees_all:
        qs = qs.filter(current_province_id=scope.province_id) if scope.province_id else qs.none()
    return qs.order_by("era", vi_order("name"))


class ProgramForm(forms.Form):
    owner_unit = forms.ModelChoiceField(
        label="Tỉnh ban hành chương trình",
        queryset=AdminUnit.objects.none(),
        widget=forms.Select(attrs=SEL),
        help_text="Tỉnh cũ (trước 2025) hoặc tỉnh hiện nay.",
    )
    title = forms.CharField(label="Tên chương trình", max_length=500, widget=forms.TextInput(attrs=BS))
    code = forms.CharField(label="Ký hiệu", max_length=60, required=False, widget=forms.TextInput(attrs=BS))
    year_from = forms.IntegerField(
        label="Từ năm", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=BS)
    )
    year_to = forms.IntegerField(
        label="Đến năm", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=BS)
    )
    general_objectives = forms.CharField(
        label="Mục tiêu chung", required=False, widget=forms.Textarea(attrs={**BS, "rows": 4})
    )
    specific_objectives = forms.CharField(
        label="Mục tiêu cụ thể", required=False, widget=forms.Textarea(attrs={**BS, "rows": 4})
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={**BS, "rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    effective_date = VNDateField(
        label="Ngày lập chương trình",
        required=False,
        allow_future=False,
        help_text="dd/mm/yyyy; để trống là hôm nay. Các bước sau không được trước ngày này.",
    )

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = owner_units_for(user)
        self.fields["owner_unit"].label_from_instance = label_with_era
        if editing:
            del self.fields["owner_unit"]
            del self.fields["effective_date"]

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_to"] < data["year_from"]:
            self.add_error("year_to", "Năm kết thúc phải sau năm bắt đầu.")
        return data


class TransitionForm(forms.Form):
    decision_no = forms.CharField(
        label="Số quyết định", required=False, max_length=80, widget=forms.TextInput(attrs=BS)
    )
    decision_date = VNDateField(label="Ngày quyết định", required=False)
    decision_issuer = forms.CharField(
        label="Cơ quan phê duyệt", required=False, max_length=200, widget=forms.TextInput(attrs=BS)
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={**BS, "rows": 2}))
    effective_date = VNDateField(
        label="Ngày hiệu lực (ngày của văn bản)",
        required=False,
        allow_future=False,
        help_text="Để trống: ngày quyết định nếu có, nếu không là hôm nay.",
    )
    # The version the page showed: the service refuses (409) if someone changed the programme since.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, program: Program, target: str, **kwargs):
        super().__init__(*args, prefix=f"t-{target}", **kwargs)
        self.target = target
        self.rule = workflow.TRANSITIONS[(program.status, target)]
        self.fields["version"].initial = program.version
        if target != Status.APPROVED:
            for name in ("decision_no", "decision_date", "decision_issuer"):
                del self.fields[name]
        for name in self.rule["requires"]:
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = "Bắt buộc nhập."

    @property
    def label(self) -> str:
        return self.rule["label"]


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp phụ lục dự toán (.xlsx hoặc .docx)")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".docx")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .docx.")
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Tệp quá lớn (tối đa 10 MB).")
        return f


def _content_choices(program):
    return [(c.code, f"{c.code}. {c.short_name or c.name}") for c in program_contents(program)]


def _source_choices(program):
    from khuyencong.catalog.models import FundingSource

    return [(s.code, source_label(s)) for s in FundingSource.objects.order_by("order")]


def _phase_choices(program, blank=True):
    return ([("", "—")] if blank else []) + [(p.name, p.name) for p in program.phases.order_by("year_from")]


def _year_choices(program, blank=False):
    return ([("", "—")] if blank else []) + [(str(y), str(y)) for y in program.years]


class BudgetCellForm(forms.Form):
    content = forms.ChoiceField(label="Nội dung", widget=forms.Select(attrs=SEL))
    funding_source = forms.ChoiceField(label="Nguồn", widget=forms.Select(attrs=SEL))
    year = forms.ChoiceField(label="Năm", widget=forms.Select(attrs=SEL))
    amount = MoneyField(label="Kinh phí (đồng)")

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, prefix="cell", **kwargs)
        self.fields["content"].choices = _content_choices(program)
        self.fields["funding_source"].choices = _source_choices(program)
        self.fields["year"].choices = _year_choices(program)
        matrix = budget_matrix(program)
        if matrix.sources and not self.is_bound:
            self.fields["funding_source"].initial = matrix.sources[0].code


class StatedFigureForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=StatedFigure.Kind.choices, widget=forms.Select(attrs=SEL))
    value = forms.CharField(
        label="Số văn bản ghi (triệu đồng, %, số lượng)", widget=forms.TextInput(attrs=BS)
    )
    content = forms.ChoiceField(label="Nội dung", required=False, widget=forms.Select(attrs=SEL))
    funding_source = forms.ChoiceField(label="Nguồn", required=False, widget=forms.Select(attrs=SEL))
    phase = forms.ChoiceField(label="Giai đoạn", required=False, widget=forms.Select(attrs=SEL))
    year = forms.ChoiceField(label="Năm", required=False, widget=forms.Select(attrs=SEL))
    target = forms.ChoiceField(label="Mục tiêu", required=False, widget=forms.Select(attrs=SEL))
    location = forms.CharField(
        label="Nêu tại (phần, mục, trang)", max_length=200, widget=forms.TextInput(attrs=BS)
    )
    text = forms.CharField(
        label="Trích văn bản", required=False, max_length=300, widget=forms.TextInput(attrs=BS)
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, prefix="stated", **kwargs)
        self.fields["content"].choices = [("", "Tất cả nội dung")] + _content_choices(program)
        self.fields["funding_source"].choices = [("", "Tất cả nguồn")] + _source_choices(program)
        self.fields["phase"].choices = [("", "Cả chương trình")] + _phase_choices(program, blank=False)
        self.fields["year"].choices = _year_choices(program, blank=True)
        self.fields["target"].choices = [("", "—")] + [
            (str(t.pk), t.name[:80]) for t in program.targets.all()
        ]


class TargetForm(forms.Form):
    name = forms.CharField(label="Chỉ tiêu", max_length=500, widget=forms.TextInput(attrs=BS))
    unit = forms.CharField(label="Đơn vị tính", max_length=60, widget=forms.TextInput(attrs=BS))
    content = forms.ChoiceField(label="Nội dung hoạt động", required=False, widget=forms.Select(attrs=SEL))
    indicator = forms.ChoiceField(
        label="Chỉ tiêu trong danh mục", required=False, widget=forms.Select(attrs=SEL)
    )
    overall_value = forms.CharField(
        label="Cả chương trình (nếu không chia giai đoạn)", required=False, widget=forms.TextInput(attrs=BS)
    )
    location = forms.CharField(
        label="Nêu tại", required=False, max_length=200, widget=forms.TextInput(attrs=BS)
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, prefix="target", **kwargs)
        self.program = program
        self.fields["content"].choices = [("", "—")] + _content_choices(program)
        self.fields["indicator"].choices = [("", "—")] + [
            (i.code, f"{i.name} ({i.unit})") for i in OutputIndicator.objects.order_by("name")
        ]
        for phase in program.phases.order_by("year_from"):
            self.fields[f"phase_{phase.pk}"] = forms.CharField(
                label=f"Giai đoạn {phase.name}", required=False, widget=forms.TextInput(attrs=BS)
            )

    def phase_values(self) -> dict:
        return {
            p.name: self.cleaned_data.get(f"phase_{p.pk}")
            for p in self.program.phases.all()
            if self.cleaned_data.get(f"phase_{p.pk}") not in (None, "")
        }


class PhaseForm(forms.Form):
    name = forms.CharField(
        label="Tên giai đoạn",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs=BS),
        help_text="Để trống: «năm đầu-năm cuối».",
    )
    year_from = forms.IntegerField(label="Từ năm", widget=forms.NumberInput(attrs=BS))
    year_to = forms.IntegerField(label="Đến năm", widget=forms.NumberInput(attrs=BS))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="phase", **kwargs)


class LegalBasisForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=80, widget=forms.TextInput(attrs=BS))
    doc_type = forms.CharField(
        label="Loại văn bản", required=False, max_length=60, widget=forms.TextInput(attrs=BS)
    )
    title = forms.CharField(
        label="Trích yếu", required=False, max_length=500, widget=forms.TextInput(attrs=BS)
    )
    issuer = forms.CharField(
        label="Cơ quan ban hành", required=False, max_length=200, widget=forms.TextInput(attrs=BS)
    )
    issued_date = VNDateField(label="Ngày ban hành", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="basis", **kwargs)
