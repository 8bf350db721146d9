import pytest

from khuyencong.projects.models import Status
from khuyencong.projects.tests import factories as f

pytestmark = pytest.mark.django_db


def test_walk_to_settled(vinhlong_officer, vinhlong_approver):
    p = f.project(vinhlong_officer)
    p = f.walk(p, Status.SETTLED, officer=vinhlong_officer, approver=vinhlong_approver)
    assert p.status == Status.SETTLED
    assert p.status_changes.count() == 8
