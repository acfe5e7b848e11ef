"""Who may do what in the admin: anonymous visitors, editors and publishers."""

import pytest
from django.urls import reverse

from kb.models import Article
from tests.factory import admin_form_data, make_article, make_user

Status = Article.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("Editors")


@pytest.fixture
def publisher():
    return make_user("Publishers")


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _change_url(article):
    return reverse("admin:kb_article_change", args=[article.pk])


def _transition(client, article, name):
    url = reverse("admin:kb_article_transition", args=[article.pk, name])
    response = client.post(url)
    article.refresh_from_db()
    return response


def _edit_title(client, article, title):
    data = admin_form_data(client.get(_change_url(article)))
    data["title"] = title
    return client.post(_change_url(article), data)


# Anonymous visitors


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("admin:kb_article_changelist", []),
        ("admin:kb_article_add", []),
        ("admin:kb_article_change", ["pk"]),
        ("admin:kb_article_history", ["pk"]),
        ("admin:kb_article_delete", ["pk"]),
    ],
)
def test_anonymous_is_sent_to_the_login_page(client, url_name, args):
    article = make_article(status=Status.RETIRED)
    url = reverse(url_name, args=[article.pk for _ in args])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_cannot_change_status_or_restore(client):
    article = make_article(status=Status.REVIEW)
    response = _transition(client, article, "publish")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert article.status == Status.REVIEW

    version = article.history.latest()
    client.post(reverse("admin:kb_article_restore", args=[article.pk, version.history_id]))
    assert article.history.count() == 1


