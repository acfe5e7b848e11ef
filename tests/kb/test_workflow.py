"""Status moves: draft -> in review -> published -> retired, and back from retired."""

import pytest

from kb import workflow
from kb.models import Article
from tests.factory import make_article, make_user

Status = Article.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("Editors")


@pytest.fixture
def publisher():
    return make_user("Publishers")


@pytest.mark.parametrize(
    "name, start, end",
    [
        ("submit", Status.DRAFT, Status.REVIEW),
        ("withdraw", Status.REVIEW, Status.DRAFT),
        ("publish", Status.REVIEW, Status.PUBLISHED),
        ("publish", Status.DRAFT, Status.PUBLISHED),
        ("retire", Status.PUBLISHED, Status.RETIRED),
        ("restore_draft", Status.RETIRED, Status.DRAFT),
        ("restore_published", Status.RETIRED, Status.PUBLISHED),
    ],
)
def test_publisher_moves_along_every_transition(publisher, name, start, end):
    article = make_article(status=start)
    assert workflow.apply(article, name, publisher).status == end
    article.refresh_from_db()
    assert article.status == end
    assert article.modified_by == publisher


@pytest.mark.parametrize(
    "name, start",
    [
        ("submit", Status.REVIEW),
        ("submit", Status.PUBLISHED),
        ("publish", Status.PUBLISHED),
        ("publish", Status.RETIRED),
        ("retire", Status.RETIRED),
        ("restore_draft", Status.PUBLISHED),
        ("withdraw", Status.DRAFT),
    ],
)
def test_moves_from_the_wrong_status_are_refused(publisher, name, start):
    article = make_article(status=start)
    with pytest.raises(workflow.TransitionRefused):
        workflow.apply(article, name, publisher)
    article.refresh_from_db()
    assert article.status == start


@pytest.mark.parametrize(
    "name, start",
    [
        ("publish", Status.REVIEW),
        ("retire", Status.PUBLISHED),
        ("restore_draft", Status.RETIRED),
        ("restore_published", Status.RETIRED),
    ],
)
def test_editors_cannot_publish_retire_or_restore(editor, name, start):
    article = make_article(status=start)
    with pytest.raises(workflow.TransitionRefused):
        workflow.apply(article, name, editor)
    article.refresh_from_db()
    assert article.status == start


def test_editor_submits_and_withdraws(editor):
    article = make_article(status=Status.DRAFT)
    article = workflow.apply(article, "submit", editor)
    assert article.status == Status.REVIEW
    assert workflow.apply(article, "withdraw", editor).status == Status.DRAFT


def test_the_status_is_read_from_the_database_not_the_stale_object(publisher):
    article = make_article(status=Status.REVIEW)
    stale = Article.objects.get(pk=article.pk)
    workflow.apply(article, "publish", publisher)
    # Someone holding the old object cannot publish a second time.
    with pytest.raises(workflow.TransitionRefused):
        workflow.apply(stale, "publish", publisher)


def test_publishing_sets_the_first_publication_date_once(publisher):
    article = make_article(status=Status.REVIEW, published_on=None)
    article = workflow.apply(article, "publish", publisher)
    first = article.published_on
    assert first is not None
    article = workflow.apply(article, "retire", publisher)
    article.published_on = first.replace(year=first.year - 1)
    article.save()
    article = workflow.apply(article, "restore_published", publisher)
    assert article.published_on.year == first.year - 1


def test_each_move_is_a_new_version_named_for_the_move(publisher):
    article = make_article(status=Status.REVIEW)
    article = workflow.apply(article, "publish", publisher)
    latest = article.history.latest()
    assert latest.history_change_reason == "Publish"
    assert latest.status == Status.PUBLISHED
    assert latest.version == 2


def test_available_lists_only_what_the_user_may_do(editor, publisher):
    article = make_article(status=Status.REVIEW)
    assert [t.name for t in workflow.available(editor, article)] == ["withdraw"]
    assert [t.name for t in workflow.available(publisher, article)] == [
        "withdraw",
        "publish",
        "retire",
    ]


def test_inactive_users_can_do_nothing():
    user = make_user("Publishers", is_active=False)
    article = make_article(status=Status.DRAFT)
    assert not workflow.can_edit(user, article)
    with pytest.raises(workflow.TransitionRefused):
        workflow.apply(article, "submit", user)


def test_only_retired_articles_can_be_deleted(publisher, editor):
    assert not workflow.can_delete(publisher, make_article(status=Status.PUBLISHED))
    assert workflow.can_delete(publisher, make_article(status=Status.RETIRED))
    assert not workflow.can_delete(editor, make_article(status=Status.RETIRED))
