"""What a user may see: computed once per user from their organisation and its administrative unit.

- the Cục (ministry) and superusers see everything;
- a Sở / Trung tâm sees its current province, which includes every pre-2025 unit rolling up into it;
- a commune/district office sees its own unit(s) (and the old units merged into them);
- an establishment's user sees only that establishment's records.

Selectors turn a Scope into a Q with the paths of their model: `scope.q(province="province")`.
There is no unscoped list reachable from a view or the API.
"""

from dataclasses import dataclass, field

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    kind: str  # "all" | "province" | "units" | "establishment" | "none"
    province_id: int | None = None
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    establishment_id: int | None = None

    @property
    def sees_all(self) -> bool:
        return self.kind == "all"

    def q(
        self, *, province: str | None = "province", unit: str | None = None, establishment: str | None = None
    ) -> Q:
        """A filter for a model whose current-province FK path is `province`, administrative-unit path
        `unit`, and establishment path `establishment` ("pk" for the Establishment model itself).
        Paths that a model lacks are passed as None: that kind of user then sees nothing."""
        nothing = Q(pk__in=[])
        if self.kind == "all":
            return Q()
        if self.kind == "province":
            return Q(**{f"{province}_id": self.province_id}) if province else nothing
        if self.kind == "units":
            if unit:
                return Q(**{f"{unit}_id__in": self.unit_ids})
            return nothing
        if self.kind == "establishment":
            if not establishment:
                return nothing
            # "pk" when the model *is* the establishment.
            key = "pk" if establishment == "pk" else f"{establishment}_id"
            return Q(**{key: self.establishment_id})
        return nothing

    def allows_province(self, province_id: int | None) -> bool:
        return self.kind == "all" or (self.kind == "province" and province_id == self.province_id)


NO_SCOPE = Scope("none")


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    cached = getattr(user, "_kc_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._kc_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    from khuyencong.accounts.models import Organisation
    from khuyencong.geo.models import AdminUnit

    if user.is_superuser:
        return Scope("all")
    org = user.organisation
    if org is None:
        return NO_SCOPE
    if org.kind == Organisation.Kind.MINISTRY:
        return Scope("all")
    if org.kind == Organisation.Kind.ESTABLISHMENT:
        return (
            Scope("establishment", establishment_id=org.establishment_id)
            if org.establishment_id
            else NO_SCOPE
        )
    unit = org.unit
    if unit is None:
        return NO_SCOPE
    if (
        org.kind in (Organisation.Kind.DEPARTMENT, Organisation.Kind.CENTRE)
        or unit.level == AdminUnit.Level.PROVINCE
    ):
        return Scope("province", province_id=unit.current_province_id)
    # Commune/district office: its unit, the units below it, and the old units merged into them.
    ids = {unit.id}
    ids |= set(AdminUnit.objects.filter(parent=unit).values_list("id", flat=True))
    ids |= set(AdminUnit.objects.filter(successions__new_unit_id__in=ids).values_list("id", flat=True))
    ids |= set(AdminUnit.objects.filter(predecessions__old_unit_id__in=ids).values_list("id", flat=True))
    return Scope("units", province_id=unit.current_province_id, unit_ids=frozenset(ids))
