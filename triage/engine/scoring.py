"""One article's hits in, its score and first confidence out: a pure function.

The strengths of one article combine as a noisy-OR, where each signature counts once
(repeats of a specific one add a little; repeats of a generic one, the same standard
message on every line of a log, add nothing) and hits that sit side by side in the paste
(a code next to its message, an exception type before its message) form one cluster that
counts as its strongest member plus a little for the others. Generic evidence together
never counts for more than generic_cap.

A message that agrees with the article's error text up to a colon and then gives another
detail is another error that starts the same way: it counts as generic, at most
divergent_strength, and proves no cause. A code of the article right after it (a
localized detail, "Die Pipe wurde beendet. (109, 0x6d)") keeps it.

Context evidence (product, process, context) counts only for an article that already has
primary evidence, and not when written inside the message itself. Primary evidence worth
at least medium plus one piece of the article's own context of strength at least
context_lift scores at least high (it is lifted). Framework names (a framework namespace
or class, or a hit inside a framework-qualified name of the paste) add to the score only
below high: another program on the same framework has the same frames.

A single primary hit weaker than min_strength makes no candidate, except a common
exception type beside the article's own name and one more piece of its context, below
high; and never when the paste shows another error (an error code not the article's, or
the exception's every message in plain English): then the article is turned down.

Confidence: high when the score is at least high and the article is anchored (a specific
piece of primary evidence at least `anchor` strong, or lifted by context); medium at
least medium; low otherwise. The caps come after (caps).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from triage.engine.build import continuation_tokens
from triage.engine.foreign import another_error, inside_framework_name, other_errors
from triage.engine.spans import Spans, clusters, noisy_or
from triage.engine.types import Decision, Draft, Evidence, PendingDecision, Rejection
from triage.text import normalise


class Unit(NamedTuple):
    """One signature of the article in the paste: its first hit, and how many it has."""

    signature: object
    start: int
    end: int
    count: int


@dataclass(slots=True)
class ArticleScore:
    """How one article's score came about: what caps and causes read after scoring."""

    units: dict  # signature id -> Unit
    strengths: dict  # signature id -> the strength it lends in this paste
    generic_ids: set  # primary signatures that count as generic here
    diverging: set  # phrases that go on with another detail than the article's
    context: dict = field(default_factory=dict)  # id -> strength, the article's own setting
    technology: dict = field(default_factory=dict)  # id -> strength, framework names
    setting: bool = False  # a piece of context strong enough to lift
    own_context: bool = False  # the setting, or a setting the article's text names
    primary: float = 0.0  # the primary evidence's score
    score: float = 0.0


def score_article(facts, hits, findings, index):
    """The Draft of one article's candidate from its hits, a Rejection when the paste
    shows another error, or None when the hits make no candidate."""
    tuning = index.tuning
    primary = {hit.signature.id: hit.signature for hit in hits if hit.signature.primary}
    if not primary:
        return None
    lone = next(iter(primary.values()))
    lone_weak = len(primary) == 1 and lone.strength < tuning.confidence.min_strength
    if lone_weak:
        if lone.kind != "exception":
            return None
        reason = _another_error(facts, hits, findings, tuning)
        if reason:
            return Rejection(facts.slug, reason)
    basis, decisions = _combine(facts, hits, findings, tuning)
    if lone_weak and not _own_setting(facts, basis, index):
        return None
    score, lifted = _lift(basis, lone_weak, decisions, tuning)
    anchored = lifted or _anchor(basis, decisions, tuning, _diverging_lines(findings, basis))
    confidence = _confidence(score, anchored, tuning.confidence)
    detail = "score {:.2f}, " + ("anchored" if anchored else "no anchor")
    decisions.append(PendingDecision("confidence", confidence, detail, (score,)))
    basis.score = score
    return Draft(
        article=facts.slug,
        score=score,
        confidence=confidence,
        evidence=_evidence(findings.text, hits, basis.strengths, tuning),
        cause_scores={},
        decisions=decisions,
        basis=basis,
    )


def _another_error(facts, hits, findings, tuning):
    """Why the paste shows another error than the article's lone exception, or ""."""
    if another_error(findings.text, hits, tuning.english):
        return "its exceptions carry another message in plain English"
    if other_errors(facts, findings.codes):
        return "it shows an error code that is not the article's"
    return ""


def _units(hits):
    units = {}
    for sig, start, end in sorted(hits, key=lambda h: (h.start, h.end)):
        unit = units.get(sig.id)
        units[sig.id] = (
            Unit(sig, start, end, 1) if unit is None else unit._replace(count=unit.count + 1)
        )
    return units


