"""Every transition of the table, allowed and forbidden, for every role."""

import pytest

from khuyencong.core.errors import NotAllowed
from khuyencong.projects import services, workflow
from khuyencong.projects.models import Status, StatusChange
from khuyencong.projects.services import TransitionRefused
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "officer", "approver", "admin"]


@pytest.fixture
def actors(vinhlong_viewer, vinhlong_officer, vinhlong_approver, cuc_admin):
    return {
        "viewer": vinhlong_viewer,
        "officer": vinhlong_officer,
        "approver": vinhlong_approver,
        "admin": cuc_admin,
    }


def project_in(status, actors):
    p = f.project(actors["officer"])
    if status == Status.SETTLED:
        p = f.walk(p, Status.ACCEPTED, officer=actors["officer"], approver=actors["approver"])
        return services.project_transition(
            project=p,
            actor=actors["approver"],
            to_status=Status.SETTLED,
            expected_version=p.version,
            **f.DATA[Status.SETTLED],
        )
    return f.walk(p, status, officer=actors["officer"], approver=actors["approver"])


@pytest.mark.parametrize("frm,to", sorted(workflow.TRANSITIONS))
def test_allowed_transition_by_each_role(frm, to, actors):
    rule = workflow.TRANSITIONS[(frm, to)]
    for role in ROLES:
        p = project_in(frm, actors)
        assert p.status == frm
        before = StatusChange.objects.filter(project=p).count()
        # Dated after any step of the walk (the latest is the acceptance, 10/12/2018): a step is never dated
        # before
        # the previous one.
        data = {"note": "Ghi chú kèm theo", **f.DATA[to], "effective_date": "2018-12-28"}
        if to == Status.IN_PROGRESS:
            data["progress_pct"] = 60
        if role in rule["roles"]:
            p = services.project_transition(
                project=p, actor=actors[role], to_status=to, **data, expected_version=p.version
            )
            assert p.status == to
            change = StatusChange.objects.filter(project=p).latest("changed_at", "pk")
            assert (change.from_status, change.to_status, change.actor) == (frm, to, actors[role])
            assert StatusChange.objects.filter(project=p).count() == before + 1
        else:
            with pytest.raises(NotAllowed) as exc:
                services.project_transition(
                    project=p, actor=actors[role], to_status=to, **data, expected_version=p.version
                )
            assert "không được phép" in exc.value.message
            assert rule["label"] in exc.value.message
            p.refresh_from_db()
            assert p.status == frm
            assert StatusChange.objects.filter(project=p).count() == before


@pytest.mark.parametrize("frm", Status.values)
def test_forbidden_transitions_refused_for_every_role(frm, actors):
    p = project_in(frm, actors)
    before = StatusChange.objects.filter(project=p).count()
    forbidden = [to for to in Status.values if (frm, to) not in workflow.TRANSITIONS]
    assert forbidden
    for to in forbidden:
        for role in ROLES:
            with pytest.raises(TransitionRefused) as exc:
                services.project_transition(
                    project=p,
                    actor=actors[role],
                    to_status=to,
                    **f.DATA.get(to, {}),
                    expected_version=p.version,
                )
            assert exc.value.message == (
                f"Không thể chuyển đề án «{p.code}» từ trạng thái "
                f"«{Status(frm).label}» sang «{Status(to).label}»."
            )
    p.refresh_from_db()
    assert p.status == frm
    assert StatusChange.objects.filter(project=p).count() == before


@pytest.mark.parametrize("event", sorted(workflow.EVENTS))
def test_events_by_status_and_role(event, actors):
    rule = workflow.EVENTS[event]
    for status in Status.values:
        p = project_in(status, actors)
        for i, role in enumerate(ROLES):
            data = {
                "reason": "Điều chỉnh theo đề nghị của cơ sở",
                "end_date": f"{2020 + i}-06-30",
                "title": f"Tên mới {role}",
            }
            if status in rule["statuses"] and role in rule["roles"]:
                p = services.project_transition(
                    project=p, actor=actors[role], to_status=event, **data, expected_version=p.version
                )
                assert p.status == status
                revision = p.revisions.latest("number")
                assert revision.kind == ("extension" if event == "extend" else "adjustment")
                if event == "extend":
                    p = services.project_transition(
                        project=p,
                        actor=actors[role],
                        to_status=event,
                        expected_version=p.version,
                        reason="Gia hạn lần nữa",
                        end_date=f"{2020 + i}-09-30",
                    )
            elif status not in rule["statuses"]:
                with pytest.raises(TransitionRefused):
                    services.project_transition(
                        project=p, actor=actors[role], to_status=event, **data, expected_version=p.version
                    )
            else:
                with pytest.raises(NotAllowed):
                    services.project_transition(
                        project=p, actor=actors[role], to_status=event, **data, expected_version=p.version
                    )


