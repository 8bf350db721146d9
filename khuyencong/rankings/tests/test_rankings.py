"""The yearly assessment: a late report ranks below an identical on-time one, the breakdown adds up, weights
are data by year, a province sees its own line only until the Cục publishes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit, Region
from khuyencong.reports.demo import southern_figures
from khuyencong.reports.periods import HALF, Period
from khuyencong.reports.services import report_create, report_set_manual_figures, report_transition

from .. import criteria, selectors, services

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 3, 1)
ROW = ("70", 3125, 541, 0.30, {"co-so-ho-tro": 2, "luot-hoi-cho": 5}, 0)


def _report(actor, code, sent: dt.date):
    unit = AdminUnit.objects.get(era="old", level=1, code=code)
    r = report_create(actor=actor, unit=unit, period=Period.make(HALF, 2019), copy_previous=False)
    r = report_set_manual_figures(actor=actor, report_id=r.pk, figures=southern_figures(ROW))
    for to, day in (("prepared", sent - dt.timedelta(days=1)), ("submitted", sent)):
        r = report_transition(
            actor=actor, report_id=r.pk, to_status=to, expected_version=r.version, effective_date=day
        )
    return unit


@pytest.fixture
def two_provinces(cuc_admin):
    on_time = _report(cuc_admin, "70", dt.date(2019, 7, 10))  # deadline 15/07/2019
    late = _report(cuc_admin, "72", dt.date(2019, 7, 25))  # 10 days late
    return on_time, late


def _row(data, unit):
    return next(r for r in data["rows"] if r["unit_id"] == unit.id)


def test_late_reporter_ranks_below_an_identical_on_time_one(two_provinces):
    on_time, late = two_provinces
    data = criteria.assess(year=2019, region=Region.objects.get(code="phia-nam"), today=TODAY)
    assert len(data["rows"]) == 20
    a, b = _row(data, on_time), _row(data, late)
    assert a["rank"] < b["rank"]
    assert Decimal(a["total"]) > Decimal(b["total"])
    by_code = lambda row: {c["code"]: Decimal(c["points"]) for c in row["criteria"]}  # noqa: E731
    pa, pb = by_code(a), by_code(b)
    assert pa["reporting"] > pb["reporting"]
    for code in ("national_execution", "local_execution", "stopped_extended", "outputs"):
        assert pa[code] == pb[code], code
    for row in data["rows"]:
        assert sum(Decimal(c["points"]) for c in row["criteria"]) == Decimal(row["total"])
    # 6-month report on time (100 %) and the yearly one missing (0 %): half the reporting points.
    assert pa["reporting"] == Decimal("15.00")
    # 10 days late: 100 % - 10 × 2 % = 80 % of the 6-month half.
    assert pb["reporting"] == Decimal("12.00")
    # Providers with no report at all rank below both.
    assert all(r["rank"] > b["rank"] for r in data["rows"] if r["unit_id"] not in (on_time.id, late.id))


def test_weights_are_data_versioned_by_year(cuc_admin, two_provinces, vinhlong_officer):
    on_time, _late = two_provinces
    region = Region.objects.get(code="phia-nam")
    services.scheme_save(
        actor=cuc_admin,
        year=2019,
        weights={
            "reporting": 60,
            "national_execution": 10,
            "local_execution": 10,
            "stopped_extended": 10,
            "outputs": 10,
        },
    )
    data = criteria.assess(year=2019, region=region, today=TODAY)
    assert _row(data, on_time)["criteria"][0]["weight"] == "60.00"
    assert criteria.weights_for(2018).year is None  # an earlier year keeps the defaults
    assert criteria.weights_for(2021).year == 2019  # a later year without its own uses the latest
    with pytest.raises(DomainError):
        services.scheme_save(actor=vinhlong_officer, year=2019, weights={"reporting": 100})


def test_province_officer_sees_own_rank_not_others_breakdowns(
    two_provinces, vinhlong_officer, cuc_admin, as_user
):
    region = Region.objects.get(code="phia-nam")
    data = selectors.assessment_for(user=vinhlong_officer, year=2019, region=region, today=TODAY)
    vinh_long = vinhlong_officer.organisation.unit
    assert data["ranked"] == 20 and not data["full"]
    assert data["rows"] and all(r["province_id"] == vinh_long.id for r in data["rows"])
    names = {r["name"] for r in data["rows"]}
    assert "Tỉnh Bến Tre" in names and "Thành phố Cần Thơ" not in names
    page = as_user(vinhlong_officer).get(reverse("rankings:ranking") + "?year=2019&region=phia-nam")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tỉnh Bến Tre" in html
    assert "Cần Thơ" not in html and "Tỉnh Tây Ninh" not in html
    assert 'data-testid="own-only"' in html
    # The exports follow the same rule.
    xlsx = as_user(vinhlong_officer).get(
        reverse("rankings:ranking") + "?year=2019&region=phia-nam&format=xlsx"
    )
    assert xlsx.status_code == 200
    # Publishing shows every line.
    services.assessment_publish(
        actor=cuc_admin, year=2019, region=region, published_on=dt.date(2020, 3, 2), today=TODAY
    )
    data = selectors.assessment_for(user=vinhlong_officer, year=2019, region=region)
    assert data["full"] and len(data["rows"]) == 20


def test_outsiders_and_provinces_cannot_publish_or_see(two_provinces, vinhlong_officer, as_user):
    from khuyencong import testing
    from khuyencong.projects.tests.factories import establishment

    est_org = testing.make_org("establishment", None, "Cơ sở X", establishment=establishment("Bến Tre"))
    user = testing.make_user("est.user", est_org)
    assert as_user(user).get(reverse("rankings:ranking") + "?year=2019").status_code == 404
    client = as_user(vinhlong_officer)
    response = client.post(reverse("rankings:publish"), {"year": 2019, "region": "phia-nam"})
    assert response.status_code == 302
    assert not selectors.publication_for(2019, Region.objects.get(code="phia-nam"))
    assert client.get(reverse("rankings:weights")).status_code == 404


def test_cuc_page_and_exports(two_provinces, cuc_admin, as_user):
    client = as_user(cuc_admin)
    page = client.get(reverse("rankings:ranking") + "?year=2019&region=phia-nam")
    assert page.status_code == 200 and "Cần Thơ" in page.content.decode()
    for fmt in ("xlsx", "docx"):
        r = client.get(reverse("rankings:ranking") + f"?year=2019&region=phia-nam&format={fmt}")
        assert r.status_code == 200 and r.content[:2] == b"PK", fmt
    assert client.get(reverse("rankings:weights") + "?year=2019").status_code == 200


def test_api_follows_the_page_rule(two_provinces, vinhlong_officer, thainguyen_officer, api_as):
    own = api_as(vinhlong_officer).get("/api/v1/rankings/?year=2019&region=phia-nam").json()
    assert own["ranked"] == 20 and not own["full"]
    assert {r["province_id"] for r in own["rows"]} == {vinhlong_officer.organisation.unit_id}
    other = api_as(thainguyen_officer).get("/api/v1/rankings/?year=2019&region=phia-nam").json()
    assert other["rows"] == []  # Thái Nguyên is not in the southern region
