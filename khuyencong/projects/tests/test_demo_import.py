"""Issue 13 item 4: the demo's đề án come from the committed Excel files (demo_data/) through the plan import,
as the province's officer uploads them, and read the figures the demo read when its loader walked the services
step by step: the values below were taken from that loader (seeds 004 and 000) before the change.

Every day a step or a payment is dated, the day before it and every month end: each đề án's as-of status,
progress and money, and the plan's totals; the report dates read the seeds' sentences."""

import datetime as dt

import pytest

from khuyencong.accounts.models import User
from khuyencong.beneficiaries.imports import read_rows
from khuyencong.projects import demo_source, plan_import, selectors
from khuyencong.projects.demo import DATA
from khuyencong.projects.models import AnnualPlan, Disbursement, Project, ProjectOutput, StatusChange
from khuyencong.projects.tests.factories import old_province

TR = 1_000_000

# plan → đề án → from which day (dd/mm/yyyy) its as-of list row reads: status, progress %, requested,
# approved, disbursed (triệu đồng; the state budget's sources, counterpart left out)
EXPECTED = {
    ("Bắc Kạn", 2018, "national"): {
        "BK18-QG-01": [
            ("15/07/2017", "draft", 0, 200, 0, 0),
            ("20/07/2017", "registered", 0, 200, 0, 0),
            ("25/04/2018", "appraised", 0, 200, 0, 0),
            ("21/05/2018", "approved", 0, 200, 200, 0),
            ("05/06/2018", "contracted", 0, 200, 200, 0),
            ("12/06/2018", "contracted", 0, 200, 200, 60),
            ("25/06/2018", "in_progress", 30, 200, 200, 60),
            ("15/09/2018", "in_progress", 80, 200, 200, 60),
            ("20/11/2018", "completed", 100, 200, 200, 60),
            ("05/12/2018", "accepted", 100, 200, 200, 60),
            ("14/12/2018", "accepted", 100, 200, 200, 200),
        ],
        "BK18-QG-02": [
            ("15/07/2017", "draft", 0, 200, 0, 0),
            ("20/07/2017", "registered", 0, 200, 0, 0),
            ("25/04/2018", "appraised", 0, 200, 0, 0),
            ("21/05/2018", "approved", 0, 200, 200, 0),
        ],
        "BK18-QG-03": [
            ("15/07/2017", "draft", 0, 200, 0, 0),
            ("20/07/2017", "registered", 0, 200, 0, 0),
            ("25/04/2018", "appraised", 0, 200, 0, 0),
            ("21/05/2018", "approved", 0, 200, 200, 0),
            ("18/06/2018", "stop_requested", 0, 200, 200, 0),
            ("01/08/2018", "stopped", 0, 200, 200, 0),
        ],
    },
    ("Bắc Kạn", 2018, "local"): {
        "BK18-DP-01": [
            ("10/01/2018", "draft", 0, 60, 0, 0),
            ("12/01/2018", "registered", 0, 60, 0, 0),
            ("20/01/2018", "appraised", 0, 60, 0, 0),
            ("25/01/2018", "approved", 0, 60, 60, 0),
            ("15/03/2018", "in_progress", 40, 60, 60, 0),
            ("25/05/2018", "completed", 100, 60, 60, 0),
            ("05/06/2018", "completed", 100, 60, 60, 60),
        ],
        "BK18-DP-02": [
            ("10/01/2018", "draft", 0, 15, 0, 0),
            ("12/01/2018", "registered", 0, 15, 0, 0),
            ("20/01/2018", "appraised", 0, 15, 0, 0),
            ("25/01/2018", "approved", 0, 15, 15, 0),
            ("10/04/2018", "in_progress", 50, 15, 15, 0),
            ("15/06/2018", "completed", 100, 15, 15, 0),
            ("20/06/2018", "completed", 100, 15, 15, 15),
        ],
        "BK18-DP-03": [
            ("10/01/2018", "draft", 0, 50, 0, 0),
            ("12/01/2018", "registered", 0, 50, 0, 0),
            ("20/01/2018", "appraised", 0, 50, 0, 0),
            ("25/01/2018", "approved", 0, 50, 50, 0),
            ("01/03/2018", "in_progress", 20, 50, 50, 0),
            ("05/03/2018", "in_progress", 20, 50, 50, 25),
            ("25/06/2018", "in_progress", 50, 50, 50, 25),
            ("10/12/2018", "completed", 100, 50, 50, 25),
            ("13/12/2018", "completed", 100, 50, 50, 50),
        ],
        "BK18-DP-04": [
            ("10/01/2018", "draft", 0, 80, 0, 0),
            ("12/01/2018", "registered", 0, 80, 0, 0),
            ("20/01/2018", "appraised", 0, 80, 0, 0),
            ("25/01/2018", "approved", 0, 80, 80, 0),
            ("05/04/2018", "approved", 0, 80, 80, 40),
            ("20/06/2018", "in_progress", 50, 80, 80, 40),
            ("12/12/2018", "completed", 100, 80, 80, 40),
            ("15/12/2018", "completed", 100, 80, 80, 80),
        ],
        "BK18-DP-05": [
            ("10/01/2018", "draft", 0, 40, 0, 0),
            ("12/01/2018", "registered", 0, 40, 0, 0),
            ("20/01/2018", "appraised", 0, 40, 0, 0),
            ("25/01/2018", "approved", 0, 40, 40, 0),
            ("15/05/2018", "in_progress", 50, 40, 40, 0),
            ("14/12/2018", "completed", 100, 40, 40, 0),
            ("17/12/2018", "completed", 100, 40, 40, 40),
        ],
        "BK18-DP-06": [
            ("10/01/2018", "draft", 0, 100, 0, 0),
            ("12/01/2018", "registered", 0, 100, 0, 0),
            ("20/01/2018", "appraised", 0, 100, 0, 0),
            ("25/01/2018", "approved", 0, 100, 100, 0),
            ("01/03/2018", "contracted", 0, 100, 100, 0),
            ("20/04/2018", "contracted", 0, 100, 100, 50),
            ("10/06/2018", "in_progress", 50, 100, 100, 50),
            ("15/12/2018", "completed", 100, 100, 100, 50),
            ("18/12/2018", "completed", 100, 100, 100, 100),
        ],
        "BK18-DP-07": [
            ("10/01/2018", "draft", 0, 80, 0, 0),
            ("12/01/2018", "registered", 0, 80, 0, 0),
            ("20/01/2018", "appraised", 0, 80, 0, 0),
            ("25/01/2018", "approved", 0, 80, 80, 0),
            ("01/03/2018", "contracted", 0, 80, 80, 0),
            ("20/05/2018", "stop_requested", 0, 80, 80, 0),
            ("10/09/2018", "stopped", 0, 80, 80, 0),
        ],
        "BK18-DP-08": [
            ("10/01/2018", "draft", 0, 70, 0, 0),
            ("12/01/2018", "registered", 0, 70, 0, 0),
            ("20/01/2018", "appraised", 0, 70, 0, 0),
            ("25/01/2018", "approved", 0, 70, 70, 0),
            ("05/06/2018", "stop_requested", 0, 70, 70, 0),
            ("10/09/2018", "stopped", 0, 70, 70, 0),
        ],
        "BK18-DP-09": [
            ("10/01/2018", "draft", 0, 20, 0, 0),
            ("12/01/2018", "registered", 0, 20, 0, 0),
            ("20/01/2018", "appraised", 0, 20, 0, 0),
            ("25/01/2018", "approved", 0, 20, 20, 0),
            ("15/10/2018", "in_progress", 50, 20, 20, 0),
            ("30/11/2018", "completed", 100, 20, 20, 0),
            ("03/12/2018", "completed", 100, 20, 20, 20),
        ],
        "BK18-DP-10": [
            ("10/01/2018", "draft", 0, 14, 0, 0),
            ("12/01/2018", "registered", 0, 14, 0, 0),
            ("20/01/2018", "appraised", 0, 14, 0, 0),
            ("25/01/2018", "approved", 0, 14, 14, 0),
            ("10/07/2018", "in_progress", 40, 14, 14, 0),
            ("20/12/2018", "completed", 100, 14, 14, 0),
            ("21/12/2018", "completed", 100, 14, 14, 14),
        ],
    },
    ("Bến Tre", 2016, "national"): {
        "BT16-QG-01": [
            ("20/07/2015", "draft", 0, 420, 0, 0),
            ("25/07/2015", "registered", 0, 420, 0, 0),
            ("10/11/2015", "appraised", 0, 420, 0, 0),
            ("15/03/2016", "approved", 0, 420, 420, 0),
            ("05/04/2016", "contracted", 0, 420, 420, 0),
            ("20/04/2016", "contracted", 0, 420, 420, 210),
            ("15/06/2016", "in_progress", 40, 420, 420, 210),
            ("10/08/2016", "completed", 100, 420, 420, 210),
            ("25/08/2016", "accepted", 100, 420, 420, 210),
            ("05/09/2016", "accepted", 100, 420, 420, 420),
        ],
        "BT16-QG-02": [
            ("20/07/2015", "draft", 0, 380, 0, 0),
            ("25/07/2015", "registered", 0, 380, 0, 0),
            ("10/11/2015", "appraised", 0, 380, 0, 0),
            ("15/03/2016", "approved", 0, 380, 380, 0),
            ("05/04/2016", "contracted", 0, 380, 380, 0),
            ("20/04/2016", "contracted", 0, 380, 380, 190),
            ("15/06/2016", "in_progress", 40, 380, 380, 190),
            ("15/08/2016", "completed", 100, 380, 380, 190),
            ("27/08/2016", "accepted", 100, 380, 380, 190),
            ("06/09/2016", "accepted", 100, 380, 380, 380),
        ],
        "BT16-QG-03": [
            ("20/07/2015", "draft", 0, 360, 0, 0),
            ("25/07/2015", "registered", 0, 360, 0, 0),
            ("10/11/2015", "appraised", 0, 360, 0, 0),
            ("15/03/2016", "approved", 0, 360, 360, 0),
            ("05/04/2016", "contracted", 0, 360, 360, 0),
            ("20/04/2016", "contracted", 0, 360, 360, 180),
            ("15/06/2016", "in_progress", 40, 360, 360, 180),
            ("20/08/2016", "completed", 100, 360, 360, 180),
            ("29/08/2016", "accepted", 100, 360, 360, 180),
            ("07/09/2016", "accepted", 100, 360, 360, 360),
        ],
        "BT16-QG-04": [
            ("20/07/2015", "draft", 0, 340, 0, 0),
            ("25/07/2015", "registered", 0, 340, 0, 0),
            ("10/11/2015", "appraised", 0, 340, 0, 0),
            ("15/03/2016", "approved", 0, 340, 340, 0),
            ("05/04/2016", "contracted", 0, 340, 340, 0),
            ("20/04/2016", "contracted", 0, 340, 340, 170),
            ("15/06/2016", "in_progress", 40, 340, 340, 170),
            ("15/09/2016", "in_progress", 60, 340, 340, 170),
        ],
        "BT16-QG-05": [
            ("20/07/2015", "draft", 0, 320, 0, 0),
            ("25/07/2015", "registered", 0, 320, 0, 0),
            ("10/11/2015", "appraised", 0, 320, 0, 0),
            ("15/03/2016", "approved", 0, 320, 320, 0),
            ("05/04/2016", "contracted", 0, 320, 320, 0),
            ("20/04/2016", "contracted", 0, 320, 320, 160),
            ("15/06/2016", "in_progress", 40, 320, 320, 160),
            ("15/09/2016", "in_progress", 70, 320, 320, 160),
        ],
        "BT16-QG-BS1": [
            ("15/08/2016", "draft", 0, 300, 0, 0),
            ("20/08/2016", "registered", 0, 300, 0, 0),
        ],
    },
    ("Bến Tre", 2016, "local"): {
        "BT15-DP-2-01": [
            ("01/09/2015", "draft", 0, 130, 0, 0),
            ("05/09/2015", "registered", 0, 130, 0, 0),
            ("10/10/2015", "appraised", 0, 130, 0, 0),
            ("20/10/2015", "approved", 0, 130, 130, 0),
            ("01/03/2016", "in_progress", 30, 130, 130, 0),
            ("10/03/2016", "in_progress", 30, 130, 130, 39),
        ],
        "BT15-DP-2-02": [
            ("01/09/2015", "draft", 0, 114, 0, 0),
            ("05/09/2015", "registered", 0, 114, 0, 0),
            ("10/10/2015", "appraised", 0, 114, 0, 0),
            ("20/10/2015", "approved", 0, 114, 114, 0),
            ("01/03/2016", "in_progress", 30, 114, 114, 0),
            ("10/03/2016", "in_progress", 30, 114, 114, 34.2),
        ],
        "BT15-DP-2-03": [
            ("01/09/2015", "draft", 0, 100, 0, 0),
            ("05/09/2015", "registered", 0, 100, 0, 0),
            ("10/10/2015", "appraised", 0, 100, 0, 0),
            ("20/10/2015", "approved", 0, 100, 100, 0),
            ("01/03/2016", "in_progress", 30, 100, 100, 0),
            ("10/03/2016", "in_progress", 30, 100, 100, 30),
        ],
    },
    ("Bến Tre", 2017, "local"): {
        "BT17-DP-01": [
            ("10/09/2016", "draft", 0, 400, 0, 0),
            ("15/09/2016", "registered", 0, 400, 0, 0),
        ],
        "BT17-DP-02": [
            ("10/09/2016", "draft", 0, 350, 0, 0),
            ("15/09/2016", "registered", 0, 350, 0, 0),
        ],
        "BT17-DP-03": [
            ("10/09/2016", "draft", 0, 320, 0, 0),
            ("15/09/2016", "registered", 0, 320, 0, 0),
        ],
        "BT17-DP-04": [
            ("10/09/2016", "draft", 0, 300, 0, 0),
            ("15/09/2016", "registered", 0, 300, 0, 0),
        ],
        "BT17-DP-05": [
            ("10/09/2016", "draft", 0, 280, 0, 0),
            ("15/09/2016", "registered", 0, 280, 0, 0),
        ],
        "BT17-DP-06": [
            ("10/09/2016", "draft", 0, 250, 0, 0),
            ("15/09/2016", "registered", 0, 250, 0, 0),
        ],
        "BT17-DP-07": [
            ("10/09/2016", "draft", 0, 220, 0, 0),
            ("15/09/2016", "registered", 0, 220, 0, 0),
        ],
        "BT17-DP-08": [
            ("10/09/2016", "draft", 0, 180, 0, 0),
            ("15/09/2016", "registered", 0, 180, 0, 0),
        ],
    },
}

