"""Open data: public without login (and nothing else of the new apps is), the package validates with
frictionless, no tax code / phone / e-mail / representative, totals equal the plan page's, stable
identifiers, per-province publishing, IATI-like JSON, the public API paginated."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import establishment
from khuyencong.projects import services as project_services
from khuyencong.projects.models import Status
from khuyencong.projects.selectors import plan_money
from khuyencong.projects.tests.factories import project, walk

from .. import services

TR = 1_000_000


@pytest.fixture
def published(vinhlong_officer, vinhlong_approver):
    cache.clear()
    benef = establishment(
        "Bến Tre",
        name="Hộ kinh doanh Nguyễn Văn Bảy",
        tax_code="1300000027",
        representative_name="Nguyễn Văn Bảy",
        phone="0913 555 777",
        email="bay@example.vn",
    )
    running = walk(
        project(vinhlong_officer, establishments=[benef], title="Máy sấy cơm dừa", is_flagship=True),
        Status.IN_PROGRESS,
        officer=vinhlong_officer,
        approver=vinhlong_approver,
    )
    project_services.disbursement_create(
        project=running,
        actor=vinhlong_officer,
        kind="advance",
        source="national",
        amount=80 * TR,
        date=dt.date(2018, 7, 1),
    )
    walk(
        project(vinhlong_officer, title="Máy ép dầu dừa"),
        Status.STOPPED,
        officer=vinhlong_officer,
        approver=vinhlong_approver,
    )
    project(vinhlong_officer, title="Đề án chỉ mới đăng ký")  # a draft: not published
    services.setting_save(
        actor=vinhlong_officer, province=testing.current_province("Vĩnh Long"), publish=True, from_year=2015
    )
    return running


def test_anonymous_reads_open_data(client, published):
    page = client.get(reverse("opendata:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Máy sấy cơm dừa" in text and "Đề án chỉ mới đăng ký" not in text
    for name in ("de-an", "ke-hoach", "san-pham"):
        assert client.get(reverse("opendata:csv", args=[name])).status_code == 200
        assert client.get(reverse("opendata:xlsx", args=[name])).status_code == 200
    r = client.get("/api/v1/public/projects/")
    assert r.status_code == 200 and r.json()["count"] == 2


def test_anonymous_reads_nothing_else(client, published):
    for url in ("/portal/", "/portal/queue/", "/surveys/", "/du-lieu-mo/cai-dat/"):
        r = client.get(url)
        assert r.status_code == 302 and "/login" in r["Location"], url
    for url in ("/api/v1/portal/applications/", "/api/v1/portal/me/", "/api/v1/surveys/campaigns/"):
        assert client.get(url).status_code in (401, 403), url


def test_package_validates_and_has_no_personal_data(client, published, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    package = client.get(reverse("opendata:datapackage")).json()
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    everything = ""
    for res in package["resources"]:
        body = client.get(reverse("opendata:csv", args=[res["name"]])).content.decode("utf-8")
        (tmp_path / res["path"]).write_text(body, encoding="utf-8")
        everything += body
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    for secret in ("1300000027", "0913 555 777", "0913555777", "bay@example.vn", "@"):
        assert secret not in everything
    assert "Nguyễn Văn Bảy" in everything  # the beneficiary's name is what decisions publish
    rows = [line for line in everything.splitlines() if "Nguyễn Văn Bảy" in line]
    assert rows and all(line.count("Nguyễn Văn Bảy") == 1 for line in rows)  # not as representative too


def test_totals_equal_plan_page(client, published, as_user, vinhlong_officer):
    from khuyencong.opendata import data

    ds = data.dataset()
    plan = published.plan
    money = plan_money(plan=plan)["state"]
    row = next(r for r in ds["plans"] if r["x_pk"] == plan.pk)
    assert (row["approved"], row["paid"], row["assigned"]) == (
        money["approved"],
        money["paid"],
        money["assigned"],
    )
    rows = [r for r in ds["projects"] if r["year"] == plan.year and r["level"] == plan.level]
    assert sum(r["approved_national"] for r in rows) == money["approved"]
    assert sum(r["paid_national"] for r in rows) == money["paid"] == 80 * TR
    stopped = next(r for r in rows if r["status_code"] == "stopped")
    assert stopped["approved_national"] == 0
    page = as_user(vinhlong_officer).get(reverse("projects:plan", args=[plan.pk])).content.decode()
    from khuyencong.core.money import format_in_unit

    assert format_in_unit(money["approved"]) in page  # the plan page shows triệu đồng


def test_identifier_stable_and_iati(client, published):
    plan = published.plan
    ident = f"{plan.unit.code}-{plan.year}-{published.code}"
    first = client.get(reverse("opendata:csv", args=["de-an"])).content.decode()
    assert ident in first
    cache.clear()
    assert ident in client.get(reverse("opendata:csv", args=["de-an"])).content.decode()
    act = client.get(reverse("opendata:iati", args=[ident])).json()
    assert act["iati-identifier"].endswith(ident)
    for key in (
        "reporting-org",
        "title",
        "description",
        "activity-status",
        "activity-date",
        "sector",
        "location",
        "transaction",
    ):
        assert key in act
    kinds = [t["transaction-type"]["code"] for t in act["transaction"]]
    assert "2" in kinds and "3" in kinds
    assert client.get(f"/api/v1/public/projects/{ident}/").json()["iati-identifier"] == act["iati-identifier"]


def test_province_chooses_to_publish(client, published, vinhlong_officer):
    services.setting_save(
        actor=vinhlong_officer, province=testing.current_province("Vĩnh Long"), publish=True, from_year=2019
    )
    assert client.get("/api/v1/public/projects/").json()["count"] == 0
    services.setting_save(
        actor=vinhlong_officer, province=testing.current_province("Vĩnh Long"), publish=False, from_year=2015
    )
    assert "Máy sấy cơm dừa" not in client.get(reverse("opendata:index")).content.decode()


def test_change_invalidates_cache(client, published, vinhlong_officer):
    assert client.get("/api/v1/public/projects/").json()["count"] == 2
    from khuyencong.opendata import data

    before = data.dataset()
    published.refresh_from_db()
    project_services.disbursement_create(
        project=published,
        actor=vinhlong_officer,
        kind="payment",
        source="national",
        amount=20 * TR,
        date=dt.date(2018, 8, 1),
    )
    after = data.dataset()
    assert before is not after
    row = next(r for r in after["projects"] if r["x_pk"] == published.pk)
    assert row["paid_national"] == 100 * TR


def test_outsider_cannot_change_setting(thainguyen_officer):
    from khuyencong.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.setting_save(
            actor=thainguyen_officer,
            province=testing.current_province("Vĩnh Long"),
            publish=True,
            from_year=2015,
        )


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


# The worker closes its database connection between tasks, as in production: a transaction per test would be
# closed with it (PostgreSQL), so this one commits and the database is emptied after it.
@pytest.mark.django_db(transaction=True)
def test_a_change_is_rebuilt_in_the_background_while_readers_keep_the_copy(
    base_data_transactional, client, published, vinhlong_officer, settings
):
    """Production: the task worker rebuilds the dataset; until it has, every reader gets the copy it had (no
    visitor waits for a national build), and then the new figures."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from khuyencong.opendata import data

    settings.TASKS = DB_TASKS
    data.forget_local_copy()
    before = data.dataset()  # nothing anywhere: built in the request
    row = next(r for r in before["projects"] if r["x_pk"] == published.pk)
    assert row["paid_national"] == 80 * TR
    published.refresh_from_db()
    project_services.disbursement_create(
        project=published,
        actor=vinhlong_officer,
        kind="payment",
        source="national",
        amount=20 * TR,
        date=dt.date(2018, 8, 1),
    )
    assert data.dataset() is before  # the copy, and one rebuild queued (not one per reader)
    assert data.dataset() is before
    assert "80.000.000" in client.get(reverse("opendata:index")).content.decode()
    queued = DBTaskResult.objects.filter(task_path="khuyencong.opendata.data.rebuild_dataset")
    assert queued.count() == 1
    call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert queued.get().status == "SUCCESSFUL"
    after = data.dataset()
    row = next(r for r in after["projects"] if r["x_pk"] == published.pk)
    assert row["paid_national"] == 100 * TR
    # Another process (its own memory, the same cache files in production) reads the rebuilt copy too.
    data.forget_local_copy()
    assert (
        next(r for r in data.dataset()["projects"] if r["x_pk"] == published.pk)["paid_national"] == 100 * TR
    )


def test_a_bulk_insert_invalidates_the_dataset(published):
    """The plan import writes with set-based inserts (`core.bulk.insert_rows`, no post_save): the dataset
    still learns of them."""
    from django.utils import timezone

    from khuyencong.core.bulk import bulk_defaults, insert_rows
    from khuyencong.opendata import data
    from khuyencong.projects.models import ProjectBeneficiary

    def names():
        return next(r for r in data.dataset()["projects"] if r["x_pk"] == published.pk)["beneficiaries"]

    assert names() == "Hộ kinh doanh Nguyễn Văn Bảy"
    other = establishment("Bến Tre", name="Cơ sở Dừa Xanh")
    insert_rows(
        ProjectBeneficiary,
        [
            {
                **bulk_defaults(ProjectBeneficiary),
                "project_id": published.pk,
                "establishment_id": other.pk,
                "created_at": timezone.now(),
                "updated_at": timezone.now(),
            }
        ],
    )
    assert names() == "Hộ kinh doanh Nguyễn Văn Bảy; Cơ sở Dừa Xanh"
