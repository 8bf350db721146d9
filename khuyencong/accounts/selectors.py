from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

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
