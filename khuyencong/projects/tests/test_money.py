"""Money rules: paid never exceeds approved (per source), settlement ≤ disbursed and closes it, support
caps."""

import datetime as dt

import pytest

from khuyencong.core.errors import DomainError
from khuyencong.projects import services
from khuyencong.projects.models import Disbursement, ProjectFunding, Status
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(vinhlong_officer, vinhlong_approver):
    p = f.project(vinhlong_officer)
    return f.walk(p, Status.IN_PROGRESS, officer=vinhlong_officer, approver=vinhlong_approver)


def test_paid_more_than_approved_is_refused(approved, vinhlong_officer):
    services.disbursement_create(
        project=approved,
        actor=vinhlong_officer,
        kind="advance",
        source="national",
        date=dt.date(2018, 7, 1),
        amount="150 triệu",
        document_no="PC 01",
    )
    with pytest.raises(DomainError) as exc:
        services.disbursement_create(
            project=approved,
            actor=vinhlong_officer,
            kind="payment",
            source="national",
            date=dt.date(2018, 8, 1),
            amount="60 triệu",
        )
    assert exc.value.message == (
        "Tổng tạm ứng, thanh toán từ nguồn KCQG (210.000.000 đồng) vượt số được phê duyệt (200.000.000 "
        "đồng); "
        "còn được chi 50.000.000 đồng."
    )
    assert Disbursement.objects.filter(project=approved).count() == 1
    services.disbursement_create(
        project=approved,
        actor=vinhlong_officer,
        kind="payment",
        source="national",
        date=dt.date(2018, 8, 1),
        amount="50 triệu",
    )
    # Nothing was approved from the local source.
    with pytest.raises(DomainError) as exc:
        services.disbursement_create(
            project=approved,
            actor=vinhlong_officer,
            kind="payment",
            source="local",
            date=dt.date(2018, 8, 1),
            amount=1,
        )
    assert "vượt số được phê duyệt (0 đồng)" in exc.value.message


def test_no_payment_before_approval(vinhlong_officer):
    p = f.project(vinhlong_officer)
    with pytest.raises(DomainError) as exc:
        services.disbursement_create(
            project=p,
            actor=vinhlong_officer,
            kind="advance",
            source="national",
            date=dt.date(2018, 7, 1),
            amount=1_000_000,
        )
    assert "chưa được phê duyệt kinh phí" in exc.value.message


def test_settlement_not_above_disbursed_and_closes(approved, vinhlong_officer, vinhlong_approver):
    services.disbursement_create(
        project=approved,
        actor=vinhlong_officer,
        kind="advance",
        source="national",
        date=dt.date(2018, 7, 1),
        amount=120_000_000,
    )
    p = services.project_transition(
        project=approved,
        actor=vinhlong_officer,
        to_status=Status.COMPLETED,
        expected_version=approved.version,
        effective_date="2018-11-30",
    )
    p = services.project_transition(
        project=p,
        actor=vinhlong_approver,
        to_status=Status.ACCEPTED,
        expected_version=p.version,
        **f.DATA[Status.ACCEPTED],
    )
    with pytest.raises(DomainError) as exc:
        services.project_transition(
            project=p,
            actor=vinhlong_approver,
            to_status=Status.SETTLED,
            expected_version=p.version,
            settled_amount="130 triệu",
            settled_date="2018-12-20",
        )
    assert exc.value.message == (
        "Số quyết toán (130.000.000 đồng) lớn hơn số đã tạm ứng, thanh toán (120.000.000 đồng)."
    )
    p = services.project_transition(
        project=p,
        actor=vinhlong_approver,
        to_status=Status.SETTLED,
        expected_version=p.version,
        settled_amount="120 triệu",
        settled_date="2018-12-20",
    )
    assert p.settled_amount == 120_000_000
    with pytest.raises(DomainError) as exc:
        services.disbursement_create(
            project=p,
            actor=vinhlong_officer,
            kind="payment",
            source="national",
            date=dt.date(2018, 12, 21),
            amount=1_000_000,
        )
    assert "đã quyết toán" in exc.value.message


def test_machinery_cap_amount_breach_names_the_rule(vinhlong_officer):
    with pytest.raises(DomainError) as exc:
        f.project(
            vinhlong_officer,
            funding={"national": {"requested": "350 triệu"}, "counterpart": {"requested": "500 triệu"}},
        )
    cap = f.machinery_cap()
    assert cap.rule_text in exc.value.message
    assert "vượt mức hỗ trợ tối đa 300 triệu đồng" in exc.value.message
    assert "Thông tư 28/2018/TT-BTC" in exc.value.message


def test_machinery_cap_percent_breach_names_the_rule(vinhlong_officer):
    p = f.project(vinhlong_officer)
    with pytest.raises(DomainError) as exc:
        services.project_set_funding(
            project=p,
            actor=vinhlong_officer,
            funding={"national": {"requested": "250 triệu"}, "counterpart": {"requested": "150 triệu"}},
        )
    assert "62,5 %" in exc.value.message
    assert f.machinery_cap().rule_text in exc.value.message
    # Refused as a whole: the amounts did not change.
    assert ProjectFunding.objects.get(project=p, source__code="national").requested == 200_000_000


def test_cap_per_establishment_scales_for_a_group_project(vinhlong_officer):
    ests = [f.establishment(), f.establishment()]
    p = f.project(
        vinhlong_officer,
        establishments=ests,
        funding={"national": {"requested": "500 triệu"}, "counterpart": {"requested": "600 triệu"}},
    )
    assert p.fundings.get(source__code="national").requested == 500_000_000


def test_cap_not_applied_before_its_validity(vinhlong_officer):
    # Thông tư 28/2018 is in force from 15/5/2018: a 2016 đề án is not held to it.
    p = f.project(
        vinhlong_officer,
        year=2016,
        funding={"national": {"requested": "420 triệu"}, "counterpart": {"requested": "1.100 triệu"}},
    )
    assert p.fundings.get(source__code="national").requested == 420_000_000


def test_several_caps_need_a_chosen_item(vinhlong_officer):
    with pytest.raises(DomainError) as exc:
        f.project(vinhlong_officer, support_cap=None)
    assert "hãy chọn nội dung chi của đề án" in exc.value.message


def test_approval_over_cap_is_refused(vinhlong_officer, vinhlong_approver):
    p = f.walk(
        f.project(vinhlong_officer), Status.APPRAISED, officer=vinhlong_officer, approver=vinhlong_approver
    )
    with pytest.raises(DomainError) as exc:
        services.project_transition(
            project=p,
            actor=vinhlong_approver,
            to_status=Status.APPROVED,
            expected_version=p.version,
            approved={"national": 310_000_000, "counterpart": 400_000_000},
            **f.DATA[Status.APPROVED],
        )
    assert "Kinh phí phê duyệt từ nguồn KCQG" in exc.value.message
    p.refresh_from_db()
    assert p.status == Status.APPRAISED


def test_money_constraints_in_the_database(vinhlong_officer):
    from django.db import IntegrityError, transaction

    p = f.project(vinhlong_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFunding.objects.filter(project=p).update(approved=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(p).objects.filter(pk=p.pk).update(progress_pct=101)
