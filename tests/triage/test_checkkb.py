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
    [line] = out.getvalue().splitlines()
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
