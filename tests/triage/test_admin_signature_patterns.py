"""Pattern signatures are checked when an article is saved in the admin."""

import pytest
from django.urls import reverse

from kb.models import Signature
from tests.factory import admin_form_data, make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(client):
    client.force_login(make_user("Editors"))
    return make_article(status="draft")


def _save_with_pattern(client, article, pattern):
    url = reverse("admin:kb_article_change", args=[article.pk])
    data = admin_form_data(client.get(url))
    data.update(
        {
            "signatures-TOTAL_FORMS": "1",
            "signatures-0-kind": "pattern",
            "signatures-0-value": pattern,
            "signatures-0-weight": "1",
        }
    )
    return client.post(url, data)


@pytest.mark.parametrize(
    "pattern, reason",
    [
        (r"(pipe)\s+\1", "backreferences such as \\1 are not supported"),
        (r"(?P<word>pipe) (?P=word)", "backreferences are not supported"),
        (r"pipe(?= busy)", "lookahead (?=...) is not supported"),
        (r"(?<!named )pipe", "negative lookbehind"),
        (r"pipe(", "Not a valid RE2 pattern"),
        (r"x*", "matches empty text"),
    ],
)
def test_a_pattern_the_engine_cannot_run_is_refused_with_the_reason(
    client, article, pattern, reason
):
    response = _save_with_pattern(client, article, pattern)
    assert response.status_code == 200  # the form again, not a redirect
    formsets = response.context["inline_admin_formsets"]
    errors = next(i.formset for i in formsets if i.formset.prefix == "signatures").errors
    messages = [m for form_errors in errors for m in form_errors.get("value", [])]
    assert any(reason in m for m in messages), messages
    assert reason in response.content.decode().replace("&#x27;", "'")
    assert not Signature.objects.filter(article=article).exists()


def test_a_valid_re2_pattern_is_accepted(client, article):
    response = _save_with_pattern(client, article, r"WIN32:231\(")
    assert response.status_code == 302
    assert Signature.objects.get(article=article).value == r"WIN32:231\("


def test_a_phrase_that_looks_like_a_bad_pattern_is_only_a_phrase(client, article):
    url = reverse("admin:kb_article_change", args=[article.pk])
    data = admin_form_data(client.get(url))
    data.update(
        {
            "signatures-TOTAL_FORMS": "1",
            "signatures-0-kind": "phrase",
            "signatures-0-value": "pipe(?= busy)",
            "signatures-0-weight": "1",
        }
    )
    assert client.post(url, data).status_code == 302
