from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    name = "khuyencong.beneficiaries"
    label = "beneficiaries"
    verbose_name = "Cơ sở CNNT"
