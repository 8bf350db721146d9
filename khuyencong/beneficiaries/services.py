"""Writes on establishments: create, edit (versioned), merge. Every write is audited with its actor."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from simple_history.models import HistoricalChanges

from khuyencong.catalog.models import EstablishmentType, Sector
from khuyencong.core.audit import delete_audited, save_audited
from khuyencong.core.concurrency import update_versioned
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.core.permissions import require_edit
from khuyencong.core.scoping import scope_for
from khuyencong.geo.models import AdminUnit

from . import selectors
from .models import Establishment
from .validators import clean_tax_code

if TYPE_CHECKING:
    from khuyencong.accounts.models import User

EDITABLE_FIELDS = [
    "name",
    "establishment_type",
    "tax_code",
    "business_reg_no",
    "business_reg_date",
    "representative_name",
    "representative_gender",
    "woman_owned",
    "ethnic_minority_owned",
    "street",
    "commune",
    "sector",
    "main_products",
    "employees",
    "founded_year",
    "phone",
    "email",
    "craft_village",
    "notes",
]


class DuplicateTaxCode(DomainError):
    code = "duplicate_tax_code"
    status = 409


def duplicate_tax_code_message(tax_code: str, existing: Establishment) -> str:
    return (
        f"Mã số thuế {tax_code} đã có trong hệ thống: cơ sở {selectors.describe(existing)}. Không tạo trùng."
    )


OUTSIDE_SCOPE_DUPLICATE = "Mã số thuế này đã được đăng ký ở một đơn vị khác; liên hệ Cục để hợp nhất."


def _check_tax_code_free(
    tax_code: str | None, *, actor: "User | None" = None, exclude_pk: int | None = None
) -> None:
    """Refuse a tax code already held by another record. The message names that record only when the actor may
    see it; outside the actor's scope it says nothing about it (no name, place or id)."""
    existing = selectors.establishment_by_tax_code(tax_code)
    if existing is None or existing.pk == exclude_pk:
        return
    if actor is not None and not selectors.establishment_list_for(user=actor).filter(pk=existing.pk).exists():
        raise DuplicateTaxCode(OUTSIDE_SCOPE_DUPLICATE, field="tax_code")
    raise DuplicateTaxCode(duplicate_tax_code_message(tax_code, existing), field="tax_code")


def _check_commune_in_scope(actor: "User | None", commune: AdminUnit) -> None:
    scope = scope_for(actor)
    if scope.sees_all:
        return
    if scope.kind == "province" and commune.current_province_id == scope.province_id:
        return
    if scope.kind == "units" and commune.pk in scope.unit_ids:
        return
    if scope.kind == "establishment":
        return  # its own record: the selector already limited which record it may change
    raise NotAllowed(f"Xã, phường «{commune.name}» không thuộc phạm vi quản lý của đơn vị bạn.")


def _normalise(data: dict) -> dict:
    """Clean what users type: tax code normalised and checked, text stripped, empty tax code → None."""
    data = dict(data)
    if "tax_code" in data:
        data["tax_code"] = clean_tax_code(data["tax_code"])
    for key, value in list(data.items()):
        if isinstance(value, str) and key != "tax_code":
            data[key] = value.strip()
    if isinstance(data.get("establishment_type"), str):
        data["establishment_type"] = EstablishmentType.objects.get(code=data["establishment_type"])
    if isinstance(data.get("sector"), str):
        data["sector"] = Sector.objects.filter(code=data["sector"]).first()
    if isinstance(data.get("commune"), int):
        data["commune"] = AdminUnit.objects.get(pk=data["commune"], level=AdminUnit.Level.COMMUNE)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"Trường không sửa được: {', '.join(sorted(unknown))}.")
    return data


def _validation_to_domain(exc: ValidationError) -> DomainError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return DomainError(
            "; ".join(exc.messages), field=None if field == "__all__" else field, details=exc.message_dict
        )
    return DomainError("; ".join(exc.messages))


