"""The lists' count and totals row are kept until the data changes (`core.dataversion`): a change through
the services, a step, a payment, or the plan import's set-based insert shows on the next page."""

import datetime as dt
import re

import pytest

from khuyencong.core.bulk import bulk_defaults, insert_rows
from khuyencong.projects import services
from khuyencong.projects.models import Project, Status

from .factories import project, walk

pytestmark = pytest.mark.django_db
TR = 1_000_000


def _footer(client, url="/projects/"):
    page = client.get(url, secure=True).content.decode()
    cell = re.search(r'data-testid="total-disbursed">([^<]*)<', page).group(1)
    count = re.search(r"(\d+) đề án", page).group(1)
    return int(count), cell


def test_cuc_list_totals_follow_a_payment_and_a_bulk_insert(
    cuc_admin, vinhlong_officer, vinhlong_approver, as_user
):
    running = walk(
        project(vinhlong_officer), Status.IN_PROGRESS, officer=vinhlong_officer, approver=vinhlong_approver
    )
    client = as_user(cuc_admin)
    count, paid = _footer(client)
    assert paid == "0"
    assert _footer(client) == (count, "0")  # the kept answer, unchanged
    services.disbursement_create(
        project=running,
        actor=vinhlong_officer,
        kind="advance",
        source="national",
        amount=25 * TR,
        date=dt.date(2018, 7, 1),
    )
    assert _footer(client) == (count, "25")
    as_of = _footer(client, "/projects/?as_of=31/12/2018")
    services.disbursement_create(
        project=running,
        actor=vinhlong_officer,
        kind="payment",
        source="national",
        amount=5 * TR,
        date=dt.date(2018, 9, 1),
    )
    assert _footer(client, "/projects/?as_of=31/12/2018") == (as_of[0], "30")

    # The plan import's path: rows written without post_save.
    from django.utils import timezone

    now = timezone.now()
    row = {
        **bulk_defaults(Project),
        **{
            f.attname: getattr(running, f.attname) for f in Project._meta.concrete_fields if not f.primary_key
        },
        "code": "BULK-1",
        "status": Status.REGISTERED,
        "created_at": now,
        "updated_at": now,
    }
    insert_rows(Project, [row])
    assert _footer(client)[0] == count + 1
