import datetime as dt

import pytest

from khuyencong.reports.periods import CUSTOM, HALF, NINE_MONTHS, QUARTER, YEAR, Period, PeriodError


def test_period_kinds_and_labels():
    assert Period.make(HALF, 2018).end == dt.date(2018, 6, 30)
    assert Period.make(HALF, 2018).label == "6 tháng đầu năm 2018"
    assert Period.make(NINE_MONTHS, 2016).end == dt.date(2016, 9, 30)
    assert Period.make(NINE_MONTHS, 2016).label == "9 tháng năm 2016"
    q2 = Period.make(QUARTER, 2019, 2)
    assert (q2.start, q2.end, q2.label) == (dt.date(2019, 4, 1), dt.date(2019, 6, 30), "Quý II năm 2019")
    assert Period.make(QUARTER, 2019, 4).end == dt.date(2019, 12, 31)
    assert Period.make(YEAR, 2018).as_of == dt.date(2018, 12, 31)
    c = Period.make(CUSTOM, start=dt.date(2018, 3, 1), end=dt.date(2018, 8, 15))
    assert c.label == "Từ ngày 01/03/2018 đến ngày 15/08/2018"
    assert c.as_of == dt.date(2018, 8, 15)


def test_period_keys_round_trip_and_previous_year():
    for p in [
        Period.make(HALF, 2018),
        Period.make(QUARTER, 2019, 3),
        Period.make(YEAR, 2020),
        Period.make(CUSTOM, start=dt.date(2018, 1, 1), end=dt.date(2018, 6, 30)),
    ]:
        assert Period.parse(p.key) == p
    assert Period.make(HALF, 2019).same_period_previous_year() == Period.make(HALF, 2018)


def test_invalid_periods_are_refused_in_vietnamese():
    with pytest.raises(PeriodError, match="Quý phải từ 1 đến 4"):
        Period.make(QUARTER, 2019, 5)
    with pytest.raises(PeriodError, match="Ngày kết thúc phải sau ngày bắt đầu"):
        Period.make(CUSTOM, start=dt.date(2019, 2, 1), end=dt.date(2019, 1, 1))
    with pytest.raises(PeriodError):
        Period.parse("abc")
