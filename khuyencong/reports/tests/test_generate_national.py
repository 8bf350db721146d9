import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khuyencong import testing
from khuyencong.projects.models import Project, StatusChange
from khuyencong.reports.aggregation import aggregate
from khuyencong.reports.compute import compute_figures
from khuyencong.reports.periods import HALF, YEAR, Period

pytestmark = pytest.mark.django_db


def test_generate_national_small_dataset_feeds_the_as_of_reports(cuc_admin):
    out = io.StringIO()
    call_command(
        "generate_national", seed=3, projects=400, establishments=600, years=3, last_year=2020, stdout=out
    )
    assert "xong" in out.getvalue()
    assert Project.objects.filter(code__startswith="NAT-").count() == 400
    # Every đề án has a full status history from its creation.
    assert (
        not Project.objects.filter(code__startswith="NAT-")
        .exclude(pk__in=StatusChange.objects.filter(action="create").values("project_id"))
        .exists()
    )
    agg = aggregate(
        user=cuc_admin, region=None, period=Period.make(YEAR, 2019), source="live", rollup="current"
    )
    assert agg["totals"]["plan"] > 0 and 0 < agg["totals"]["disbursed"] <= agg["totals"]["plan"]
    assert agg["totals"]["approved"] > 0
    # As of mid-year no đề án of that year is settled yet.
    unit = Project.objects.filter(code__startswith="NAT-2019").first().plan.unit
    fig = compute_figures(unit, Period.make(HALF, 2019))
    assert fig["projects"] and all(p["status"] not in ("settled", "accepted") for p in fig["projects"])
    with pytest.raises(CommandError, match="--reset"):
        call_command(
            "generate_national", seed=3, projects=10, establishments=10, years=1, stdout=io.StringIO()
        )
    call_command(
        "generate_national",
        seed=4,
        projects=100,
        establishments=100,
        years=1,
        last_year=2020,
        reset=True,
        stdout=io.StringIO(),
    )
    assert Project.objects.filter(code__startswith="NAT-").count() == 100
    assert testing.current_province("Vĩnh Long")  # units untouched
