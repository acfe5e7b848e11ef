"""Which of an article's causes the evidence points to.

In: a scored Draft (its ArticleScore) or a description's places, and the article. Out:
the draft's cause scores, one per cause of the article, and the cause the paste proves
when exactly one is proven: a cause-level signature (not context) at least `proof`
strong. A message that goes on with another detail than the article's proves nothing.
The wizard asks the likeliest cause first and skips the questions when one is proven.
"""


def _combined(previous, strength):
    return round(1 - (1 - previous) * (1 - strength), 3)


def score_causes(draft, facts, tuning):
    basis = draft.basis
    scores = {c.key: 0.0 for c in facts.spec.causes}
    proven = {}
    for unit in basis.units.values():
        sig = unit.signature
        if not sig.cause or sig.id in basis.diverging:
            continue
        strength = basis.strengths[sig.id]
        scores[sig.cause] = _combined(scores.get(sig.cause, 0.0), strength)
        if strength >= tuning.combining.proof and sig.kind != "context":
            proven.setdefault(sig.cause, sig.label)
    draft.cause_scores = scores
    if len(proven) == 1:
        ((cause, label),) = proven.items()
        draft.proven_cause = cause
        draft.decide("proof", f"cause {cause}", label)
    return draft


def describe_causes(draft, places, facts, tuning):
    """Cause scores of a description: context of one cause ("Task Manager") makes that
    cause's question the first one asked."""
    scores = {c.key: 0.0 for c in facts.spec.causes}
    for place in places:
        if place.cause in scores:
            strength = place.weight / tuning.paraphrase.context_word_weight
            scores[place.cause] = _combined(scores[place.cause], strength)
    draft.cause_scores = scores
    return draft
