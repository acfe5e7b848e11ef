"""Signing in: an unsafe next address lands on the admin, and a refused form says why."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factory import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_an_unsafe_next_lands_on_the_admin_index(client, next_url):
    make_user("Editors", username="erin", password="the right one")
    response = client.post(
        reverse("admin:login"),
        {"username": "erin", "password": "the right one", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_is_followed(client):
    make_user("Publishers", username="pat", password="the right one")
    target = reverse("admin:kb_article_changelist")
    response = client.post(
        reverse("admin:login"), {"username": "pat", "password": "the right one", "next": target}
    )
    assert response["Location"] == target


def test_a_sign_in_without_the_security_cookie_explains_https(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "sent over HTTPS only" in page
    assert "SECURE_COOKIES=0" in page
