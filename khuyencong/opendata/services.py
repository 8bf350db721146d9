"""The publish setting of a province: written by an officer (or admin) of that province, audited."""

from khuyencong.core.audit import save_audited
from khuyencong.core.errors import NotAllowed
from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER, require_role
from khuyencong.core.scoping import scope_for
from khuyencong.geo.models import AdminUnit

from .models import PublishSetting


def office_province(user) -> AdminUnit | None:
    scope = scope_for(user)
    if scope.kind != "province":
        return None
    return AdminUnit.objects.get(pk=scope.province_id)


def setting_for(province) -> PublishSetting | None:
    return PublishSetting.objects.filter(province=province).first()


def setting_save(*, actor, province, publish: bool, from_year: int) -> PublishSetting:
    if actor is not None:
        require_role(actor, OFFICER, APPROVER, ADMIN, action="đổi cài đặt công bố dữ liệu mở")
        if not scope_for(actor).allows_province(province.pk):
            raise NotAllowed("Chỉ cán bộ của tỉnh mới đổi được cài đặt công bố của tỉnh.")
    row = setting_for(province) or PublishSetting(province=province)
    row.publish = bool(publish)
    row.from_year = int(from_year)
    row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    return save_audited(row, actor=actor, reason="Cài đặt công bố dữ liệu mở")
