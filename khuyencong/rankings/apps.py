from django.apps import AppConfig


class RankingsConfig(AppConfig):
    name = "khuyencong.rankings"
    label = "rankings"
    verbose_name = "Đánh giá, xếp hạng các tỉnh"
