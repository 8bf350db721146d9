""" "Việc cần làm": what each user should act on next, counted from the scoped selectors, with a link to
exactly
those records. The home page, GET /api/v1/me/tasks/ and the daily e-mail digest (manage.py send_reminders)
read
the same queue."""

import datetime as dt
from dataclasses import asdict, dataclass

from django.utils import timezone

from .permissions import ADMIN, APPROVER, OFFICER, role_of
from .scoping import scope_for

SOON_DAYS = 7


@dataclass
class Task:
    key: str
    label: str  # "3 đề án chờ thẩm định"
    count: int
    url: str
    level: str = "info"  # "info" | "warning" (due soon) | "danger" (late)
    due: dt.date | None = None
    days: int | None = None  # days left (positive) or late (negative)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["due"] = self.due.isoformat() if self.due else None
        return out


def _days_text(days: int) -> str:
    if days < 0:
        return f"trễ {-days} ngày"
    if days == 0:
        return "hạn hôm nay"
    return f"còn {days} ngày"


def tasks_for(user, *, today: dt.date | None = None) -> list[Task]:
    """The user's queue, most urgent first. Empty for anonymous users and establishments' viewers."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    role = role_of(user)
    scope = scope_for(user)
    tasks: list[Task] = []
    tasks += _project_tasks(user, role, today)
    if scope.kind != "establishment":
        tasks += _report_tasks(user, role, scope, today)
    tasks += _job_tasks(user, today)
    from khuyencong.loans.selectors import loan_tasks

    tasks += [Task(**t) for t in loan_tasks(user, role, today)]
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(tasks, key=lambda t: (order[t.level], t.days if t.days is not None else 999))


def _project_tasks(user, role, today) -> list[Task]:
    from khuyencong.projects.models import Status
    from khuyencong.projects.selectors import project_list_for, project_overdue, status_counts

    if role not in (OFFICER, APPROVER, ADMIN):
        return []
    qs = project_list_for(user=user)
    # Counted by the database (GROUP BY; the Cục's home page read 100.000 statuses into Python, 60 ms) and
    # kept until a đề án changes (core.dataversion).
    from khuyencong.core import dataversion

    counts = dataversion.remember(
        "projects", ("status_counts", dataversion.query_key(qs)), lambda: status_counts(qs)
    )
    out = []
    if role in (APPROVER, ADMIN):
        for status, what in (
            (Status.REGISTERED, "chờ thẩm định"),
            (Status.APPRAISED, "chờ phê duyệt"),
            (Status.COMPLETED, "chờ nghiệm thu"),
            (Status.ACCEPTED, "chờ quyết toán"),
            (Status.STOP_REQUESTED, "xin dừng chờ quyết định"),
        ):
            if counts.get(status):
                out.append(
                    Task(
                        f"projects_{status}",
                        f"{counts[status]} đề án {what}",
                        counts[status],
                        f"/projects/?status={status}",
                    )
                )
    if role in (OFFICER, ADMIN):
        if counts.get(Status.DRAFT):
            out.append(
                Task(
                    "projects_draft",
                    f"{counts[Status.DRAFT]} đề án dự thảo chưa đăng ký",
                    counts[Status.DRAFT],
                    f"/projects/?status={Status.DRAFT}",
                )
            )
        late = project_overdue(qs, today).count()
        if late:
            out.append(
                Task(
                    "projects_overdue",
                    f"{late} đề án quá ngày kết thúc mà chưa hoàn thành",
                    late,
                    "/projects/?overdue=1",
                    level="danger",
                )
            )
    return out


def _report_tasks(user, role, scope, today) -> list[Task]:
    from khuyencong.reports.models import ReportStatus
    from khuyencong.reports.selectors import report_list_for

    qs = report_list_for(user=user)
    out = []
    steps = []
    if role in (OFFICER, APPROVER, ADMIN):
        steps.append((ReportStatus.DRAFT, "cần lập, trình Sở"))
    if role in (APPROVER, ADMIN):
        steps.append((ReportStatus.PREPARED, "chờ Sở duyệt, gửi Cục"))
        if scope.sees_all:
            steps.append((ReportStatus.SUBMITTED, "chờ Cục tiếp nhận"))
    for status, what in steps:
        for r in qs.filter(status=status).order_by("deadline", "pk")[:20]:
            days = (r.deadline - today).days if r.deadline else None
            level = "info"
            if days is not None and days < 0 and status != ReportStatus.SUBMITTED:
                level = "danger"
            elif days is not None and days <= SOON_DAYS and status != ReportStatus.SUBMITTED:
                level = "warning"
            when = (
                f" ({_days_text(days)}, hạn {r.deadline:%d/%m/%Y})"
                if days is not None and status != ReportStatus.SUBMITTED
                else ""
            )
            out.append(
                Task(
                    f"report_{r.pk}",
                    f"{r} {what}{when}",
                    1,
                    f"/reports/{r.pk}/",
                    level=level,
                    due=r.deadline,
                    days=days,
                )
            )
    return out


def _job_tasks(user, today) -> list[Task]:
    from khuyencong.reports.models import ReportJob

    since = timezone.now() - dt.timedelta(days=SOON_DAYS)
    done = ReportJob.objects.filter(
        created_by=user, status=ReportJob.Status.DONE, updated_at__gte=since
    ).count()
    if not done:
        return []
    return [
        Task(
            "jobs_done", f"{done} báo cáo tổng hợp chạy nền đã xong, sẵn sàng tải về", done, "/reports/jobs/"
        )
    ]


def digest_for(user, *, today: dt.date | None = None) -> list[Task]:
    """What the daily e-mail lists: what is late or due within 7 days, and what waits for the user's
    decision."""
    return [
        t
        for t in tasks_for(user, today=today)
        if t.level in ("danger", "warning")
        or t.key.startswith(
            (
                "projects_registered",
                "projects_appraised",
                "projects_completed",
                "projects_accepted",
                "projects_stop_requested",
            )
        )
    ]
