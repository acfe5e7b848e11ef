"""Compile the knowledge base into what a triage reads: once per revision.

In: ArticleSpecs and SignatureSpecs (the editors'), and the tuning. Out: a Compiled
record: the Signatures (derived ones, overridden or excluded by the editors'), each with
its specificity, IDF and strength; the automaton that finds all of them, the markers of
other products and the standard messages in one pass; the RE2 patterns; and one
ArticleFacts per article.

Each signature gets a strength in [0, 1):

    strength = 1 - (1 - specificity) ** (weight * idf)

*specificity* is how much the evidence tells in the world, before looking at the
knowledge base: an event source with its ID is nearly proof; a message fragment counts
by the information in its words (identifiers such as NPServer::create count most,
everyday error vocabulary least); a standard Windows message, a framework exception or a
stack frame of framework code is generic (data/generic_evidence.txt) and counts little.
*idf* is how well the evidence tells articles apart: log(1 + N/df) / log(1 + N) over N
articles, df of which contain it. *weight* is the editor's (1 normal).
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from triage import codes as codes_module
from triage.engine.derive import (
    derive_signatures,
    framework_parts,
    looks_like_frame,
    product_aliases,
    setting_names,
    signature_identity,
)
from triage.engine.loose import Phrases
from triage.engine.trouble import is_trouble
from triage.engine.types import KINDS, ArticleFacts, Signature
from triage.engine.vocabulary import (
    CODE_PRODUCTS,
    INNER_MARKERS,
    OPERATING_SYSTEM_CODES,
    OPERATING_SYSTEM_RE,
    TOKEN_RE,
    common_codes,
    foreign_markers,
    generic_exceptions,
    generic_phrases,
    is_framework,
    localized_messages,
    noise,
    phrase_key,
)
from triage.engine.words import generic_coverage, phrase_specificity
from triage.matcher import PatternSet, PhraseMatcher, match_key
from triage.text import normalise

# What the automaton carries for each key: one record per reason to look for it.


class SignatureKey(NamedTuple):
    signature: Signature


class ChainPart(NamedTuple):
    signature: Signature  # an exception chain "outer > inner"
    position: int  # which of its exceptions this key is


class EventSource(NamedTuple):
    signature: Signature  # an event, found when its ID is written near its source


class ForeignKey(NamedTuple):
    cap: str
    marker: str
    family: str


class InnerMarker(NamedTuple):
    pass


class StandardMessage(NamedTuple):
    code: object  # codes.ErrorCode
    english: str | None = None  # a localized message's English text, to read it again


@dataclass
class Compiled:
    tuning: object
    articles: dict  # slug -> ArticleSpec
    signatures: list[Signature]
    matcher: PhraseMatcher
    patterns: PatternSet
    facts: dict[str, ArticleFacts]
    code_signatures: dict = field(default_factory=lambda: defaultdict(list))  # key -> [Sig]
    name_owners: dict = field(default_factory=lambda: defaultdict(set))  # key -> {slug}
    corpora: dict = field(default_factory=dict)  # slug -> its whole text, normalised
    loose: object = None  # loose.Phrases: the phrases by their fixed words


def compile_index(articles, specs, tuning):
    """The Compiled index of articles with the editors' signature specs."""
    articles = list(articles)
    compiled = Compiled(
        tuning=tuning,
        articles={a.slug: a for a in articles},
        signatures=_signatures(articles, specs, tuning),
        matcher=PhraseMatcher(),
        patterns=None,
        facts={},
    )
    _add_keys(compiled)
    compiled.matcher.build()
    compiled.patterns = PatternSet(
        (sig.value, sig) for sig in compiled.signatures if sig.kind == "pattern"
    )
    _phrase_specificity(compiled)
    _facts(compiled)
    _strength(compiled)
    _technology(compiled)
    _continuations(compiled)
    compiled.loose = Phrases(compiled.signatures, tuning)
    return compiled


