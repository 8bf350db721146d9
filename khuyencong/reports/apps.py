from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "khuyencong.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self):
        from django.shortcuts import get_object_or_404

        from khuyencong.core.audit import register_history
        from khuyencong.core.permissions import is_admin

        from . import figures, models, selectors

        figures.connect_signals()
        from khuyencong.core import dataversion

        from .dashboard import FIGURE_APPS

        # The dashboard's kept figures: every change to a table it reads. Not the jobs' progress rows, nor the
        # tables derived from the records and rebuilt while reading (the dashboard summary, the as-of table,
        # their marks): the change to the record they come from bumps the version already, and a rebuild
        # bumping it again would throw away the answer it was computed for (55 bumps to rebuild 3 plans).
        dataversion.connect_apps(
            dataversion.FIGURES,
            FIGURE_APPS,
            exclude=(
                "reports.ReportJob",
                "reports.PlanFigure",
                "reports.PlanFigureDirty",
                "projects.ProjectAsOf",
                "projects.ProjectAsOfDirty",
            ),
        )

        def any_getter(model, *, user, pk):
            from django.http import Http404

            if not is_admin(user):
                raise Http404
            return get_object_or_404(model, pk=pk)

        register_history(models.Report, selectors.report_get_for, "Báo cáo định kỳ")
        register_history(
            models.ReportDeadline, lambda *, user, pk: get_object_or_404(models.ReportDeadline, pk=pk)
        )
        register_history(
            models.ReportTemplate, lambda *, user, pk: any_getter(models.ReportTemplate, user=user, pk=pk)
        )
