"""Roles: viewer < officer < approver < admin. Write actions check the role here and the scope in
selectors."""

from .errors import NotAllowed

VIEWER, OFFICER, APPROVER, ADMIN = "viewer", "officer", "approver", "admin"
ROLE_LABELS = {VIEWER: "Xem", OFFICER: "Cán bộ nghiệp vụ", APPROVER: "Lãnh đạo phê duyệt", ADMIN: "Quản trị"}


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return ADMIN
    return user.role


def has_role(user, *roles: str) -> bool:
    return role_of(user) in roles


def can_edit(user) -> bool:
    """Officers, approvers and admins may create and edit records in their scope."""
    return has_role(user, OFFICER, APPROVER, ADMIN)


def is_admin(user) -> bool:
    return has_role(user, ADMIN)


def require_role(user, *roles: str, action: str = "thực hiện thao tác này") -> None:
    if not has_role(user, *roles):
        allowed = ", ".join(ROLE_LABELS[r] for r in roles)
        raise NotAllowed(f"Vai trò của bạn không được phép {action} (cần vai trò: {allowed}).")


def require_edit(user, action: str = "thay đổi dữ liệu") -> None:
    require_role(user, OFFICER, APPROVER, ADMIN, action=action)
