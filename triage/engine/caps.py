"""The rules that lower a candidate's tier, each one small function in one ordered list.

In: a Draft from scoring (with its ArticleScore), the Findings of the paste and the
article's facts. Each rule may show evidence against the candidate, and says the tier it
caps the candidate at, or None. The lowest tier any rule gave is applied once, after
all of them. Out: the Draft, lowered, with a Decision for every rule that fired.

Then the candidates are ranked and the rules across candidates run (RANKED_RULES): two
close leaders are not high, and a candidate that a high one explains drops to low.
"""

from triage.engine.foreign import another_error, other_errors
from triage.engine.spans import overlap
from triage.engine.types import PRIMARY_KINDS, TIERS, Against, Decision
from triage.engine.vocabulary import OPERATING_SYSTEM_CODES, platform_programs


class Check:
    """What a rule reads: the draft, the paste's findings, the article and the index."""

    __slots__ = ("draft", "findings", "facts", "tuning", "_names_product")

    def __init__(self, draft, findings, facts, tuning):
        self.draft = draft
        self.findings = findings
        self.facts = facts
        self.tuning = tuning
        self._names_product = None

    @property
    def basis(self):
        return self.draft.basis

    def against(self, start, end, weight, what):
        self.draft.evidence.append(Against(start, end, weight, what).evidence(self.findings.text))

    def names_product(self):
        """Whether the paste names the article's product (as context, not in a message)."""
        if self._names_product is None:
            products = self.facts.product_text
            if self.basis is None:  # a description: its context places, or the names hit
                named = [(p.kind, p.key) for p in self.draft.places if p.kind != "word"]
                hits = self.findings.by_article.get(self.facts.slug, ())
                named += [
                    (h.signature.kind, h.signature.key) for h in hits if not h.signature.primary
                ]
            else:
                named = (
                    (u.signature.kind, u.signature.key)
                    for u in self.basis.units.values()
                    if not u.signature.primary
                )
            self._names_product = any(kind == "product" or key in products for kind, key in named)
        return self._names_product

    def subject_errors(self):
        """The signatures of the paste's primary evidence that are the error the
        article is about (ArticleFacts.subject), when none goes on to another error."""
        basis = self.basis
        if basis is None or basis.diverging:
            return []
        subject = self.facts.subject
        units = basis.units.values()
        return [u.signature for u in units if u.signature.primary and u.signature.key in subject]

    def operating_system_subject(self):
        """Whether the paste shows the Windows error (a Win32 or WinSock code) the
        article is about: any program can meet it, so a program does not rule it out."""
        return any(
            sig.kind == "code" and sig.key.partition(":")[0] in OPERATING_SYSTEM_CODES
            for sig in self.subject_errors()
        )

    def knows_program(self, name):
        """Whether a program a paste names is the article's own or part of Windows."""
        name = name.lower().removesuffix(".exe")
        return name in platform_programs() or name in self.facts.own_words


def foreign_marker(check):
    """Markers of another product the article does not mention itself cap it: at low for
    a marker of another platform, at medium for another product a post may mention. A
    Windows error the article is about is met on any platform: there a marker caps at
    medium."""
    if not check.findings.markers:
        return None
    # The article's own error or context may hold a marker's words; the name of its
    # product inside a marker ("IIS" in "IIS Express") does not make the marker its own.
    own = [(e.start, e.end) for e in check.draft.evidence if e.kind != "product"]
    weights = check.tuning.against
    tier = None
    for marker in check.findings.markers:
        covered = check.facts.covered
        if marker.family in covered or overlap(marker.start, marker.end, own):
            continue
        cap = marker.cap
        if cap == "low" and check.operating_system_subject():
            cap = "medium"
        weight = weights.strong if cap == "low" else weights.weak
        check.against(marker.start, marker.end, weight, marker.marker)
        tier = "low" if cap == "low" or tier == "low" else "medium"
        check.draft.decide("cap:foreign-marker", f"at most {cap}", repr(marker.marker))
    return tier


def foreign_code(check):
    """Stack frames of application code the article does not know put the error in some
    other program (OrderService.Host.Program.Main), unless the paste names the
    article's product or also shows the article's own code."""
    owners = check.findings.frame_owners
    if not owners or not check.facts.own_words.isdisjoint(owners) or check.names_product():
        return None
    for owner, start, end in owners.values():
        check.against(start, end, check.tuning.against.weak, f"code {owner}")
        check.draft.decide("cap:foreign-code", "at most medium", owner)
    return "medium"


def foreign_program(check):
    """So does a program the paste names that is neither the article's nor Windows' own
    (AcmeTray.exe, "the AcmeBackup service"), unless the paste names the product."""
    programs = check.findings.programs
    if not programs or check.names_product():
        return None
    taken = [(m.start, m.end) for m in check.findings.markers]
    taken += [(e.start, e.end) for e in check.draft.evidence]
    tier = None
    for name, start, end in programs:
        if check.knows_program(name) or overlap(start, end, taken):
            continue
        check.against(start, end, check.tuning.against.weak, f"program {name}")
        check.draft.decide("cap:foreign-program", "at most medium", name)
        tier = "medium"
    return tier


