"""The client's address behind trusted proxies, and the admin lockout that keys on it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from kb.clients import client_address
from tests.factory import make_user

PROXY = "10.9.9.9"


def _request(forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # never believed by default: anyone can write it
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the first was the client's own
        (2, "198.51.100.1, 203.0.113.7, 192.0.2.5", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, None, PROXY),
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_trusted_proxies_added(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_address(_request(forwarded)) == expected


def _sign_in(client, username, password, address, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
        **extra,
    )


@pytest.fixture
def admin_user(db, settings):
    settings.AXES_ENABLED = True
    return make_user("Publishers", username="ada", password="the right one", is_superuser=True)


def test_behind_the_proxy_a_strangers_guesses_do_not_lock_out_the_admin(
    client, admin_user, settings
):
    settings.TRUSTED_PROXIES = 1
    for _ in range(6):
        _sign_in(client, "ada", "guess", "203.0.113.66")
    assert _sign_in(client, "ada", "guess", "203.0.113.66").status_code == 429
    response = _sign_in(client, "ada", "the right one", "198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_lockout(
    client, admin_user, settings
):
    settings.TRUSTED_PROXIES = 0
    for n in range(5):
        _sign_in(client, "ada", "guess", f"203.0.113.{n}")
    assert _sign_in(client, "ada", "the right one", "203.0.113.99").status_code == 429


def test_guessing_during_the_lockout_does_not_extend_it(client, admin_user, settings):
    settings.TRUSTED_PROXIES = 1
    start = timezone.now()
    clock = mock.Mock(return_value=start)
    with mock.patch("axes.handlers.proxy.now", clock):
        for _ in range(5):
            _sign_in(client, "ada", "guess", "203.0.113.66")
        clock.return_value = start + timedelta(minutes=10)
        assert _sign_in(client, "ada", "guess", "203.0.113.66").status_code == 429
        clock.return_value = start + timedelta(minutes=14)
        assert _sign_in(client, "ada", "the right one", "203.0.113.66").status_code == 429
        # Fifteen minutes after the lockout began, however much guessing went on since.
        clock.return_value = start + timedelta(minutes=15, seconds=5)
        assert _sign_in(client, "ada", "the right one", "203.0.113.66").status_code == 302
