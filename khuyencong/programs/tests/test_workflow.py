"""Status changes go through one audited transition service, by the table in workflow.py; edits leave
history."""

import datetime as dt

import pytest

from khuyencong.core.errors import ConcurrentEditError, DomainError, NotAllowed
from khuyencong.core.workflow import TransitionRefused
from khuyencong.programs import services, workflow
from khuyencong.programs.models import BudgetLine, Program, Status
from khuyencong.programs.tests.factories import make_program

S = Status


@pytest.mark.django_db
def test_program_belongs_to_the_old_province_and_rolls_up_into_the_current_one(vinhlong_officer):
    program = make_program(vinhlong_officer)
    assert program.owner_unit.name == "Tỉnh Bến Tre" and program.owner_unit.era == "old"
    assert program.province.short_name == "Vĩnh Long" and program.province.era == "current"
    assert program.status == S.DRAFT
    assert [(c.from_status, c.to_status) for c in program.status_changes.all()] == [("", S.DRAFT)]


@pytest.mark.django_db
def test_transitions_allowed_and_refused_by_role_and_status(
    vinhlong_officer, vinhlong_approver, vinhlong_viewer
):
    program = make_program(vinhlong_officer)
    with pytest.raises(NotAllowed) as refused:
        services.program_transition(
            actor=vinhlong_viewer, program=program, to_status=S.SUBMITTED, expected_version=program.version
        )
    assert "không được phép «Trình phê duyệt»" in refused.value.message
    with pytest.raises(TransitionRefused) as refused:
        services.program_transition(
            actor=vinhlong_approver,
            program=program,
            to_status=S.APPROVED,
            expected_version=program.version,
            decision_no="1/QĐ-UBND",
            decision_date="01/01/2014",
        )
    assert "từ trạng thái «Dự thảo» sang «Đã phê duyệt»" in refused.value.message
    program = services.program_transition(
        actor=vinhlong_officer,
        program=program,
        expected_version=program.version,
        to_status=S.SUBMITTED,
        effective_date="20/11/2013",
    )
    assert program.status == S.SUBMITTED
    with pytest.raises(NotAllowed):  # the officer submits, the approver approves
        services.program_transition(
            actor=vinhlong_officer,
            program=program,
            to_status=S.APPROVED,
            expected_version=program.version,
            decision_no="1/QĐ-UBND",
            decision_date="01/01/2014",
        )
    with pytest.raises(DomainError) as missing:
        services.program_transition(
            actor=vinhlong_approver, program=program, to_status=S.APPROVED, expected_version=program.version
        )
    assert missing.value.message == "Thiếu thông tin bắt buộc: số quyết định, ngày quyết định."
    program = services.program_transition(
        actor=vinhlong_approver,
        program=program,
        to_status=S.APPROVED,
        expected_version=program.version,
        decision_no="2345/QĐ-UBND",
        decision_date="12/12/2013",
        decision_issuer="UBND tỉnh Bến Tre",
    )
    assert (program.status, program.decision_no, program.decision_date) == (
        S.APPROVED,
        "2345/QĐ-UBND",
        dt.date(2013, 12, 12),
    )
    with pytest.raises(DomainError):
        services.program_transition(
            actor=vinhlong_approver, program=program, to_status=S.SUPERSEDED, expected_version=program.version
        )
    program = services.program_transition(
        actor=vinhlong_approver,
        program=program,
        to_status=S.SUPERSEDED,
        expected_version=program.version,
        note="Thay bằng chương trình 2021-2025",
    )
    changes = list(program.status_changes.order_by("effective_date", "pk"))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.APPROVED),
        (S.APPROVED, S.SUPERSEDED),
    ]
    assert changes[2].actor == vinhlong_approver and changes[2].decision_no == "2345/QĐ-UBND"
    assert changes[1].actor == vinhlong_officer
    # Business dates: the submission as given, the approval on its decision date, the replacement today.
    assert [c.effective_date for c in changes[1:3]] == [dt.date(2013, 11, 20), dt.date(2013, 12, 12)]
    assert changes[2].changes["status"] == [S.SUBMITTED, S.APPROVED]
    assert changes[2].changes["decision_no"] == ["", "2345/QĐ-UBND"]
    # The history of the programme row has the actor of each transition.
    assert program.history.first().history_user == vinhlong_approver


@pytest.mark.django_db
def test_submitted_programme_can_be_sent_back_with_a_note(vinhlong_officer, vinhlong_approver):
    program = make_program(vinhlong_officer)
    program = services.program_transition(
        actor=vinhlong_officer, program=program, expected_version=program.version, to_status=S.SUBMITTED
    )
    with pytest.raises(DomainError):
        services.program_transition(
            actor=vinhlong_approver, program=program, expected_version=program.version, to_status=S.DRAFT
        )
    program = services.program_transition(
        actor=vinhlong_approver,
        program=program,
        to_status=S.DRAFT,
        expected_version=program.version,
        note="Bổ sung dự toán nội dung 7",
    )
    assert program.status == S.DRAFT
    assert program.status_changes.last().note == "Bổ sung dự toán nội dung 7"


@pytest.mark.django_db
def test_outsider_cannot_move_or_edit(vinhlong_officer, thainguyen_officer):
    program = make_program(vinhlong_officer)
    with pytest.raises(NotAllowed) as refused:
        services.program_transition(
            actor=thainguyen_officer, program=program, to_status=S.SUBMITTED, expected_version=program.version
        )
    assert "không thuộc phạm vi quản lý" in refused.value.message
    with pytest.raises(NotAllowed):
        services.budget_line_set(
            actor=thainguyen_officer,
            program=program,
            content="1",
            funding_source="national",
            year=2014,
            amount="60",
        )
    assert Program.objects.get(pk=program.pk).status == S.DRAFT