def _strengths(units, hits, findings, tuning):
    """What each signature lends in this paste: repeats of a specific one add a little;
    one found only through a misspelt word, or only in other wording, counts for less.
    Returns the strengths and, for each signature so lowered, (rule, factor)."""
    lowered = {}
    for spans, rule, factor in (
        (findings.typo_spans, "typo", tuning.spelling.factor),
        (findings.loose_spans, "loose", tuning.loose.factor),
    ):
        if spans:
            found = {sig.id for sig, start, end in hits if (sig.id, start, end) in spans}
            lowered.update((sig_id, (rule, factor)) for sig_id in found)
    if lowered:
        exact = {
            sig.id
            for sig, start, end in hits
            if (sig.id, start, end) not in findings.typo_spans
            and (sig.id, start, end) not in findings.loose_spans
        }
        lowered = {sig_id: f for sig_id, f in lowered.items() if sig_id not in exact}
    combining = tuning.combining
    strengths = {}
    for sig_id, unit in units.items():
        sig = unit.signature
        # The same standard message on every line of a log is still one message.
        repeats = 0 if sig.generic else min(unit.count - 1, combining.max_repeats)
        strength = 1 - (1 - sig.strength) ** (1 + combining.repeat_extra * repeats)
        strengths[sig_id] = strength * lowered[sig_id][1] if sig_id in lowered else strength
    return strengths, lowered


def _combine(facts, hits, findings, tuning):
    """The ArticleScore before lifting, with the decisions that explain its parts."""
    units = _units(hits)
    strengths, lowered = _strengths(units, hits, findings, tuning)
    decisions = []
    for rule, why in (("typo", "misspelt"), ("loose", "in other wording")):
        labels = [units[i].signature.label for i, (r, _) in lowered.items() if r == rule]
        if labels:
            factor = next(f for r, f in lowered.values() if r == rule)
            decisions.append(_decision(rule, f"x{factor:g}", ", ".join(labels), why))
    # A message whose detail after a colon differs from the article's everywhere in the
    # paste is another error that starts the same way: it counts as generic evidence.
    generic_ids = {sig.id for sig, *_ in units.values() if sig.generic}
    diverging = _diverging(findings.text, hits, tuning)
    for sig_id in diverging:
        generic_ids.add(sig_id)
        strengths[sig_id] = min(strengths[sig_id], tuning.confidence.divergent_strength)
        detail = f"{units[sig_id].signature.label} goes on with another detail"
        decisions.append(
            _decision("diverging", f"generic, <= {tuning.confidence.divergent_strength:g}", detail)
        )
    basis = ArticleScore(units, strengths, generic_ids, diverging)
    primary = _primary_score(findings.text, basis, tuning)
    _context(findings.text, hits, basis, tuning)
    context = noisy_or(basis.context.values())
    basis.score = noisy_or([primary, context])
    basis.setting = max(basis.context.values(), default=0.0) >= tuning.confidence.context_lift
    # A setting the article's text names (MaxUserPort) is its own context, weak as it is.
    basis.own_context = basis.setting or any(
        units[sig_id].signature.named_in_text for sig_id in basis.context if sig_id in units
    )
    decisions.append(
        PendingDecision(
            "score", "{:.2f}", "primary {:.2f}, context {:.2f}", (basis.score, primary, context)
        )
    )
    basis.primary = primary
    return basis, decisions


def _primary_score(text, basis, tuning):
    """Clusters of adjacent primary hits, generic ones together capped at generic_cap."""
    generic_clusters, specific_clusters = [], []
    primary_units = sorted(
        (u for u in basis.units.values() if u.signature.primary), key=lambda u: (u.start, u.end)
    )
    extra = tuning.combining.cluster_extra
    for cluster in clusters(text, primary_units, tuning.combining.cluster_gap):
        values = sorted((basis.strengths[u.signature.id] for u in cluster), reverse=True)
        combined = 1 - (1 - values[0]) * math.prod(1 - extra * v for v in values[1:])
        if all(u.signature.id in basis.generic_ids for u in cluster):
            generic_clusters.append(combined)
        else:
            specific_clusters.append(combined)
    generic = min(tuning.confidence.generic_cap, noisy_or(generic_clusters))
    return noisy_or([generic] + specific_clusters)


def _context(text, hits, basis, tuning):
    """Split the context hits into the article's setting and framework names. Context
    written inside the message itself (the service a message names) tells nothing about
    where the message happened."""
    context_hits = [h for h in hits if not h.signature.primary]
    if not context_hits:
        return
    primary_spans = Spans((s, e) for sig, s, e in hits if sig.primary)
    reach = tuning.windows.framework_name
    for sig, start, end in context_hits:
        if primary_spans.contains(start, end):
            continue
        if sig.technology or inside_framework_name(text, start, end, reach):
            basis.technology[sig.id] = basis.strengths[sig.id]
        else:
            basis.context[sig.id] = basis.strengths[sig.id]
    for sig_id in basis.context:
        basis.technology.pop(sig_id, None)


def _own_setting(facts, basis, index):
    """Whether a lone common exception stands in the article's own setting: its own name
    (its product or process, no other article's) and one more piece of its context
    ("EPiServer ... after the application pool recycled"; not "EPiServer Find:
    SocketException")."""
    lift = index.tuning.confidence.context_lift
    names = {i for i in basis.context if index.own_name(basis.units[i].signature)}
    more = any(
        strength >= lift
        and index.name_owners.get(basis.units[sig_id].signature.key, {facts.slug}) == {facts.slug}
        for sig_id, strength in basis.context.items()
        if sig_id not in names
    )
    return bool(names and more)


