from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "khuyencong.activities"
    label = "activities"
    verbose_name = "Hội chợ, đào tạo, tuyên truyền, tư vấn, kiểm toán năng lượng"

    def ready(self):
        from khuyencong.beneficiaries.selectors import register_support_history_provider
        from khuyencong.core.audit import register_history

        from . import figures
        from .models import Activity
        from .selectors import activity_get_for

        register_history(Activity, activity_get_for, "Hoạt động khuyến công")
        register_support_history_provider(figures.establishment_support_rows)
        figures.register_report_provider()
