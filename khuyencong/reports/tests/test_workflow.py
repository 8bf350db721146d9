import datetime as dt

import pytest
from django.utils import timezone

from khuyencong import testing
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.reports import workflow
from khuyencong.reports.models import Report, ReportStatusChange
from khuyencong.reports.periods import HALF, NINE_MONTHS, Period
from khuyencong.reports.services import report_create, report_deadline_set, report_update

from .factories import make_report, move


def walk_to(report, status, officer, approver, cuc):
    path = {
        "prepared": [("prepared", officer)],
        "submitted": [("prepared", officer), ("submitted", approver)],
        "accepted": [("prepared", officer), ("submitted", approver), ("accepted", cuc)],
    }[status]
    for to, actor in path:
        move(actor, report.pk, to)
    report.refresh_from_db()
    return report


@pytest.mark.django_db
def test_full_path_up_the_hierarchy_is_audited(vinhlong_officer, vinhlong_approver, cuc_admin):
    report = make_report(vinhlong_officer)
    assert report.status == "draft"
    assert report.deadline == dt.date(2016, 7, 15)  # default: 15 days after 30/6
    walk_to(report, "accepted", vinhlong_officer, vinhlong_approver, cuc_admin)
    assert report.status == "accepted" and report.is_locked
    assert report.figures is not None and report.submitted_at is not None
    changes = list(
        ReportStatusChange.objects.filter(report=report).values_list(
            "from_status", "to_status", "actor__username"
        )
    )
    assert changes == [
        ("draft", "prepared", "vl.officer"),
        ("prepared", "submitted", "vl.approver"),
        ("submitted", "accepted", "cuc.admin"),
    ]
    assert report.history.count() == 4  # created + three transitions


@pytest.mark.django_db
def test_locked_report_cannot_be_edited_until_the_cuc_reopens_it(
    vinhlong_officer, vinhlong_approver, cuc_admin
):
    report = walk_to(
        make_report(vinhlong_officer), "accepted", vinhlong_officer, vinhlong_approver, cuc_admin
    )
    with pytest.raises(DomainError, match="đã khóa"):
        report_update(actor=vinhlong_officer, report_id=report.pk, changes={"results": "Sửa sau khi khóa"})
    with pytest.raises(DomainError, match="đã khóa"):
        report_update(actor=cuc_admin, report_id=report.pk, changes={"results": "Sửa sau khi khóa"})
    report.refresh_from_db()
    assert report.results == ""
    with pytest.raises(DomainError, match="cần nêu lý do"):
        move(cuc_admin, report.pk, "draft")
    with pytest.raises(NotAllowed):  # the province cannot reopen
        move(vinhlong_approver, report.pk, "draft", reason="Sửa số")
    move(cuc_admin, report.pk, "draft", reason="Sai số liệu giải ngân")
    last = ReportStatusChange.objects.filter(report=report).last()
    assert (last.from_status, last.to_status, last.reason) == ("accepted", "draft", "Sai số liệu giải ngân")
    report = report_update(actor=vinhlong_officer, report_id=report.pk, changes={"results": "Đã sửa"})
    assert report.results == "Đã sửa"


@pytest.mark.django_db
def test_submitted_report_cannot_be_edited(vinhlong_officer, vinhlong_approver, cuc_admin):
    report = walk_to(
        make_report(vinhlong_officer), "submitted", vinhlong_officer, vinhlong_approver, cuc_admin
    )
    with pytest.raises(DomainError, match="đã gửi Cục"):
        report_update(actor=vinhlong_approver, report_id=report.pk, changes={"solutions": "x"})


