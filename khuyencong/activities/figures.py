"""Figures from the activity records, for periodic reports, the dashboard and programme targets (through the
reports app's record_figures hook), and the establishment's support history.

What counts in a window [start, end] for a unit (business dates only):
- an activity counts when it was held (status held or reported) with its «đã tổ chức» date in the window, and
  its unit (the province or office whose programme it belongs to) lies in the scope;
- its participations are «lượt cơ sở», its trainee counts are «học viên»; employment after training counts at
  the follow-up date; information pieces count at their publication date; an audit or assessment counts with
  its activity.
Indicator codes are returned only for a scope that has activity records of that kind, so a province that
still types its outputs on a đề án keeps them until it records the activities."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.urls import reverse

from .models import (
    ASSESSMENT_GROUPS,
    COUNTED_STATUSES,
    TRAINEE_GROUPS,
    Activity,
    ActivityKind,
    ActivityStatus,
    Assessment,
    InfoPiece,
    KindGroup,
    Participation,
    ParticipationSupport,
)

TEXT, MONEY, INT = "text", "money", "int"

# The catalogue indicators these records count (a đề án's typed values of them give way to the records').
COMPUTED_CODES = ("luot-hoi-cho", "hoc-vien", "lao-dong-co-viec", "lop-tap-huan", "tuyen-truyen", "tu-van")

HEADERS = [
    "Loại hoạt động",
    "Số hoạt động (kỳ, lớp, đoàn…)",
    "Lượt cơ sở tham gia",
    "Gian hàng",
    "Học viên, đại biểu",
    "Tin, bài, ấn phẩm",
    "Cơ sở được kiểm toán, đánh giá",
    "Kinh phí hỗ trợ cơ sở (đồng)",
]
KINDS = [TEXT, INT, INT, INT, INT, INT, INT, MONEY]
NOTES = [
    "Đếm từ hồ sơ hoạt động: hoạt động tính vào kỳ theo ngày đã tổ chức (biên bản) trong kỳ; tin, bài theo "
    "ngày đăng, phát sóng; hoạt động chưa tổ chức hoặc đã hủy không tính."
]


def _in_scope(scope, path: str = "unit") -> Q:
    return scope.place_q(path)


def held_activities(scope):
    return Activity.objects.filter(
        _in_scope(scope), status__in=COUNTED_STATUSES, held_on__gte=scope.start, held_on__lte=scope.end
    )


def _pieces(scope):
    return InfoPiece.objects.filter(
        _in_scope(scope, "activity__unit"),
        published_on__gte=scope.start,
        published_on__lte=scope.end,
    ).exclude(activity__status=ActivityStatus.CANCELLED)


def _covered_groups(scope) -> set[str]:
    qs = (
        Activity.objects.filter(_in_scope(scope), start_date__lte=scope.end)
        .exclude(status=ActivityStatus.CANCELLED)
        .values_list("kind__group", flat=True)
        .distinct()
    )
    return set(qs)


def outputs(scope) -> dict[str, int]:
    """Values of the catalogue's indicators that these records cover (see the module docstring)."""
    groups = _covered_groups(scope)
    if not groups:
        return {}
    held = held_activities(scope)
    out: dict[str, int] = {}
    if KindGroup.FAIR in groups:
        out["luot-hoi-cho"] = Participation.objects.filter(
            activity__in=held.filter(kind__group=KindGroup.FAIR)
        ).count()
    if KindGroup.VOCATIONAL in groups:
        voc = held.filter(kind__group=KindGroup.VOCATIONAL)
        out["hoc-vien"] = voc.aggregate(n=Sum("trainees_total"))["n"] or 0
        employed = Activity.objects.filter(
            _in_scope(scope),
            kind__group=KindGroup.VOCATIONAL,
            status__in=COUNTED_STATUSES,
            employed_on__gte=scope.start,
            employed_on__lte=scope.end,
        )
        out["lao-dong-co-viec"] = employed.aggregate(n=Sum("employed_count"))["n"] or 0
    if groups & TRAINEE_GROUPS:
        out["lop-tap-huan"] = held.filter(kind__group__in=TRAINEE_GROUPS).count()
    if KindGroup.INFORMATION in groups:
        out["tuyen-truyen"] = _pieces(scope).count()
    if groups & (ASSESSMENT_GROUPS | {KindGroup.CONSULTANCY}):
        consulted = Participation.objects.filter(activity__in=held.filter(kind__group=KindGroup.CONSULTANCY))
        assessed = Assessment.objects.filter(activity__in=held)
        out["tu-van"] = consulted.count() + assessed.count()
    return out


