"""The records of the engine: what goes in, what comes out, and what passes between stages.

In: ArticleSpec (with its CauseSpecs) and SignatureSpec, built by the Django side from
the published articles. Out: a Result of Candidates, each with its Evidence and the
Decisions that made its confidence. Between the stages: a Signature compiled from a
spec, Hits in paste offsets, Markers of other products, Findings of one pass over a
paste, and the Draft of one article's candidate that scoring makes and caps lower.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

KINDS = ("phrase", "code", "exception", "event", "process", "product", "context", "pattern")
PRIMARY_KINDS = frozenset({"phrase", "code", "exception", "event", "pattern"})
CONTEXT_KINDS = frozenset({"product", "process", "context"})
TIERS = ("low", "medium", "high")


# ---------------------------------------------------------------- in


@dataclass(frozen=True)
class SignatureSpec:
    article: str  # article slug
    kind: str  # phrase|code|exception|event|process|product|context|pattern
    value: str
    weight: float = 1.0
    cause: str | None = None  # cause key within the article, when the evidence points to one
    excluded: bool = False  # an editor's exclusion of the signature with this kind and value


@dataclass(frozen=True)
class CauseSpec:
    key: str
    title: str
    how_to_tell: str = ""


@dataclass(frozen=True)
class ArticleSpec:
    slug: str
    title: str
    products: tuple[str, ...] = ()
    error_texts: tuple[str, ...] = ()
    logged_in: tuple[str, ...] = ()
    causes: tuple[CauseSpec, ...] = ()
    # All of the article's text (title, summary, symptoms, causes, resolutions, more
    # information), which the recall channel reads; its fields when empty.
    text: str = ""


# ---------------------------------------------------------------- out


class Decision(NamedTuple):
    """One step on the way to a candidate's confidence: which rule, what it did, and why.

    rule: a short name ("anchor", "cap:foreign-marker", "close-leaders"); effect: what
    it did to the candidate ("score 0.70", "-> medium"); detail: what it rested on.
    """

    rule: str
    effect: str
    detail: str = ""

    def __str__(self):
        return f"{self.rule}: {self.effect}" + (f" ({self.detail})" if self.detail else "")

    def written(self):
        return self


class PendingDecision(NamedTuple):
    """A Decision whose numbers are written out only if its candidate is shown: every
    article a paste hits is scored, and most of them are never shown. effect and detail
    are str.format templates of the code's own; what they show is in args."""

    rule: str
    effect: str
    detail: str
    args: tuple

    def written(self):
        return Decision(self.rule, self.effect.format(*self.args), self.detail.format(*self.args))


@dataclass
class Evidence:
    kind: str
    match: str  # text[start:end] of the original paste
    start: int
    end: int
    weight: float  # the strength it lends; negative for evidence against
    signature: str  # "kind:value"
    cause: str | None = None


@dataclass
class Candidate:
    article: str
    score: float
    confidence: str  # "high" | "medium" | "low"
    evidence: list[Evidence] = field(default_factory=list)
    cause_scores: dict[str, float] = field(default_factory=dict)
    proven_cause: str | None = None
    decisions: list[Decision] = field(default_factory=list)

    def decided(self, rule):
        """Whether a rule of that name (or a "rule:..." under it) took part."""
        return any(d.rule == rule or d.rule.startswith(rule + ":") for d in self.decisions)


@dataclass
class Result:
    candidates: list[Candidate]
    codes: list
    abstained: bool


# ---------------------------------------------------------------- between the stages


