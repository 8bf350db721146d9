from khuyencong import testing
from khuyencong.reports.models import Report
from khuyencong.reports.periods import HALF, Period
from khuyencong.reports.services import report_create, report_transition


def make_report(actor, unit=None, period=None, **fields):
    unit = unit or testing.old_province("Bến Tre")
    period = period or Period.make(HALF, 2016)
    return report_create(actor=actor, unit=unit, period=period, **fields)


def move(actor, report_id: int, to_status: str, **kwargs):
    """A transition as the page sends it: with the version the page read (the current one)."""
    version = Report.objects.values_list("version", flat=True).get(pk=report_id)
    return report_transition(
        actor=actor, report_id=report_id, to_status=to_status, expected_version=version, **kwargs
    )
