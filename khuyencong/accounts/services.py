"""Organisations and users: created and changed in the app by the Cục's admins, and by a Sở's admin for its
own
province's organisations (its centre, commune offices, establishments). Every write is audited; users are
deactivated, never deleted."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from khuyencong.core.audit import save_audited
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.permissions import ADMIN, APPROVER, OFFICER, VIEWER, require_role
from khuyencong.core.scoping import scope_for

from .models import Organisation, User

K = Organisation.Kind
# What a Sở's admin may create in its province; the Cục's admin may create every kind.
PROVINCE_KINDS = frozenset({K.DEPARTMENT, K.CENTRE, K.LOCAL_OFFICE, K.ESTABLISHMENT})
ROLES = frozenset({VIEWER, OFFICER, APPROVER, ADMIN})
USER_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "organisation",
        "role",
        "job_title",
        "is_active",
        "is_staff",
    }
)
ORG_FIELDS = frozenset(
    {
        "kind",
        "name",
        "short_name",
        "unit",
        "parent",
        "establishment",
        "address",
        "phone",
        "email",
        "is_active",
    }
)


def _validation(exc: ValidationError) -> DomainError:
    details = getattr(exc, "message_dict", {})
    field = next(iter(details), None)
    return DomainError("; ".join(exc.messages), field=None if field == "__all__" else field, details=details)


# ---------------------------------------------------------------------------------------------------- who may


def admin_province_id(actor: "User | None") -> int | None:
    """None for the Cục's admin (everything); the province id for a Sở's admin; NotAllowed for anyone else."""
    require_role(actor, ADMIN, action="quản lý tổ chức và người dùng")
    scope = scope_for(actor)
    if scope.sees_all:
        return None
    if scope.kind == "province" and actor.organisation and actor.organisation.kind == K.DEPARTMENT:
        return scope.province_id
    raise NotAllowed("Chỉ quản trị viên của Cục hoặc của Sở Công Thương được quản lý người dùng.")


def org_province_id(org: Organisation) -> int | None:
    if org.kind == K.ESTABLISHMENT and org.establishment_id:
        return org.establishment.province_id
    if org.unit_id is None:
        return None
    return org.unit.current_province_id or org.unit_id


def _require_org_in_reach(actor: "User | None", org: Organisation) -> None:
    province = admin_province_id(actor)
    if province is None:
        return
    if org.kind == K.MINISTRY or org_province_id(org) != province:
        from django.http import Http404

        raise Http404("Tổ chức không thuộc phạm vi quản lý của bạn.")


def _check_org(org: Organisation) -> None:
    if org.kind == K.MINISTRY and org.unit_id is not None:
        raise DomainError("Cục không gắn với một đơn vị hành chính.", field="unit")
    if org.kind in (K.DEPARTMENT, K.CENTRE, K.LOCAL_OFFICE) and org.unit_id is None:
        raise DomainError("Hãy chọn đơn vị hành chính của tổ chức.", field="unit")
    if org.kind in (K.DEPARTMENT, K.CENTRE) and org.unit.level != 1:
        raise DomainError(
            "Sở Công Thương và Trung tâm Khuyến công gắn với một tỉnh, thành phố.", field="unit"
        )
    if org.kind == K.LOCAL_OFFICE and org.unit.level == 1:
        raise DomainError("Phòng Kinh tế gắn với một huyện hoặc xã, phường.", field="unit")
    if org.kind == K.CENTRE:
        if org.parent is None or org.parent.kind != K.DEPARTMENT:
            raise DomainError("Trung tâm Khuyến công cần có Sở Công Thương chủ quản.", field="parent")
        if org_province_id(org.parent) != org_province_id(org):
            raise DomainError("Sở chủ quản phải cùng tỉnh với Trung tâm.", field="parent")
    if org.kind == K.ESTABLISHMENT and org.establishment_id is None:
        raise DomainError(
            "Tổ chức loại cơ sở phải gắn với hồ sơ cơ sở trong danh sách cơ sở CNNT.", field="establishment"
        )


# ---------------------------------------------------------------------------------------------------- organis


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    kind: str,
    name: str,
    unit=None,
    parent=None,
    establishment=None,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Organisation:
    """A new organisation. `actor=None` is the system itself (demo data, commands)."""
    if kind not in K.values:
        raise DomainError(f"Loại tổ chức không hợp lệ: «{kind}».", field="kind")
    org = Organisation(
        kind=kind,
        name=(name or "").strip(),
        unit=unit,
        parent=parent,
        establishment=establishment,
        short_name=short_name,
        address=address,
        phone=phone,
        email=email,
    )
    if actor is not None:
        province = admin_province_id(actor)
        if province is not None and kind not in PROVINCE_KINDS:
            raise NotAllowed("Sở chỉ tạo được Trung tâm Khuyến công, Phòng Kinh tế và cơ sở của tỉnh mình.")
        if establishment is not None:
            from khuyencong.beneficiaries.selectors import establishment_list_for

            if not establishment_list_for(user=actor).filter(pk=establishment.pk).exists():
                raise NotAllowed("Cơ sở này không thuộc phạm vi quản lý của bạn.")
        if province is not None and org_province_id(org) != province:
            raise NotAllowed("Đơn vị hành chính của tổ chức không thuộc tỉnh của bạn.")
    if not org.name:
        raise DomainError("Hãy ghi tên tổ chức.", field="name")
    _check_org(org)
    try:
        org.full_clean()
    except ValidationError as exc:
        raise _validation(exc)
    return save_audited(org, actor=actor, reason="Tạo tổ chức")


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, changes: dict, reason: str = ""
) -> Organisation:
    unknown = set(changes) - ORG_FIELDS
    if unknown:
        raise DomainError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if actor is not None:
        _require_org_in_reach(actor, locked)
    for key, value in changes.items():
        setattr(locked, key, value)
    if actor is not None:
        _require_org_in_reach(actor, locked)  # not moved out of reach either
    _check_org(locked)
    try:
        locked.full_clean()
    except ValidationError as exc:
        raise _validation(exc)
    return save_audited(locked, actor=actor, reason=reason or "Sửa tổ chức")


# ---------------------------------------------------------------------------------------------------- users


@dataclass
class NewUser:
    user: User
    set_password_url: str | None  # a one-time link to choose the first password (when no password was given)
    emailed: bool


def set_password_path(user: User) -> str:
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def _check_user_target(
    actor: "User | None", organisation: Organisation | None, role: str, is_staff: bool
) -> None:
    if role not in ROLES:
        raise DomainError(f"Vai trò không hợp lệ: «{role}».", field="role")
    if organisation is None:
        raise DomainError("Hãy chọn tổ chức của người dùng.", field="organisation")
    if actor is None:
        return
    province = admin_province_id(actor)
    if province is not None:
        if is_staff:
            raise NotAllowed("Chỉ Cục cấp quyền vào trang quản trị hệ thống.")
        if organisation.kind == K.MINISTRY:
            raise NotAllowed("Sở không được cấp tài khoản của Cục.")
        _require_org_in_reach(actor, organisation)
    if organisation.kind == K.ESTABLISHMENT and role not in (VIEWER, OFFICER):
        raise DomainError("Tài khoản của cơ sở chỉ có vai trò «Xem» hoặc «Cán bộ nghiệp vụ».", field="role")


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    organisation: Organisation | None,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    full_name: str = "",
    email: str = "",
    phone: str = "",
    job_title: str = "",
    is_staff: bool = False,
    base_url: str = "",
) -> NewUser:
    """A user in one step. With `password` the user must change it at first login; without, a one-time
    set-password link is returned (shown on screen) and e-mailed when the user has an e-mail address."""
    _check_user_target(actor, organisation, role, is_staff)
    username = (username or "").strip()
    if not username:
        raise DomainError("Hãy ghi tên đăng nhập.", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"Tên đăng nhập «{username}» đã có người dùng.", field="username")
    if full_name and not (first_name or last_name):
        parts = full_name.strip().rsplit(" ", 1)
        last_name, first_name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        job_title=job_title,
        is_staff=is_staff,
        must_change_password=True,
    )
    if password:
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password")
        user.set_password(password)
    else:
        user.set_password(secrets.token_urlsafe(32))  # unusable until the link sets one
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise _validation(exc)
    save_audited(user, actor=actor, reason="Tạo người dùng")
    url, emailed = None, False
    if not password:
        url = base_url.rstrip("/") + set_password_path(user)
        if user.email:
            link = url
            transaction.on_commit(
                lambda: send_mail(
                    "Tài khoản hệ thống khuyến công",
                    f"Chào {user.display_name},\n\nTài khoản «{user.username}» đã được "
                    f"tạo. Hãy đặt mật khẩu tại: {link}\n",
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
            )
            emailed = True
    return NewUser(user=user, set_password_url=url, emailed=emailed)


@transaction.atomic
def user_update(*, actor: User | None, user: User, changes: dict, reason: str = "") -> User:
    """Change a user's organisation, role, names, contacts or active flag, with history (who changed whose
    role,
    when). Deactivating is how a user leaves: users are never deleted."""
    unknown = set(changes) - USER_FIELDS
    if unknown:
        raise DomainError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    locked = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
    if actor is not None:
        if locked.organisation is None:
            admin_province_id(actor)
        else:
            _require_org_in_reach(actor, locked.organisation)
        if locked.pk == actor.pk and changes.get("is_active") is False:
            raise DomainError("Không tự khóa tài khoản của chính mình.", field="is_active")
        _check_user_target(
            actor,
            changes.get("organisation", locked.organisation),
            changes.get("role", locked.role),
            changes.get("is_staff", locked.is_staff),
        )
    for key, value in changes.items():
        setattr(locked, key, value)
    try:
        locked.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise _validation(exc)
    return save_audited(locked, actor=actor, reason=reason or "Sửa người dùng")


def user_password_changed(*, user: User) -> None:
    """After the user chose a password: the first-login requirement is met."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False


def revoke_tokens(*, user: User) -> int:
    """Remove the user's API tokens (after a password change: a leaked token must not outlive it)."""
    from rest_framework.authtoken.models import Token

    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
