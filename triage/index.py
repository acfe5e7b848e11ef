"""The compiled triage index of the published knowledge base, kept current.

Building the index takes a few queries and some milliseconds, so each process
keeps the one it built, tagged with the IndexRevision counter it was built
from. Every triage first reads the counter (one primary-key lookup) and
rebuilds when another process or server has changed the knowledge base.
"""

import threading

from django.db.models import Prefetch

from kb.models import AppliesTo, Article, Cause, Signature, Symptom
from triage.engine import ArticleSpec, CauseSpec, Index, SignatureSpec
from triage.models import IndexRevision

_lock = threading.Lock()
_cached: Index | None = None


def build_specs(articles=None):
    """ArticleSpecs and SignatureSpecs of every published article, or of the articles given."""
    if articles is None:
        articles = Article.objects.published()
    articles = articles.prefetch_related(
        Prefetch("applies_to", queryset=AppliesTo.objects.select_related("product")),
        Prefetch("symptoms", queryset=Symptom.objects.all()),
        Prefetch("causes", queryset=Cause.objects.all()),
        Prefetch("signatures", queryset=Signature.objects.select_related("cause")),
    )
    article_specs, signature_specs = [], []
    for article in articles:
        article_specs.append(
            ArticleSpec(
                slug=article.slug,
                title=article.title,
                products=tuple(a.product.name for a in article.applies_to.all()),
                error_texts=tuple(s.error_text for s in article.symptoms.all() if s.error_text),
                logged_in=tuple(s.logged_in for s in article.symptoms.all() if s.logged_in),
                causes=tuple(
                    CauseSpec(key=c.key, title=c.title, how_to_tell=c.how_to_tell)
                    for c in article.causes.all()
                ),
                text=article.search_document,
            )
        )
        for sig in article.signatures.all():
            signature_specs.append(
                SignatureSpec(
                    article=article.slug,
                    kind=sig.kind,
                    value=sig.value,
                    weight=sig.weight,
                    cause=sig.cause.key if sig.cause else None,
                    excluded=sig.excluded,
                )
            )
    return article_specs, signature_specs


def build_index(revision=None):
    articles, signatures = build_specs()
    index = Index.build(articles, signatures)
    index.articles = {spec.slug: spec for spec in articles}
    index.revision = IndexRevision.current() if revision is None else revision
    return index


def get_index():
    """The index for the knowledge base as it is now."""
    global _cached
    revision = IndexRevision.current()
    index = _cached
    if index is not None and index.revision == revision:
        return index
    with _lock:
        if _cached is None or _cached.revision != revision:
            _cached = build_index(revision)
        return _cached
