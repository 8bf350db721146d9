import pytest
from rest_framework.test import APIClient

from khuyencong import testing


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Administrative units (both trees) and catalogues are loaded once per test database."""
    from khuyencong.core.demo import load_base

    with django_db_blocker.unblock():
        load_base()


@pytest.fixture
def base_data_transactional(transactional_db):
    """For transactional/live-server tests: the flush between them removes the session data."""
    from khuyencong.core.demo import load_base

    load_base()


@pytest.fixture
def vinhlong_officer(db):
    return testing.province_user("Vĩnh Long", "vl.officer", "officer")


@pytest.fixture
def vinhlong_approver(db, vinhlong_officer):
    return testing.make_user("vl.approver", vinhlong_officer.organisation, "approver")


@pytest.fixture
def vinhlong_viewer(db, vinhlong_officer):
    return testing.make_user("vl.viewer", vinhlong_officer.organisation, "viewer")


@pytest.fixture
def thainguyen_officer(db):
    """The outsider: an officer of another province."""
    return testing.province_user("Thái Nguyên", "tn.officer", "officer")


@pytest.fixture
def cuc_admin(db):
    org = testing.make_org("ministry", None, "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")
    return testing.make_user("cuc.admin", org, "admin")


@pytest.fixture
def api_client():
    return APIClient()


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def as_user(client):
    """as_user(user) -> the Django test client logged in as that user."""
    return lambda user: login(client, user)


@pytest.fixture
def api_as(api_client):
    def _as(user):
        api_client.force_authenticate(user)
        return api_client

    return _as


# Browser tests: Playwright's driver has been seen to hang while starting on a loaded 2-core machine (the
# sync API waits on its connection forever, before any page opens). A browser test that takes more than
# BROWSER_TEST_TIMEOUT seconds fails (pytest-timeout, signal method: the hang is interrupted, the worker
# lives on) and is run once more (pytest-rerunfailures); a real failure still fails twice.
BROWSER_TEST_TIMEOUT = 420


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        if item.get_closest_marker("browser"):
            if not item.get_closest_marker("timeout"):
                item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIMEOUT, method="signal"))
            if not item.get_closest_marker("flaky"):
                item.add_marker(pytest.mark.flaky(reruns=1))
