from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "khuyencong.clusters"
    label = "clusters"
    verbose_name = "Cụm công nghiệp"

    def ready(self):
        from khuyencong.core.audit import register_history

        from .models import IndustrialCluster
        from .selectors import cluster_get_for

        register_history(IndustrialCluster, cluster_get_for, "Cụm công nghiệp")
        from . import figures

        figures.register_providers()
