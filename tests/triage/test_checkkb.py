"""`manage.py checkkb`: every sample of the knowledge base, one line per broken one."""

from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from kb.models import Article, Sample
from tests.factory import make_article
from tests.triage.conftest import LINKAGE_LINES

pytestmark = pytest.mark.django_db


def _checkkb(*args):
    out = StringIO()
    call_command("checkkb", *args, stdout=out)
    return out.getvalue()


def test_the_bundled_articles_pass_their_own_samples(bundled):
    output = _checkkb()
    samples = Sample.objects.filter(article__status="published").count()
    assert samples > 0
    assert f"Checked {samples} sample(s) of 4 article(s): 0 broken." in output


def test_a_broken_sample_is_reported_and_fails_the_command(bundled):
    linkage = Article.objects.get(slug="exchange-linkage-pipe-busy")
    Sample.objects.create(article=linkage, text=LINKAGE_LINES, should_match=False)
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 broken"):
        call_command("checkkb", stdout=out)
    # The broken sample is one line; advice on generic error texts may follow it.
    [line] = [line for line in out.getvalue().splitlines() if ": must " in line]
    assert line.startswith("exchange-linkage-pipe-busy: must not match “control(01ba)")
    assert "came back high" in line


def test_drafts_are_checked_only_with_all(bundled):
    draft = make_article(status=Article.Status.DRAFT)
    Sample.objects.create(article=draft, text="Nothing like any article at all.")
    assert "0 broken" in _checkkb()
    with pytest.raises(CommandError, match=r"1 broken"):
        call_command("checkkb", "--all", stdout=StringIO())


def test_the_exit_status_is_non_zero_from_the_command_line(bundled):
    linkage = Article.objects.get(slug="exchange-linkage-pipe-busy")
    Sample.objects.create(article=linkage, text="A printer is out of paper.")
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "checkkb"])
    assert exit_info.value.code != 0


def test_an_error_text_that_can_only_give_low_is_named_with_what_lifts_it(bundled):
    output = _checkkb()
    [line] = [line for line in output.splitlines() if "can only give low" in line]
    assert line.startswith("episerver-overlapped-recycling: Error text “System.Net.Sockets")
    assert "generic message (no context of the article's own)" in line
    assert "“EPiServer CMS”" in line and "“w3wp.exe”" in line
    # Advice is no failure.
    assert "0 broken" in output


def test_an_article_with_nothing_to_lift_its_generic_text_is_told_what_to_add(bundled):
    make_article(
        slug="access-denied",
        title="Access denied",
        status="published",
        symptoms=["Access is denied."],
    )
    output = _checkkb()
    [line] = [line for line in output.splitlines() if line.startswith("access-denied:")]
    assert "can only give low on its own" in line
    assert "name the product" in line
