from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    name = "khuyencong.beneficiaries"
    label = "beneficiaries"
    verbose_name = "Cơ sở CNNT"

    def ready(self):
        from khuyencong.core.audit import register_history

        from .models import Establishment
        from .selectors import establishment_get_for

        register_history(Establishment, establishment_get_for, "Cơ sở công nghiệp nông thôn")
