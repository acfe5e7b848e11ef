"""The queue of unanswered pastes in the admin, and drafts started from it."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from kb.models import Article, Signature
from tests.factory import make_user
from triage.models import UnansweredGroup, UnansweredPaste

pytestmark = pytest.mark.django_db

LIST = reverse("admin:triage_unansweredgroup_changelist")
OLD_PASTE = "Error: QuuxSpooler failed to start.\nat Quux.Main()"
NEW_PASTE = (
    "2025-03-05 10:00 INFO starting spooler\n"
    "QuuxSpooler failed to start: error 0x800700E7 <b>All pipe instances are busy</b>\n"
    "Spooler.QuuxException: the queue is stuck\n"
    "2025-03-05 10:01 INFO retrying"
)


def _group(label, count, **kwargs):
    now = timezone.now()
    kwargs.setdefault("first_seen", now - datetime.timedelta(days=count))
    kwargs.setdefault("last_seen", now)
    return UnansweredGroup.objects.create(fingerprint=label, label=label, count=count, **kwargs)


@pytest.fixture
def spooler():
    group = _group(
        "win32:231 · QuuxException · quuxspooler failed to start",
        2,
        codes=["win32:231"],
        exceptions=["QuuxException"],
    )
    now = timezone.now()
    UnansweredPaste.objects.create(
        group=group, text=OLD_PASTE, created_at=now - datetime.timedelta(days=1)
    )
    UnansweredPaste.objects.create(group=group, text=NEW_PASTE, created_at=now)
    return group


@pytest.fixture
def editor(client):
    """An editor who also looks after the queue."""
    user = make_user("Editors")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_unansweredgroup", "change_unansweredgroup"])
    )
    client.force_login(user)
    return user


def test_the_list_shows_the_most_frequent_first_with_counts_and_codes(client, editor, spooler):
    _group("rare one", 1)
    _group("common one", 9, handled=True)
    page = client.get(LIST).content.decode()
    assert page.index("common one") < page.index("quuxspooler") < page.index("rare one")
    assert "win32:231" in page


def test_the_filter_shows_open_or_handled_groups(client, editor, spooler):
    _group("dealt with", 5, handled=True)
    open_page = client.get(LIST, {"state": "open"}).content.decode()
    assert "quuxspooler" in open_page and "dealt with" not in open_page
    handled_page = client.get(LIST, {"state": "handled"}).content.decode()
    assert "dealt with" in handled_page and "quuxspooler" not in handled_page


def test_mark_as_handled_and_reopen(client, editor, spooler):
    other = _group("other", 3)
    client.post(LIST, {"action": "mark_handled", "_selected_action": [spooler.pk, other.pk]})
    assert UnansweredGroup.objects.filter(handled=True).count() == 2
    client.post(LIST, {"action": "reopen", "_selected_action": [spooler.pk]})
    spooler.refresh_from_db()
    other.refresh_from_db()
    assert (spooler.handled, other.handled) == (False, True)


def test_the_detail_page_shows_the_pastes_escaped(client, editor, spooler):
    page = client.get(
        reverse("admin:triage_unansweredgroup_change", args=[spooler.pk])
    ).content.decode()
    assert "&lt;b&gt;All pipe instances are busy&lt;/b&gt;" in page
    assert "<b>All pipe" not in page
    assert "QuuxSpooler failed to start." in page
    assert 'name="label"' not in page  # what was pasted is not editable
    assert "Start a draft article from this" in page


def test_a_draft_started_from_a_group_is_prefilled(client, editor, spooler):
    response = client.post(reverse("admin:triage_unansweredgroup_draft", args=[spooler.pk]))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:kb_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    assert article.title == spooler.label
    assert article.modified_by == editor
    symptom = article.symptoms.get()
    # The error lines of the most recent paste, not its log noise.
    assert symptom.error_text == (
        "QuuxSpooler failed to start: error 0x800700E7 <b>All pipe instances are busy</b>\n"
        "Spooler.QuuxException: the queue is stuck"
    )
    assert set(article.signatures.values_list("kind", "value")) == {
        (Signature.Kind.CODE, "win32:231"),
        (Signature.Kind.EXCEPTION, "QuuxException"),
    }
    spooler.refresh_from_db()
    assert spooler.handled
    # The article's change page opens for the editor.
    assert client.get(response["Location"]).status_code == 200


def test_the_action_starts_a_draft_from_one_group(client, editor, spooler):
    response = client.post(
        LIST, {"action": "start_draft_article", "_selected_action": [spooler.pk]}
    )
    article = Article.objects.get()
    assert response["Location"] == reverse("admin:kb_article_change", args=[article.pk])


def test_the_action_refuses_more_than_one_group(client, editor, spooler):
    other = _group("other", 3)
    response = client.post(
        LIST,
        {"action": "start_draft_article", "_selected_action": [spooler.pk, other.pk]},
        follow=True,
    )
    assert "Choose exactly one group" in response.content.decode()
    assert not Article.objects.exists()


def test_starting_a_draft_needs_the_right_to_add_articles(client, spooler):
    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_unansweredgroup", "change_unansweredgroup"])
    )
    client.force_login(user)
    url = reverse("admin:triage_unansweredgroup_draft", args=[spooler.pk])
    assert client.post(url).status_code == 403
    detail = reverse("admin:triage_unansweredgroup_change", args=[spooler.pk])
    assert "Start a draft article" not in client.get(detail).content.decode()
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, spooler):
    for url in (LIST, reverse("admin:triage_unansweredgroup_draft", args=[spooler.pk])):
        response = client.post(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_staff_without_the_permission_are_refused(client, spooler):
    client.force_login(make_user(is_staff=True))
    assert client.get(LIST).status_code == 403
