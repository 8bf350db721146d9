"""Small rights on reports: a sent or locked report cannot be edited, sending and accepting ask first and say
what happens next, the list flags late and missing reports against the deadline."""

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from khuyencong import testing
from khuyencong.reports.models import Report
from khuyencong.reports.periods import HALF, NINE_MONTHS, Period
from khuyencong.reports.services import report_create, report_transition

pytestmark = pytest.mark.django_db


def vinh_long_report(actor, period, *, to=()):
    report = report_create(actor=actor, unit=testing.current_province("Vĩnh Long"), period=period)
    for status in to:
        report = report_transition(
            actor=actor, report_id=report.pk, to_status=status, expected_version=report.version
        )
    return report


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_sent_report_has_no_editable_field(vinhlong_officer, cuc_admin, as_user):
    report = vinh_long_report(cuc_admin, Period.make(HALF, 2019), to=("prepared", "submitted"))
    client = as_user(vinhlong_officer)
    response = client.get(f"/reports/{report.pk}/edit/", follow=True)
    assert response.redirect_chain == [(f"/reports/{report.pk}/", 302)]
    text = page_text(response)
    assert "«Sở đã duyệt và gửi Cục»: đã gửi Cục hoặc đã khóa nên không sửa được nữa" in text
    assert "<textarea" not in text and 'name="results"' not in text and "Sửa nội dung" not in text
    # A POST is refused the same way; nothing changes.
    response = client.post(f"/reports/{report.pk}/edit/", {"results": "Sửa sau khi gửi", "version": 99})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).results == ""


def test_an_accepted_report_redirects_the_cuc_too(cuc_admin, as_user):
    report = vinh_long_report(cuc_admin, Period.make(HALF, 2019), to=("prepared", "submitted", "accepted"))
    response = as_user(cuc_admin).get(f"/reports/{report.pk}/edit/", follow=True)
    text = page_text(response)
    assert "«Cục đã tiếp nhận (khóa)»" in text and "không sửa được nữa" in text
    assert "<textarea" not in text
    # The only form left is the Cục's "Mở lại báo cáo", which asks first.
    assert 'data-confirm="Báo cáo sẽ được mở khóa và trả về trạng thái đang soạn' in text


def test_sending_and_accepting_ask_and_say_what_happens_next(vinhlong_officer, cuc_admin, as_user):
    approver = testing.make_user("vl.lanhdao", vinhlong_officer.organisation, "approver")
    report = vinh_long_report(cuc_admin, Period.make(HALF, 2019), to=("prepared",))
    text = page_text(as_user(approver).get(f"/reports/{report.pk}/"))
    send = (
        "Báo cáo sẽ được gửi lên Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công; số liệu được chốt tại "
        "thời điểm gửi và báo cáo không sửa được nữa. Gửi báo cáo?"
    )
    assert f'data-confirm="{send}"' in text
    assert re.search(r'data-testid="next-step">\s*' + re.escape(send), text)
    report = report_transition(
        actor=approver, report_id=report.pk, to_status="submitted", expected_version=report.version
    )
    text = page_text(as_user(cuc_admin).get(f"/reports/{report.pk}/"))
    assert (
        'data-confirm="Báo cáo sẽ được tiếp nhận và khóa: địa phương không sửa được nữa, số liệu đã chốt đi '
        'vào báo cáo tổng hợp. Tiếp nhận?"' in text
    )


def test_the_list_flags_late_and_missing_reports_with_a_filter(cuc_admin, as_user):
    today = timezone.localdate()
    late = vinh_long_report(cuc_admin, Period.make(HALF, 2016), to=("prepared", "submitted"))
    Report.objects.filter(pk=late.pk).update(
        deadline=dt.date(2016, 7, 15),
        submitted_at=timezone.make_aware(dt.datetime(2016, 7, 22, 9, 30)),
    )
    on_time = vinh_long_report(cuc_admin, Period.make(NINE_MONTHS, 2016), to=("prepared", "submitted"))
    Report.objects.filter(pk=on_time.pk).update(
        deadline=dt.date(2016, 10, 15), submitted_at=timezone.make_aware(dt.datetime(2016, 10, 14, 8))
    )
    missing = vinh_long_report(cuc_admin, Period.make(HALF, 2017))
    Report.objects.filter(pk=missing.pk).update(deadline=today - dt.timedelta(days=12))
    coming = vinh_long_report(cuc_admin, Period.make(NINE_MONTHS, 2017))
    Report.objects.filter(pk=coming.pk).update(deadline=today + dt.timedelta(days=5))
    client = as_user(cuc_admin)

    def flags(query=""):
        text = page_text(client.get(f"/reports/{query}"))
        return [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r'data-testid="timeliness">(.*?)</td>', text, re.S)
        ]

    assert sorted(flags()) == sorted(
        ["Nộp muộn 7 ngày", "Nộp đúng hạn", "Chưa nộp, quá hạn 12 ngày", "Còn 5 ngày"]
    )
    assert flags("?deadline_state=late") == ["Nộp muộn 7 ngày"]
    assert flags("?deadline_state=overdue") == ["Chưa nộp, quá hạn 12 ngày"]
    assert flags("?deadline_state=on_time") == ["Nộp đúng hạn"]
    assert flags("?deadline_state=pending") == ["Còn 5 ngày"]
    text = page_text(client.get("/reports/"))
    assert '<option value="late">Nộp muộn</option>' in text
    assert '<option value="overdue">Chưa nộp, quá hạn</option>' in text


