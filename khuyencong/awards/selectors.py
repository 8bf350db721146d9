"""Scoped reads of the voting records. Rounds: a province sees its own rounds and every regional and
national round; entries, products, dossiers and certificates follow the establishment (a Sở its province's
establishments, a commune office its communes, an establishment only itself); a juror also sees the entries
of the rounds they score. Score sheets stay private to each juror until the round leaves scoring."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from khuyencong.core.scoping import scope_for
from khuyencong.core.text import filter_folded

from .models import AwardLevel, AwardRound, Certificate, DossierFile, Entry, Juror, Product, ScoreSheet
from .workflow import SHEETS_PRIVATE

WIDE_LEVELS = [AwardLevel.REGION, AwardLevel.NATIONAL]


def _establishment_province_id(scope) -> int | None:
    from khuyencong.beneficiaries.models import Establishment

    return (
        Establishment.objects.filter(pk=scope.establishment_id).values_list("province_id", flat=True).first()
    )


def _juror_rounds(user) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(pk__in=Juror.objects.filter(user=user).values("round_id"))


def round_list_for(*, user) -> QuerySet[AwardRound]:
    scope = scope_for(user)
    qs = AwardRound.objects.select_related("organiser", "unit", "region", "province")
    if scope.kind == "all":
        return qs
    if scope.kind == "none":
        return qs.filter(_juror_rounds(user))
    wide = Q(level__in=WIDE_LEVELS)
    if scope.kind == "province":
        q = Q(province_id=scope.province_id) | wide
    elif scope.kind == "units":
        q = Q(unit_id__in=scope.unit_ids) | Q(province_id=scope.province_id, level=AwardLevel.PROVINCE) | wide
    else:  # establishment
        q = Q(province_id=_establishment_province_id(scope), level=AwardLevel.PROVINCE) | wide
    return qs.filter(q | _juror_rounds(user))


def round_get_for(*, user, pk) -> AwardRound:
    return get_object_or_404(round_list_for(user=user), pk=pk)


def round_filter(qs, params) -> QuerySet[AwardRound]:
    for key in ("level", "status", "year"):
        if params.get(key) not in (None, ""):
            qs = qs.filter(**{key: params[key]})
    if params.get("province"):
        qs = qs.filter(province_id=params["province"])
    return qs


def _establishment_q(scope, prefix: str = "establishment") -> Q:
    return scope.q(province=f"{prefix}__province", unit=f"{prefix}__commune", establishment=prefix)


def entry_list_for(*, user) -> QuerySet[Entry]:
    scope = scope_for(user)
    qs = Entry.objects.select_related("round", "product", "establishment", "establishment__province")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = _establishment_q(scope) | Q(round_id__in=Juror.objects.filter(user=user).values("round_id"))
    if scope.kind == "province":
        q |= Q(round__province_id=scope.province_id)
    return qs.filter(q)


def entry_get_for(*, user, pk) -> Entry:
    return get_object_or_404(entry_list_for(user=user), pk=pk)


def product_list_for(*, user) -> QuerySet[Product]:
    scope = scope_for(user)
    if not getattr(user, "is_authenticated", False):
        return Product.objects.none()
    juror_products = Entry.objects.filter(round__jurors__user=user).values("product_id")
    return Product.objects.filter(_establishment_q(scope) | Q(pk__in=juror_products)).select_related(
        "establishment"
    )


def dossier_file_get_for(*, user, pk) -> DossierFile:
    return get_object_or_404(DossierFile.objects.filter(product__in=product_list_for(user=user)), pk=pk)


def sheets_for(*, user, entry: Entry) -> QuerySet[ScoreSheet]:
    """A juror's own sheet while the round is scoring; every sheet (for readers of the entry) after."""
    qs = entry.sheets.select_related("juror", "juror__user").order_by("juror__role", "juror_id")
    if entry.round.status in SHEETS_PRIVATE:
        return qs.filter(juror__user=user) if getattr(user, "is_authenticated", False) else qs.none()
    return qs


def certificate_list_for(*, user) -> QuerySet[Certificate]:
    scope = scope_for(user)
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    return Certificate.objects.filter(_establishment_q(scope)).select_related(
        "product", "establishment", "round"
    )


def certificate_get_for(*, user, pk) -> Certificate:
    return get_object_or_404(certificate_list_for(user=user), pk=pk)


# --- the public catalogue: recognised products only, nothing personal ------------------------------------


def public_certificates() -> QuerySet[Certificate]:
    """Certificates not revoked, with what the catalogue shows (no phone, e-mail, representative, scores)."""
    return (
        Certificate.objects.filter(revoked=False, entry__recognised=True)
        .select_related(
            "product",
            "establishment",
            "establishment__commune",
            "establishment__commune__parent",
            "establishment__commune__parent__parent",
            "establishment__province",
            "round",
            "entry",
        )
        .order_by("-round__year", "product__name", "pk")
    )


def public_filter(qs, params) -> QuerySet[Certificate]:
    if params.get("level"):
        qs = qs.filter(level=params["level"])
    if params.get("group"):
        qs = qs.filter(product__group=params["group"])
    if params.get("province"):
        qs = qs.filter(establishment__province_id=params["province"])
    if params.get("year"):
        qs = qs.filter(round__year=params["year"])
    if params.get("q"):
        qs = filter_folded(qs, params["q"], field="product__search_text")
    return qs


def public_product_certificates(product_id) -> QuerySet[Certificate]:
    return public_certificates().filter(product_id=product_id)


def public_photo(pk) -> DossierFile:
    """A photo of a recognised product (public), else 404."""
    recognised = public_certificates().values("product_id")
    return get_object_or_404(
        DossierFile.objects.filter(kind=DossierFile.Kind.PHOTO, product_id__in=recognised), pk=pk
    )


def first_photo_ids(product_ids) -> dict[int, int]:
    out: dict[int, int] = {}
    for pk, product_id in (
        DossierFile.objects.filter(kind=DossierFile.Kind.PHOTO, product_id__in=list(product_ids))
        .order_by("pk")
        .values_list("pk", "product_id")
    ):
        out.setdefault(product_id, pk)
    return out


def public_photos(product_id) -> list[int]:
    if not public_certificates().filter(product_id=product_id).exists():
        return []
    return list(
        DossierFile.objects.filter(product_id=product_id, kind=DossierFile.Kind.PHOTO)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
