from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "khuyencong.portal"
    label = "portal"
    verbose_name = "Cổng thông tin của cơ sở"