# đề án, kind, date, amount (triệu), voucher
PAYMENTS = [
    ("BK18-DP-01", "payment", "05/06/2018", 60, ""),
    ("BK18-DP-02", "payment", "20/06/2018", 15, ""),
    ("BK18-DP-03", "advance", "05/03/2018", 25, ""),
    ("BK18-DP-03", "payment", "13/12/2018", 25, ""),
    ("BK18-DP-04", "advance", "05/04/2018", 40, ""),
    ("BK18-DP-04", "payment", "15/12/2018", 40, ""),
    ("BK18-DP-05", "payment", "17/12/2018", 40, ""),
    ("BK18-DP-06", "advance", "20/04/2018", 50, ""),
    ("BK18-DP-06", "payment", "18/12/2018", 50, ""),
    ("BK18-DP-09", "payment", "03/12/2018", 20, ""),
    ("BK18-DP-10", "payment", "21/12/2018", 14, ""),
    ("BK18-QG-01", "advance", "12/06/2018", 60, "(minh họa) PC tạm ứng 06/2018"),
    ("BK18-QG-01", "payment", "14/12/2018", 140, "(minh họa) PC thanh toán 12/2018"),
    ("BT15-DP-2-01", "advance", "10/03/2016", 39, ""),
    ("BT15-DP-2-02", "advance", "10/03/2016", 34.2, ""),
    ("BT15-DP-2-03", "advance", "10/03/2016", 30, ""),
    ("BT16-QG-01", "advance", "20/04/2016", 210, ""),
    ("BT16-QG-01", "payment", "05/09/2016", 210, ""),
    ("BT16-QG-02", "advance", "20/04/2016", 190, ""),
    ("BT16-QG-02", "payment", "06/09/2016", 190, ""),
    ("BT16-QG-03", "advance", "20/04/2016", 180, ""),
    ("BT16-QG-03", "payment", "07/09/2016", 180, ""),
    ("BT16-QG-04", "advance", "20/04/2016", 170, ""),
    ("BT16-QG-05", "advance", "20/04/2016", 160, ""),
]
# đề án, indicator, quantity, date
OUTPUTS = [
    ("BK18-DP-06", "may-moc", 2, "15/12/2018"),
    ("BK18-DP-06", "co-so-ho-tro", 1, "15/12/2018"),
    ("BK18-DP-09", "lop-tap-huan", 2, "30/11/2018"),
    ("BK18-QG-01", "may-moc", 3, "20/11/2018"),
    ("BK18-QG-01", "co-so-ho-tro", 1, "20/11/2018"),
    ("BT15-DP-2-02", "hoc-vien", 35, "30/06/2016"),
    ("BT16-QG-01", "may-moc", 2, "10/08/2016"),
    ("BT16-QG-01", "co-so-ho-tro", 1, "10/08/2016"),
    ("BT16-QG-02", "may-moc", 3, "15/08/2016"),
    ("BT16-QG-02", "co-so-ho-tro", 1, "15/08/2016"),
    ("BT16-QG-03", "may-moc", 2, "20/08/2016"),
    ("BT16-QG-03", "co-so-ho-tro", 1, "20/08/2016"),
]
OFFICER = {"Bắc Kạn": "thainguyen", "Bến Tre": "vinhlong"}