def test_anonymous_cannot_preview(client):
    response = client.post(reverse("admin:kb_article_preview"), {"text": "*hi*"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_plain_user_without_staff_status_gets_no_admin(client):
    _as(client, make_user(None))
    response = client.get(reverse("admin:kb_article_changelist"))
    assert response.status_code == 302


# Lists and forms


@pytest.mark.parametrize("role", ["Editors", "Publishers"])
def test_both_roles_see_the_list_and_can_add(client, role):
    make_article(title="Listed article")
    _as(client, make_user(role))
    assert b"Listed article" in client.get(reverse("admin:kb_article_changelist")).content
    assert client.get(reverse("admin:kb_article_add")).status_code == 200


@pytest.mark.parametrize("role", ["Editors", "Publishers"])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_both_roles_edit_drafts_and_articles_in_review(client, role, status):
    article = make_article(status=status)
    _as(client, make_user(role))
    response = _edit_title(client, article, "Better title")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Better title"


def test_editor_sees_a_published_article_read_only_and_cannot_post(client, editor):
    article = make_article(title="Stable title", status=Status.PUBLISHED)
    _as(client, editor)
    response = client.get(_change_url(article))
    assert response.status_code == 200
    assert b'name="title"' not in response.content
    assert b"you may read it here but not change it" in response.content

    data = admin_form_data(client.get(_change_url(make_article(status=Status.DRAFT))))
    data["title"] = "Changed anyway"
    assert client.post(_change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.title == "Stable title"


def test_publisher_edits_a_published_article(client, publisher):
    article = make_article(status=Status.PUBLISHED)
    _as(client, publisher)
    assert _edit_title(client, article, "Corrected").status_code == 302
    article.refresh_from_db()
    assert article.title == "Corrected"
    assert article.status == Status.PUBLISHED


def test_nobody_changes_status_through_the_form(client, publisher):
    article = make_article(status=Status.DRAFT)
    _as(client, publisher)
    data = admin_form_data(client.get(_change_url(article)))
    data["status"] = Status.PUBLISHED
    client.post(_change_url(article), data)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


# Workflow buttons


def test_editor_submits_for_review_but_cannot_publish_or_retire(client, editor):
    article = make_article(status=Status.DRAFT)
    _as(client, editor)
    _transition(client, article, "submit")
    assert article.status == Status.REVIEW
    _transition(client, article, "publish")
    assert article.status == Status.REVIEW
    _transition(client, article, "retire")
    assert article.status == Status.REVIEW


def test_publisher_publishes_retires_and_restores(client, publisher):
    article = make_article(status=Status.REVIEW)
    _as(client, publisher)
    _transition(client, article, "publish")
    assert article.status == Status.PUBLISHED
    _transition(client, article, "retire")
    assert article.status == Status.RETIRED
    _transition(client, article, "restore_published")
    assert article.status == Status.PUBLISHED
    _transition(client, article, "retire")
    _transition(client, article, "restore_draft")
    assert article.status == Status.DRAFT


def test_editor_cannot_restore_a_retired_article(client, editor):
    article = make_article(status=Status.RETIRED)
    _as(client, editor)
    _transition(client, article, "restore_draft")
    assert article.status == Status.RETIRED


def test_change_page_offers_only_the_buttons_the_user_may_use(client, editor, publisher):
    article = make_article(status=Status.REVIEW)
    page = _as(client, editor).get(_change_url(article)).content.decode()
    assert "Back to draft" in page
    assert ">Publish<" not in page
    page = _as(client, publisher).get(_change_url(article)).content.decode()
    assert ">Publish<" in page
    assert ">Retire<" in page


def _run_action(client, action, articles):
    return client.post(
        reverse("admin:kb_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles]},
    )


def test_publish_action_is_refused_to_editors_and_works_for_publishers(client, editor, publisher):
    articles = [make_article(status=Status.REVIEW) for _ in range(2)]
    _run_action(_as(client, editor), "publish", articles)
    assert set(Article.objects.values_list("status", flat=True)) == {Status.REVIEW}
    _run_action(_as(client, publisher), "publish", articles)
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_retire_action_skips_articles_already_retired(client, publisher):
    published = make_article(status=Status.PUBLISHED)
    retired = make_article(status=Status.RETIRED)
    response = _run_action(_as(client, publisher), "retire", [published, retired])
    published.refresh_from_db()
    assert published.status == Status.RETIRED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("cannot be moved" in m for m in messages)


def test_bulk_delete_is_not_offered(client, publisher):
    article = make_article(status=Status.RETIRED)
    _run_action(_as(client, publisher), "delete_selected", [article])
    assert Article.objects.filter(pk=article.pk).exists()


# Deleting


def test_publisher_cannot_delete_an_article_that_is_not_retired(client, publisher):
    article = make_article(status=Status.PUBLISHED)
    _as(client, publisher)
    url = reverse("admin:kb_article_delete", args=[article.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_editor_cannot_delete_even_a_retired_article(client, editor):
    article = make_article(status=Status.RETIRED)
    _as(client, editor)
    url = reverse("admin:kb_article_delete", args=[article.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_publisher_deletes_a_retired_article_with_its_parts(client, publisher):
    article = make_article(
        status=Status.RETIRED, symptoms=["Error 1"], causes=["Cause"], resolutions=["Fix"]
    )
    _as(client, publisher)
    url = reverse("admin:kb_article_delete", args=[article.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


# History and restore


@pytest.mark.parametrize("role", ["Editors", "Publishers"])
def test_both_roles_read_the_history(client, role):
    article = make_article(status=Status.PUBLISHED)
    _as(client, make_user(role))
    response = client.get(reverse("admin:kb_article_history", args=[article.pk]))
    assert response.status_code == 200
    assert b"Created" in response.content


def test_editor_cannot_restore_a_version_of_a_published_article(client, editor):
    article = make_article(title="Original", status=Status.PUBLISHED)
    first = article.history.earliest()
    article.title = "Edited"
    article.save()
    _as(client, editor)
    url = reverse("admin:kb_article_restore", args=[article.pk, first.history_id])
    assert client.post(url).status_code == 403
    article.refresh_from_db()
    assert article.title == "Edited"


@pytest.mark.parametrize(
    "role, status",
    [("Editors", Status.DRAFT), ("Publishers", Status.DRAFT), ("Publishers", Status.PUBLISHED)],
)
def test_restore_is_allowed_to_those_who_may_edit(client, role, status):
    article = make_article(title="Original", status=status)
    first = article.history.earliest()
    article.title = "Edited"
    article.save()
    _as(client, make_user(role))
    url = reverse("admin:kb_article_restore", args=[article.pk, first.history_id])
    assert client.post(url).status_code == 302
    article.refresh_from_db()
    assert article.title == "Original"


def test_restore_refuses_get(client, publisher):
    article = make_article()
    _as(client, publisher)
    url = reverse("admin:kb_article_restore", args=[article.pk, article.history.latest().pk])
    assert client.get(url).status_code == 405


# Markdown preview


@pytest.mark.parametrize("role", ["Editors", "Publishers"])
def test_both_roles_can_preview(client, role):
    _as(client, make_user(role))
    response = client.post(reverse("admin:kb_article_preview"), {"text": "*hi*"})
    assert response.status_code == 200
    assert response.json()["html"] == "<p><em>hi</em></p>"


def test_staff_without_article_permissions_cannot_preview(client):
    _as(client, make_user(None, is_staff=True))
    response = client.post(reverse("admin:kb_article_preview"), {"text": "*hi*"})
    assert response.status_code == 403
