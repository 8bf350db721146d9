from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    name = "khuyencong.beneficiaries"
    label = "beneficiaries"
    verbose_name = "Cơ sở CNNT"

    def ready(self):
        from django.db.models.signals import post_migrate

        from khuyencong.core import fts
        from khuyencong.core.audit import register_history

        from .models import Establishment
        from .selectors import establishment_get_for

        register_history(Establishment, establishment_get_for, "Cơ sở công nghiệp nông thôn")
        # SQLite: the search index and its triggers, recreated if a migration remade the table (core/fts.py).
        post_migrate.connect(fts.ensure_all, sender=self, dispatch_uid="kc_sqlite_fts")
