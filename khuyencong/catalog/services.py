from typing import TYPE_CHECKING

from django.db import transaction

from khuyencong.core.audit import save_audited
from khuyencong.core.errors import DomainError

from . import defaults
from .models import (
    ActivityContent,
    EstablishmentType,
    FundingSource,
    LegalDocument,
    OutputIndicator,
    Sector,
    SupportCap,
)

if TYPE_CHECKING:
    from khuyencong.accounts.models import User


@transaction.atomic
def catalog_load_defaults(*, actor: "User | None" = None) -> None:
    """Create the catalogue rows that are missing (idempotent: existing rows are left as edited)."""
    docs = {}
    for number, doc_type, title, issuer, issued, effective in defaults.LEGAL_DOCUMENTS:
        doc = LegalDocument.objects.filter(number=number).first()
        if doc is None:
            doc = save_audited(
                LegalDocument(
                    number=number,
                    doc_type=doc_type,
                    title=title,
                    issuer=issuer,
                    issued_date=issued,
                    effective_date=effective,
                ),
                actor=actor,
                reason="Danh mục ban đầu",
            )
        docs[number] = doc
    nd45 = docs["45/2012/NĐ-CP"]
    contents = {}
    for order, (code, name, short) in enumerate(defaults.ACTIVITY_CONTENTS, start=1):
        content = ActivityContent.objects.filter(legal_basis=nd45, code=code).first()
        if content is None:
            content = save_audited(
                ActivityContent(
                    code=code,
                    name=name,
                    short_name=short,
                    legal_basis=nd45,
                    order=order,
                    valid_from=nd45.effective_date,
                ),
                actor=actor,
                reason="Danh mục ban đầu",
            )
        contents[code] = content
    sources = {}
    for order, (code, name, short, public) in enumerate(defaults.FUNDING_SOURCES, start=1):
        source = FundingSource.objects.filter(code=code).first()
        if source is None:
            source = save_audited(
                FundingSource(
                    code=code, name=name, short_name=short, is_public=public, order=order, legal_basis=nd45
                ),
                actor=actor,
                reason="Danh mục ban đầu",
            )
        sources[code] = source
    for code, name in defaults.ESTABLISHMENT_TYPES:
        if not EstablishmentType.objects.filter(code=code).exists():
            save_audited(
                EstablishmentType(code=code, name=name, legal_basis=nd45),
                actor=actor,
                reason="Danh mục ban đầu",
            )
    for code, name in defaults.SECTORS:
        if not Sector.objects.filter(code=code).exists():
            save_audited(
                Sector(code=code, name=name, legal_basis=nd45), actor=actor, reason="Danh mục ban đầu"
            )
    tt28 = docs["28/2018/TT-BTC"]
    for code, name, content_code, per, pct, amount in defaults.SUPPORT_CAPS:
        if not SupportCap.objects.filter(code=code).exists():
            save_audited(
                SupportCap(
                    code=code,
                    name=name,
                    content=contents[content_code],
                    funding_source=sources["national"],
                    per=per,
                    max_percent=pct,
                    max_amount=amount,
                    legal_basis=tt28,
                    valid_from=tt28.effective_date,
                ),
                actor=actor,
                reason="Danh mục ban đầu",
            )
    for code, name, unit, content_code, is_money in defaults.OUTPUT_INDICATORS:
        if not OutputIndicator.objects.filter(code=code).exists():
            save_audited(
                OutputIndicator(
                    code=code,
                    name=name,
                    unit=unit,
                    is_money=is_money,
                    content=contents.get(content_code) if content_code else None,
                ),
                actor=actor,
                reason="Danh mục ban đầu",
            )


class CatalogInUse(DomainError):
    code = "in_use"
    status = 409


CATALOG_MODELS = (
    LegalDocument,
    ActivityContent,
    FundingSource,
    Sector,
    EstablishmentType,
    SupportCap,
    OutputIndicator,
)


def _require_catalog_admin(actor: "User | None") -> None:
    from khuyencong.core.permissions import is_admin

    if actor is not None and not is_admin(actor):
        from khuyencong.core.errors import NotAllowed

        raise NotAllowed("Chỉ quản trị viên được sửa danh mục.")


@transaction.atomic
def catalog_save(*, actor: "User | None", instance, reason: str = ""):
    """Create or change one catalogue row (contents, sources, caps, legal documents…), validated and
    audited."""
    from django.core.exceptions import ValidationError

    if not isinstance(instance, CATALOG_MODELS):
        raise DomainError("Không phải danh mục.")
    _require_catalog_admin(actor)
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise DomainError("; ".join(exc.messages), details=getattr(exc, "message_dict", {}))
    return save_audited(instance, actor=actor, reason=reason or "Sửa danh mục")


@transaction.atomic
def catalog_delete(*, actor: "User | None", instance, reason: str = "") -> None:
    """Delete a catalogue row that nothing uses; one in use is refused (409) with a Vietnamese message."""
    from django.db.models import ProtectedError, RestrictedError

    from khuyencong.core.audit import delete_audited

    _require_catalog_admin(actor)
    try:
        with transaction.atomic():
            delete_audited(instance, actor=actor, reason=reason or "Xóa danh mục")
    except (ProtectedError, RestrictedError):
        raise CatalogInUse(
            f"«{instance}» đang được sử dụng nên không xóa được; hãy đặt ngày hết hiệu lực "
            "(valid_to) thay vì xóa."
        )
