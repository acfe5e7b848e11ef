"""Leaders the evidence cannot tell apart, put in the order of the articles' words.

Scores closer than close_margin tell nothing of which article a paste is about: the
rule across candidates (caps.close_leaders) already keeps such leaders from being
high. How much of each article's text the paste shares (the recall channel's BM25)
then tells them apart: of two articles that quote the same phrase, the one whose own
setting and story the paste tells in its other words comes first.

In: the ranked candidates, after caps.RANKED_RULES, the articles' words (recall.Words)
and the paste's findings; the paste's BM25 scores are read only when there is a tie to
break. Out: the same candidates, the one of the leader's tier within close_margin of
its score whose words clearly lead the leader's (recall.lead times its BM25 score) put
first, recording `words-order`; the others keep the evidence's order. Confidences and
scores are unchanged.
"""

from triage.engine.types import Decision


def by_words(candidates, words, findings, tuning):
    """Reorder, in place, the candidates the evidence cannot tell from the leader."""
    if len(candidates) < 2:
        return
    leader = candidates[0]
    margin = tuning.confidence.close_margin
    tied = 1
    for candidate in candidates[1:]:
        if candidate.confidence != leader.confidence or leader.score - candidate.score >= margin:
            break
        tied += 1
    if tied < 2:
        return
    scores = words.scores(findings.text, findings.codes)
    best = max(candidates[1:tied], key=lambda c: scores.get(c.article, 0.0))
    theirs, ours = scores.get(best.article, 0.0), scores.get(leader.article, 0.0)
    if theirs < tuning.recall.lead * ours or theirs == 0:
        return
    candidates.remove(best)
    candidates.insert(0, best)
    detail = f"within {margin:g} of {leader.article}; BM25 {theirs:.1f} against {ours:.1f}"
    best.decisions.append(Decision("words-order", "first", detail))
