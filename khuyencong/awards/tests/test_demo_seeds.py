"""Seeds 001, 003 and 004 in the demo: the rounds, their counts per level, the products moving up with a
valid certificate of the level below, and the figures counted from the records."""

import datetime as dt

import pytest

from khuyencong import testing
from khuyencong.awards import demo, demo_seeds
from khuyencong.awards import record_figures_provider as provider
from khuyencong.awards.figures import round_counts, voting_figures
from khuyencong.awards.models import AwardRound, Certificate, Entry, RoundStatus
from khuyencong.reports.record_figures import Scope

pytestmark = pytest.mark.django_db


def _counts(title):
    r = AwardRound.objects.get(title=title)
    return (
        r.entries.count(),
        r.entries.filter(eligible=True).count(),
        r.entries.filter(recognised=True).count(),
        r.certificates.count(),
    )


def test_every_seed_in_the_demo(awards_demo_all):
    # seed 000 unchanged
    assert _counts(demo.PROVINCIAL) == (18, 16, 15, 15)
    assert _counts(demo.REGIONAL) == (8, 6, 6, 6)
    # seed 001: the 2012 round, 40 products, 15 recognised, 9 of them at region
    assert _counts(demo_seeds.BT_2012) == (40, 19, 15, 15)
    assert _counts(demo_seeds.REGION_2012) == (11, 9, 9, 9)
    y2012 = voting_figures(testing.old_province("Bến Tre"), dt.date(2012, 1, 1), dt.date(2012, 12, 31))
    assert (y2012["entries"]["province"], y2012["recognised"]["province"], y2012["recognised"]["region"]) == (
        40,
        15,
        9,
    )
    # seed 003: Bến Tre 2014–2018, two provincial rounds: 30 provincial, 14 regional, 5 national
    five = voting_figures(testing.old_province("Bến Tre"), dt.date(2014, 1, 1), dt.date(2018, 12, 31))
    assert five["recognised"]["province"] == 30
    assert five["recognised"]["region"] == 14
    assert five["recognised"]["national"] == 5
    provincial_rounds = AwardRound.objects.filter(
        level="province", unit=testing.old_province("Bến Tre"), year__gte=2014, year__lte=2018
    )
    assert provincial_rounds.count() == 2
    # the same figures for today's province (Vĩnh Long holds old Bến Tre)
    now = voting_figures(testing.current_province("Vĩnh Long"), dt.date(2014, 1, 1), dt.date(2018, 12, 31))
    assert (now["recognised"]["province"], now["recognised"]["region"], now["recognised"]["national"]) == (
        30,
        14,
        5,
    )
    # seed 004: Bắc Kạn 2018, funded by its đề án, decided before the đề án was completed (25/5/2018)
    bk = AwardRound.objects.get(title=demo_seeds.BK_2018)
    assert bk.funding_project.code == "BK18-DP-01"
    assert bk.status == RoundStatus.CLOSED and bk.decision_date <= dt.date(2018, 5, 25)
    assert _counts(demo_seeds.BK_2018) == (14, 12, 10, 10)
    half = voting_figures(testing.old_province("Bắc Kạn"), dt.date(2018, 1, 1), dt.date(2018, 6, 30))
    assert half["recognised"]["province"] == 10

    # scores consistent with the pass marks, certificates distinct with their validity
    for entry in Entry.objects.select_related("round"):
        assert entry.score is not None
        assert entry.eligible == (entry.score >= entry.round.pass_mark)
        if entry.recognised:
            assert entry.eligible
    certs = list(Certificate.objects.select_related("round", "entry"))
    assert len({(c.round_id, c.number) for c in certs}) == len(certs)
    assert len({c.entry_id for c in certs}) == len(certs)
    for c in certs:
        assert c.valid_until == Certificate.end_date(c.issued_on, c.round.validity_years)
        assert c.issued_on == c.round.decision_date
    # moving up: every regional or national entry came from the level below, with a certificate valid on
    # the round's date; the product is the same
    for entry in Entry.objects.filter(round__level__in=["region", "national"]).select_related(
        "round", "forwarded_from__round"
    ):
        below = entry.forwarded_from
        assert below.product_id == entry.product_id and below.recognised
        assert below.certificate.valid_on(entry.round.reference_date)
    # no establishment of these seeds entered before it was founded (seed 000's products are as they were)
    seed_000 = Entry.objects.filter(round__title=demo.PROVINCIAL).values("product_id")
    for entry in Entry.objects.exclude(product_id__in=seed_000).select_related("establishment", "round"):
        assert (entry.establishment.founded_year or 0) <= entry.round.year

    # the rounds the province held, for the programme's "tổ chức 04 lần bình chọn" (2014–2020)
    ben_tre = testing.old_province("Bến Tre")
    counts = round_counts(ben_tre, dt.date(2014, 1, 1), dt.date(2018, 12, 31))
    expected = {"commune": 0, "district": 0, "province": 2, "region": 2, "national": 2}
    assert counts == {"held": expected, "decided": expected}
    assert round_counts(ben_tre, dt.date(2014, 1, 1), dt.date(2020, 12, 31))["held"]["province"] == 2
    assert (
        round_counts(testing.old_province("Bắc Kạn"), dt.date(2018, 1, 1), dt.date(2018, 6, 30))["decided"][
            "province"
        ]
        == 1
    )
    # the report hook's provider over the five years: 30 distinct products; rows per level
    scope = Scope(ben_tre, dt.date(2014, 1, 1), dt.date(2018, 12, 31))
    # and the two provincial rounds Bến Tre organised and decided (2014, 2016): "tổ chức 04 lần bình chọn"
    assert provider.outputs(scope) == {"san-pham-binh-chon": 30, "lan-binh-chon": 2}
    rows = {r[0]: r[1:] for r in provider.section(scope).rows}
    # entries, recognised, …, certificates still valid on 31/12/2018 (those of 2014–2015 have expired)
    assert (rows["Sản phẩm CNNT tiêu biểu cấp tỉnh"][:2], rows["Sản phẩm CNNT tiêu biểu cấp tỉnh"][-1]) == (
        [38, 30],
        15,
    )
    assert (
        rows["Sản phẩm CNNT tiêu biểu cấp khu vực"][:2],
        rows["Sản phẩm CNNT tiêu biểu cấp khu vực"][-1],
    ) == (
        [18, 14],
        6,
    )
    assert (
        rows["Sản phẩm CNNT tiêu biểu cấp quốc gia"][:2],
        rows["Sản phẩm CNNT tiêu biểu cấp quốc gia"][-1],
    ) == (
        [8, 5],
        3,
    )

    # idempotent
    rounds, certificates = AwardRound.objects.count(), Certificate.objects.count()
    demo.load()
    assert (AwardRound.objects.count(), Certificate.objects.count()) == (rounds, certificates)
    assert rounds == 9
