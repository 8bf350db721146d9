from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "khuyencong.portal"
    label = "portal"
    verbose_name = "Cổng thông tin của cơ sở"

    def ready(self):
        from khuyencong.core.audit import register_history

        from .models import Application
        from .selectors import application_get_for

        register_history(Application, application_get_for, "Đăng ký đề án trực tuyến")
