"""Reads of the portal, scoped to the reader: an establishment's user sees only its own establishment's
records; an officer sees the applications and profile changes of its province (the work queue). Anything
else answers 404."""

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from khuyencong.core.scoping import scope_for

from .models import Application, ApplicationStatus, Attachment, Notification, ProfileChange


def _q(user, path: str = "establishment") -> Q:
    scope = scope_for(user)
    if scope.kind == "units":
        return Q(**{f"{path}__commune_id__in": scope.unit_ids})
    return scope.q(province=f"{path}__province", establishment=path)


def application_list_for(*, user) -> QuerySet[Application]:
    return Application.objects.filter(_q(user)).select_related(
        "establishment", "content", "support_cap", "project", "project__plan", "province"
    )


def application_get_for(*, user, pk) -> Application:
    found = application_list_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def work_queue(*, user) -> QuerySet[Application]:
    """What waits for the office: submitted applications in the reader's province (nothing for an
    establishment)."""
    if scope_for(user).kind not in ("all", "province"):
        return Application.objects.none()
    return (
        application_list_for(user=user)
        .filter(status=ApplicationStatus.SUBMITTED)
        .order_by("submitted_on", "pk")
    )


def attachment_get_for(*, user, pk) -> Attachment:
    found = Attachment.objects.filter(pk=pk, application__in=application_list_for(user=user)).first()
    if found is None:
        raise Http404
    return found


def profile_changes_for(*, user) -> QuerySet[ProfileChange]:
    return ProfileChange.objects.filter(_q(user)).select_related("establishment", "proposed_by")


def profile_change_get_for(*, user, pk) -> ProfileChange:
    found = profile_changes_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def notifications_for(*, user) -> QuerySet[Notification]:
    scope = scope_for(user)
    if scope.kind != "establishment":
        return Notification.objects.none()
    return Notification.objects.filter(establishment_id=scope.establishment_id).select_related("application")


# ------------------------------------------------------------------------------------------------ received


def own_projects(establishment_id: int):
    """The establishment's đề án with money per source (requested, approved, paid) and payments."""
    from khuyencong.projects.models import Disbursement, Project, ProjectFunding

    projects = list(
        Project.objects.filter(beneficiaries__establishment_id=establishment_id)
        .select_related("plan", "content")
        .order_by("-plan__year", "code")
    )
    ids = [p.pk for p in projects]
    money: dict = {}
    for row in ProjectFunding.objects.filter(project_id__in=ids).select_related("source"):
        money.setdefault(row.project_id, {})[row.source.code] = {
            "source": row.source.short_name,
            "requested": row.requested,
            "approved": row.approved,
            "paid": 0,
        }
    paid = (
        Disbursement.objects.filter(project_id__in=ids)
        .values("project_id", "source__code", "source__short_name")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        slot = money.setdefault(row["project_id"], {}).setdefault(
            row["source__code"],
            {"source": row["source__short_name"], "requested": 0, "approved": 0, "paid": 0},
        )
        slot["paid"] = row["total"]
    payments: dict = {}
    for d in Disbursement.objects.filter(project_id__in=ids).select_related("source").order_by("date", "pk"):
        payments.setdefault(d.project_id, []).append(d)
    for p in projects:
        p.money_rows = list(money.get(p.pk, {}).values())
        p.payment_rows = payments.get(p.pk, [])
    return projects


def own_certificates(establishment_id: int):
    from khuyencong.awards.models import Certificate

    return (
        Certificate.objects.filter(establishment_id=establishment_id)
        .select_related("product", "round")
        .order_by("-issued_on")
    )


def other_support(establishment):
    """What the other apps (activities, loans, …) registered as support history providers say the
    establishment received, without the đề án and certificates shown above."""
    from khuyencong.beneficiaries.selectors import establishment_support_history

    shown = {"Đề án", "Bình chọn sản phẩm CNNT tiêu biểu"}
    return [r for r in establishment_support_history(establishment) if r.kind not in shown]
