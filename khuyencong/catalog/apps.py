from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "khuyencong.catalog"
    label = "catalog"
    verbose_name = "Danh mục"

    def ready(self):
        from functools import partial

        from django.shortcuts import get_object_or_404

        from khuyencong.core.audit import register_history

        from . import models

        def getter(model, *, user, pk):
            return get_object_or_404(model, pk=pk)

        for model in (
            models.LegalDocument,
            models.ActivityContent,
            models.FundingSource,
            models.Sector,
            models.EstablishmentType,
            models.SupportCap,
            models.OutputIndicator,
        ):
            register_history(model, partial(getter, model))
