"""Forms of the loan pages; every write goes through services (the forms only read input)."""

from django import forms

from khuyencong.core.fields import MoneyField, VNDateField

from .models import Frequency, InterestMethod, RecoveryAction


class _Styled:
    def style(self):
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class LoanForm(_Styled, forms.Form):
    project = forms.ModelChoiceField(label="Đề án có hoàn trả", queryset=None)
    establishment = forms.ModelChoiceField(label="Cơ sở vay", queryset=None)
    principal = MoneyField(label="Số tiền vay")
    contract_no = forms.CharField(label="Số hợp đồng", max_length=80)
    contract_date = VNDateField(label="Ngày hợp đồng", allow_future=False)
    collateral = forms.CharField(
        label="Tài sản bảo đảm", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guarantor = forms.CharField(label="Người/tổ chức bảo lãnh", required=False, max_length=255)
    from_revolving_fund = forms.BooleanField(label="Cho vay lại từ tiền thu hồi (quay vòng)", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, projects, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["establishment"].queryset = establishments
        self.style()


class RepaymentForm(_Styled, forms.Form):
    date = VNDateField(label="Ngày trả", allow_future=False)
    amount = MoneyField(label="Số tiền trả")
    document_no = forms.CharField(label="Chứng từ (phiếu thu, giấy nộp tiền)", required=False, max_length=80)
    note = forms.CharField(label="Ghi chú", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class ActionForm(_Styled, forms.Form):
    kind = forms.ChoiceField(label="Biện pháp", choices=RecoveryAction.Kind.choices)
    date = VNDateField(label="Ngày", allow_future=False)
    document_no = forms.CharField(label="Số văn bản", required=False, max_length=80)
    note = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class TermsForm(_Styled, forms.Form):
    name = forms.CharField(label="Tên quy chế", max_length=300)
    decision_no = forms.CharField(label="Số quyết định ban hành", max_length=80)
    decision_date = VNDateField(label="Ngày quyết định", allow_future=False)
    valid_from = VNDateField(label="Áp dụng từ ngày")
    valid_to = VNDateField(label="Áp dụng đến ngày", required=False)
    max_amount = MoneyField(label="Mức cho vay tối đa", required=False)
    max_share_pct = forms.DecimalField(
        label="Tối đa (% tổng kinh phí đề án)", required=False, min_value=0, max_value=100
    )
    term_months = forms.IntegerField(label="Thời hạn vay (tháng)", min_value=1, max_value=600)
    grace_months = forms.IntegerField(label="Ân hạn trả gốc (tháng)", min_value=0, max_value=600, initial=0)
    frequency = forms.ChoiceField(label="Kỳ trả nợ", choices=Frequency.choices, initial=Frequency.QUARTERLY)
    interest_rate_pct = forms.DecimalField(
        label="Lãi suất (%/năm)", min_value=0, max_value=100, initial=0, required=False
    )
    interest_method = forms.ChoiceField(label="Cách tính lãi", choices=InterestMethod.choices)
    collateral_required = forms.BooleanField(label="Phải có tài sản bảo đảm hoặc bảo lãnh", required=False)
    penalty_rate_pct = forms.DecimalField(
        label="Phạt chậm trả (%/năm trên gốc quá hạn)", min_value=0, max_value=100, initial=0, required=False
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class FundDrawForm(_Styled, forms.Form):
    plan = forms.ModelChoiceField(
        label="Kế hoạch khuyến công địa phương", queryset=None, empty_label="— Chọn kế hoạch —"
    )
    amount = MoneyField(label="Số tiền sử dụng từ quỹ quay vòng")
    decision_no = forms.CharField(label="Số quyết định", max_length=80)
    decision_date = VNDateField(label="Ngày quyết định", allow_future=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.style()