@transaction.atomic
def establishment_create(*, actor: "User | None", data: dict, reason: str = "") -> Establishment:
    """A new establishment. Refuses a tax code already used (naming the record holding it) and a commune
    outside the actor's scope. A beneficiary user cannot create records. `actor=None` is the system itself
    (demo data, commands): no role or scope check, history without a user."""
    if actor is not None:
        require_edit(actor, "thêm cơ sở")
        if scope_for(actor).kind == "establishment":
            raise NotAllowed("Tài khoản của cơ sở chỉ được xem và sửa hồ sơ của chính cơ sở mình.")
    data = _normalise(data)
    if not data.get("commune"):
        raise DomainError("Hãy chọn xã, phường của cơ sở.", field="commune")
    if actor is not None:
        _check_commune_in_scope(actor, data["commune"])
    _check_tax_code_free(data.get("tax_code"), actor=actor)
    est = Establishment(**data)
    try:
        est.full_clean(exclude=["province", "search_text"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _validation_to_domain(exc)
    try:
        with transaction.atomic():
            save_audited(est, actor=actor, reason=reason or "Thêm cơ sở")
    except IntegrityError:  # a concurrent insert of the same tax code
        _check_tax_code_free(data.get("tax_code"), actor=actor)
        raise
    return est


def establishment_update(
    *, actor: "User | None", pk: int, expected_version: int | None, changes: dict, reason: str = ""
) -> Establishment:
    """Edit a record the actor may see (a beneficiary: only its own). A stale version is refused.
    `actor=None` is the system (demo data, commands)."""
    if actor is not None:
        require_edit(actor, "sửa hồ sơ cơ sở")
        current = selectors.establishment_get_for(user=actor, pk=pk)  # 404 outside the scope
    else:
        current = Establishment.objects.get(pk=pk)
    changes = _normalise(changes)
    if (
        actor is not None
        and "commune" in changes
        and changes["commune"] is not None
        and changes["commune"].pk != current.commune_id
    ):
        _check_commune_in_scope(actor, changes["commune"])
    if changes.get("tax_code"):
        _check_tax_code_free(changes["tax_code"], actor=actor, exclude_pk=pk)
    try:
        with transaction.atomic():
            return update_versioned(
                Establishment,
                pk=pk,
                expected_version=expected_version,
                changes=changes,
                actor=actor,
                reason=reason or "Sửa hồ sơ cơ sở",
            )
    except ValidationError as exc:
        raise _validation_to_domain(exc)
    except IntegrityError:
        _check_tax_code_free(changes.get("tax_code"), actor=actor, exclude_pk=pk)
        raise


def _pointers_to_establishment():
    """Every relation pointing at Establishment (found generically, so models of later apps are covered),
    except the audit-history copies, which keep what was true at the time."""
    for rel in Establishment._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        if isinstance(rel.related_model, type) and issubclass(rel.related_model, HistoricalChanges):
            continue
        yield rel


def _unique_groups(model, field_name: str) -> list[list[str]]:
    groups = [list(u) for u in model._meta.unique_together if field_name in u]
    for c in model._meta.constraints:
        if (
            isinstance(c, models.UniqueConstraint)
            and c.fields
            and c.condition is None
            and field_name in c.fields
        ):
            groups.append(list(c.fields))
    return groups


def _move_row(row, field, keep: Establishment, *, actor: "User | None", reason: str) -> str:
    """Point `row` at `keep`; if that would duplicate a unique row already pointing at `keep`, drop it."""
    model = type(row)
    for group in _unique_groups(model, field.name):
        others = {f: getattr(row, model._meta.get_field(f).attname) for f in group if f != field.name}
        others = {f"{k}_id" if model._meta.get_field(k).is_relation else k: v for k, v in others.items()}
        if model._default_manager.filter(**{field.attname: keep.pk}, **others).exists():
            delete_audited(row, actor=actor, reason=reason)
            return "dropped"
    setattr(row, field.attname, keep.pk)
    if hasattr(row, "version"):
        row.version += 1
    if hasattr(model, "history"):
        save_audited(row, actor=actor, reason=reason)
    else:
        row.save()
    return "moved"


@transaction.atomic
def establishment_merge(*, actor: "User | None", keep_pk: int, remove_pk: int, reason: str = "") -> dict:
    """Merge two records of the same establishment: everything pointing at `remove` (đề án links, accounts,
    awards, loans … whatever the app) is moved to `keep`, blank fields of `keep` are filled from `remove`,
    `remove` is deleted. Both are in the history with the reason "Gộp từ …" / "Gộp vào …".

    Returns counts {"moved": n, "dropped": n} (dropped: a link that `keep` already had)."""
    require_edit(actor, "gộp hồ sơ cơ sở")
    if scope_for(actor).kind == "establishment":
        raise NotAllowed("Tài khoản của cơ sở không được gộp hồ sơ.")
    if int(keep_pk) == int(remove_pk):
        raise DomainError("Hãy chọn hai hồ sơ khác nhau để gộp.")
    keep = selectors.establishment_get_for(user=actor, pk=keep_pk)
    remove = selectors.establishment_get_for(user=actor, pk=remove_pk)
    keep = Establishment.objects.select_for_update().get(pk=keep.pk)
    remove = Establishment.objects.select_for_update().get(pk=remove.pk)
    label = (
        f"Gộp từ «{remove.name}»"
        + (f" (MST {remove.tax_code})" if remove.tax_code else "")
        + f", mã hồ sơ #{remove.pk}"
    )
    if reason:
        label += f": {reason}"
    counts = {"moved": 0, "dropped": 0}
    for rel in _pointers_to_establishment():
        if rel.many_to_many:
            through = rel.through
            if not through._meta.auto_created:
                continue  # an explicit through model: its foreign key is handled as a one-to-many below
            m2m = rel.field
            src = m2m.m2m_reverse_field_name()  # the column pointing at Establishment
            other = m2m.m2m_field_name()
            rows = through.objects.filter(**{src: remove.pk})
            already = set(through.objects.filter(**{src: keep.pk}).values_list(f"{other}_id", flat=True))
            for row in rows:
                if getattr(row, f"{other}_id") in already:
                    row.delete()
                    counts["dropped"] += 1
                else:
                    setattr(row, f"{src}_id", keep.pk)
                    row.save()
                    counts["moved"] += 1
            continue
        field = rel.field
        rows = list(rel.related_model._default_manager.filter(**{field.attname: remove.pk}))
        if (
            rel.one_to_one
            and rows
            and rel.related_model._default_manager.filter(**{field.attname: keep.pk}).exists()
        ):
            raise DomainError(
                f"Không gộp được: cả hai hồ sơ đều đã có {rel.related_model._meta.verbose_name} riêng. "
                "Hãy xử lý bản ghi đó trước khi gộp."
            )
        for row in rows:
            counts[_move_row(row, field, keep, actor=actor, reason=label)] += 1
    # Fill what `keep` lacks from `remove`; the tax code moves only after `remove` is gone (unique).
    fills = {}
    for name in EDITABLE_FIELDS:
        mine, theirs = getattr(keep, name), getattr(remove, name)
        if mine in (None, "", False) and theirs not in (None, "", False):
            fills[name] = theirs
    removed_name = remove.name
    delete_audited(remove, actor=actor, reason=f"Gộp vào «{keep.name}», mã hồ sơ #{keep.pk}")
    for name, value in fills.items():
        setattr(keep, name, value)
    keep.version += 1
    save_audited(keep, actor=actor, reason=label)
    counts["removed_name"] = removed_name
    return counts