@pytest.mark.django_db
def test_only_drafts_are_edited(vinhlong_officer):
    program = make_program(vinhlong_officer)
    program = services.program_transition(
        actor=vinhlong_officer, program=program, to_status=S.SUBMITTED, expected_version=program.version
    )
    with pytest.raises(DomainError) as refused:
        services.budget_line_set(
            actor=vinhlong_officer,
            program=program,
            content="1",
            funding_source="national",
            year=2014,
            amount="60",
        )
    assert "chỉ sửa được khi còn là dự thảo" in refused.value.message


def test_the_table_is_the_only_way():
    assert set(workflow.TRANSITIONS) == {
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.DRAFT),
        (S.SUBMITTED, S.APPROVED),
        (S.APPROVED, S.SUPERSEDED),
    }
    assert workflow.TRANSITIONS[(S.SUBMITTED, S.APPROVED)]["roles"] == {"approver", "admin"}
    assert Program._meta.get_field("status").editable is False


@pytest.mark.django_db
def test_history_rows_after_edits(vinhlong_officer):
    program = make_program(vinhlong_officer)
    line = services.budget_line_set(
        actor=vinhlong_officer, program=program, content="9", funding_source="local", year=2014, amount="200"
    )
    services.budget_line_set(
        actor=vinhlong_officer,
        program=program,
        content="9",
        funding_source="local",
        year=2014,
        amount="1.650 triệu",
    )
    line = BudgetLine.objects.get(pk=line.pk)
    assert line.amount == 1_650_000_000
    records = list(line.history.order_by("history_date"))
    assert [r.amount for r in records] == [200_000_000, 1_650_000_000]
    assert all(r.history_user == vinhlong_officer for r in records)
    updated = services.program_update(
        actor=vinhlong_officer,
        program=program,
        expected_version=program.version,
        title="Chương trình khuyến công Bến Tre (sửa)",
    )
    assert updated.title.endswith("(sửa)") and updated.history.first().history_user == vinhlong_officer
    with pytest.raises(ConcurrentEditError):
        services.program_update(
            actor=vinhlong_officer, program=program, expected_version=program.version, title="Bản cũ"
        )


@pytest.mark.django_db
def test_money_and_years_are_validated(vinhlong_officer):
    program = make_program(vinhlong_officer)
    with pytest.raises(DomainError) as bad:
        services.budget_line_set(
            actor=vinhlong_officer,
            program=program,
            content="1",
            funding_source="national",
            year=2021,
            amount="60",
        )
    assert "Năm 2021 nằm ngoài thời gian của chương trình (2014-2020)" in bad.value.message
    with pytest.raises(DomainError) as bad:
        services.budget_line_set(
            actor=vinhlong_officer,
            program=program,
            content="1",
            funding_source="national",
            year=2014,
            amount="1.2.3",
        )
    assert bad.value.message.startswith("Kinh phí:")
    with pytest.raises(DomainError) as bad:
        services.phase_set(
            actor=vinhlong_officer, program=program, name="2015-2017", year_from=2015, year_to=2017
        )
    assert "trùng thời gian" in bad.value.message


@pytest.mark.django_db
def test_stale_or_missing_version_is_refused_and_nothing_changes(vinhlong_officer, vinhlong_approver):
    program = make_program(vinhlong_officer)
    seen = program.version
    program = services.program_transition(
        actor=vinhlong_officer,
        program=program,
        to_status=S.SUBMITTED,
        expected_version=seen,
        effective_date="01/11/2013",
    )
    rows = program.status_changes.count()
    for version in (seen, None):  # what the approver saw before the submission; or nothing at all
        with pytest.raises(ConcurrentEditError) as refused:
            services.program_transition(
                actor=vinhlong_approver,
                program=program,
                to_status=S.DRAFT,
                expected_version=version,
                note="Trả lại",
            )
        assert refused.value.status == 409
    program.refresh_from_db()
    assert program.status == S.SUBMITTED and program.status_changes.count() == rows


@pytest.mark.django_db
def test_programme_steps_in_date_order(vinhlong_officer, vinhlong_approver):
    program = make_program(vinhlong_officer)
    program = services.program_transition(
        actor=vinhlong_officer,
        program=program,
        to_status=S.SUBMITTED,
        expected_version=program.version,
        effective_date="20/11/2013",
    )
    with pytest.raises(DomainError) as refused:
        services.program_transition(
            actor=vinhlong_approver,
            program=program,
            to_status=S.APPROVED,
            expected_version=program.version,
            decision_no="1/QĐ-UBND",
            decision_date="01/11/2013",
        )
    assert refused.value.message == (
        "Ngày hiệu lực (01/11/2013) không được trước ngày của bước trước (20/11/2013)."
    )
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(DomainError) as refused:
        services.program_transition(
            actor=vinhlong_approver,
            program=program,
            to_status=S.DRAFT,
            expected_version=program.version,
            note="x",
            effective_date=future,
        )
    assert f"({future:%d/%m/%Y}) không được sau ngày hôm nay" in refused.value.message
    program.refresh_from_db()
    assert program.status == S.SUBMITTED and program.status_changes.count() == 2
