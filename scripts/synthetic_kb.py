"""Fill a database with a large synthetic knowledge base, for the scale measurements.

    DATABASE_URL=... .venv/bin/python scripts/synthetic_kb.py [--articles 10000]

Each article is one of the evaluation corpus's articles (tests/corpus/articles)
with its own slug, a title, products, error texts and messages made different
by made-up words and numbers, and ten signatures shaped like the engine
benchmark's (phrases, Win32/WinSock codes, exception names, context words),
so that 10,000 articles carry 100,000 signatures. Articles are saved through
kb.content.save_article, as `manage.py loadkb` saves them (search index
included), five hundred to a transaction, without the article history (no
editor made them) and with one move of the revision per five hundred instead of
one per row. Meant for a database of its own: run it on an empty, migrated one.
"""

import argparse
import copy
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
from django.db.models.signals import m2m_changed, post_delete, post_save  # noqa: E402

from kb import content  # noqa: E402
from triage import signals as revision_signals  # noqa: E402
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


def _uid(signal, model):
    kind = "save" if signal is post_save else "delete"
    return f"triage-rev-{kind}-{model.__name__}"


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
    for model in revision_signals.WATCHED:
        for signal in (post_save, post_delete):
            signal.disconnect(sender=model, dispatch_uid=_uid(signal, model))
    m2m_changed.disconnect(dispatch_uid="triage-rev-m2m")
    started = time.monotonic()
    for first in range(0, args.articles, BATCH):
        with transaction.atomic():
            for n in range(first, min(first + BATCH, args.articles)):
                data = article(bases[n % len(bases)], n, rng, by_article.get(f"article-{n}", []))
                content.save_article(data)
            IndexRevision.bump()
        print(f"{min(first + BATCH, args.articles):,} articles, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
