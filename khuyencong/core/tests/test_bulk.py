"""`core.bulk.insert_rows` writes what the ORM would: on PostgreSQL through COPY, elsewhere through
executemany. Values that COPY must escape read back unchanged."""

import datetime as dt

import pytest
from django.utils import timezone

from khuyencong.core.bulk import bulk_defaults, insert_rows
from khuyencong.projects.models import StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_projects(db):
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.projects import demo as projects_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    projects_demo.load()


def test_rows_read_back_as_written(demo_projects):
    from khuyencong.projects.models import Project

    project = Project.objects.order_by("pk").first()
    tricky = 'Dòng 1\tcột\nDòng 2 \\ «ngoặc» "kép" \r cuối'
    at = timezone.now().replace(microsecond=123456)
    row = {
        **bulk_defaults(StatusChange),
        "project_id": project.pk,
        "actor_id": None,
        "effective_date": dt.date(2016, 9, 30),
        "changed_at": at,
        "from_status": "",
        "to_status": "approved",
        "action": "",
        "document_no": "12/QĐ-SCT",
        "document_date": None,
        "note": tricky,
        "progress_pct": None,
        "data": {"ghi chú": tricky, "số": [1, 2.5, None]},
        "changes": {},
        "created_at": at,
        "updated_at": at,
    }
    before = set(StatusChange.objects.values_list("pk", flat=True))
    insert_rows(StatusChange, [row, {**row, "note": "", "progress_pct": 40}])
    new = list(StatusChange.objects.exclude(pk__in=before).order_by("pk"))
    assert len(new) == 2
    assert new[0].note == tricky and new[0].data == {"ghi chú": tricky, "số": [1, 2.5, None]}
    assert new[0].effective_date == dt.date(2016, 9, 30) and new[0].document_date is None
    assert new[0].changed_at == at and new[0].document_no == "12/QĐ-SCT"
    assert new[1].note == "" and new[1].progress_pct == 40
