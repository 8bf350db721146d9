import pytest


@pytest.fixture
def demo_projects(db):
    """The demo users, establishments and đề án of seeds 004 and 000 (projects app's demo loader)."""
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.projects import demo as projects_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    projects_demo.load()