def test_the_late_flag_reaches_the_excel_list(cuc_admin, as_user):
    import io

    import openpyxl

    late = vinh_long_report(cuc_admin, Period.make(HALF, 2016), to=("prepared", "submitted"))
    Report.objects.filter(pk=late.pk).update(
        deadline=dt.date(2016, 7, 15), submitted_at=timezone.make_aware(dt.datetime(2016, 7, 22, 9, 30))
    )
    response = as_user(cuc_admin).get("/reports/?format=xlsx&deadline_state=late")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    assert ws.cell(2, headers.index("So với hạn nộp") + 1).value == "Nộp muộn 7 ngày"
    assert ws.auto_filter.ref == "A1:I2"


def test_the_api_filters_by_deadline_too(cuc_admin, api_as):
    late = vinh_long_report(cuc_admin, Period.make(HALF, 2016), to=("prepared", "submitted"))
    Report.objects.filter(pk=late.pk).update(
        deadline=dt.date(2016, 7, 15), submitted_at=timezone.make_aware(dt.datetime(2016, 7, 22, 9, 30))
    )
    vinh_long_report(cuc_admin, Period.make(HALF, 2017))
    client = api_as(cuc_admin)
    body = client.get("/api/v1/reports/?deadline_state=late").json()
    assert [r["id"] for r in body["results"]] == [late.pk]
    assert client.get("/api/v1/reports/?deadline_state=soon").status_code == 400


def test_the_list_names_the_reports_a_province_never_made(vinhlong_officer, as_user):
    """A report that was never created has no row to flag: the list names it above the table, for the latest
    6-month and yearly periods whose deadline has passed, with the days late."""
    from khuyencong.reports import selectors
    from khuyencong.reports.periods import YEAR
    from khuyencong.reports.services import deadline_for

    day = dt.date(2026, 12, 1)
    half, year = Period.make(HALF, 2026), Period.make(YEAR, 2025)
    missing = selectors.missing_reports(user=vinhlong_officer, today=day)
    assert [(r["unit"].name, r["period"], r["days_late"]) for r in missing["rows"]] == [
        ("Tỉnh Vĩnh Long", year, (day - deadline_for(year)).days),
        ("Tỉnh Vĩnh Long", half, (day - deadline_for(half)).days),
    ]
    # Once the 6-month report is sent, only the yearly one is owed.
    vinh_long_report(vinhlong_officer, half, to=("prepared",))
    report = Report.objects.get(period_kind=HALF, year=2026)
    Report.objects.filter(pk=report.pk).update(status="submitted", submitted_at=timezone.now())
    assert [r["period"] for r in selectors.missing_reports(user=vinhlong_officer, today=day)["rows"]] == [
        year
    ]
    today = timezone.localdate()
    owed = selectors.missing_reports(user=vinhlong_officer, today=today)
    text = page_text(as_user(vinhlong_officer).get("/reports/", secure=True))
    assert f"{owed['count']} báo cáo chưa nộp đã quá hạn" in text
    for r in owed["rows"]:
        assert f"{r['period'].label}: chưa nộp, quá hạn {r['days_late']} ngày" in text
    # Another province's officer is not told about Vĩnh Long.
    other = testing.province_user("Cà Mau", "cm.canbo", "officer")
    theirs = selectors.missing_reports(user=other, today=day)["rows"]
    assert [r["unit"].name for r in theirs] == ["Tỉnh Cà Mau", "Tỉnh Cà Mau"]