ROLES = ["viewer", "officer", "approver", "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("frm,to", list(workflow.TRANSITIONS))
def test_every_transition_for_every_role(frm, to, vinhlong_officer, vinhlong_approver):
    """Each row of the table: allowed only to its roles, and ministry rows only to the Cục."""
    cuc_org = testing.make_org("ministry", None, "Cục")
    province_org = vinhlong_officer.organisation
    rule = workflow.TRANSITIONS[(frm, to)]
    for role in ROLES:
        for org_name, org in (("province", province_org), ("ministry", cuc_org)):
            actor = testing.make_user(f"u-{frm}-{to}-{role}-{org_name}", org, role)
            report = Report.objects.filter(unit__short_name="Bến Tre").first() or make_report(
                vinhlong_officer
            )
            Report.objects.filter(pk=report.pk).update(status=frm)  # set the start state for this probe only
            allowed = role in rule["roles"] and (rule["actor"] == "province" or org_name == "ministry")
            kwargs = {"reason": "Lý do kiểm thử"}
            if allowed:
                result = move(actor, report.pk, to, **kwargs)
                assert result.status == to
            else:
                with pytest.raises(NotAllowed):
                    move(actor, report.pk, to, **kwargs)
                assert Report.objects.get(pk=report.pk).status == frm


@pytest.mark.django_db
def test_transitions_not_in_the_table_are_refused(vinhlong_officer, cuc_admin):
    report = make_report(vinhlong_officer)
    for to in ("submitted", "accepted"):
        with pytest.raises(DomainError, match="Không thể chuyển báo cáo từ trạng thái «Đang soạn»"):
            move(cuc_admin, report.pk, to)


@pytest.mark.django_db
def test_outsider_cannot_create_or_move_a_report(vinhlong_officer, thainguyen_officer):
    report = make_report(vinhlong_officer)
    with pytest.raises(NotAllowed):
        move(thainguyen_officer, report.pk, "prepared")
    with pytest.raises(NotAllowed):
        report_create(
            actor=thainguyen_officer, unit=testing.old_province("Trà Vinh"), period=Period.make(HALF, 2016)
        )


@pytest.mark.django_db
def test_previous_period_text_is_the_starting_draft(vinhlong_officer):
    first = make_report(vinhlong_officer, results="Kết quả 6 tháng", difficulties="Thiếu vốn đối ứng")
    second = make_report(vinhlong_officer, period=Period.make(NINE_MONTHS, 2016))
    assert second.results == "Kết quả 6 tháng" and second.difficulties == "Thiếu vốn đối ứng"
    assert first.pk != second.pk
    with pytest.raises(DomainError, match="đã có báo cáo 6 tháng đầu năm 2016"):
        make_report(vinhlong_officer)


@pytest.mark.django_db
def test_deadlines_are_configurable(cuc_admin, vinhlong_officer):
    report_deadline_set(actor=cuc_admin, period_kind=HALF, days_after_end=10)
    report = make_report(vinhlong_officer, period=Period.make(HALF, 2017))
    assert report.deadline == dt.date(2017, 7, 10)
    with pytest.raises(NotAllowed):
        report_deadline_set(actor=vinhlong_officer, period_kind=HALF, days_after_end=5)


@pytest.mark.django_db
def test_commune_office_reports_on_its_own_work(vinhlong_officer, thainguyen_officer, as_user):
    from khuyencong.geo.models import AdminUnit

    commune = AdminUnit.objects.filter(
        era="current", level=3, current_province__short_name="Vĩnh Long"
    ).first()
    office = testing.make_org("local_office", commune, f"Phòng Kinh tế {commune.name}")
    clerk = testing.make_user("xa.officer", office, "officer")
    report = report_create(actor=clerk, unit=commune, period=Period.make(HALF, 2026))
    assert report.issuer == "PHÒNG KINH TẾ" and report.province.short_name == "Vĩnh Long"
    assert as_user(clerk).get(f"/reports/{report.pk}/").status_code == 200
    assert as_user(vinhlong_officer).get(f"/reports/{report.pk}/").status_code == 200  # the province sees it
    assert as_user(thainguyen_officer).get(f"/reports/{report.pk}/").status_code == 404
    with pytest.raises(NotAllowed):  # not the province's report
        report_create(actor=clerk, unit=commune.current_province, period=Period.make(HALF, 2026))


@pytest.mark.django_db
def test_stale_or_missing_version_answers_409_and_nothing_changes(
    vinhlong_officer, vinhlong_approver, api_as
):
    report = make_report(vinhlong_officer)
    seen = report.version
    url = f"/api/v1/reports/{report.pk}/transitions/"
    ok = api_as(vinhlong_officer).post(
        url,
        {"to_status": "prepared", "expected_version": seen, "effective_date": "2016-07-08"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "prepared"
    approver = api_as(vinhlong_approver)
    for body in ({"to_status": "submitted", "expected_version": seen}, {"to_status": "submitted"}):
        r = approver.post(url, body, format="json")
        assert r.status_code == 409 and r.json()["error"]["code"] == "conflict", r.json()
    report.refresh_from_db()
    assert report.status == "prepared" and report.figures is None and report.submitted_at is None
    assert ReportStatusChange.objects.filter(report=report).count() == 1
    # With the version it read and a date, the approver submits; the submission date is the business date.
    r = approver.post(
        url,
        {"to_status": "submitted", "expected_version": ok.json()["version"], "effective_date": "2016-07-12"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    change = ReportStatusChange.objects.filter(report=report).last()
    assert change.effective_date == dt.date(2016, 7, 12) and change.changes["status"] == [
        "prepared",
        "submitted",
    ]
    report.refresh_from_db()
    assert timezone.localtime(report.submitted_at).date() == dt.date(2016, 7, 12)


@pytest.mark.django_db
def test_report_steps_in_date_order(vinhlong_officer, vinhlong_approver):
    report = make_report(vinhlong_officer)
    move(vinhlong_officer, report.pk, "prepared", effective_date="10/07/2016")
    with pytest.raises(DomainError) as refused:
        move(vinhlong_approver, report.pk, "submitted", effective_date="05/07/2016")
    assert (
        refused.value.message
        == "Ngày hiệu lực (05/07/2016) không được trước ngày của bước trước (10/07/2016)."
    )
    future = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        move(vinhlong_approver, report.pk, "submitted", effective_date=future)
    assert refused.value.message == (
        f"Ngày hiệu lực ({future:%d/%m/%Y}) không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y})."
    )
    report.refresh_from_db()
    assert report.status == "prepared" and ReportStatusChange.objects.filter(report=report).count() == 1