def _signatures(articles, specs, tuning):
    """The derived signatures of every article, with the editors' specs overriding the
    derived ones of the same identity, and their exclusions taken out."""
    known = {a.slug for a in articles}
    chosen = {}  # (article, kind, identity) -> SignatureSpec
    named_in_text = set()  # id() of the derived specs of names from the articles' text
    for article in articles:
        names = setting_names(article, tuning)  # read once: it reads the whole article
        for spec in derive_signatures(article, tuning, names):
            ident = (spec.article,) + signature_identity(spec.kind, spec.value)
            if ident not in chosen:
                chosen[ident] = spec
                if (spec.kind, spec.value) in names:
                    named_in_text.add(id(spec))
    excluded = set()
    for spec in specs:
        if spec.article not in known or spec.kind not in KINDS:
            continue
        ident = (spec.article,) + signature_identity(spec.kind, spec.value)
        if not ident[2]:
            continue
        if spec.excluded:
            excluded.add(ident)
        else:
            chosen[ident] = spec
    for ident in excluded:
        chosen.pop(ident, None)
    signatures = []
    max_weight = tuning.specificity.max_weight
    for ident, spec in chosen.items():
        weight = max(0.0, min(float(spec.weight), max_weight))
        if weight <= 0:
            continue
        sig = Signature(
            id=len(signatures),
            article=spec.article,
            kind=spec.kind,
            value=spec.value.strip(),
            key=ident[2],
            weight=weight,
            cause=spec.cause or None,
            named_in_text=id(spec) in named_in_text,
        )
        signatures.append(sig)
    return signatures


def _add_keys(compiled):
    """Every signature's keys, then the markers, standard messages and inner-exception
    markers, in this order (which is the order a key's payloads are found in)."""
    framework_simple = _framework_exceptions(compiled.signatures)
    specificity = compiled.tuning.specificity
    for sig in compiled.signatures:
        if sig.kind == "phrase":
            compiled.matcher.add(sig.key, SignatureKey(sig))
        elif sig.kind in ("product", "context", "process"):
            _add_name(compiled, sig)
        elif sig.kind == "exception":
            _add_exception(compiled, sig, framework_simple)
        elif sig.kind == "code":
            compiled.code_signatures[sig.key].append(sig)
            common = sig.key in common_codes()
            sig.specificity = specificity.common_code if common else specificity.code
            sig.generic = True
        elif sig.kind == "event":
            source, _, event_id = sig.key.rpartition(":")
            sig.event_id = event_id
            compiled.matcher.add(source, EventSource(sig))
            sig.specificity = specificity.event
        elif sig.kind == "pattern":
            sig.specificity = specificity.pattern
    for foreign in foreign_markers():
        key = phrase_key(foreign.marker) or foreign.marker
        compiled.matcher.add(foreign.marker, ForeignKey(foreign.cap, key, foreign.family))
    for message, code in localized_messages():
        english = phrase_key(code.message)
        if not codes_module.is_success(code) and english:
            # Read again in English, a localized message also completes the phrases
            # that quote it ("Port is Busy: <231 in Spanish>").
            compiled.matcher.add(message, StandardMessage(code, english))
    codes_by_key = {code.key: code for code in codes_module.all_codes()}
    for message, key in codes_module.message_phrases().items():
        if key in codes_by_key and not codes_module.is_success(codes_by_key[key]):
            compiled.matcher.add(message, StandardMessage(codes_by_key[key]))
    for marker in INNER_MARKERS:
        compiled.matcher.add(marker, InnerMarker())


def _framework_exceptions(signatures):
    """Simple names of the exceptions that are framework code: the generic ones, and those
    the articles name with a framework namespace."""
    names = set(generic_exceptions())
    for sig in signatures:
        if sig.kind == "exception":
            for part in sig.value.split(">"):
                part = part.strip()
                if "." in part and is_framework(part):
                    names.add(part.rsplit(".", 1)[-1].lower())
    return names


def _add_name(compiled, sig):
    """A product, process or context: found by its aliases; owned by its article."""
    aliases = product_aliases(sig.value, compiled.tuning) if sig.kind == "product" else [sig.value]
    if sig.value.lower().endswith(".exe"):
        aliases.append(sig.value[:-4])
    for alias in aliases:
        compiled.matcher.add(alias, SignatureKey(sig))
    if sig.kind != "context" or _in_product_name(compiled.articles[sig.article], sig):
        compiled.name_owners[sig.key].add(sig.article)
    specificity = compiled.tuning.specificity
    sig.specificity = {
        "product": specificity.product,
        "process": specificity.process,
        "context": specificity.context,
    }[sig.kind]
    sig.trouble = sig.kind == "context" and is_trouble(sig.value)


