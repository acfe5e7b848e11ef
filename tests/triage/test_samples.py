"""An article's sample pastes are checked each time it is saved in the admin."""

import pytest
from django.urls import reverse

from kb.models import Article, Sample
from tests.factory import admin_form_data, make_article, make_user
from tests.triage.conftest import LINKAGE_LINES
from triage import checks

pytestmark = pytest.mark.django_db

LINKAGE = "exchange-linkage-pipe-busy"


@pytest.fixture
def publisher(client):
    user = make_user("Publishers")
    client.force_login(user)
    return user


def _messages(response):
    return [(m.level_tag, str(m)) for m in response.wsgi_request._messages]


def _save_with_samples(client, article, samples):
    """Save the article's change form with samples (text, should_match) added."""
    url = reverse("admin:kb_article_change", args=[article.pk])
    data = admin_form_data(client.get(url))
    existing = int(data["samples-TOTAL_FORMS"])
    for n, (text, should_match) in enumerate(samples, existing):
        data[f"samples-{n}-text"] = text
        if should_match:
            data[f"samples-{n}-should_match"] = "on"
    data["samples-TOTAL_FORMS"] = str(existing + len(samples))
    return client.post(url, data, follow=True)


def test_a_near_miss_that_leads_to_the_article_is_named_in_a_warning(client, publisher, bundled):
    linkage = Article.objects.get(slug=LINKAGE)
    response = _save_with_samples(client, linkage, [(LINKAGE_LINES, False)])
    assert response.redirect_chain  # saved all the same
    assert Sample.objects.filter(article=linkage, text=LINKAGE_LINES.replace("\r", "")).exists()
    warnings = [text for level, text in _messages(response) if level == "warning"]
    assert len(warnings) == 1
    assert checks.excerpt(LINKAGE_LINES) in warnings[0]
    assert "must not match" in warnings[0]
    assert "came back high" in warnings[0]
    assert "came back high" in response.content.decode()


def test_a_paste_that_leads_elsewhere_is_named_with_what_happened(client, publisher, bundled):
    linkage = Article.objects.get(slug=LINKAGE)
    elsewhere = (
        "System.Runtime.Remoting.RemotingException: Port is Busy: All pipe instances are busy."
    )
    nothing = "The printer on the third floor jams every morning."
    response = _save_with_samples(client, linkage, [(elsewhere, True), (nothing, True)])
    warnings = [text for level, text in _messages(response) if level == "warning"]
    assert len(warnings) == 2
    assert any(
        elsewhere[:40] in w and "another article ranked first: content-studio" in w
        for w in warnings
    )
    assert any(nothing in w and "nothing matched" in w for w in warnings)


def test_samples_that_behave_give_no_warning(client, publisher, bundled):
    linkage = Article.objects.get(slug=LINKAGE)
    response = _save_with_samples(client, linkage, [])
    levels = dict(_messages(response))
    assert sorted(levels) == ["info", "success"]
    assert "Every sample of this article still triages as it should" in levels["info"]


def test_a_draft_is_checked_as_if_it_were_published(client, publisher):
    draft = make_article(
        status=Article.Status.DRAFT,
        symptoms=["QuuxSpooler::flush failed: the widget queue is stalled"],
        signatures=[("phrase", "QuuxSpooler::flush")],
    )
    good = "QuuxSpooler::flush failed: the widget queue is stalled"
    response = _save_with_samples(client, draft, [(good, True)])
    assert not [text for level, text in _messages(response) if level == "warning"]

    response = _save_with_samples(client, draft, [(good, False)])
    warnings = [text for level, text in _messages(response) if level == "warning"]
    assert len(warnings) == 1 and "came back high" in warnings[0]


def test_a_match_that_comes_back_low_says_so(bundled):
    linkage = Article.objects.get(slug=LINKAGE)
    index = checks.index_including(linkage)
    sample = Sample(article=linkage, text="All pipe instances are busy.", should_match=True)
    [broken] = checks.check_samples(index, linkage, [sample])
    assert broken.problem.startswith(("came back low", "another article ranked first"))


def test_long_samples_are_named_by_their_first_80_characters():
    text = "word " * 40
    assert len(checks.excerpt(text)) == 80
    assert checks.excerpt("two\nlines") == "two lines"


def test_a_failing_check_never_costs_the_editor_the_save(client, publisher, bundled, monkeypatch):
    def broken_check(article):
        raise RuntimeError("index could not be built")

    monkeypatch.setattr(checks, "check_article", broken_check)
    linkage = Article.objects.get(slug=LINKAGE)
    response = _save_with_samples(client, linkage, [("A new sample paste", True)])
    assert response.redirect_chain
    assert Sample.objects.filter(article=linkage, text="A new sample paste").exists()
    warnings = [text for level, text in _messages(response) if level == "warning"]
    assert warnings == ["The samples of this article could not be checked just now."]


def test_saving_an_article_names_its_error_texts_that_can_only_give_low(client, publisher, bundled):
    recycling = Article.objects.get(slug="episerver-overlapped-recycling")
    response = _save_with_samples(client, recycling, [])
    warnings = [text for level, text in _messages(response) if level == "warning"]
    [advice] = [w for w in warnings if "can only give low" in w]
    assert "“System.Net.Sockets.SocketException: Only one usage" in advice
    assert "What lifts it: a paste that also names “EPiServer CMS”" in advice
    assert "can only give low on its own" in response.content.decode()