def test_adjustment_keeps_old_values_side_by_side(vinhlong_officer, vinhlong_approver):
    p = f.walk(
        f.project(vinhlong_officer), Status.APPROVED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    p = services.project_transition(
        project=p,
        actor=vinhlong_approver,
        to_status="adjust",
        reason="Đổi máy",
        expected_version=p.version,
        title="Hỗ trợ máy sấy",
        funding={"national": {"approved": 150_000_000}},
    )
    rev = p.revisions.get()
    assert (
        rev.old_values["title"] == "Hỗ trợ máy móc thiết bị" and rev.new_values["title"] == "Hỗ trợ máy sấy"
    )
    assert rev.old_values["funding"]["national"]["approved"] == 200_000_000
    assert rev.new_values["funding"]["national"]["approved"] == 150_000_000
    assert p.fundings.get(source__code="national").approved == 150_000_000


def test_extension_needs_a_later_date(vinhlong_officer, vinhlong_approver):
    p = f.walk(
        f.project(vinhlong_officer), Status.APPROVED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    with pytest.raises(Exception) as exc:
        services.project_transition(
            project=p,
            actor=vinhlong_approver,
            to_status="extend",
            reason="x",
            expected_version=p.version,
            end_date="2018-01-01",
        )
    assert "Ngày kết thúc mới phải sau ngày kết thúc hiện tại (31/12/2018)" in exc.value.message


def test_missing_required_data_is_named(vinhlong_officer, vinhlong_approver):
    p = f.walk(
        f.project(vinhlong_officer), Status.APPRAISED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    with pytest.raises(Exception) as exc:
        services.project_transition(
            project=p, actor=vinhlong_approver, to_status=Status.APPROVED, expected_version=p.version
        )
    assert exc.value.message == "Thiếu thông tin bắt buộc: số quyết định, ngày quyết định."


def test_failed_appraisal_cannot_be_approved(vinhlong_officer, vinhlong_approver):
    p = f.walk(
        f.project(vinhlong_officer), Status.REGISTERED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    p = services.project_transition(
        project=p,
        actor=vinhlong_approver,
        to_status=Status.APPRAISED,
        expected_version=p.version,
        appraisal_result="failed",
        appraisal_notes="Thiếu hồ sơ",
        effective_date="2018-05-20",
    )
    with pytest.raises(TransitionRefused) as exc:
        services.project_transition(
            project=p,
            actor=vinhlong_approver,
            to_status=Status.APPROVED,
            expected_version=p.version,
            **f.DATA[Status.APPROVED],
        )
    assert "chưa đạt thẩm định" in exc.value.message
    p = services.project_transition(
        project=p,
        actor=vinhlong_officer,
        to_status=Status.REGISTERED,
        expected_version=p.version,
        note="Đã bổ sung hồ sơ",
        effective_date="2018-06-01",
    )
    assert p.status == Status.REGISTERED


def test_progress_any_number_of_times_and_bounds(vinhlong_officer, vinhlong_approver):
    p = f.walk(
        f.project(vinhlong_officer), Status.IN_PROGRESS, officer=vinhlong_officer, approver=vinhlong_approver
    )
    for pct in (60, 70, 90):
        p = services.project_transition(
            project=p,
            actor=vinhlong_officer,
            to_status=Status.IN_PROGRESS,
            expected_version=p.version,
            progress_pct=pct,
            progress_date="2018-09-01",
            note=f"Đạt {pct} %",
        )
    assert p.progress_pct == 90
    assert list(p.status_changes.filter(action="progress").values_list("progress_pct", flat=True)) == [
        60,
        70,
        90,
    ]
    with pytest.raises(Exception) as exc:
        services.project_transition(
            project=p,
            actor=vinhlong_officer,
            to_status=Status.IN_PROGRESS,
            expected_version=p.version,
            progress_pct=120,
            progress_date="2018-09-01",
        )
    assert exc.value.message == "Tiến độ phải là số phần trăm từ 0 đến 100."
    p = services.project_transition(
        project=p, actor=vinhlong_officer, to_status=Status.COMPLETED, expected_version=p.version
    )
    assert p.progress_pct == 100


def test_status_is_not_an_editable_field(vinhlong_officer):
    p = f.project(vinhlong_officer)
    with pytest.raises(Exception) as exc:
        services.project_update(
            project=p, actor=vinhlong_officer, expected_version=p.version, changes={"status": Status.APPROVED}
        )
    assert "Không được sửa trực tiếp: status" in exc.value.message
