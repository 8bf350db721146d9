from django.db import models


class TimeStampedModel(models.Model):
    """Every domain row knows when it was created and last changed, and carries a version for
    optimistic concurrency (see core.concurrency)."""

    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    version = models.PositiveIntegerField("Phiên bản", default=1, editable=False)

    class Meta:
        abstract = True
