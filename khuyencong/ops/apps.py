from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: the background worker's heartbeat (and the `run_worker` command that writes it)."""

    name = "khuyencong.ops"
    label = "ops"
    verbose_name = "Vận hành"