@dataclass
class Signature:
    """A signature compiled into the index, with the numbers build gave it."""

    id: int
    article: str
    kind: str
    value: str
    key: str
    weight: float
    cause: str | None
    specificity: float = 0.0
    generic: bool = False
    strength: float = 0.0
    qualified: str | None = None  # exceptions: the fully qualified name, if given
    chain: tuple[str, ...] = ()  # exceptions: outer > inner simple names
    event_id: str = ""
    technology: bool = False  # context: a framework name, which names no product or setting
    trouble: bool = False  # context that is itself a word of trouble ("crashed")
    named_in_text: bool = False  # context derive took from the article's text (setting_names)
    # phrases: the token lists that follow it in its article's error texts
    continuations: tuple[tuple[str, ...], ...] = ()
    primary: bool = field(init=False)  # the error itself, not where it happened

    def __post_init__(self):
        # A field, not a property: every hit of every paste asks it.
        self.primary = self.kind in PRIMARY_KINDS

    @property
    def label(self):
        return f"{self.kind}:{self.value}"


@dataclass
class ArticleFacts:
    """What build learnt of one article, for the stages that judge a paste against it."""

    spec: ArticleSpec
    texts: list[str]  # its error texts, normalised
    product_text: str  # its product names, normalised
    own_words: frozenset[str]  # words (and joined word pairs) it is written in
    # the foreign markers it mentions itself, and the families of products they name
    covered: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)  # keys of its error codes
    # the codes its title names of its own platform: the error it is about (build._subject)
    subject: set[str] = field(default_factory=set)

    @property
    def slug(self):
        return self.spec.slug


class Hit(NamedTuple):
    """A signature found at [start, end). Offsets are in the original paste, except where a
    stage says it works on the normalised text (evidence, paraphrase)."""

    signature: Signature
    start: int
    end: int


def hit(signature, start, end):
    """Hit(signature, start, end), made at a third of the cost: a long log has thousands."""
    return _new_tuple(Hit, (signature, start, end))


_new_tuple = tuple.__new__


class MessageHit(NamedTuple):
    """A standard Windows message (or a localized one) at [start, end) of the normalised
    paste: its error code, found without any code being written."""

    code: object  # codes.ErrorCode
    start: int
    end: int


class Marker(NamedTuple):
    """A marker of another product (data/foreign_context.txt) at [start, end) of the paste."""

    cap: str  # "low" or "medium": how far it lowers a candidate that does not cover it
    marker: str  # its key
    start: int
    end: int
    family: str = ""  # the product or platform it names


class Against(NamedTuple):
    """A sign in the paste that the error is another program's, at [start, end)."""

    start: int
    end: int
    weight: float  # negative
    what: str  # 'kestrel', 'code Acme', 'program acmetray.exe', 'error win32:5'

    def evidence(self, text):
        return Evidence(
            kind="foreign",
            match=text[self.start : self.end],
            start=self.start,
            end=self.end,
            weight=self.weight,
            signature=f"foreign:{self.what}",
        )


@dataclass(slots=True)
class Draft:
    """One article's candidate while the stages decide on it: scoring makes it, caps and
    calibration lower it, and candidate() gives the Candidate of the result."""

    article: str
    score: float
    confidence: str
    evidence: list[Evidence]
    cause_scores: dict[str, float]
    proven_cause: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)  # the tiers the caps fired for
    basis: object = None  # scoring.ArticleScore; None for a description
    places: tuple = ()  # a description's words and context (paraphrase.Place)

    def decide(self, rule, effect, detail=""):
        self.decisions.append(Decision(rule, effect, detail))

    def candidate(self):
        return Candidate(
            article=self.article,
            score=round(self.score, 4),
            confidence=self.confidence,
            evidence=self.evidence,
            cause_scores=self.cause_scores,
            proven_cause=self.proven_cause,
            decisions=self.decisions,
        )


@dataclass(frozen=True)
class WeakText:
    """An error text of an article that, pasted alone, can only give low: what an editor
    should know of it, and what would lift it."""

    text: str
    why: str  # the rule's own words: "no context of the article's own"
    lifters: tuple[str, ...]  # the names of the article's setting a paste could carry


@dataclass(frozen=True)
class Rejection:
    """An article turned down because the paste shows another error; a description of
    the paste must not bring it back."""

    article: str
    reason: str
