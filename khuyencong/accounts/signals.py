"""Account rules that hold whichever path writes a user (admin, pages, API, shell)."""

from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from khuyencong.core.errors import DomainError

from .models import User


@receiver(pre_save, sender=User)
def revoke_tokens_on_password_change(sender, instance: User, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        from .services import revoke_tokens

        transaction.on_commit(lambda: revoke_tokens(user=instance))


@receiver(pre_delete, sender=User)
def refuse_user_delete(sender, instance: User, **kwargs):
    raise DomainError(
        "Không xóa người dùng: hãy khóa tài khoản (bỏ chọn «Đang hoạt động»). Lịch sử thay đổi giữ "
        "tên người đã thao tác.",
        code="user_not_deletable",
    )
