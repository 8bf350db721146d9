from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "khuyencong.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from khuyencong.core.audit import register_history

        from . import signals  # noqa: F401
        from .models import Organisation, User
        from .selectors import organisation_get_for, user_get_for

        register_history(Organisation, organisation_get_for, "Tổ chức")
        register_history(User, user_get_for, "Người dùng")
