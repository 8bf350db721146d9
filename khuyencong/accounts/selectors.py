from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from khuyencong.core.collation import vi_order
from khuyencong.core.scoping import scope_for

from .models import Organisation


def organisation_list_for(*, user) -> QuerySet[Organisation]:
    scope = scope_for(user)
    qs = Organisation.objects.select_related("unit")
    if scope.kind == "all":
        return qs
    if scope.kind in ("province", "units"):
        return qs.filter(Q(unit__current_province_id=scope.province_id) | Q(pk=user.organisation_id))
    return qs.filter(pk=user.organisation_id)


def organisation_get_for(*, user, pk: int) -> Organisation:
    return get_object_or_404(organisation_list_for(user=user), pk=pk)


def managed_organisations(*, user) -> QuerySet[Organisation]:
    """Organisations whose users this admin manages: all for the Cục's admin; for a Sở's admin those of its
    province (its own Sở, centre, commune offices, establishments); nothing for anyone else."""
    from khuyencong.core.permissions import is_admin

    from .models import Organisation as Org

    if not is_admin(user):
        return Org.objects.none()
    scope = scope_for(user)
    qs = Org.objects.select_related("unit", "parent", "establishment")
    if scope.sees_all:
        return qs
    if scope.kind == "province" and user.organisation and user.organisation.kind == Org.Kind.DEPARTMENT:
        return qs.filter(
            Q(unit__current_province_id=scope.province_id)
            | Q(unit_id=scope.province_id)
            | Q(establishment__province_id=scope.province_id)
        ).exclude(kind=Org.Kind.MINISTRY)
    return Org.objects.none()


def managed_organisation_get(*, user, pk: int) -> Organisation:
    return get_object_or_404(managed_organisations(user=user), pk=pk)


def user_list_for(*, user):
    """Users an admin manages (see managed_organisations); 404-style empty for anyone else."""
    from .models import User

    return (
        User.objects.filter(organisation__in=managed_organisations(user=user))
        .select_related("organisation", "organisation__unit")
        .order_by(vi_order("organisation__name"), "username")
    )


def user_get_for(*, user, pk: int):
    return get_object_or_404(user_list_for(user=user), pk=pk)
