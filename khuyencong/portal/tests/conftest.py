import pytest

from khuyencong import testing
from khuyencong.beneficiaries.tests.factories import establishment, minh_tam


@pytest.fixture
def own(db):
    return minh_tam()


@pytest.fixture
def coso(own):
    org = testing.make_org("establishment", None, own.name, establishment=own)
    return testing.make_user("coso.minhtam", org, "officer")


@pytest.fixture
def other(db):
    return establishment("Bến Tre", name="Cơ sở kẹo dừa Thanh Long")


@pytest.fixture
def other_user(other):
    org = testing.make_org("establishment", None, other.name, establishment=other)
    return testing.make_user("coso.khac", org, "officer")
