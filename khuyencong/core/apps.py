from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    label = "core"
    verbose_name = "Nền tảng"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import pre_delete, pre_save

        from .collation import register_sqlite

        connection_created.connect(register_sqlite, dispatch_uid="kc_vietnamese_collation")

        from .audit import refuse_history_delete, refuse_history_edit

        # History is append-only: an existing history row can be neither changed nor deleted through the ORM.
        pre_save.connect(refuse_history_edit, dispatch_uid="kc_history_append_only")
        pre_delete.connect(refuse_history_delete, dispatch_uid="kc_history_no_delete")

        from django import forms

        from .choices import ListedModelChoiceIterator

        # Selects of models read in one query, not through a server-side cursor (core/choices.py).
        forms.ModelChoiceField.iterator = ListedModelChoiceIterator
