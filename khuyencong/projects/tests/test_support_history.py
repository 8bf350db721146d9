"""The establishment's support history (beneficiaries app) lists its đề án through the provider registered in
ProjectsConfig.ready()."""

import pytest

from khuyencong.beneficiaries.selectors import establishment_support_history
from khuyencong.projects.models import Status
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db


def test_establishment_history_lists_its_projects(vinhlong_officer, vinhlong_approver):
    est = f.establishment(name="Cơ sở có đề án")
    p = f.walk(
        f.project(vinhlong_officer, establishments=[est], code="SH-1"),
        Status.APPROVED,
        officer=vinhlong_officer,
        approver=vinhlong_approver,
    )
    f.project(vinhlong_officer, code="SH-2")  # another establishment's
    rows = [r for r in establishment_support_history(est) if r.kind == "Đề án"]
    assert len(rows) == 1
    row = rows[0]
    assert row.title == "SH-1 — Hỗ trợ máy móc thiết bị"
    assert row.amount == 200_000_000  # public money only, not the counterpart
    assert row.status == "Đã phê duyệt"
    assert row.url == f"/projects/{p.pk}/"
    assert row.date == p.decision_date
