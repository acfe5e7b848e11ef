"""make run's local admin account: development only, password shown once."""

from io import StringIO

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


def test_prints_the_address_the_server_listens_on(settings, monkeypatch):
    settings.DEBUG = True
    out = StringIO()
    call_command("createdevadmin", "--address", "0.0.0.0:8401", stdout=out)
    assert "http://0.0.0.0:8401/admin/" in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()


def test_the_address_defaults_to_host_and_port_from_the_environment(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("HOST", "192.0.2.10")
    monkeypatch.setenv("PORT", "8402")
    assert "http://192.0.2.10:8402/admin/" in _run()
    assert "http://192.0.2.10:8402/admin/" in _run()  # and again when the user exists
