import threading

import pytest
from django.test import testcases
from rest_framework.test import APIClient

from khuyencong import testing


class _OneRequestAtATime:
    """The live server's WSGI app, entered by one request at a time (the response's body included).

    With the in-memory SQLite test database, every thread of the live server uses the test's own
    connection. Two requests at once (a picker's search while a form posts) could then deadlock inside
    SQLite: one thread holds the connection's mutex and waits for the GIL in a Python SQL function
    (`vi_key`), the other holds the GIL and waits for the mutex. CI hung there until its wall clock.
    Requests still arrive on their own threads (an idle browser connection blocks nobody), they only wait
    for each other here."""

    def __init__(self, app):
        self.app, self.lock = app, threading.Lock()

    def __call__(self, environ, start_response):
        self.lock.acquire()
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return _ReleaseAfterBody(result, self.lock)


class _ReleaseAfterBody:
    def __init__(self, result, lock):
        self.result, self.lock, self.released = result, lock, False

    def __iter__(self):
        yield from self.result

    def close(self):
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            if not self.released:
                self.released = True
                self.lock.release()


_create_server = testcases.LiveServerThread._create_server


def _create_serialized_server(self, connections_override=None):
    server = _create_server(self, connections_override=connections_override)
    if connections_override:  # the test's in-memory SQLite connection, shared by the server's threads
        set_app = server.set_app
        server.set_app = lambda app: set_app(_OneRequestAtATime(app))
    return server


testcases.LiveServerThread._create_server = _create_serialized_server


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """The test database is copied from a kept, migrated template when there is one (khuyencong/testdb.py)."""
    from khuyencong import testdb

    testdb.install()


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: answers kept under a data version (core.dataversion) by an
    earlier test, whose rows were rolled back without any signal, must not be read as this test's."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["versions"].clear()
