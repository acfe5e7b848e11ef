"""Fill a database with a large synthetic knowledge base, for the scale measurements.

    DATABASE_URL=... .venv/bin/python scripts/synthetic_kb.py [--articles 10000]

Each article is one of the evaluation corpus's articles (tests/corpus/articles)
with its own slug, a title, products, error texts and messages made different
by made-up words and numbers, and ten signatures shaped like the engine
benchmark's (phrases, Win32/WinSock codes, exception names, context words),
so that 10,000 articles carry 100,000 signatures.

Articles are written in batches of five hundred, one transaction and one
bulk insert per table each, rather than through kb.content.save_article row by
row (that path, and the signals it fires, is not what the scale measurements
measure). What a saved article gets is filled in the same way: the rendered
HTML of every Markdown field (kb.markup), the search document
(Article.build_search_document) and the search index (kb.search.index_article).
There is no article history (no editor made them), and the index revision
moves once per batch. tests/kb/test_synthetic_kb.py holds a generated article
equal to one that save_article writes from the same data. Meant for a database
of its own: run it on an empty, migrated one.
"""

import argparse
import copy
import functools
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "synthetic")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from kb import content, markup, search  # noqa: E402
from kb.models import (  # noqa: E402
    AppliesTo,
    Article,
    Cause,
    Product,
    Reference,
    Resolution,
    Sample,
    Signature,
    Symptom,
)
from triage.bench import SIGNATURES_PER_ARTICLE, _word  # noqa: E402
from triage.bench import synthetic_kb as synthetic_signatures  # noqa: E402
from triage.models import IndexRevision  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "articles"
PRODUCTS = 300
BATCH = 500


def article(base, n, rng, signatures):
    data = copy.deepcopy(base)
    word = _word(rng).title()
    data["slug"] = f"{base['slug'][:80]}-{n}"
    data["title"] = f"{base['title'][:150]} ({word} {n})"
    data["status"] = "published"
    data["summary"] = f"{word} {n}: {base['summary']}"
    products = rng.sample(range(PRODUCTS), 2)
    data["applies_to"] = [
        {
            "product": {"name": f"Synthetic {k}", "slug": f"synthetic-{k}", "vendor": "Example"},
            "versions": "",
        }
        for k in products
    ]
    for symptom in data["symptoms"]:
        if symptom["error_text"]:
            symptom["error_text"] = f"{symptom['error_text']} [{word}{n}]"
    data["samples"] = {"match": [], "no_match": []}
    data["signatures"] = [
        {"kind": s.kind, "value": s.value, "weight": s.weight, "cause": None, "excluded": False}
        for s in signatures
    ]
    return data


_html = functools.lru_cache(maxsize=4096)(markup.to_html)


def _products(datas):
    """The products the data names, by slug, created where missing."""
    wanted = {}
    for data in datas:
        for entry in data["applies_to"]:
            wanted.setdefault(entry["product"]["slug"], entry["product"])
    known = {p.slug: p for p in Product.objects.filter(slug__in=wanted)}
    missing = [Product(**fields) for slug, fields in wanted.items() if slug not in known]
    for product in Product.objects.bulk_create(missing):
        known[product.slug] = product
    return known


def save_articles(datas):
    """Write new articles from parse()-shaped data, as save_article would, in bulk.

    Every slug must be new. Returns the articles, indexed for search.
    """
    products = _products(datas)
    articles = Article.objects.bulk_create(
        [
            Article(
                slug=data["slug"],
                title=data["title"],
                status=data["status"],
                article_type=data["type"],
                source_ref=data["source_ref"],
                published_on=data["published"],
                updated_on=data["updated"],
                review_by=data["review_by"],
                keywords=" ".join(data["keywords"]),
                summary=data["summary"],
                more_info=data["more_info"],
                more_info_html=_html(data["more_info"]),
            )
            for data in datas
        ]
    )
    causes = Cause.objects.bulk_create(
        [
            Cause(article=article, order=order, explanation_html=_html(c["explanation"]), **c)
            for article, data in zip(articles, datas, strict=True)
            for order, c in enumerate(data["causes"])
        ]
    )
    cause_of = {(c.article_id, c.key): c for c in causes}
    rows = {model: [] for model in (AppliesTo, Symptom, Resolution, Reference, Signature, Sample)}
    for article, data in zip(articles, datas, strict=True):
        for order, entry in enumerate(data["applies_to"]):
            rows[AppliesTo].append(
                AppliesTo(
                    article=article,
                    product=products[entry["product"]["slug"]],
                    versions=entry["versions"],
                    order=order,
                )
            )
        for order, s in enumerate(data["symptoms"]):
            rows[Symptom].append(
                Symptom(article=article, order=order, description_html=_html(s["description"]), **s)
            )
        for order, r in enumerate(data["resolutions"]):
            fields = dict(r, cause=cause_of.get((article.pk, r["cause"])))
            rows[Resolution].append(
                Resolution(
                    article=article,
                    order=order,
                    steps_html=_html(r["steps"]),
                    caveats_html=_html(r["caveats"]),
                    **fields,
                )
            )
        for order, r in enumerate(data["references"]):
            rows[Reference].append(Reference(article=article, order=order, **r))
        for s in data["signatures"]:
            fields = dict(s, cause=cause_of.get((article.pk, s["cause"])))
            rows[Signature].append(Signature(article=article, **fields))
        for key, should_match in (("match", True), ("no_match", False)):
            for s in data["samples"][key]:
                rows[Sample].append(Sample(article=article, should_match=should_match, **s))
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=2000)
    articles = list(
        Article.objects.filter(pk__in=[a.pk for a in articles])
        .order_by("pk")
        .prefetch_related(
            "symptoms",
            "causes",
            "resolutions",
            "applies_to__product",
            "signatures",
        )
    )
    for article in articles:
        article.search_document = article.build_search_document()
    Article.objects.bulk_update(articles, ["search_document"], batch_size=500)
    for article in articles:
        search.index_article(article)
    return articles


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bases = [content.parse(path) for path in sorted(CORPUS.glob("*.yaml"))]
    _, signatures = synthetic_signatures(args.articles * SIGNATURES_PER_ARTICLE, seed=args.seed)
    by_article = {}
    for signature in signatures:
        by_article.setdefault(signature.article, []).append(signature)
    settings.SIMPLE_HISTORY_ENABLED = False
    started = time.monotonic()
    for first in range(0, args.articles, BATCH):
        datas = [
            article(bases[n % len(bases)], n, rng, by_article.get(f"article-{n}", []))
            for n in range(first, min(first + BATCH, args.articles))
        ]
        with transaction.atomic():
            save_articles(datas)
            IndexRevision.bump()
        print(f"{min(first + BATCH, args.articles):,} articles, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
