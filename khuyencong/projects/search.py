"""The đề án's search column (`Project.search_text`): folded code and title, then each beneficiary's folded
text, separated by " | " (no search word contains it, so a word never matches across two parts). One column
with a pg_trgm index serves the `?q=` filter: on PostgreSQL the words' index scans are ANDed.

Kept in step here: a beneficiary linked or unlinked (ProjectBeneficiary saved/deleted), an establishment saved
(renamed, moved…) and the bulk establishment import (which calls `refresh_for_establishments`)."""

from django.db.models.signals import post_delete, post_save

from khuyencong.core.text import fold

from .models import Project, ProjectBeneficiary


def refresh_search_text(project_ids) -> int:
    ids = sorted({pid for pid in project_ids if pid})
    if not ids:
        return 0
    others: dict[int, list[str]] = {}
    for pid, text in (
        ProjectBeneficiary.objects.filter(project_id__in=ids)
        .order_by("pk")
        .values_list("project_id", "establishment__search_text")
    ):
        others.setdefault(pid, []).append(text)
    rows = []
    for pk, code, title in Project.objects.filter(pk__in=ids).values_list("pk", "code", "title"):
        rows.append(Project(pk=pk, search_text=" | ".join([fold(f"{code} {title}"), *others.get(pk, [])])))
    Project.objects.bulk_update(rows, ["search_text"], batch_size=2000)
    return len(rows)


def refresh_for_establishments(establishment_ids) -> int:
    ids = list({e for e in establishment_ids if e})
    if not ids:
        return 0
    return refresh_search_text(
        ProjectBeneficiary.objects.filter(establishment_id__in=ids)
        .values_list("project_id", flat=True)
        .distinct()
    )


def _link_changed(sender, instance, **kwargs):
    refresh_search_text([instance.project_id])


def _establishment_saved(sender, instance, **kwargs):
    refresh_for_establishments([instance.pk])


def connect_signals() -> None:
    from khuyencong.beneficiaries.models import Establishment

    post_save.connect(_link_changed, sender=ProjectBeneficiary, dispatch_uid="kc_search_link_save")
    post_delete.connect(_link_changed, sender=ProjectBeneficiary, dispatch_uid="kc_search_link_delete")
    post_save.connect(_establishment_saved, sender=Establishment, dispatch_uid="kc_search_establishment_save")
