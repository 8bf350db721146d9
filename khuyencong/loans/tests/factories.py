"""Terms, recoverable đề án and loans for tests, made through the services (history and steps exist)."""

import datetime as dt
import itertools

from khuyencong import testing
from khuyencong.projects.tests import factories as pf

from .. import services
from ..models import LoanStatus

_seq = itertools.count(1)


def terms(officer, *, province="Vĩnh Long", term_months=27, grace_months=6, frequency="quarterly", **kw):
    from ..models import LoanTerms

    unit = testing.current_province(province)
    existing = LoanTerms.objects.filter(province=unit).first()
    if existing:
        return existing
    return services.terms_create(
        actor=officer,
        province=unit,
        name=kw.pop("name", "Quy chế cho vay khuyến công có hoàn trả"),
        decision_no=kw.pop("decision_no", "15/2009/QĐ-UBND"),
        decision_date=kw.pop("decision_date", dt.date(2009, 6, 1)),
        valid_from=kw.pop("valid_from", dt.date(2009, 7, 1)),
        term_months=term_months,
        grace_months=grace_months,
        frequency=frequency,
        **kw,
    )


def recoverable_project(officer, *, amount=300_000_000, establishments=None, year=2018, province="Bến Tre"):
    return pf.project(
        officer,
        province_short=province,
        year=year,
        level="local",
        recoverable=True,
        establishments=establishments,
        funding={"local": {"requested": amount, "approved": amount}, "counterpart": {"requested": amount}},
    )


def loan(
    officer,
    *,
    principal=100_000_000,
    project=None,
    establishment=None,
    contract_date=dt.date(2018, 7, 1),
    **kw,
):
    terms(officer)
    if project is None:
        project = recoverable_project(officer, establishments=[establishment] if establishment else None)
    est = establishment or project.establishments.first()
    return services.loan_create(
        actor=officer,
        project=project,
        establishment=est,
        principal=principal,
        contract_no=kw.pop("contract_no", f"{next(_seq)}/HĐ-TTKC"),
        contract_date=contract_date,
        **kw,
    )


def disbursed(officer, approver, *, disbursed_on=dt.date(2018, 7, 15), **kw):
    ln = loan(officer, **kw)
    ln = services.loan_transition(
        actor=approver,
        loan=ln,
        to_status=LoanStatus.APPROVED,
        expected_version=ln.version,
        decision_no="12/QĐ-SCT",
        decision_date=ln.contract_date,
    )
    return services.loan_transition(
        actor=officer,
        loan=ln,
        to_status=LoanStatus.DISBURSED,
        expected_version=ln.version,
        disbursed_on=disbursed_on,
    )
