"""Admin sign-in is throttled: repeated failures lock the name and address out."""

import pytest
from django.urls import reverse

from tests.factory import make_user

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def test_five_failures_lock_out_even_the_right_password(client, settings):
    settings.AXES_ENABLED = True
    make_user("Editors", username="erin", password="the right one")
    for _ in range(4):
        assert _sign_in(client, "erin", "wrong").status_code == 200
    locked = _sign_in(client, "erin", "wrong")
    assert locked.status_code == 429
    assert b"Sign-in temporarily locked" in locked.content
    assert b"15 minutes" in locked.content

    refused = _sign_in(client, "erin", "the right one")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_user_name_only(client, settings):
    settings.AXES_ENABLED = True
    make_user("Editors", username="erin", password="the right one")
    make_user("Editors", username="fred", password="freds password")
    for _ in range(5):
        _sign_in(client, "erin", "wrong")
    response = _sign_in(client, "fred", "freds password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_correct_password_signs_in(client, settings):
    settings.AXES_ENABLED = True
    make_user("Editors", username="erin", password="the right one")
    _sign_in(client, "erin", "wrong")
    assert _sign_in(client, "erin", "the right one").status_code == 302
