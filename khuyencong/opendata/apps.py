from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "khuyencong.opendata"
    label = "opendata"
    verbose_name = "Dữ liệu mở"

    def ready(self):
        from . import data

        data.connect_invalidation()
