"""The maintained as-of table (`ProjectAsOf`): each đề án's status, progress and money on every day, as
ranges.

Rebuilt per đề án from its records — status changes, the ProjectFunding history rows, disbursements — with the
same rules as the as-of selector (`selectors.with_figures(as_of=)`): on day D a đề án exists once it has a
status
change dated up to D; its status and progress are those of the last such change (by date, then id); its money
that of each funding row's last history row up to D (deleted rows and the counterpart source left out); its
disbursed money the sum of disbursements dated up to D.

Which column dates a change is said here once (`STATUS_DATE`, `FUNDING_DATE`): the builder reads them and the
list queries only compare days with `valid_from` / `valid_to`.

Freshness: every save or delete of a đề án's status change, funding row or disbursement marks the đề án
(`ProjectAsOfDirty`, same transaction); `refresh()` rebuilds the marked ones and is called before the lists
read
the table. Bulk loaders that bypass the model signals (generate_national) call `rebuild()` for everything.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from khuyencong.core import dataversion
from khuyencong.core.bulk import insert_rows

from .models import FAR_FUTURE, Disbursement, ProjectAsOf, ProjectAsOfDirty, ProjectFunding, StatusChange

# The column that dates a status change and a funding history row (a datetime is read as its local day).
STATUS_DATE = "effective_date"
FUNDING_DATE = "effective_date"


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _rows_for(project_ids: list[int]) -> list[dict]:
    """The as-of rows of these đề án, as column → value dicts (what `insert_rows` writes)."""
    changes: dict[int, list] = {}
    for pid, at, pk, status, progress in (
        StatusChange.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list("project_id", STATUS_DATE, "pk", "to_status", "progress_pct")
    ):
        if at is not None:  # an undated row counts on no day (as in the selector's `<=`)
            changes.setdefault(pid, []).append((_day(at), at, pk, status, progress))
    H = ProjectFunding.history.model
    funding: dict[int, list] = {}
    for pid, at, hid, fid, kind, requested, approved in (
        H.objects.filter(project_id__in=project_ids)
        .exclude(source__code="counterpart")
        .order_by()
        .values_list("project_id", FUNDING_DATE, "history_id", "id", "history_type", "requested", "approved")
    ):
        if at is not None:
            funding.setdefault(pid, []).append((_day(at), at, hid, fid, kind, requested, approved))
    paid: dict[int, list] = {}
    for pid, day, amount in (
        Disbursement.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list("project_id", "date", "amount")
    ):
        paid.setdefault(pid, []).append((day, amount))

    out = []
    for pid, events in changes.items():
        events.sort(key=lambda e: (e[1], e[2]))
        fund = sorted(funding.get(pid, ()), key=lambda e: (e[1], e[2]))
        pays = sorted(paid.get(pid, ()))
        first = events[0][0]
        days = sorted(
            {first}
            | {e[0] for e in events if e[0] > first}
            | {e[0] for e in fund if e[0] > first}
            | {e[0] for e in pays if e[0] > first}
        )
        i = j = k = 0
        status = progress = None
        current: dict[int, tuple[int, int] | None] = {}
        disbursed = 0
        rows = []
        for day in days:
            while i < len(events) and events[i][0] <= day:
                status, progress = events[i][3], events[i][4]
                i += 1
            while j < len(fund) and fund[j][0] <= day:
                _d, _at, _hid, fid, kind, requested, approved = fund[j]
                current[fid] = None if kind == "-" else (requested, approved)
                j += 1
            while k < len(pays) and pays[k][0] <= day:
                disbursed += pays[k][1]
                k += 1
            values = [v for v in current.values() if v is not None]
            rows.append(
                {
                    "project_id": pid,
                    "valid_from": day,
                    "valid_to": FAR_FUTURE,
                    "bucket": ProjectAsOf.OPEN,
                    "status": status,
                    "progress_pct": progress,
                    "requested": sum(v[0] for v in values),
                    "approved": sum(v[1] for v in values),
                    "disbursed": disbursed,
                }
            )
        for row, nxt in zip(rows, rows[1:] + [None], strict=True):
            if nxt is None:
                out.append(row)  # the open-ended row, in the OPEN bucket
                continue
            start, stop = row["valid_from"], nxt["valid_from"]
            while start < stop:  # a closed row cut at every 1 January it spans (see split_by_year)
                end = min(stop, dt.date(start.year + 1, 1, 1))
                out.append({**row, "valid_from": start, "valid_to": end, "bucket": start.year})
                start = end
    return out


def split_by_year(row: ProjectAsOf) -> list[ProjectAsOf]:
    """A closed row cut at every 1 January it spans, each piece in the bucket of its year; the open-ended row
    as it is, in the OPEN bucket (see ProjectAsOf.bucket)."""
    if row.valid_to == FAR_FUTURE:
        row.bucket = ProjectAsOf.OPEN
        return [row]
    pieces, start = [], row.valid_from
    while start < row.valid_to:
        end = min(row.valid_to, dt.date(start.year + 1, 1, 1))
        piece = ProjectAsOf(
            project_id=row.project_id,
            valid_from=start,
            valid_to=end,
            bucket=start.year,
            status=row.status,
            progress_pct=row.progress_pct,
            requested=row.requested,
            approved=row.approved,
            disbursed=row.disbursed,
        )
        pieces.append(piece)
        start = end
    return pieces


def rebuild(project_ids: Iterable[int] | None = None, *, chunk: int = 2000) -> int:
    """Rebuild the rows of these đề án (all of them when None); returns the number of rows written."""
    from .models import Project

    if project_ids is None:
        ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
        with connection.cursor() as cur:
            cur.execute(f'DELETE FROM "{ProjectAsOf._meta.db_table}"')
        ProjectAsOfDirty.objects.all().delete()
        fresh = True
    else:
        ids, fresh = sorted(set(project_ids)), False
    written = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = _rows_for(part)
        with transaction.atomic():
            if not fresh:
                ProjectAsOf.objects.filter(project_id__in=part).delete()
            insert_rows(ProjectAsOf, rows)
            ProjectAsOfDirty.objects.filter(project_id__in=part).delete()
        written += len(rows)
    # A rebuild follows writes that no model signal announced (raw loads, the plan import's set-based insert):
    # kept answers are out of date. (The marked rows `refresh` rebuilds while reading follow a change whose
    # signals bumped the figures group already.)
    dataversion.bump("projects")
    dataversion.bump(dataversion.FIGURES)
    return written


def refresh() -> int:
    """Rebuild the marked đề án (none, usually: a few after a change). Called before every read of the
    table."""
    if not ProjectAsOfDirty.objects.exists():
        return 0
    with transaction.atomic():
        qs = ProjectAsOfDirty.objects.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("project_id", flat=True))
        if not ids:
            return 0
        ProjectAsOf.objects.filter(project_id__in=ids).delete()
        insert_rows(ProjectAsOf, _rows_for(ids))
        ProjectAsOfDirty.objects.filter(project_id__in=ids).delete()
        dataversion.bump("projects")
    return len(ids)


def mark(project_ids: Iterable[int | None]) -> None:
    ids = {pid for pid in project_ids if pid}
    if ids:
        ProjectAsOfDirty.objects.bulk_create(
            [ProjectAsOfDirty(project_id=pid) for pid in ids], ignore_conflicts=True
        )


def _changed(sender, instance, **kwargs):
    mark([instance.project_id])


def connect_signals() -> None:
    for model in (StatusChange, ProjectFunding, Disbursement):
        post_save.connect(_changed, sender=model, dispatch_uid=f"kc_asof_{model.__name__}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"kc_asof_{model.__name__}_delete")
