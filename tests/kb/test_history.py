"""Nothing is lost: versions of an article with its parts, compared and restored."""

import pytest
from django.urls import reverse

from kb import history
from kb.models import Article, Resolution, Symptom
from tests.factory import admin_form_data, make_article, make_product, make_user

Status = Article.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(client):
    user = make_user("Publishers", username="pat")
    client.force_login(user)
    return user


@pytest.fixture
def article():
    return make_article(
        title="Service Unavailable after recycling",
        symptoms=["HTTP Error 503. The service is unavailable."],
        causes=["Overlapped recycling"],
        resolutions=[{"title": "Turn off overlapped recycling", "steps": "1. Open IIS Manager."}],
        products=[make_product("IIS")],
    )


def _change_url(article):
    return reverse("admin:kb_article_change", args=[article.pk])


def _save(client, article, **changes):
    data = admin_form_data(client.get(_change_url(article)))
    data.update(changes)
    response = client.post(_change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_an_admin_save_records_the_parts_and_who_saved(client, publisher, article):
    _save(client, article, **{"resolutions-0-steps": "1. Open IIS Manager.\n2. Recycle."})
    step = Resolution.history.filter(article_id=article.pk).latest()
    assert step.history_user == publisher
    assert step.steps.endswith("2. Recycle.")
    assert Article.history.filter(id=article.pk).latest().history_user == publisher
    article.refresh_from_db()
    assert article.modified_by == publisher


def test_one_save_with_its_parts_is_one_version(client, publisher, article):
    _save(
        client,
        article,
        title="Service Unavailable (503) after recycling",
        **{"resolutions-0-steps": "1. Open IIS Manager.\n2. Recycle."},
    )
    timeline = history.Timeline(article)
    assert len(timeline.versions) == 2
    summary = history.diff(timeline.versions[0].snapshot, timeline.latest.snapshot).summary()
    assert summary == ["Title", "Resolution “Turn off overlapped recycling”: Steps"]


def test_the_history_page_lists_versions_with_their_parts(client, publisher, article):
    _save(client, article, **{"resolutions-0-steps": "1. Use the new pool."})
    page = client.get(reverse("admin:kb_article_history", args=[article.pk])).content.decode()
    assert "pat" in page
    assert "Resolution “Turn off overlapped recycling”: Steps" in page
    assert "Article created with 1 applies to, 1 symptom, 1 cause, 1 resolution" in page


def test_resubmitting_text_with_browser_line_ends_is_not_a_change(client, publisher, article):
    # Browsers send textareas back with CRLF line ends.
    article.symptoms.update(description="First line.\nSecond line.\n")
    data = admin_form_data(client.get(_change_url(article)))
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}
    data["title"] = "Retitled"
    client.post(_change_url(article), data)
    assert Symptom.history.filter(article_id=article.pk).count() == 1
    assert history.Timeline(article).latest.part_records == []


def test_compare_shows_a_changed_resolution_step(client, publisher, article):
    first = article.history.earliest()
    _save(client, article, **{"resolutions-0-steps": "1. Open IIS Manager.\n2. Disable it."})
    latest = article.history.latest()
    response = client.get(
        reverse("admin:kb_article_compare", args=[article.pk]),
        {"old": first.history_id, "new": latest.history_id},
    )
    page = response.content.decode()
    assert "Resolution “Turn off overlapped recycling” changed" in page
    assert "<ins>+ 2. Disable it.</ins>" in page
    assert "Summary" not in page


def test_compare_shows_parts_added_and_removed(client, publisher, article):
    first = article.history.earliest()
    data = {
        "symptoms-0-DELETE": "on",
        "references-TOTAL_FORMS": "1",
        "references-0-title": "KB 123",
        "references-0-url": "https://example.org/kb/123",
        "references-0-order": "0",
    }
    _save(client, article, **data)
    diff = history.diff(
        history.Timeline(article).get(first.history_id).snapshot,
        history.Timeline(article).latest.snapshot,
    )
    assert "Reference “KB 123” added" in diff.summary()
    assert "Symptom “HTTP Error 503. The service is unavailable.” removed" in diff.summary()


def test_restore_brings_back_an_earlier_step_as_a_new_version(client, publisher, article):
    first = article.history.earliest()
    _save(
        client,
        article,
        summary="A worse summary.",
        **{"resolutions-0-steps": "1. Reboot everything.", "symptoms-0-DELETE": "on"},
    )
    response = client.post(reverse("admin:kb_article_restore", args=[article.pk, first.history_id]))
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.summary == "Summary of Service Unavailable after recycling."
    assert article.resolutions.get().steps == "1. Open IIS Manager."
    assert article.resolutions.get().steps_html == "<ol>\n<li>Open IIS Manager.</li>\n</ol>"
    assert Symptom.objects.filter(article=article).count() == 1
    assert "Open IIS Manager" in article.search_document
    assert article.status == Status.PUBLISHED

    timeline = history.Timeline(article)
    assert len(timeline.versions) == 3
    assert timeline.latest.reason == "Restored version 1"
    assert timeline.latest.users == [publisher]
    # The restore can itself be undone: version 2 is still there to go back to.
    [replaced] = timeline.versions[1].snapshot.parts["resolutions"].values()
    assert replaced.steps == "1. Reboot everything."


def test_restore_keeps_the_address_and_status(client, publisher, article):
    first = article.history.earliest()
    article.slug = "new-address"
    article.status = Status.RETIRED
    article.save()
    client.post(reverse("admin:kb_article_restore", args=[article.pk, first.history_id]))
    article.refresh_from_db()
    assert article.slug == "new-address"
    assert article.status == Status.RETIRED


def test_restore_refuses_a_version_of_another_article(client, publisher, article):
    other = make_article()
    url = reverse("admin:kb_article_restore", args=[article.pk, other.history.latest().pk])
    assert client.post(url).status_code == 404
