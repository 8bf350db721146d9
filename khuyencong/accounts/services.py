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


USER_FIELDS = frozenset({"first_name", "last_name", "email", "organisation", "role", "job_title", "is_active",
                         "is_staff"})


@transaction.atomic
def user_update(*, actor, user: User, changes: dict, reason: str = "") -> User:
    """Change a user's organisation, role, names or active flag, with history (who changed whose role, when).
    Deactivating is how a user leaves: users are never deleted."""
    if actor is not None:
        require_role(actor, "admin", action="sửa người dùng")
    unknown = set(changes) - USER_FIELDS
    if unknown:
        from khuyencong.core.errors import DomainError

        raise DomainError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    locked = User.objects.select_for_update().get(pk=user.pk)
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean(exclude=["password"])
    return save_audited(locked, actor=actor, reason=reason or "Sửa người dùng")


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, changes: dict, reason: str = "") -> Organisation:
    if actor is not None:
        require_role(actor, "admin", action="sửa tổ chức")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean()
    return save_audited(locked, actor=actor, reason=reason or "Sửa tổ chức")


def revoke_tokens(*, user: User) -> int:
    """Remove the user's API tokens (after a password change: a leaked token must not outlive it)."""
    from rest_framework.authtoken.models import Token

    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
