from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "khuyencong.loans"
    label = "loans"
    verbose_name = "Khuyến công có hoàn trả"

    def ready(self):
        from khuyencong.beneficiaries.selectors import register_support_history_provider
        from khuyencong.core.audit import register_history

        from .models import FundDraw, Loan
        from .selectors import draw_get_for, establishment_support_rows, loan_get_for

        register_history(Loan, loan_get_for, "Khoản vay khuyến công có hoàn trả")
        register_history(FundDraw, draw_get_for, "Kế hoạch sử dụng quỹ quay vòng")
        register_support_history_provider(establishment_support_rows)
        from .figures import register_report_hook

        register_report_hook()
