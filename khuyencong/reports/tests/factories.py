from khuyencong import testing
from khuyencong.reports.periods import HALF, Period
from khuyencong.reports.services import report_create


def make_report(actor, unit=None, period=None, **fields):
    unit = unit or testing.old_province("Bến Tre")
    period = period or Period.make(HALF, 2016)
    return report_create(actor=actor, unit=unit, period=period, **fields)
