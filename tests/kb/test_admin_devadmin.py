"""make run's local admin account: development only, password shown once."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run():
    from io import StringIO

    out = StringIO()
    call_command("createdevadmin", stdout=out)
    return out.getvalue()


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="createsuperuser"):
        _run()
    assert not User.objects.exists()


def test_creates_a_superuser_once_and_shows_the_password_once(settings):
    settings.DEBUG = True
    output = _run()
    password = output.split("password:")[1].split()[0]
    user = User.objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password(password)
    assert password not in user.password

    again = _run()
    assert "already exists" in again
    assert password not in again
    assert User.objects.count() == 1
