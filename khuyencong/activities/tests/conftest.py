import pytest


@pytest.fixture
def activities_demo(db):
    """The seeds' activities on top of the demo establishments and users (the đề án are not loaded: the demo
    links them only when they are there)."""
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.activities import demo as activities_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    activities_demo.load()
