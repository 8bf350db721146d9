"""Activities for tests, made through the services (so history rows exist)."""

import datetime as dt

from khuyencong import testing

from .. import services
from ..models import ActivityKind


def activity(officer, *, kind="hoi-cho-trong-nuoc", province="Bến Tre", title=None, start=None, **extra):
    start = start or dt.date(2016, 5, 10)
    return services.activity_create(
        actor=officer,
        kind=ActivityKind.objects.get(code=kind),
        title=title or f"Hoạt động thử ({kind})",
        start_date=start,
        end_date=extra.pop("end", start + dt.timedelta(days=3)),
        unit=testing.old_province(province),
        **extra,
    )
