from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "khuyencong.surveys"
    label = "surveys"
    verbose_name = "Khảo sát nhu cầu"