def generic_only(check):
    """Generic evidence alone (a standard message, framework exceptions, common codes) is
    low, and stays low beside another program. It may be more with context of the
    article's own, with the article's framework named strongly (never high, scoring), or
    with the article's shape: its exception chain, or a message its editor weighted up
    as characteristic of it.

    When the generic evidence is the very error the article's title names, of the
    article's own platform (build._subject), the article is about it: alone it is medium,
    a likely answer to confirm, not low; beside another product a post may mention
    (IIS Express, a program of its own) the caps of that product stand, at medium."""
    basis = check.basis
    if basis is None:
        return None  # a description has no quoted evidence to be generic
    primary = [u.signature for u in basis.units.values() if u.signature.primary]
    if not all(sig.id in basis.generic_ids for sig in primary):
        return None
    lift = check.tuning.confidence.context_lift
    framework = max(basis.technology.values(), default=0.0) >= lift
    shaped = any(sig.chain or (sig.generic and sig.weight > 1) for sig in primary)
    if check.draft.caps:
        if "low" not in check.draft.caps and check.subject_errors():
            return None  # the other program's caps stand, at medium
        why = "beside another program"
    elif not (basis.own_context or framework or shaped):
        why = "no context of the article's own"
        if check.subject_errors():
            check.draft.decide("cap:generic-only", "at most medium", f"{why}; its title's error")
            return "medium"
    elif another_error(
        check.findings.text, check.findings.by_article[check.facts.slug], check.tuning.english
    ):
        why = "its exceptions carry another message in plain English"
    else:
        return None
    check.draft.decide("cap:generic-only", "at most low", why)
    return "low"


def weak_description(check):
    """A description is weak evidence: beside any sign of another program (a cap above),
    or an error code that is not the article's (it is about the error the code names),
    it is low."""
    if check.basis is not None:
        return None
    if check.draft.caps:
        check.draft.decide("cap:weak-description", "at most low", "beside another program")
        return "low"
    other = other_errors(check.facts, check.findings.codes)
    for code in other:
        check.against(code.start, code.end, check.tuning.against.weak, f"error {code.code.key}")
    if other:
        keys = ", ".join(dict.fromkeys(code.code.key for code in other))
        check.draft.decide("cap:weak-description", "at most low", f"another error: {keys}")
        return "low"
    return None


RULES = (foreign_marker, foreign_code, foreign_program, generic_only, weak_description)


def apply(draft, findings, facts, index):
    """Run RULES over a scored draft and lower it to the lowest tier they gave."""
    check = Check(draft, findings, facts, index.tuning)
    for rule in RULES:
        tier = rule(check)
        if tier is not None:
            draft.caps.append(tier)
    if draft.caps:
        lower(draft, min(draft.caps, key=TIERS.index), index.tuning.confidence)
    return draft


def lower(draft, tier, confidence):
    """Put a draft at tier at most, its score just below the next tier's threshold: by
    `below` to twice that, the stronger evidence nearer, so candidates capped alike keep
    the order their evidence gave them rather than tie."""
    if TIERS.index(draft.confidence) <= TIERS.index(tier):
        return
    ceiling = confidence.medium if tier == "low" else confidence.high
    draft.score = min(draft.score, ceiling - confidence.below * (2 - min(draft.score, 1.0)))
    draft.confidence = tier


# ---------------------------------------------------------------- across candidates


def close_leaders(candidates, tuning):
    """When the two best candidates are both medium or high and their scores differ by
    less than close_margin, neither is high: a question has to tell them apart."""
    if len(candidates) < 2:
        return
    first, second = candidates[0], candidates[1]
    both = all(c.confidence in ("high", "medium") for c in (first, second))
    margin = tuning.confidence.close_margin
    if both and first.score - second.score < margin:
        for c, other in ((first, second), (second, first)):
            if c.confidence == "high":
                c.confidence = "medium"
                detail = f"within {margin:g} of {other.article}"
                c.decisions.append(Decision("close-leaders", "-> medium", detail))


def explained(candidates, tuning):
    """A candidate whose every piece of primary evidence is also evidence of a high
    candidate above it is explained by that one and drops to low."""
    confidence = tuning.confidence
    for i, candidate in enumerate(candidates):
        if candidate.confidence == "low":
            continue
        spans = [(e.start, e.end) for e in candidate.evidence if e.kind in PRIMARY_KINDS]
        for better in candidates[:i]:
            if better.confidence != "high":
                continue
            theirs = [(e.start, e.end) for e in better.evidence if e.weight > 0]
            if spans and all(overlap(s, e, theirs) for s, e in spans):
                candidate.confidence = "low"
                candidate.score = min(candidate.score, confidence.medium - confidence.below)
                candidate.decisions.append(
                    Decision("explained", "-> low", f"its evidence is {better.article}'s")
                )
                break


RANKED_RULES = (close_leaders, explained)
