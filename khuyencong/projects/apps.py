from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "khuyencong.projects"
    label = "projects"
    verbose_name = "Kế hoạch và đề án"

    def ready(self):
        from khuyencong.core.audit import register_history

        from .asof import connect_signals
        from .models import AnnualPlan, Batch, Project
        from .selectors import batch_get_for, establishment_support_rows, plan_get_for, project_get_for

        connect_signals()
        from .search import connect_signals as connect_search_signals

        connect_search_signals()
        from khuyencong.core import dataversion

        # The lists' counts and totals rows are kept until one of these changes (selectors.LISTS_VERSION);
        # the as-of table's own writes bump it in asof.py.
        dataversion.connect(
            "projects",
            (
                "projects.Project",
                "projects.AnnualPlan",
                "projects.Batch",
                "projects.BatchAllocation",
                "projects.ProjectBeneficiary",
                "projects.ProjectFunding",
                "projects.Disbursement",
                "projects.StatusChange",
                "beneficiaries.Establishment",
            ),
        )
        register_history(AnnualPlan, plan_get_for, "Kế hoạch khuyến công năm")
        register_history(Project, project_get_for, "Đề án khuyến công")
        register_history(Batch, batch_get_for, "Đợt giao kế hoạch")
        try:
            from khuyencong.beneficiaries.selectors import register_support_history_provider
        except ImportError:  # the establishments app has no support-history hook (yet)
            return
        register_support_history_provider(establishment_support_rows)
