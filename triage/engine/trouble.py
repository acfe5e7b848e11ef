"""Whether a sentence of the paste tells of trouble.

In: the paste and a span in it. Out: whether the sentence around the span says that
something went wrong ("Lsmain.exe died", "the service is down", "time out"), and not
only supposes it ("we want an alert when it dies") or denies it ("no problem", "has
never crashed", "error-free"). The description reading (paraphrase) asks it where a
post names an article's own product or process.
"""

import re
from bisect import bisect_left, bisect_right

# Words that tell of something going wrong, read in the pasted text itself. Whole words
# with their inflections ("issue", not "issued"; "dead", not "deadline"), and not right
# after a denial ("no problem", "without any errors", "has never crashed", "error-free",
# "the problem is solved"); see supposes() for suppositions ("an alert when it fails").
TROUBLE_RE = re.compile(
    # \b and the first letters first: most places fail there at once.
    r"\b(?=[abcdefhilmnprstuw])"
    r"(?<!\bno )(?<!\bwithout )(?<!\bwithout any )(?<!\bnever had a )(?<!\bnever had any )"
    r"(?<!\bnever )(?<!n[’']t )(?<!\bnot )(?<!\b0 )(?<!\bzero )"
    r"(?<!\bwith the )(?:"
    r"errors?|fail(?:s|ed|ing|ures?)?|faults?|faulting|exceptions?|crash(?:es|ed|ing)?"
    r"|hang(?:s|ing)?|hung|freez(?:e|es|ing)|froze(?:n)?|stop(?:ped|ping)"
    r"|stops? (?:working|responding)|stuck|die[sd]|dying|dead|broken|breaks"
    r"|(?:is|was|are|were) down|leak(?:s|ed|ing)?|busy|refus(?:e|es|ed|ing)"
    r"|denied|cannot|can[’']t|unable|won[’']t|(?:doesn[’']t|does not|didn[’']t) work"
    r"|time[sd]? ?out|timing out|timeouts?|not (?:respond|start|work|accept|connect|run)\w*"
    r"|problems?|issues?|wrong|missing|lost|empty"
    r")\b(?!-free)(?! (?:is|are|was|were|has been|have been|got)(?: now)?"
    r" (?:solved|fixed|resolved|gone))",
    re.IGNORECASE,
)
# Trouble told as past is a report, whatever asks about it ("paged when it crashed").
_PAST_TROUBLE_RE = re.compile(r"\w+ed|died|hung|froze|frozen|lost|broken", re.IGNORECASE)
# A clause that only supposes trouble, for someone to be told of it: "an alert when
# Lsmain.exe dies", "notify us if the service hangs". (Plain "when" or "if" does not:
# "when I start the controller Lsmain.exe crashes" is a report.) Searched in the
# clause_reach characters before a word of trouble; it must reach that word.
_ASKING_RE = re.compile(
    r"\b(?:alert|alarm|notif\w*|warn\w*|monitor\w*|e-?mail|watch\w*|a page|paged?)\b",
    re.IGNORECASE,
)
_SUPPOSING_RE = re.compile(r"\b(?:if|when|whenever|in case|once)\b", re.IGNORECASE)
_CLAUSE_ENDS = (",", ";", ":", "(", "\n", ". ", "? ", "! ")
_SENTENCE_ENDS = (". ", "? ", "! ", "\n")


def is_trouble(value):
    """Whether value holds a word of trouble (a context signature that is the trouble
    itself, "crashed", tells that something failed, not where)."""
    return TROUBLE_RE.search(value) is not None


class Sentences:
    """The sentences of a paste, to ask whether the one around a hit tells of trouble.

    Read in the pasted text, where line breaks still part a subject from its body; a
    full stop inside a file name (Lsmain.exe) ends none. Only the sentences asked about
    are read, each once; of a long one (a log without full stops), the sentence_reach
    characters on either side of the hit.
    """

    def __init__(self, norm, trouble):
        self._norm = norm
        self._trouble = trouble
        self._ends = None
        self._verdicts = {}

    def tell_of_trouble(self, start, end):
        """Whether the sentence around normalised span [start, end) tells of trouble."""
        text = self._norm.original
        if self._ends is None:
            self._ends = _sentence_ends(text)
        left, right = self._stretch(self._norm.orig_span(start, end)[0], len(text))
        verdict = self._verdicts.get((left, right))
        if verdict is None:
            verdict = self._verdicts[left, right] = tells_of_trouble(
                text, left, right, self._trouble
            )
        return verdict

    def _stretch(self, o_start, length):
        """The sentence around o_start, or of a long one the stretch around it, on a grid
        so that the hits of one stretch share its reading."""
        ends = self._ends
        reach = self._trouble.sentence_reach
        n = bisect_right(ends, o_start)
        left = ends[n - 1] if n else 0
        right = ends[n] if n < len(ends) else length
        if right - left > 2 * reach:
            bucket = o_start // reach
            left = max(left, (bucket - 1) * reach)
            right = min(right, (bucket + 2) * reach)
        return left, right


def _sentence_ends(text):
    # str.find: a regular expression tried at every character of a 64 KB paste costs
    # milliseconds.
    ends = []
    for mark in _SENTENCE_ENDS:
        i = text.find(mark)
        while i >= 0:
            ends.append(i + len(mark))
            i = text.find(mark, i + 1)
    return sorted(ends)


def tells_of_trouble(text, left, right, trouble):
    """Whether a word of trouble starts in text[left:right] (one sentence, or a stretch
    of one), other than in a clause that only supposes it ("an alert when it dies"):
    from such a clause to the end of the sentence, trouble is supposed."""
    asking = [
        m.start() for m in _ASKING_RE.finditer(text, max(0, left - trouble.clause_reach), right)
    ]
    supposing = False
    for match in TROUBLE_RE.finditer(text, left, min(len(text), right + trouble.lookahead)):
        start = match.start()
        if start >= right:
            break
        # "An alert when it crashed" is a report, whatever asks about it.
        if _PAST_TROUBLE_RE.fullmatch(match.group()):
            return True
        if not supposing:
            supposing = supposes(text, asking, start, trouble)
            if not supposing:
                return True
    return False


def supposes(text, asking, start, trouble):
    """Whether the word of trouble at start is in a clause that only supposes it: the
    nearest word that asks to be told (asking: their sorted places) stands less than
    clause_reach before it, an "if" or "when" follows that word closely, and no clause
    ends between them ("we want an alert when Lsmain.exe dies")."""
    i = bisect_left(asking, start) - 1
    if i < 0 or start - asking[i] > trouble.clause_reach:
        return False
    between = text[asking[i] : start]
    if any(mark in between for mark in _CLAUSE_ENDS):
        return False
    return _SUPPOSING_RE.search(between, 0, trouble.supposing_reach) is not None