def day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def expected_on(timeline: dict, on: dt.date) -> dict:
    out = {}
    for code, rows in timeline.items():
        for start, status, progress, requested, approved, disbursed in rows:
            if day(start) <= on:
                out[code] = (
                    status,
                    progress,
                    round(requested * TR),
                    round(approved * TR),
                    round(disbursed * TR),
                )
    return out


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        nxt = dt.date(y + m // 12, m % 12 + 1, 1)
        out.append(nxt - dt.timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


def the_plan(key) -> AnnualPlan:
    province, year, level = key
    return AnnualPlan.objects.get(unit=old_province(province), year=year, level=level)


@pytest.mark.django_db
def test_as_of_figures_on_every_step_day_and_month_end(demo):
    for key, timeline in EXPECTED.items():
        plan = the_plan(key)
        steps = {day(r[0]) for rows in timeline.values() for r in rows}
        ends = month_ends(min(steps), dt.date(max(s.year for s in steps), 12, 31))
        days = sorted(steps | {s - dt.timedelta(days=1) for s in steps} | set(ends) | {dt.date.today()})
        for on in days:
            got = {
                p.code: (
                    p.asof_status,
                    p.asof_progress,
                    p.requested_total,
                    p.approved_total,
                    p.disbursed_total,
                )
                for p in selectors.with_figures(plan.projects.all(), as_of=on)
            }
            want = expected_on(timeline, on)
            assert got == want, (key, on)
            if on in ends:
                # The plan's totals: a stopped đề án keeps only what was paid.
                summary = selectors.plan_summary(plan=plan, as_of=on)
                totals = (summary["requested"], summary["approved"], summary["disbursed"])
                assert totals == (
                    sum(v[2] for v in want.values()),
                    sum(v[3] for v in want.values() if v[0] != "stopped"),
                    sum(v[4] for v in want.values()),
                ), (key, on)
        # Today each đề án is where its last row says.
        now = {p.code: (p.status, p.progress_pct) for p in plan.projects.all()}
        assert now == {code: rows[-1][1:3] for code, rows in timeline.items()}


@pytest.mark.django_db
def test_report_dates_read_as_the_seeds(demo):
    reports = [
        (
            ("Bắc Kạn", 2018, "local"),
            dt.date(2018, 6, 30),
            [
                "02/10 đề án đã hoàn thành",
                "04/10 đề án đã hoàn thành được 50% khối lượng công việc",
                "02/10 đề án xin dừng, dừng thực hiện",
                "02/10 đề án chưa thực hiện",
            ],
            (529, 529, 190, 909, 909),
        ),
        (
            ("Bắc Kạn", 2018, "national"),
            dt.date(2018, 6, 30),
            [
                "01/03 đề án đã hoàn thành được 30% khối lượng công việc",
                "01/03 đề án xin dừng, dừng thực hiện",
                "01/03 đề án chưa thực hiện",
            ],
            (600, 600, 60, 1330, 1330),
        ),
        (
            ("Bắc Kạn", 2018, "local"),
            dt.date(2018, 12, 31),
            ["08/10 đề án đã hoàn thành", "02/10 đề án xin dừng, dừng thực hiện"],
            (529, 379, 379, 909, 529),
        ),
        (
            ("Bắc Kạn", 2018, "national"),
            dt.date(2018, 12, 31),
            [
                "01/03 đề án đã hoàn thành",
                "01/03 đề án xin dừng, dừng thực hiện",
                "01/03 đề án chưa thực hiện",
            ],
            (600, 400, 200, 1330, 890),
        ),
        (
            ("Bến Tre", 2016, "national"),
            dt.date(2016, 9, 30),
            ["03/06 đề án đã hoàn thành", "02/06 đề án đang thực hiện", "01/06 đề án chưa thực hiện"],
            (2120, 1820, 1490, 7220, 6270),
        ),
        (
            ("Bến Tre", 2016, "local"),
            dt.date(2016, 9, 30),
            ["03/03 đề án đã hoàn thành được 30% khối lượng công việc"],
            (344, 344, 103.2, 894, 894),
        ),
        (
            ("Bến Tre", 2017, "local"),
            dt.date(2016, 9, 30),
            ["08/08 đề án chưa thực hiện"],
            (2300, 0, 0, 2300, 0),
        ),
    ]
    for key, on, texts, (requested, approved, paid, all_requested, all_approved) in reports:
        summary = selectors.plan_summary(plan=the_plan(key), as_of=on)
        assert [g["text"] for g in summary["groups"]] == texts, (key, on)
        assert (summary["requested"], summary["approved"], summary["disbursed"]) == (
            round(requested * TR),
            round(approved * TR),
            round(paid * TR),
        )
        everything = summary["all_sources"]
        assert (everything["requested"], everything["approved"]) == (
            round(all_requested * TR),
            round(all_approved * TR),
        )


@pytest.mark.django_db
def test_payments_outputs_batches_and_history_come_from_the_files(demo):
    got = [
        (d.project.code, d.kind, f"{d.date:%d/%m/%Y}", d.amount / TR, d.document_no)
        for d in Disbursement.objects.select_related("project").order_by("project__code", "date", "pk")
    ]
    assert got == PAYMENTS
    got = [
        (o.project.code, o.indicator.code, o.quantity, f"{o.date:%d/%m/%Y}")
        for o in ProjectOutput.objects.select_related("project", "indicator").order_by(
            "project__code", "date", "pk"
        )
    ]
    assert got == OUTPUTS
    national = the_plan(("Bến Tre", 2016, "national"))
    assert sorted(national.projects.values_list("batch__number", flat=True)) == [1, 1, 1, 1, 1, 2]
    carried = the_plan(("Bến Tre", 2016, "local")).projects.all()
    assert {(p.carried_over_from.plan.year, p.carried_over_from.number) for p in carried} == {(2015, 2)}
    files = {name for name, *_ in demo_source.FILES}
    for project in Project.objects.select_related("plan__unit"):
        officer = OFFICER[project.plan.unit.short_name]
        created = project.status_changes.get(action="create")
        assert (
            created.note.startswith("Nhập từ Excel: ")
            and created.note.removeprefix("Nhập từ Excel: ") in files
        )
        assert set(project.status_changes.values_list("actor__username", flat=True)) == {officer}
        first = project.history.order_by("history_id").first()
        assert first.history_user.username == officer
    assert not Disbursement.objects.exclude(note__startswith="Nhập từ Excel: ").exists()
    assert StatusChange.objects.filter(note="Nhập từ Excel: bac-kan-2018-dia-phuong-31-03-2018.xlsx").exists()


@pytest.mark.django_db
def test_re_importing_the_demo_files_changes_nothing(demo):
    plans = {}
    for name, province, year, level, kind, _rows in demo_source.FILES:
        plans[(province, year, level, kind)] = name  # the last file of each plan
    for (province, year, level, kind), name in plans.items():
        run = plan_import.plan_projects_import if kind == "projects" else plan_import.plan_flows_import
        result = run(
            actor=User.objects.get(username=OFFICER[province]),
            plan=the_plan((province, year, level)),
            content=(DATA / name).read_bytes(),
            filename=name,
            commit=False,
        )
        assert (result.created, result.updated) == (0, 0), (name, result.lines)


def test_committed_files_are_what_demo_xlsx_writes():
    for name, _province, _year, _level, kind, rows in demo_source.FILES:
        committed = read_rows((DATA / name).read_bytes())
        assert committed == read_rows(demo_source.workbook(kind, rows())), name
        columns = plan_import.HEADERS if kind == "projects" else plan_import.FLOW_HEADERS
        assert committed[0] == columns
