"""Clusters and their đề án for tests, made through the services (so history rows exist)."""

import datetime as dt
import itertools

from khuyencong.projects.tests import factories as pf

from .. import services

_seq = itertools.count(1)
TR = 1_000_000


def cluster(officer, *, province_short="Bến Tre", name=None, **kw):
    return services.cluster_create(
        actor=officer,
        name=name or f"Cụm công nghiệp thử {next(_seq)}",
        commune=kw.pop("commune", None) or pf.a_commune(province_short),
        planned_area_ha=kw.pop("planned_area_ha", "50"),
        occupied_area_ha=kw.pop("occupied_area_ha", "10"),
        decision_no=kw.pop("decision_no", "12/QĐ-UBND"),
        decision_date=kw.pop("decision_date", dt.date(2014, 1, 10)),
        **kw,
    )


def cluster_project(officer, cluster, *, national, counterpart=0, year=2018, local=0, **kw):
    funding = {"national": {"requested": national}}
    if counterpart:
        funding["counterpart"] = {"requested": counterpart}
    level = kw.pop("level", "national")
    if local:
        funding = {
            "local": {"requested": local},
            **({"counterpart": {"requested": counterpart}} if counterpart else {}),
        }
    return pf.project(
        officer,
        year=year,
        level=level,
        content_code="7",
        support_cap=None,
        establishments=[],
        cluster=cluster,
        title=kw.pop("title", f"Hỗ trợ hạ tầng {cluster.name}"),
        funding=funding,
        **kw,
    )