def section_rows(scope) -> list[list]:
    """One row per kind that has something in the window, in the catalogue's order."""
    held = held_activities(scope)
    per_kind = defaultdict(lambda: [0] * 7)
    for kind_id, n, trainees in (
        held.order_by().values_list("kind_id").annotate(n=Count("pk"), t=Sum("trainees_total"))
    ):
        per_kind[kind_id][0] += n
        per_kind[kind_id][3] += trainees or 0
    for kind_id, n, booths in (
        Participation.objects.filter(activity__in=held)
        .order_by()
        .values_list("activity__kind_id")
        .annotate(n=Count("pk"), b=Sum("booths"))
    ):
        per_kind[kind_id][1] += n
        per_kind[kind_id][2] += booths or 0
    from .models import Attendee

    for kind_id, people in (
        Attendee.objects.filter(activity__in=held)
        .order_by()
        .values_list("activity__kind_id")
        .annotate(n=Sum("count"))
    ):
        per_kind[kind_id][3] += people or 0
    for kind_id, n in _pieces(scope).order_by().values_list("activity__kind_id").annotate(n=Count("pk")):
        per_kind[kind_id][4] += n
    for kind_id, n in (
        Assessment.objects.filter(activity__in=held)
        .order_by()
        .values_list("activity__kind_id")
        .annotate(n=Count("pk"))
    ):
        per_kind[kind_id][5] += n
    for kind_id, amount in (
        ParticipationSupport.objects.filter(participation__activity__in=held)
        .order_by()
        .values_list("participation__activity__kind_id")
        .annotate(s=Sum("amount"))
    ):
        per_kind[kind_id][6] += amount or 0
    rows = []
    for kind in ActivityKind.objects.filter(pk__in=list(per_kind)).order_by("order", "name"):
        rows.append([kind.name, *per_kind[kind.pk]])
    return rows


def section(scope):
    from khuyencong.reports.record_figures import Section

    rows = section_rows(scope)
    if not rows:
        return None
    return Section(
        key="activities",
        title="Hội chợ, đào tạo, tuyên truyền, tư vấn, kiểm toán năng lượng",
        headers=list(HEADERS),
        kinds=list(KINDS),
        rows=rows,
        totals=None,
        notes=list(NOTES),
    )


def register_report_provider() -> None:
    """Register with the reports app's hook when it is there (khuyencong/reports/record_figures.py)."""
    try:
        from khuyencong.reports.record_figures import register
    except ImportError:  # the hook has not landed on this branch yet
        return
    register(
        "activities",
        title="Hội chợ, đào tạo, tuyên truyền, tư vấn, kiểm toán năng lượng",
        order=20,
        outputs=outputs,
        section=section,
    )


# ------------------------------------------------------------------------------------------ support history


def establishment_support_rows(establishment) -> list[dict]:
    """The establishment's participations (fairs, consultancy) and audits / assessments."""
    rows = []
    parts = (
        Participation.objects.filter(establishment=establishment)
        .select_related("activity", "activity__kind")
        .annotate(support=Sum("supports__amount"))
    )
    for p in parts:
        a = p.activity
        booths = f", {p.booths} gian hàng" if p.booths else ""
        rows.append(
            {
                "date": a.held_on or a.start_date,
                "kind": a.kind.name,
                "title": f"{a.title}{booths}",
                "amount": p.support,
                "status": a.get_status_display(),
                "url": reverse("activities:detail", args=[a.pk]),
            }
        )
    for s in Assessment.objects.filter(establishment=establishment).select_related(
        "activity", "activity__kind"
    ):
        rows.append(
            {
                "date": s.assessed_on,
                "kind": s.activity.kind.name,
                "title": f"{s.activity.title} — tiêu thụ {s.baseline_toe} TOE/năm, tiết kiệm dự kiến "
                f"{s.expected_kwh:,} kWh/năm".replace(",", "."),
                "amount": None,
                "status": s.activity.get_status_display(),
                "url": reverse("activities:detail", args=[s.activity.pk]),
            }
        )
    return rows
