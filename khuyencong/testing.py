"""Shared test helpers: the three users that tell every story (a province officer, an officer of another
province, a beneficiary) plus the Cục and an approver. Units and catalogues come from `load_base()`."""

import itertools

from django.conf import settings

from khuyencong.accounts.models import Organisation, User
from khuyencong.geo.models import AdminUnit

_seq = itertools.count(1)


def current_province(short_name: str) -> AdminUnit:
    return AdminUnit.objects.get(era="current", level=1, short_name=short_name)


def old_province(short_name: str) -> AdminUnit:
    return AdminUnit.objects.get(era="old", level=1, short_name=short_name)


def make_org(
    kind: str, unit: AdminUnit | None = None, name: str | None = None, establishment=None
) -> Organisation:
    org = Organisation(
        kind=kind,
        unit=unit,
        establishment=establishment,
        name=name or f"Tổ chức {next(_seq)} {unit.name if unit else ''}".strip(),
    )
    org.save()
    return org


def make_user(username: str, org: Organisation | None, role: str = "officer", **extra) -> User:
    user = User(
        username=username,
        organisation=org,
        role=role,
        last_name=extra.pop("last_name", "Nguyễn"),
        first_name=extra.pop("first_name", username),
        **extra,
    )
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    return user


def province_user(short_name: str, username: str, role: str = "officer", kind: str = "department") -> User:
    unit = current_province(short_name)
    org = Organisation.objects.filter(kind=kind, unit=unit).first() or make_org(
        kind, unit, f"Sở Công Thương {short_name}"
    )
    return make_user(username, org, role)


def response_bytes(response) -> bytes:
    """The body of a response, streamed (exports) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content