def _in_product_name(article, sig):
    """Whether a context signature is a word of its article's product names
    ("EPiServer" of EPiServer CMS)."""
    names = [match_key(name) for name in article.products]
    return any(f" {sig.key} " in f" {name} " for name in names)


def _add_exception(compiled, sig, framework_simple):
    """An exception type, or a chain of them; framework exceptions are generic."""
    specificity = compiled.tuning.specificity
    parts = [p.strip() for p in sig.value.split(">") if p.strip()]
    simple = [p.rsplit(".", 1)[-1].lower() for p in parts]
    generic = [s in framework_simple for s in simple]
    base = [specificity.generic_exception if g else specificity.exception for g in generic]
    if len(parts) == 1:
        sig.qualified = parts[0].lower() if "." in parts[0] else None
        compiled.matcher.add(simple[0], SignatureKey(sig))
        sig.specificity, sig.generic = base[0], generic[0]
    else:
        sig.chain = tuple(simple)
        for position, name in enumerate(simple):
            compiled.matcher.add(name, ChainPart(sig, position))
        combined = 1 - math.prod(1 - b for b in base) + specificity.chain_bonus
        sig.specificity = min(specificity.chain_max, combined)
        sig.generic = all(generic)


def _phrase_specificity(compiled):
    """Phrases by the information in their words; words of generic messages inside a
    phrase tell nothing more."""
    specificity = compiled.tuning.specificity
    generic = generic_phrases()
    inside_generic = _phrase_keys_in(compiled.matcher, "\n".join(sorted(generic)))
    for sig in compiled.signatures:
        if sig.kind != "phrase":
            continue
        if sig.key in noise():
            sig.specificity, sig.generic = specificity.noise, True
        elif sig.key in generic or sig.key in inside_generic:
            sig.specificity, sig.generic = specificity.generic_phrase, True
        elif looks_like_frame(sig.value):
            if is_framework(sig.value):
                sig.specificity, sig.generic = specificity.frame, True
            else:
                sig.specificity = phrase_specificity(sig.value, compiled.tuning)
        else:
            words = TOKEN_RE.findall(sig.value)
            covered = generic_coverage(words)
            if sum(covered) >= specificity.generic_coverage * len(words):
                sig.specificity, sig.generic = specificity.generic_phrase, True
            else:
                rest = " ".join(w for w, c in zip(words, covered, strict=True) if not c)
                sig.specificity = phrase_specificity(rest, compiled.tuning)


def _phrase_keys_in(matcher, text):
    """Phrase keys that occur in text."""
    found = set()
    for _, _, payloads in matcher.find(text):
        for payload in payloads:
            if type(payload) is SignatureKey and payload.signature.kind == "phrase":
                found.add(payload.signature.key)
    return found


def _corpora(compiled):
    """Each article's text: its error texts, products, title and signature values."""
    parts = defaultdict(list)
    for slug, article in compiled.articles.items():
        parts[slug].extend(article.error_texts)
        parts[slug].extend(article.products)
        parts[slug].append(article.title)
    for sig in compiled.signatures:
        parts[sig.article].append(sig.value)
    return {slug: normalise("\n".join(p)).text for slug, p in parts.items()}


def _facts(compiled):
    compiled.corpora = corpora = _corpora(compiled)  # also read by _strength
    for slug, article in compiled.articles.items():
        words = re.findall(r"[^\W_]+", corpora.get(slug, ""))
        pairs = {a + b for a, b in zip(words, words[1:], strict=False)}
        compiled.facts[slug] = ArticleFacts(
            spec=article,
            texts=[normalise(t).text for t in article.error_texts if t],
            product_text=normalise(" / ".join(article.products)).text,
            own_words=frozenset(words) | pairs,
        )
    for slug, article in compiled.articles.items():
        compiled.facts[slug].subject.update(_subject(article))
    for sig in compiled.signatures:
        if sig.kind == "code":
            compiled.facts[sig.article].codes.add(sig.key)


