"""Issue 14 items 1-2: "Việc cần làm" per role (home page and API) and the daily reminder digest."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(vinhlong_officer, vinhlong_approver):
    ps = [f.project(vinhlong_officer) for _ in range(3)]
    return [f.walk(p, "registered", officer=vinhlong_officer, approver=vinhlong_approver) for p in ps]


def test_approver_sees_projects_awaiting_appraisal_and_the_link_lists_exactly_those(
    client, registered, vinhlong_approver, vinhlong_officer
):
    client.force_login(vinhlong_approver, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get("/").content.decode()
    assert "3 đề án chờ thẩm định" in body
    assert 'href="/projects/?status=registered"' in body
    listing = client.get("/projects/?status=registered").content.decode()
    for p in registered:
        assert p.code in listing
    # The officer does not appraise: not in their queue.
    client.force_login(vinhlong_officer, backend="django.contrib.auth.backends.ModelBackend")
    assert "chờ thẩm định" not in client.get("/").content.decode()


def test_queue_counts_follow_a_registration_at_once(client, registered, vinhlong_approver, vinhlong_officer):
    """The counts by status are kept until a đề án changes (core.dataversion): one more registration shows on
    the next page."""
    client.force_login(vinhlong_approver, backend="django.contrib.auth.backends.ModelBackend")
    assert "3 đề án chờ thẩm định" in client.get("/").content.decode()
    assert "3 đề án chờ thẩm định" in client.get("/").content.decode()  # the kept answer
    f.walk(f.project(vinhlong_officer), "registered", officer=vinhlong_officer, approver=vinhlong_approver)
    assert "4 đề án chờ thẩm định" in client.get("/").content.decode()


def test_api_me_tasks_is_the_same_queue(api_as, registered, vinhlong_approver, thainguyen_officer):
    tasks = api_as(vinhlong_approver).get("/api/v1/me/tasks/").json()["tasks"]
    assert {
        "key": "projects_registered",
        "label": "3 đề án chờ thẩm định",
        "count": 3,
        "url": "/projects/?status=registered",
        "level": "info",
        "due": None,
        "days": None,
    } in tasks
    assert api_as(thainguyen_officer).get("/api/v1/me/tasks/").json()["tasks"] == []


def test_late_report_and_overdue_project(vinhlong_officer, vinhlong_approver):
    from khuyencong.core.todo import tasks_for
    from khuyencong.reports.tests.factories import make_report

    report = make_report(vinhlong_officer)
    p = f.walk(
        f.project(vinhlong_officer), "in_progress", officer=vinhlong_officer, approver=vinhlong_approver
    )
    tasks = {t.key: t for t in tasks_for(vinhlong_officer, today=report.deadline + dt.timedelta(days=3))}
    late = tasks[f"report_{report.pk}"]
    assert late.level == "danger" and late.days == -3 and "trễ 3 ngày" in late.label
    now = {t.key: t for t in tasks_for(vinhlong_officer)}
    assert now["projects_overdue"].label == "1 đề án quá ngày kết thúc mà chưa hoàn thành"
    assert now["projects_overdue"].level == "danger"
    soon = {t.key: t for t in tasks_for(vinhlong_officer, today=report.deadline - dt.timedelta(days=5))}
    assert (
        soon[f"report_{report.pk}"].level == "warning" and "còn 5 ngày" in soon[f"report_{report.pk}"].label
    )
    assert p.end_date < dt.date.today()


def test_reminder_digest_goes_to_the_outbox(registered, vinhlong_approver, vinhlong_officer):
    vinhlong_approver.email = "lanhdao@example.vn"
    vinhlong_approver.save()
    vinhlong_officer.email = ""
    vinhlong_officer.save()
    call_command("send_reminders", base_url="https://khuyencong.example.vn")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lanhdao@example.vn"]
    assert message.subject == "[Khuyến công] 1 việc cần làm"
    assert "3 đề án chờ thẩm định: https://khuyencong.example.vn/projects/?status=registered" in message.body
