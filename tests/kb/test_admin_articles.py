"""The article admin: list, filters, forms with parts, and what a save records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kb.models import Article
from tests.factory import admin_form_data, make_article, make_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user("Editors", username="edna")
    client.force_login(user)
    return user


def _changelist(client, **params):
    return client.get(reverse("admin:kb_article_changelist"), params).content.decode()


def test_the_list_shows_status_products_and_who_changed_it(client, editor):
    iis = make_product("IIS")
    article = make_article(title="Error 503", products=[iis], status=Article.Status.REVIEW)
    article.modified_by = editor
    article.save()
    page = _changelist(client)
    assert "Error 503" in page
    assert "In review" in page
    assert "IIS" in page
    assert "edna" in page


def test_review_due_filter_lists_only_articles_past_their_review_date(client, editor):
    today = timezone.localdate()
    make_article(title="Overdue one", review_by=today - datetime.timedelta(days=1))
    make_article(title="Due next month", review_by=today + datetime.timedelta(days=30))
    make_article(title="Never reviewed")
    page = _changelist(client, review="due")
    assert "Overdue one" in page
    assert "Due next month" not in page
    assert "Never reviewed" not in page


def test_filters_by_status_and_product(client, editor):
    iis = make_product("IIS")
    make_article(title="IIS draft", status="draft", products=[iis])
    make_article(title="Other draft", status="draft")
    make_article(title="IIS published", products=[iis])
    page = _changelist(client, status__exact="draft", products__id__exact=iis.pk)
    assert "IIS draft" in page
    assert "Other draft" not in page
    assert "IIS published" not in page


def test_search_finds_an_article_by_its_error_text(client, editor):
    make_article(title="Pool stops", symptoms=["Event ID 5002: A process serving ..."])
    make_article(title="Unrelated")
    page = _changelist(client, q="Event ID 5002")
    assert "Pool stops" in page
    assert "Unrelated" not in page


def test_adding_an_article_with_a_resolution_records_the_editor_and_indexes_it(client, editor):
    add_url = reverse("admin:kb_article_add")
    data = admin_form_data(client.get(add_url))
    data.update(
        {
            "title": "WAS event 5011",
            "slug": "was-event-5011",
            "summary": "A worker process failed.",
            "article_type": "problem",
            "resolutions-TOTAL_FORMS": "1",
            "resolutions-0-title": "Raise the rapid-fail limit",
            "resolutions-0-kind": "workaround",
            "resolutions-0-steps": "1. Open *Advanced Settings*.",
            "resolutions-0-order": "0",
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302
    article = Article.objects.get(slug="was-event-5011")
    assert article.status == Article.Status.DRAFT
    assert article.modified_by == editor
    assert article.resolutions.get().steps_html == (
        "<ol>\n<li>Open <em>Advanced Settings</em>.</li>\n</ol>"
    )
    # The search document covers the parts saved after the article row.
    assert "rapid-fail" in article.search_document


def test_parts_are_shown_in_their_order(client, editor):
    article = make_article(status="draft")
    article.resolutions.create(title="Second", order=2, steps="x")
    article.resolutions.create(title="First", order=1, steps="y")
    html = client.get(reverse("admin:kb_article_change", args=[article.pk])).content.decode()
    assert html.index('value="First"') < html.index('value="Second"')


def test_the_change_page_links_to_the_public_page_and_history(client, editor):
    article = make_article(status="draft", slug="draft-one")
    html = client.get(reverse("admin:kb_article_change", args=[article.pk])).content.decode()
    assert "View on site" in html
    assert reverse("admin:kb_article_history", args=[article.pk]) in html
    assert "only staff can see it on the site" in html


def test_resolution_cause_choices_are_limited_to_the_article(client, editor):
    article = make_article(status="draft", causes=["Own cause"], resolutions=["Fix"])
    make_article(causes=["Foreign cause"])
    html = client.get(reverse("admin:kb_article_change", args=[article.pk])).content.decode()
    assert "Own cause" in html
    assert "Foreign cause" not in html


def test_view_on_site_shows_staff_a_draft_that_readers_cannot_see(client, editor):
    article = make_article(title="Unfinished", status="draft")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert b"not visible to the public" in page.content
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def _new_article_with_a_cause(client, cause_key):
    add_url = reverse("admin:kb_article_add")
    data = admin_form_data(client.get(add_url))
    data.update(
        {
            "title": "WAS event 5011",
            "slug": "was-event-5011",
            "summary": "A worker process failed.",
            "article_type": "problem",
            "causes-TOTAL_FORMS": "1",
            "causes-0-order": "0",
            "causes-0-key": "rapid-fail",
            "causes-0-title": "Rapid-fail protection stopped the pool",
            "causes-0-explanation": "Five crashes in five minutes.",
            "resolutions-TOTAL_FORMS": "1",
            "resolutions-0-title": "Raise the rapid-fail limit",
            "resolutions-0-kind": "workaround",
            "resolutions-0-steps": "1. Open *Advanced Settings*.",
            "resolutions-0-order": "0",
            "resolutions-0-cause_key": cause_key,
            "signatures-TOTAL_FORMS": "1",
            "signatures-0-kind": "code",
            "signatures-0-value": "5011",
            "signatures-0-weight": "1",
            "signatures-0-cause_key": cause_key,
        }
    )
    return client.post(add_url, data)


def test_a_new_resolution_can_point_at_a_cause_added_in_the_same_save(client, editor):
    response = _new_article_with_a_cause(client, "rapid-fail")
    assert response.status_code == 302
    article = Article.objects.get(slug="was-event-5011")
    cause = article.causes.get()
    assert article.resolutions.get().cause == cause
    assert article.signatures.get().cause == cause
    # And the change page offers it, chosen.
    html = client.get(reverse("admin:kb_article_change", args=[article.pk])).content.decode()
    assert (
        '<option value="rapid-fail" selected>Rapid-fail protection stopped the pool (rapid-fail)'
        in html
    )


def test_a_cause_key_the_article_does_not_have_is_refused_keeping_the_input(client, editor):
    make_article(
        causes=[{"key": "foreign", "title": "Another article's cause", "explanation": "x"}]
    )
    response = _new_article_with_a_cause(client, "foreign")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This article has no cause with the key foreign." in html
    assert "Raise the rapid-fail limit" in html
    assert not Article.objects.filter(slug="was-event-5011").exists()


def test_the_add_page_offers_the_causes_typed_on_it(client, editor):
    html = client.get(reverse("admin:kb_article_add")).content.decode()
    assert "admin-kb/cause-choices.js" in html
    assert "data-cause-choices" in html
