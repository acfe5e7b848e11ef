"""What single words and short messages tell: information, stems, English.

Pure functions of a word or a message and the tuning; derivation, build, spelling and
the description reading all ask them.
"""

import math
import re
from functools import lru_cache

from triage.engine.vocabulary import (
    ERROR_VOCABULARY,
    STEM_ENDINGS,
    STOPWORDS,
    TOKEN_RE,
    WORD_ENDINGS,
    generic_trigrams,
    is_framework,
    zipf,
)

_CAMEL_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")
_MESSAGE_WORD_RE = re.compile(r"[^\W\d_]{2,}")


# Build asks about the same words over and over (each article's texts, signatures and
# fragments); pastes bring words of every kind: bounded.
@lru_cache(maxsize=65536)
def token_information(token, information):
    """How much one token of a message tells, by the Information tuning."""
    bare = token.strip(".:")
    if not bare:
        return 0.0
    low = bare.lower()
    if low.endswith("exception"):
        return information.exception_word
    if "::" in bare or (bare.count(".") >= 1 and all(p[:1].isalpha() for p in bare.split("."))):
        return information.framework_name if is_framework(bare) else information.identifier
    if _CAMEL_RE.search(bare) or "_" in bare.strip("_"):
        return information.identifier  # CamelCase or snake_case
    if low in STOPWORDS:
        return information.stopword
    if low in ERROR_VOCABULARY or len(low) <= 2 or low.isdigit():
        return information.vocabulary
    return information.plain


def phrase_specificity(value, tuning):
    """Specificity of a message fragment by the information in its words."""
    information = sum(token_information(t, tuning.information) for t in TOKEN_RE.findall(value))
    s = tuning.specificity
    return min(s.phrase_max, max(s.phrase_min, 1 - math.exp(-s.phrase_info_rate * information)))


def generic_coverage(tokens):
    """For each token, whether it sits in a run of three words that a generic message has."""
    words = [t.strip(".:").lower() for t in tokens]
    covered = [False] * len(words)
    trigrams = generic_trigrams()
    for i in range(len(words) - 2):
        if (words[i], words[i + 1], words[i + 2]) in trigrams:
            covered[i] = covered[i + 1] = covered[i + 2] = True
    return covered


@lru_cache(maxsize=65536)
def word_stem(word, min_length):
    """A lower-case word without its ending and final "e": "dispatched", "dispatching"
    and "dispatch" are "dispatch"; "duplicated" and "duplicate" are "duplicat"."""
    for ending in STEM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= min_length:
            if ending == "s" and word.endswith("ss"):
                break
            word = word[: -len(ending)]
            break
    return word[:-1] if word.endswith("e") and len(word) > min_length else word


def inflection_stems(word, min_length):
    """What word may be a regular inflection of: "served" -> "serve", "serv"."""
    found = []
    for ending in WORD_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= min_length:
            found.append(stem)
            if ending[0] in "ei":
                found.append(stem + "e")  # "closing", "closed" -> "close"
    return found


def one_edit_apart(word, target):
    """Whether word is target with one letter missing, added or wrong, or two swapped."""
    a, b = word, target
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if a.startswith(b):
        return False  # an ending ("pipes" for "pipe"): the matcher's inflections read those
    if b.startswith(a):
        return True  # the last letter missing ("addres")
    i = 0
    while a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if len(a) > len(b):
        a, b = b, a
    return a[i:] == b[i + 1 :]


def reads_as_english(message, english):
    """Whether a message is in words of English, so that the engine could have read it."""
    words = _MESSAGE_WORD_RE.findall(message.lower())
    if len(words) < english.min_words:
        return False
    known = sum(1 for word in words if zipf(word) >= english.zipf)
    return known >= english.share * len(words)
