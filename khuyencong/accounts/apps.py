from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "khuyencong.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from khuyencong.core.audit import register_history

        from . import signals  # noqa: F401
        from .models import Organisation
        from .selectors import organisation_get_for

        register_history(Organisation, organisation_get_for, "Tổ chức")