def _subject(article):
    """The codes an article's title names (by number or by standard message) that are
    its own platform's: Windows' for an article of Windows alone, IIS's for an article
    of IIS, SQL Server's for one of SQL Server; and an HRESULT of its own (0x800F0954,
    0x80131040: one component's failure, not a Win32 error every program meets). The
    article is about that error, wherever it is met; a code of Windows in the title of
    an article of some product (EPiServer's "Only one usage of each socket address") is
    a symptom there, not its subject."""
    products = article.products
    windows = bool(products) and all(OPERATING_SYSTEM_RE.match(p) for p in products)
    common = common_codes()
    subject = set()
    for hit in codes_module.find_codes(article.title):
        system = hit.code.key.partition(":")[0]
        own = CODE_PRODUCTS.get(system)
        if (
            (windows and system in OPERATING_SYSTEM_CODES)
            or (own is not None and any(own.search(p) for p in products))
            or (system == "hresult" and hit.wrapper is None and hit.code.key not in common)
        ):
            subject.add(hit.code.key)
    return subject


def _strength(compiled):
    """IDF over the articles' texts, then each signature's strength."""
    n = max(len(compiled.articles), 1)
    df = defaultdict(set)
    # A key many signatures share carries a payload for each of them: what a hit on
    # it counts is worked out once per key, not again at every hit of every article.
    counted = {}  # id(payloads) -> (payloads, signature keys, foreign (marker, family) pairs)
    for slug, corpus in compiled.corpora.items():
        covered = compiled.facts[slug].covered
        for _, _, payloads in compiled.matcher.find(corpus):
            found = counted.get(id(payloads))
            if found is None or found[0] is not payloads:
                found = counted[id(payloads)] = (payloads, *_counted(payloads))
            _, keys, foreign = found
            for key in keys:
                df[key].add(slug)
            for pair in foreign:
                # A marker the article mentions itself names its own product: no
                # marker of that product caps it.
                covered.update(pair)
    for sig in compiled.signatures:
        df[sig.key].add(sig.article)
    max_strength = compiled.tuning.specificity.max_strength
    for sig in compiled.signatures:
        idf = math.log(1 + n / len(df[sig.key])) / math.log(1 + n) if n > 1 else 1.0
        exponent = sig.weight * idf
        sig.strength = min(max_strength, 1 - (1 - sig.specificity) ** exponent)


def _counted(payloads):
    """The signature keys a hit on payloads counts an article in, and its foreign markers."""
    keys, foreign = {}, []
    for payload in payloads:
        kind = type(payload)
        if kind is SignatureKey or kind is ChainPart or kind is EventSource:
            keys[payload.signature.key] = None
        elif kind is ForeignKey:
            foreign.append((payload.marker, payload.family))
    return tuple(keys), tuple(dict.fromkeys(foreign))


def _technology(compiled):
    """Context that is a framework namespace, or a class of one (IpcPort in the frames
    System.Runtime.Remoting.Channels.Ipc.IpcPort.Connect), names the technology."""
    parts = framework_parts(
        [t for a in compiled.articles.values() for t in a.error_texts]
        + [sig.value for sig in compiled.signatures]
    )
    for sig in compiled.signatures:
        if sig.kind == "context":
            sig.technology = is_framework(sig.value) or sig.key in parts


_CONTINUATION_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]")


def continuation_tokens(text):
    return tuple(_CONTINUATION_TOKEN_RE.findall(text))


def _continuations(compiled):
    """For each phrase, the tokens that follow it in its article's error texts: a paste
    whose message goes on otherwise after a colon shows another error."""
    reach = compiled.tuning.windows.continuation
    for sig in compiled.signatures:
        if sig.kind != "phrase":
            continue
        tails = []
        for article_text in compiled.facts[sig.article].texts:
            pos = article_text.find(sig.key)
            while pos >= 0:
                after = pos + len(sig.key)
                tails.append(continuation_tokens(article_text[after : after + reach]))
                pos = article_text.find(sig.key, pos + 1)
        sig.continuations = tuple(tails)
