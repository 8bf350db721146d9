from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "khuyencong.programs"
    label = "programs"
    verbose_name = "Chương trình khuyến công"

    def ready(self):
        from khuyencong.core.audit import register_history

        from .models import Program
        from .selectors import program_get_for

        register_history(Program, program_get_for, "Chương trình khuyến công")
