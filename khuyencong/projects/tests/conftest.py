import pytest

from khuyencong import testing


@pytest.fixture
def demo(db):
    """The demo story of seeds 004 and 000 (establishments, users, plans and đề án)."""
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.projects import demo as projects_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    projects_demo.load()


@pytest.fixture
def thainguyen_approver(thainguyen_officer):
    return testing.make_user("tn.approver", thainguyen_officer.organisation, "approver")
