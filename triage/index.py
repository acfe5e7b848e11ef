"""The compiled triage index of the published knowledge base, kept current.

Each process keeps the index it built, tagged with the IndexRevision counter it
was built from. Every triage first reads the counter (one primary-key lookup).
When another process or server has changed the knowledge base, the process
starts building a new index in a thread of its own and keeps answering from
the one it has until the new one is ready: at 100,000 signatures a build takes
seconds, and no triage waits for it. Only a process with no index yet builds
while the request waits (once, when it starts), and so does a caller inside a
transaction, whose own uncommitted edits another thread's connection cannot
see (the admin checking an article's samples as it saves it, the test suite).
"""

import logging
import threading

from django.db import connection, connections
from django.db.models import Prefetch

from kb.models import AppliesTo, Article, Cause, Signature, Symptom
from triage.engine import ArticleSpec, CauseSpec, Index, SignatureSpec
from triage.models import IndexRevision

logger = logging.getLogger(__name__)

# Held while an index is built, so that two builds never run at once in a process.
_build_lock = threading.Lock()
_cached: Index | None = None
# The background build under way, if any.
_rebuilding: threading.Thread | None = None
_rebuilding_lock = threading.Lock()


def build_specs(articles=None):
    """ArticleSpecs and SignatureSpecs of every published article, or of the articles given."""
    if articles is None:
        articles = Article.objects.published()
    # Only the columns the specs take, and the rows a chunk at a time: the
    # articles' other texts (and PostgreSQL's search vector, larger than the
    # text) would otherwise all be held at once while the specs are made.
    articles = articles.only("slug", "title", "search_document").prefetch_related(
        Prefetch(
            "applies_to",
            queryset=AppliesTo.objects.select_related("product").only(
                "article_id", "order", "product__name"
            ),
        ),
        Prefetch(
            "symptoms",
            queryset=Symptom.objects.only("article_id", "order", "error_text", "logged_in"),
        ),
        Prefetch(
            "causes",
            queryset=Cause.objects.only("article_id", "order", "key", "title", "how_to_tell"),
        ),
        Prefetch(
            "signatures",
            queryset=Signature.objects.select_related("cause").only(
                "article_id", "kind", "value", "weight", "excluded", "cause__key"
            ),
        ),
    )
    article_specs, signature_specs = [], []
    for article in articles.iterator(chunk_size=500):
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
    # The counter is read before the rows: an index is never tagged with a
    # revision newer than what it holds.
    if revision is None:
        revision = IndexRevision.current()
    articles, signatures = build_specs()
    index = Index.build(articles, signatures)
    index.articles = {spec.slug: spec for spec in articles}
    index.revision = revision
    return index


def get_index():
    """The index to answer from: the current one, or the last one while the next is built."""
    revision = IndexRevision.current()
    index = _cached
    if index is not None and index.revision == revision:
        return index
    if index is None or connection.in_atomic_block:
        return _build_now(revision)
    _start_rebuild()
    return index


def _build_now(revision):
    global _cached
    with _build_lock:
        if _cached is None or _cached.revision != revision:
            _cached = build_index(revision)
        return _cached


def _start_rebuild():
    """Start building the index of the current revision, unless a build is under way."""
    global _rebuilding
    with _rebuilding_lock:
        if _rebuilding is not None and _rebuilding.is_alive():
            return
        _rebuilding = threading.Thread(target=_rebuild, name="triage-index-rebuild", daemon=True)
        _rebuilding.start()


def _rebuild():
    global _cached
    try:
        with _build_lock:
            # Read here rather than passed in: edits made since the request that
            # started the build are in it too.
            revision = IndexRevision.current()
            if _cached is None or _cached.revision != revision:
                _cached = build_index(revision)
    except Exception:
        # The old index keeps serving; the next triage tries again.
        logger.exception("Rebuilding the triage index failed")
    finally:
        # This thread's own database connection, not the requests'.
        connections.close_all()


def wait_for_rebuild(timeout=None):
    """Wait for a background build under way, if any (for commands and tests)."""
    thread = _rebuilding
    if thread is not None:
        thread.join(timeout)
