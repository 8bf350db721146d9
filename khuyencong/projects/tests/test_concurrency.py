"""Two people on the same đề án: the second edit is refused (nothing overwritten); two simultaneous
transitions
leave exactly one applied. On PostgreSQL with real threads and row locks; on SQLite (which serialises
writers) the
second, stale transition re-reads the row, sees the changed status and is refused."""

import threading

import pytest
from django.db import connection

from khuyencong import testing
from khuyencong.core.errors import ConcurrentEditError, DomainError
from khuyencong.projects import services
from khuyencong.projects.models import Project, Status, StatusChange
from khuyencong.projects.tests import factories as f


@pytest.mark.django_db
def test_second_edit_with_stale_version_is_refused(vinhlong_officer, vinhlong_approver):
    p = f.project(vinhlong_officer)
    first, second = Project.objects.get(pk=p.pk), Project.objects.get(pk=p.pk)
    services.project_update(
        project=first,
        actor=vinhlong_officer,
        expected_version=first.version,
        changes={"title": "Tên của người thứ nhất"},
    )
    with pytest.raises(ConcurrentEditError) as exc:
        services.project_update(
            project=second,
            actor=vinhlong_approver,
            expected_version=second.version,
            changes={"title": "Tên của người thứ hai", "description": "ghi đè"},
        )
    assert "đã được người khác thay đổi" in exc.value.message
    p.refresh_from_db()
    assert (p.title, p.description) == ("Tên của người thứ nhất", "")


@pytest.mark.django_db
def test_stale_edit_via_api_and_page(vinhlong_officer, api_as, as_user):
    p = f.project(vinhlong_officer)
    version = p.version
    r = api_as(vinhlong_officer).patch(
        f"/api/v1/projects/{p.pk}/", {"expected_version": version, "title": "A"}, format="json", secure=True
    )
    assert r.status_code == 200 and r.json()["title"] == "A"
    r = api_as(vinhlong_officer).patch(
        f"/api/v1/projects/{p.pk}/", {"expected_version": version, "title": "B"}, format="json", secure=True
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    page = as_user(vinhlong_officer).post(
        f"/projects/{p.pk}/edit/",
        {"code": p.code, "title": "C", "content": p.content_id, "version": version},
        secure=True,
    )
    assert page.status_code == 200
    assert "đã được người khác thay đổi" in page.content.decode()
    p.refresh_from_db()
    assert p.title == "A"


@pytest.mark.django_db
def test_stale_transition_form_is_refused(vinhlong_officer, vinhlong_approver):
    p = f.walk(
        f.project(vinhlong_officer), Status.IN_PROGRESS, officer=vinhlong_officer, approver=vinhlong_approver
    )
    version = p.version
    services.project_transition(
        project=p,
        actor=vinhlong_officer,
        to_status=Status.IN_PROGRESS,
        progress_pct=60,
        progress_date="2018-07-01",
        expected_version=version,
    )
    with pytest.raises(ConcurrentEditError):
        services.project_transition(
            project=p,
            actor=vinhlong_officer,
            to_status=Status.IN_PROGRESS,
            progress_pct=70,
            progress_date="2018-07-01",
            expected_version=version,
        )
    assert Project.objects.get(pk=p.pk).progress_pct == 60


def _users():
    officer = testing.province_user("Vĩnh Long", "vl.officer.t", "officer")
    approver = testing.make_user("vl.approver.t", officer.organisation, "approver")
    return officer, approver


def _race(target, n=2):
    """Run `target(i)` in n threads started together; returns their results or exceptions."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_simultaneous_transitions_leave_exactly_one(base_data_transactional):
    officer, approver = _users()
    p = f.walk(f.project(officer), Status.APPROVED, officer=officer, approver=approver)
    before = StatusChange.objects.filter(project=p).count()
    targets = [
        (officer, Status.CONTRACTED, f.DATA[Status.CONTRACTED]),
        (approver, Status.CANCELLED, f.DATA[Status.CANCELLED]),
    ]

    def attempt(i):
        actor, to, data = targets[i]
        stale = Project.objects.get(pk=p.pk)  # both read "approved"
        return services.project_transition(
            project=stale, actor=actor, to_status=to, expected_version=stale.version, **data
        )

    if connection.vendor == "postgresql":
        results = _race(attempt)  # real threads: the row lock makes the second wait, then refuse
    else:
        stale = [Project.objects.get(pk=p.pk), Project.objects.get(pk=p.pk)]
        results = []
        for i in range(2):
            actor, to, data = targets[i]
            try:
                results.append(
                    services.project_transition(
                        project=stale[i], actor=actor, to_status=to, expected_version=stale[i].version, **data
                    )
                )
            except DomainError as exc:
                results.append(exc)
    applied = [r for r in results if isinstance(r, Project)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(applied) == 1 and len(refused) == 1, results
    # Both saw version n: the second waits on the row lock, then finds n + 1 and is refused with 409.
    assert refused[0].status == 409
    assert "đã được người khác thay đổi" in refused[0].message
    assert Project.objects.get(pk=p.pk).status == applied[0].status
    assert StatusChange.objects.filter(project=p).count() == before + 1


def test_two_simultaneous_edits_leave_exactly_one(base_data_transactional):
    officer, approver = _users()
    p = f.project(officer)
    version = p.version

    def attempt(i):
        return services.project_update(
            project=p, actor=[officer, approver][i], expected_version=version, changes={"title": f"Tên {i}"}
        )

    if connection.vendor == "postgresql":
        results = _race(attempt)
    else:
        results = []
        for i in range(2):
            try:
                results.append(attempt(i))
            except DomainError as exc:
                results.append(exc)
    applied = [r for r in results if isinstance(r, Project)]
    refused = [r for r in results if isinstance(r, ConcurrentEditError)]
    assert len(applied) == 1 and len(refused) == 1, results
    assert Project.objects.get(pk=p.pk).title == applied[0].title