def _lift(basis, lone_weak, decisions, tuning):
    """The score after the article's own context lifts it, framework names add to it
    below high, and a lone exception stays below high: (score, lifted)."""
    confidence = tuning.confidence
    below_high = confidence.high - confidence.below
    score = basis.score
    lifted = basis.primary >= confidence.medium and basis.setting
    if lifted:
        score = max(score, confidence.high)
        strongest = max(basis.context, key=basis.context.get)
        detail = f"primary {basis.primary:.2f} with {basis.units[strongest].signature.label}"
        decisions.append(_decision("lift", f"score {score:.2f}", detail))
    if basis.technology:
        with_technology = noisy_or([score, *basis.technology.values()])
        score = with_technology if score >= confidence.high else min(with_technology, below_high)
        names = ", ".join(basis.units[i].signature.label for i in basis.technology)
        decisions.append(_decision("technology", f"score {score:.2f}", names))
    if lone_weak:
        score = min(score, below_high)
        decisions.append(
            _decision("lone-exception", "below high", "a common exception in the article's setting")
        )
    return score, lifted


def _diverging_lines(findings, basis):
    """The lines of the paste (start, end) that hold a message of the article going on with
    another detail, found as written: a phrase found only in other wording has no tail of
    its own to compare."""
    text, loose = findings.text, findings.loose_spans | findings.typo_spans
    lines = []
    for sig_id in basis.diverging:
        unit = basis.units[sig_id]
        if (sig_id, unit.start, unit.end) not in loose:
            start = text.rfind("\n", 0, unit.start) + 1
            end = text.find("\n", unit.end)
            lines.append((start, len(text) if end < 0 else end))
    return lines


def _anchor(basis, decisions, tuning, diverging_lines=()):
    """Whether a specific piece of primary evidence is strong enough for a high answer.
    Evidence on the line of a message that goes on with another detail is part of that
    other error ("WinRM cannot process the request ... Kerberos authentication: A
    specified logon session does not exist"), and anchors nothing."""
    anchor = tuning.confidence.anchor
    best = None
    for sig, start, end, _ in basis.units.values():
        if sig.primary and sig.id not in basis.generic_ids and basis.strengths[sig.id] >= anchor:
            if any(s <= start and end <= e for s, e in diverging_lines):
                decisions.append(
                    PendingDecision(
                        "diverging-line", "no anchor", "{} is on that line", (sig.label,)
                    )
                )
                continue
            best = sig
            break
    if best is not None:
        strength = basis.strengths[best.id]
        decisions.append(
            PendingDecision("anchor", "may be high", "specific: {} {:.2f}", (best.label, strength))
        )
    return best is not None


def _confidence(score, anchored, confidence):
    if score >= confidence.high and anchored:
        return "high"
    if score >= confidence.medium:
        return "medium"
    return "low"


def _decision(rule, effect, detail, note=""):
    if note:
        detail = f"{note}: {detail}" if detail else note
    return Decision(rule, effect, detail)


def _evidence(text, hits, strengths, tuning):
    """One piece of evidence per span and kind (the strongest signature's), at most
    max_evidence_per_signature per signature."""
    evidence = []
    per_signature = defaultdict(int)
    shown = set()
    most = tuning.combining.max_evidence_per_signature
    for sig, start, end in sorted(hits, key=lambda h: (h.start, h.end, -strengths[h.signature.id])):
        per_signature[sig.id] += 1
        if per_signature[sig.id] > most or (start, end, sig.kind) in shown:
            continue
        shown.add((start, end, sig.kind))
        evidence.append(
            Evidence(
                kind=sig.kind,
                match=text[start:end],
                start=start,
                end=end,
                weight=round(strengths[sig.id], 3),
                signature=sig.label,
                cause=sig.cause,
            )
        )
    return evidence


def _diverging(text, hits, tuning):
    """Ids of phrase signatures every hit of which goes on, after a colon, with a detail
    other than the one the article's error texts give (and no code of the article)."""
    reach = tuning.windows.continuation
    code_starts = [s for sig, s, _ in hits if sig.kind == "code"]
    verdict = {}
    for sig, _, end in hits:
        if sig.kind != "phrase" or verdict.get(sig.id) is False:
            continue
        tails = sig.continuations
        differs = bool(tails) and not any(end <= s < end + reach for s in code_starts)
        if differs:
            pasted = continuation_tokens(normalise(text[end : end + reach]).text)
            differs = all(detail_differs(tail, pasted) for tail in tails)
        verdict[sig.id] = differs
    return {sig_id for sig_id, differs in verdict.items() if differs}


def detail_differs(tail, pasted):
    """Whether pasted agrees with tail up to a colon and then gives another detail."""
    agreed = 0
    for a, b in zip(tail, pasted, strict=False):
        if a != b:
            break
        agreed += 1
    return (
        agreed >= 1
        and tail[agreed - 1] == ":"
        and agreed < min(len(tail), len(pasted))
        and tail[agreed][0].isalnum()
        and pasted[agreed][0].isalnum()
    )
