from django.db import transaction

from khuyencong.core.audit import save_audited

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


@transaction.atomic
def catalog_load_defaults(*, actor=None) -> None:
    """Create the catalogue rows that are missing (idempotent: existing rows are left as edited)."""
    docs = {}
    for number, doc_type, title, issuer, issued, effective in defaults.LEGAL_DOCUMENTS:
        doc = LegalDocument.objects.filter(number=number).first()
        if doc is None:
            doc = save_audited(LegalDocument(number=number, doc_type=doc_type, title=title, issuer=issuer,
                                             issued_date=issued, effective_date=effective), actor=actor, reason="Danh mục ban đầu")
        docs[number] = doc
    nd45 = docs["45/2012/NĐ-CP"]
    contents = {}
    for order, (code, name, short) in enumerate(defaults.ACTIVITY_CONTENTS, start=1):
        content = ActivityContent.objects.filter(legal_basis=nd45, code=code).first()
        if content is None:
            content = save_audited(ActivityContent(code=code, name=name, short_name=short, legal_basis=nd45, order=order,
                                                   valid_from=nd45.effective_date), actor=actor, reason="Danh mục ban đầu")
        contents[code] = content
    sources = {}
    for order, (code, name, short, public) in enumerate(defaults.FUNDING_SOURCES, start=1):
        source = FundingSource.objects.filter(code=code).first()
        if source is None:
            source = save_audited(FundingSource(code=code, name=name, short_name=short, is_public=public, order=order,
                                                legal_basis=nd45), actor=actor, reason="Danh mục ban đầu")
        sources[code] = source
    for code, name in defaults.ESTABLISHMENT_TYPES:
        if not EstablishmentType.objects.filter(code=code).exists():
            save_audited(EstablishmentType(code=code, name=name, legal_basis=nd45), actor=actor, reason="Danh mục ban đầu")
    for code, name in defaults.SECTORS:
        if not Sector.objects.filter(code=code).exists():
            save_audited(Sector(code=code, name=name, legal_basis=nd45), actor=actor, reason="Danh mục ban đầu")
    tt28 = docs["28/2018/TT-BTC"]
    for code, name, content_code, per, pct, amount in defaults.SUPPORT_CAPS:
        if not SupportCap.objects.filter(code=code).exists():
            save_audited(SupportCap(code=code, name=name, content=contents[content_code], funding_source=sources["national"],
                                    per=per, max_percent=pct, max_amount=amount, legal_basis=tt28,
                                    valid_from=tt28.effective_date), actor=actor, reason="Danh mục ban đầu")
    for code, name, unit, content_code, is_money in defaults.OUTPUT_INDICATORS:
        if not OutputIndicator.objects.filter(code=code).exists():
            save_audited(OutputIndicator(code=code, name=name, unit=unit, is_money=is_money,
                                         content=contents.get(content_code) if content_code else None),
                         actor=actor, reason="Danh mục ban đầu")
