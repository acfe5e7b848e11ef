"""The engine as a list of stages: `Index.build()` once per revision, `Index.triage()` for
every paste.

build:  derive and compile the signatures, their strengths and the automaton (build),
        the spelling index (spelling), the distinctive words (paraphrase), the
        articles' words (recall).
triage: one pass over the paste (evidence); for each article hit, its score (scoring),
        its caps (caps) and causes (causes); descriptions of the articles left
        (paraphrase); when none of them is medium or high, the article whose words
        the paste shares (recall); then ranking, the rules across candidates
        (caps.RANKED_RULES), the order of leaders the evidence cannot tell apart
        (order), and abstaining when no candidate is medium or high.
"""

from collections.abc import Iterable

from triage.engine import caps, causes, evidence, order, paraphrase, recall, scoring
from triage.engine.build import compile_index
from triage.engine.spelling import Speller
from triage.engine.tuning import DEFAULT, Tuning
from triage.engine.types import ArticleSpec, Rejection, Result, SignatureSpec, WeakText


class Index:
    """The compiled knowledge base. Build once per revision, then triage many pastes."""

    revision: str = ""

    def __init__(self, compiled, speller, distinctive, words):
        self._compiled = compiled
        self.tuning = compiled.tuning
        self.articles = compiled.articles  # slug -> ArticleSpec
        self.signatures = compiled.signatures
        self.facts = compiled.facts
        self.name_owners = compiled.name_owners
        self.speller = speller
        self.distinctive = distinctive
        self.words = words
        self.revision = ""

    @classmethod
    def build(
        cls,
        articles: Iterable[ArticleSpec],
        signatures: Iterable[SignatureSpec],
        tuning: Tuning = DEFAULT,
    ):
        articles = list(articles)
        compiled = compile_index(articles, signatures, tuning)
        words = recall.Words(articles, _setting_names(compiled), tuning)
        return cls(compiled, Speller(compiled), paraphrase.distinctive_words(compiled), words)

    def own_name(self, sig):
        """Whether a context signature names its article's own product or process, one no
        other article has (Lsmain.exe, EPiServer; not IIS, which two articles have)."""
        return not sig.technology and self.name_owners.get(sig.key) == {sig.article}

    def weak_texts(self, slug):
        """The WeakTexts of an article: its error texts that, pasted alone, come back
        low for being generic (caps.generic_only), and the names of its setting (its
        products, processes and the settings its text names) that would lift them."""
        spec = self.articles.get(slug)
        if spec is None:
            return []
        lifters = tuple(
            dict.fromkeys(
                sig.value
                for sig in self.signatures
                if sig.article == slug and not sig.primary and not sig.technology
            )
        )
        weak = []
        for text in spec.error_texts:
            own = next((c for c in self.triage(text).candidates if c.article == slug), None)
            if own is None or own.confidence != "low":
                continue
            why = [d.detail for d in own.decisions if d.rule == "cap:generic-only"]
            if why:
                weak.append(WeakText(text, why[0], lifters))
        return weak

    def triage(self, text: str) -> Result:
        findings = evidence.find(self._compiled, self.speller, text)
        drafts, rejected = self._scored(findings)
        # A description must not bring back an article turned down as another error.
        known = {d.article for d in drafts} | rejected
        drafts += self._described(findings, known, drafts)
        self._recalled(findings, drafts, rejected)
        candidates = sorted((d.candidate() for d in drafts), key=_rank)
        for rule in caps.RANKED_RULES:
            rule(candidates, self.tuning)
        candidates.sort(key=_rank)
        order.by_words(candidates, self.words, findings, self.tuning)
        del candidates[self.tuning.confidence.max_candidates :]
        for candidate in candidates:
            candidate.decisions = [d.written() for d in candidate.decisions]
        abstained = not any(c.confidence in ("high", "medium") for c in candidates)
        return Result(candidates=candidates, codes=findings.codes, abstained=abstained)

    def _scored(self, findings):
        """The drafts of the articles the paste quotes, and those turned down."""
        drafts, rejected = [], set()
        for slug, hits in findings.by_article.items():
            facts = self.facts[slug]
            draft = scoring.score_article(facts, hits, findings, self)
            if isinstance(draft, Rejection):
                rejected.add(draft.article)
            elif draft is not None:
                caps.apply(draft, findings, facts, self)
                causes.score_causes(draft, facts, self.tuning)
                draft.evidence.sort(key=_evidence_order)
                drafts.append(draft)
        return drafts, rejected

    def _described(self, findings, known, drafts):
        """The drafts of the articles the paste describes without quoting them."""
        descriptions = paraphrase.describe(self, findings, known)
        if not descriptions:
            return []
        quiet = not any(d.confidence in ("high", "medium") for d in drafts)
        found = []
        for description in descriptions:
            facts = self.facts[description.article]
            draft = paraphrase.draft(description, findings, facts, self, quiet)
            caps.apply(draft, findings, facts, self)
            causes.describe_causes(draft, description.places, facts, self.tuning)
            draft.evidence.sort(key=_evidence_order)
            found.append(draft)
        return found

    def _recalled(self, findings, drafts, rejected):
        """When nothing answered at medium or high, the article whose words the paste
        shares: a new draft, or the lift of a generic-only one of the same article."""
        if any(d.confidence in ("high", "medium") for d in drafts):
            return
        found = self.words.best(findings.text, findings.codes)
        if found is None or found.article in rejected:
            return
        draft = recall.draft(found, findings.text, self.tuning)
        if draft is None:
            draft = recall.story(found, findings.text, self.tuning)
        if draft is None and not drafts:
            draft = recall.fallback(found, findings.text, self.tuning)
        if draft is None:
            return
        facts = self.facts[found.article]
        caps.apply(draft, findings, facts, self)
        same = next((d for d in drafts if d.article == found.article), None)
        if same is not None:
            if recall.lifts(same, found, draft, self.tuning):
                same.confidence = "medium"
                same.score = max(same.score, self.tuning.confidence.medium)
                same.decisions.append(draft.decisions[0])
                same.decide("recall-lift", "-> medium", "the article's own words are its context")
        elif draft.confidence != "low" or not drafts:
            # Shared words at low do not outrank the errors the paste quotes.
            draft.evidence.sort(key=_evidence_order)
            drafts.append(draft)


def _setting_names(compiled):
    """slug -> the names of the article's setting (its products and context signatures)
    but those derive.setting_names took from its text (Signature.named_in_text): those
    are words the recall channel reads, as telling as any."""
    taken = {(sig.article, sig.value) for sig in compiled.signatures if sig.named_in_text}
    names = {
        slug: [p for p in spec.products if (slug, p) not in taken]
        for slug, spec in compiled.articles.items()
    }
    for sig in compiled.signatures:
        if not sig.primary and (sig.article, sig.value) not in taken:
            names[sig.article].append(sig.value)
    return names


def _rank(candidate):
    return -candidate.score, candidate.article


def _evidence_order(e):
    return e.start, e.end, e.signature
