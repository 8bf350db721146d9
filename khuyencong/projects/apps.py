from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "khuyencong.projects"
    label = "projects"
    verbose_name = "Kế hoạch và đề án"
