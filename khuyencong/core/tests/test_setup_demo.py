import io

import pytest
from django.core.management import call_command

from khuyencong.accounts.models import User

pytestmark = pytest.mark.django_db


def test_setup_demo_prints_logins_and_can_run_twice():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    text = out.getvalue()
    for username in ("cuc", "vinhlong", "vinhlong.lanhdao", "thainguyen", "coso"):
        assert f"  {username} " in text
    assert "khuyencong2026" in text
    users = User.objects.count()
    call_command("setup_demo", stdout=io.StringIO())
    assert User.objects.count() == users
    assert User.objects.get(username="vinhlong").organisation.unit.short_name == "Vĩnh Long"
    assert User.objects.get(username="coso").organisation.establishment.name.endswith("Minh Tâm")
