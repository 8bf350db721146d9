import pytest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded dossiers go to a temporary MEDIA_ROOT (real files, removed after the test)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def awards_demo(db):
    """Seed 000's voting story on top of the establishments and users of the demo."""
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.awards import demo as awards_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    awards_demo.load_seed_000()


@pytest.fixture
def awards_demo_all(db):
    """Every seed's voting story (000, 001, 003, 004) on the demo's establishments, users and đề án."""
    from khuyencong.accounts import demo as accounts_demo
    from khuyencong.awards import demo as awards_demo
    from khuyencong.beneficiaries import demo as beneficiaries_demo
    from khuyencong.projects import demo as projects_demo

    beneficiaries_demo.load()
    accounts_demo.load()
    projects_demo.load()
    awards_demo.load()
