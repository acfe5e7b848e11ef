"""Two people editing the same article: the second save is refused, nothing is overwritten."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.models import Article
from tests.factory import admin_form_data, make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(
        title="Event 5011",
        resolutions=[{"title": "Raise the limit", "steps": "1. Open the pool settings."}],
    )


def _client_for(username):
    client = Client()
    client.force_login(make_user("Publishers", username=username))
    return client


def _url(article):
    return reverse("admin:kb_article_change", args=[article.pk])


def test_the_second_of_two_saves_from_the_same_version_is_refused(article):
    alice, bob = _client_for("alice"), _client_for("bob")
    alice_data = admin_form_data(alice.get(_url(article)))
    bob_data = admin_form_data(bob.get(_url(article)))
    assert alice_data["loaded_version"] == bob_data["loaded_version"] == "1"

    alice_data["resolutions-0-steps"] = "1. Open the pool settings.\n2. Raise the limit to 10."
    assert alice.post(_url(article), alice_data).status_code == 302

    bob_data["title"] = "Event 5011 from WAS"
    bob_data["resolutions-0-steps"] = "1. Reboot."
    response = bob.post(_url(article), bob_data)

    # Bob sees the form again, with his own input, and why it was not saved.
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by alice" in page
    assert "Changed meanwhile: Resolution “Raise the limit”: Steps." in page
    # What alice saved, so bob can compare it with his own input.
    assert (
        "Resolution “Raise the limit”, steps, is now “1. Open the pool settings.\n"
        "2. Raise the limit to 10.” (was “1. Open the pool settings.”)." in page
    )
    history = reverse("admin:kb_article_history", args=[article.pk])
    assert f'Check those changes in the <a href="{history}">history</a>' in page
    assert 'value="Event 5011 from WAS"' in page
    assert "1. Reboot.</textarea>" in page

    # Alice's save is intact.
    article.refresh_from_db()
    assert article.title == "Event 5011"
    assert article.version == 2
    assert article.resolutions.get().steps.endswith("Raise the limit to 10.")
    assert article.history.count() == 2


def test_saving_again_after_the_conflict_is_a_deliberate_overwrite(article):
    alice, bob = _client_for("alice"), _client_for("bob")
    alice_data = admin_form_data(alice.get(_url(article)))
    bob_data = admin_form_data(bob.get(_url(article)))
    alice_data["title"] = "Alice's title"
    alice.post(_url(article), alice_data)

    bob_data["title"] = "Bob's title"
    refused = bob.post(_url(article), bob_data)
    # The re-shown form now carries the version Bob has been shown changes from.
    resubmitted = admin_form_data(refused)
    assert resubmitted["loaded_version"] == "2"
    assert resubmitted["title"] == "Bob's title"
    assert bob.post(_url(article), resubmitted).status_code == 302
    article.refresh_from_db()
    assert article.title == "Bob's title"
    assert article.version == 3


def test_a_save_from_the_current_version_goes_through_and_counts_up(article):
    alice = _client_for("alice")
    for expected in (2, 3):
        data = admin_form_data(alice.get(_url(article)))
        data["summary"] = f"Summary {expected}"
        assert alice.post(_url(article), data).status_code == 302
        assert Article.objects.get(pk=article.pk).version == expected


def test_a_workflow_move_meanwhile_also_counts_as_a_change(article):
    article.status = Article.Status.REVIEW
    article.save()
    alice, bob = _client_for("alice"), _client_for("bob")
    bob_data = admin_form_data(bob.get(_url(article)))
    alice.post(reverse("admin:kb_article_transition", args=[article.pk, "publish"]))
    bob_data["title"] = "Stale edit"
    response = bob.post(_url(article), bob_data)
    assert response.status_code == 200
    assert "Changed meanwhile: Status" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Event 5011"


def test_the_conflict_shows_the_other_persons_values_escaped(article):
    alice, bob = _client_for("alice"), _client_for("bob")
    alice_data = admin_form_data(alice.get(_url(article)))
    bob_data = admin_form_data(bob.get(_url(article)))
    alice_data["title"] = "Event 5011 <b>from</b> WAS"
    assert alice.post(_url(article), alice_data).status_code == 302
    bob_data["title"] = "Bob's title"
    page = bob.post(_url(article), bob_data).content.decode()
    assert "Title is now “Event 5011 &lt;b&gt;from&lt;/b&gt; WAS” (was “Event 5011”)." in page
    assert "<b>from</b>" not in page
