from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "khuyencong.awards"
    label = "awards"
    verbose_name = "Bình chọn sản phẩm CNNT tiêu biểu"

    def ready(self):
        from khuyencong.core.audit import register_history

        from .models import AwardRound, Certificate, Entry
        from .selectors import certificate_get_for, entry_get_for, round_get_for

        register_history(AwardRound, round_get_for, "Đợt bình chọn sản phẩm")
        register_history(Entry, entry_get_for, "Sản phẩm dự bình chọn")
        register_history(Certificate, certificate_get_for, "Giấy chứng nhận sản phẩm tiêu biểu")
        from khuyencong.beneficiaries.selectors import register_support_history_provider

        from .figures import establishment_support_rows

        register_support_history_provider(establishment_support_rows)
        from .record_figures_provider import register_provider

        register_provider()
