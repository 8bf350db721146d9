"""Demand surveys: questions as data, invitations by commune/sector/type, answers online or on paper,
completeness 18/30 = 60,0 %, tabulation and Excel, answers turned into registrations in one step."""

import datetime as dt

import pytest
from django.urls import reverse

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import a_commune, establishment
from khuyencong.core.errors import DomainError, NotAllowed
from khuyencong.projects.models import Status

from .. import selectors, services
from ..models import CampaignStatus

TR = 1_000_000


@pytest.fixture
def campaign(vinhlong_officer):
    c = services.campaign_create(
        actor=vinhlong_officer,
        unit=testing.old_province("Bến Tre"),
        title="Khảo sát nhu cầu năm 2027",
        plan_year=2027,
        opens_on=dt.date.today() - dt.timedelta(days=5),
        closes_on=dt.date.today() + dt.timedelta(days=30),
    )
    return services.campaign_transition(
        actor=vinhlong_officer, campaign=c, to_status=CampaignStatus.OPEN, expected_version=c.version
    )


def _answers(i=0):
    return {
        "noi_dung": "3",
        "nhu_cau": f"Máy sấy dừa {i}",
        "kinh_phi": "120 triệu",
        "doi_ung": "200 triệu",
        "lao_dong": 12,
        "hoi_cho": "co",
    }


def test_completeness_18_of_30(campaign, vinhlong_officer):
    ests = [establishment("Bến Tre") for _ in range(30)]
    assert services.invitations_create(actor=vinhlong_officer, campaign=campaign, establishments=ests) == 30
    invitations = list(campaign.invitations.all())
    for i, inv in enumerate(invitations[:18]):
        services.response_save(
            actor=vinhlong_officer if i % 3 == 0 else None,
            invitation=inv,
            answers=_answers(i),
            on_paper=False,
        )
    comp = selectors.completeness(campaign)
    assert comp["total"]["invited"] == 30 and comp["total"]["answered"] == 18
    assert comp["total"]["rate"] == "60,0 %"
    assert comp["total"]["on_paper"] == 6
    assert sum(r["invited"] for r in comp["by_commune"]) == 30
    assert sum(r["answered"] for r in comp["by_sector"]) == 18
    tab = {t["question"].code: t for t in selectors.tabulate(campaign)}
    assert tab["kinh_phi"]["sum"] == 18 * 120 * TR
    assert {o["value"]: o["count"] for o in tab["hoi_cho"]["options"]}["co"] == 18


def test_invite_by_commune_sector_type(campaign, vinhlong_officer):
    commune = a_commune("Bến Tre")
    e1 = establishment("Bến Tre", commune=commune, type_code="HTX")
    establishment("Bến Tre", commune=commune, type_code="HKD")
    establishment("Bắc Kạn", type_code="HTX")  # another province: never invited
    n = services.invitations_create(
        actor=vinhlong_officer, campaign=campaign, communes=[commune], types=[e1.establishment_type]
    )
    assert n == 1 and campaign.invitations.get().establishment == e1


def test_required_and_typed_answers(campaign, vinhlong_officer):
    e = establishment("Bến Tre")
    services.invitations_create(actor=vinhlong_officer, campaign=campaign, establishments=[e])
    inv = campaign.invitations.get()
    with pytest.raises(DomainError, match="bắt buộc"):
        services.response_save(actor=vinhlong_officer, invitation=inv, answers={"noi_dung": "3"})
    with pytest.raises(DomainError):
        services.response_save(
            actor=vinhlong_officer, invitation=inv, answers={**_answers(), "lao_dong": "-3"}
        )
    r = services.response_save(actor=vinhlong_officer, invitation=inv, answers=_answers())
    assert r.on_paper and r.entered_by == vinhlong_officer


def test_establishment_answers_own_only(campaign, vinhlong_officer, as_user):
    mine, theirs = establishment("Bến Tre"), establishment("Bến Tre")
    user = testing.make_user("cs.a", testing.make_org("establishment", None, mine.name, establishment=mine))
    services.invitations_create(actor=vinhlong_officer, campaign=campaign, establishments=[mine, theirs])
    own_inv = campaign.invitations.get(establishment=mine)
    other_inv = campaign.invitations.get(establishment=theirs)
    r = services.response_save(actor=user, invitation=own_inv, answers=_answers())
    assert not r.on_paper
    with pytest.raises(NotAllowed):
        services.response_save(actor=user, invitation=other_inv, answers=_answers())
    c = as_user(user)
    assert c.get(reverse("surveys:answer", args=[other_inv.pk])).status_code == 404
    assert c.get(f"/api/v1/surveys/invitations/{other_inv.pk}/").status_code == 404
    assert c.get(f"/api/v1/surveys/campaigns/{campaign.pk}/completeness/").status_code == 404
    page = c.post(
        reverse("surveys:answer", args=[own_inv.pk]),
        {"noi_dung": "1", "nhu_cau": "Đào tạo nghề", "kinh_phi": "50 triệu"},
    )
    assert page.status_code == 302


def test_selected_answers_become_registrations(campaign, vinhlong_officer, as_user):
    ests = [establishment("Bến Tre") for _ in range(3)]
    services.invitations_create(actor=vinhlong_officer, campaign=campaign, establishments=ests)
    rs = [
        services.response_save(actor=vinhlong_officer, invitation=inv, answers=_answers(i))
        for i, inv in enumerate(campaign.invitations.all())
    ]
    projects = services.responses_to_registrations(
        actor=vinhlong_officer, campaign=campaign, response_ids=[rs[0].pk, rs[1].pk]
    )
    assert len(projects) == 2
    for p, r in zip(projects, rs, strict=False):
        r.refresh_from_db()
        assert r.project == p and p.survey_responses.get() == r
        assert p.status == Status.REGISTERED and p.plan.year == 2027
        assert p.fundings.get(source__code="local").requested == 120 * TR
    with pytest.raises(DomainError):
        services.responses_to_registrations(
            actor=vinhlong_officer, campaign=campaign, response_ids=[rs[0].pk]
        )
    x = as_user(vinhlong_officer).get(reverse("surveys:campaign", args=[campaign.pk]) + "?format=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")


def test_outsider_sees_nothing(campaign, thainguyen_officer, api_as):
    api = api_as(thainguyen_officer)
    assert api.get(f"/api/v1/surveys/campaigns/{campaign.pk}/").status_code == 404
    assert api.get("/api/v1/surveys/campaigns/").json()["count"] == 0
    with pytest.raises(NotAllowed):
        services.invitations_create(actor=thainguyen_officer, campaign=campaign)
