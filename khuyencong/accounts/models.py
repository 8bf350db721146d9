from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    """Who a user works for. Its administrative unit (and kind) decides what its users may see."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Cục (Bộ Công Thương)"
        DEPARTMENT = "department", "Sở Công Thương"
        CENTRE = "centre", "Trung tâm Khuyến công"
        LOCAL_OFFICE = "local_office", "Phòng Kinh tế xã/huyện"
        ESTABLISHMENT = "establishment", "Cơ sở công nghiệp nông thôn"

    kind = models.CharField("Loại tổ chức", max_length=20, choices=Kind.choices)
    name = models.CharField("Tên tổ chức", max_length=255)
    short_name = models.CharField("Tên viết tắt", max_length=80, blank=True)
    unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name="Đơn vị hành chính",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="Cơ quan chủ quản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    establishment = models.OneToOneField(
        "beneficiaries.Establishment",
        verbose_name="Cơ sở",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
    )
    address = models.CharField("Địa chỉ", max_length=255, blank=True)
    phone = models.CharField("Điện thoại", max_length=40, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    is_active = models.BooleanField("Đang hoạt động", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Tổ chức"
        verbose_name_plural = "Tổ chức"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="establishment") | models.Q(establishment__isnull=False),
                name="accounts_org_establishment_has_record",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(auth_models.UserManager):
    """Users come with their organisation and its unit: the login check of every request (ModelBackend reads
    the default manager) then brings what the reader's scope is computed from (core.scoping), instead of two
    more queries on every page."""

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "organisation__unit")


class User(AbstractUser):
    objects = UserManager()

    class Role(models.TextChoices):
        VIEWER = "viewer", "Xem"
        OFFICER = "officer", "Cán bộ nghiệp vụ"
        APPROVER = "approver", "Lãnh đạo phê duyệt"
        ADMIN = "admin", "Quản trị"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="Tổ chức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("Vai trò", max_length=10, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField("Chức vụ", max_length=120, blank=True)
    phone = models.CharField("Điện thoại", max_length=40, blank=True)
    must_change_password = models.BooleanField("Phải đổi mật khẩu khi đăng nhập", default=False)
    # Who changed whose role, organisation or active flag, and when (the password hash is never copied).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "Người dùng"
        verbose_name_plural = "Người dùng"

    def delete(self, *args, **kwargs):
        """Users are deactivated, never deleted: history keeps their names on everything they did."""
        from khuyencong.core.errors import DomainError

        raise DomainError(
            "Không xóa người dùng: hãy khóa tài khoản (bỏ chọn «Đang hoạt động»). Lịch sử thay đổi "
            "giữ tên người đã thao tác.",
            code="user_not_deletable",
        )

    @property
    def display_name(self) -> str:
        full = f"{self.last_name} {self.first_name}".strip()
        return full or self.username

    def __str__(self) -> str:
        return self.display_name
