from django.db import transaction

from khuyencong.core.audit import save_audited
from khuyencong.core.permissions import require_role

from .models import Organisation, User


@transaction.atomic
def organisation_create(*, actor, kind: str, name: str, unit=None, parent=None, establishment=None,
                        short_name: str = "") -> Organisation:
    if actor is not None:
        require_role(actor, "admin", action="tạo tổ chức")
    org = Organisation(kind=kind, name=name, unit=unit, parent=parent, establishment=establishment, short_name=short_name)
    org.full_clean()
    return save_audited(org, actor=actor, reason="Tạo tổ chức")


@transaction.atomic
def user_create(*, actor, username: str, password: str, organisation: Organisation | None, role: str,
                first_name: str = "", last_name: str = "", job_title: str = "", is_staff: bool = False) -> User:
    if actor is not None:
        require_role(actor, "admin", action="tạo người dùng")
    user = User(username=username, organisation=organisation, role=role, first_name=first_name,
                last_name=last_name, job_title=job_title, is_staff=is_staff)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
