"""Run articles' sample pastes through the triage and report the ones that broke.

An article carries pastes that must lead to it ("match") and near-misses that
must not lead to it with high confidence ("no_match"). They are checked when
an editor saves the article in the admin, against an index holding the
article as it now is, published or not, so a warning comes before readers see
the change; `manage.py checkkb` checks the whole knowledge base.
"""

from dataclasses import dataclass

from django.db.models import Q

from kb.models import Article
from triage.engine import Index
from triage.index import build_specs

GOOD_FOR_A_MATCH = ("high", "medium")
EXCERPT_CHARS = 80


@dataclass(frozen=True)
class BrokenSample:
    article: str  # slug
    text: str
    should_match: bool
    problem: str  # what happened, e.g. "came back low (score 0.21)"

    @property
    def excerpt(self):
        return excerpt(self.text)

    @property
    def expectation(self):
        return "must match" if self.should_match else "must not match"

    def __str__(self):
        return f"{self.article}: {self.expectation} “{self.excerpt}”: {self.problem}"


def excerpt(text, limit=EXCERPT_CHARS):
    """The first characters of a paste on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def build_index_of(articles):
    """An index of the given Article queryset, whatever their status."""
    article_specs, signature_specs = build_specs(articles)
    index = Index.build(article_specs, signature_specs)
    index.articles = {spec.slug: spec for spec in article_specs}
    return index


def public_index():
    return build_index_of(Article.objects.published())


def index_including(article):
    """The public index with this article added as it is now, even when unpublished."""
    return build_index_of(
        Article.objects.filter(Q(status=Article.Status.PUBLISHED) | Q(pk=article.pk))
    )


def judge(result, slug, should_match):
    """What went wrong with one sample's triage result, or None when it behaved."""
    candidates = result.candidates
    own = next((c for c in candidates if c.article == slug), None)
    if should_match:
        if not candidates:
            return "nothing matched"
        top = candidates[0]
        if top.article != slug:
            where = f"; this article came back {own.confidence}" if own else ""
            return (
                f"another article ranked first: {top.article} ({top.confidence}, "
                f"score {top.score:.2f}){where}"
            )
        if top.confidence not in GOOD_FOR_A_MATCH:
            return f"came back {top.confidence} (score {top.score:.2f})"
        return None
    if own is not None and own.confidence == "high":
        return f"came back high (score {own.score:.2f})"
    return None


def check_samples(index, article, samples=None):
    """BrokenSamples of article's samples triaged against index."""
    samples = article.samples.all() if samples is None else samples
    broken = []
    for sample in samples:
        problem = judge(index.triage(sample.text), article.slug, sample.should_match)
        if problem:
            broken.append(BrokenSample(article.slug, sample.text, sample.should_match, problem))
    return broken


def check_article(article):
    """Check an article's samples against the public index with this article in it."""
    samples = list(article.samples.all())
    if not samples:
        return []
    return check_samples(index_including(article), article, samples)


def weak_texts(article, index=None):
    """The article's error texts that can only ever give low on their own (engine
    WeakText: the text, why, and the names of its setting that would lift it)."""
    index = index_including(article) if index is None else index
    return index.weak_texts(article.slug)


def describe_weak_text(weak):
    """One line for an editor: which error text, why it stays low, what would lift it."""
    lift = (
        "a paste that also names " + ", ".join(f"“{name}”" for name in weak.lifters[:6])
        if weak.lifters
        else "nothing yet: name the product in “applies to”, or the process or setting"
        " its causes and resolutions deal with"
    )
    return (
        f"Error text “{excerpt(weak.text)}” can only give low on its own: it is a generic"
        f" message ({weak.why}). What lifts it: {lift}."
    )


@dataclass(frozen=True)
class Review:
    """What checking the knowledge base found."""

    samples: int  # checked
    articles: int  # checked
    broken: list  # BrokenSamples
    weak: list  # (article slug, engine WeakText): advice, not failure


def review_knowledge_base(every_status=False):
    """The Review of the knowledge base, in one pass with one index per article.

    Published articles are checked against the public index; with every_status,
    each other article is checked against the public index plus itself, as it
    would be if it were published next.
    """
    articles = Article.objects.prefetch_related("samples").order_by("slug")
    if not every_status:
        articles = articles.published()
    public = None
    checked, count, broken, weak = 0, 0, [], []
    for article in articles:
        count += 1
        if article.is_public:
            public = public or public_index()
            index = public
        else:
            index = index_including(article)
        samples = list(article.samples.all())
        checked += len(samples)
        broken += check_samples(index, article, samples)
        weak += [(article.slug, text) for text in index.weak_texts(article.slug)]
    return Review(checked, count, broken, weak)
