"""The scale measurements' bulk generator writes articles the way save_article does.

scripts/synthetic_kb.py skips the row-by-row save path to fill a database with
10,000 articles in minutes; what it measures is only worth anything if its
articles are published, searchable and indexable like saved ones.
"""

import copy
import importlib.util
import random
from pathlib import Path

import pytest
from django.db import connection

from kb import content
from kb.models import Article
from triage.index import build_specs

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "tests" / "corpus" / "articles").glob("*.yaml"))


@pytest.fixture(scope="module")
def synthetic():
    spec = importlib.util.spec_from_file_location("synthetic_kb", ROOT / "scripts/synthetic_kb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _datas(synthetic, count):
    rng = random.Random(1)
    bases = [content.parse(path) for path in CORPUS[:count]]
    _, signatures = synthetic.synthetic_signatures(count * 10, seed=1)
    by_article = {}
    for signature in signatures:
        by_article.setdefault(signature.article, []).append(signature)
    return [
        synthetic.article(base, n, rng, by_article.get(f"article-{n}", []))
        for n, base in enumerate(bases)
    ]


def _index_row(article):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT search_vector::text FROM kb_article WHERE id = %s", [article.pk])
        else:
            cursor.execute(
                "SELECT title, summary, keywords, body FROM kb_article_fts WHERE rowid = %s",
                [article.pk],
            )
        return cursor.fetchone()


def _saved_the_usual_way(data):
    article, _ = content.save_article(data)
    return article


def _as_saved(article):
    article = Article.objects.get(pk=article.pk)
    return content.article_data(article), article.search_document, _index_row(article)


@pytest.mark.django_db
def test_bulk_articles_equal_saved_ones(synthetic):
    datas = _datas(synthetic, 3)
    bulk = synthetic.save_articles(copy.deepcopy(datas))
    bulk_state = [_as_saved(a) for a in bulk]
    bulk_specs = build_specs()
    Article.objects.all().delete()
    saved = [_saved_the_usual_way(copy.deepcopy(data)) for data in datas]
    saved_state = [_as_saved(a) for a in saved]
    assert bulk_state == saved_state
    assert bulk_specs == build_specs()
    html = [(a.more_info_html, [s.description_html for s in a.symptoms.all()]) for a in saved]
    again = synthetic.save_articles(
        [dict(copy.deepcopy(d), slug=d["slug"] + "-again") for d in datas]
    )
    assert [
        (a.more_info_html, [s.description_html for s in a.symptoms.all()]) for a in again
    ] == html


@pytest.mark.django_db
def test_bulk_articles_are_published_and_found_by_their_error_text(synthetic, client):
    data = _datas(synthetic, 1)[0]
    (article,) = synthetic.save_articles([data])
    error = next(s["error_text"] for s in data["symptoms"] if s["error_text"])
    marker = error.rsplit("[", 1)[1].rstrip("]")
    assert Article.objects.published().search(marker).first() == article
    assert article.title in client.get("/search/", {"q": marker}).content.decode()
