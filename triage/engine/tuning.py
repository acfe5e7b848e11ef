"""Every number of the triage engine, named and grouped: the one file to edit when retuning.

An Index is built with a Tuning (DEFAULT unless told otherwise), so an experiment can
try other numbers without touching code:

    from dataclasses import replace
    tuning = replace(DEFAULT, confidence=replace(DEFAULT.confidence, high=0.75))
    Index.build(articles, signatures, tuning=tuning)

What each number means is said where it is used; the groups follow the stages.
"""

from dataclasses import dataclass, field

MAX_PASTE = 64 * 1024  # characters of a paste that are read; the rest is cut off


@dataclass(frozen=True)
class Confidence:
    """From a score to high, medium or low (scoring, caps)."""

    high: float = 0.7
    medium: float = 0.3
    # A specific piece of primary evidence at least this strong anchors a high answer.
    anchor: float = 0.5
    # One piece of context this strong lifts a primary score >= medium to high.
    context_lift: float = 0.3
    # A lone primary hit weaker than this makes no candidate without the article's context.
    min_strength: float = 0.1
    # Generic evidence together never counts for more than this.
    generic_cap: float = 0.6
    # A message that goes on with another detail than the article's counts at most this.
    divergent_strength: float = 0.3
    # How far below a threshold a capped score is put: "below high" is high - below, down
    # to high - 2 * below for the weakest evidence, so that candidates capped alike keep
    # their order (caps.lower).
    below: float = 0.01
    # Two leaders both medium or high and closer than this are not high.
    close_margin: float = 0.15
    max_candidates: int = 25


@dataclass(frozen=True)
class Specificity:
    """How much each kind of evidence tells in the world, before the knowledge base (build)."""

    event: float = 0.9
    pattern: float = 0.6
    code: float = 0.45
    common_code: float = 0.12
    exception: float = 0.4
    generic_exception: float = 0.15
    # An exception chain: its parts combined plus this, at most chain_max.
    chain_bonus: float = 0.1
    chain_max: float = 0.9
    generic_phrase: float = 0.3
    noise: float = 0.03
    frame: float = 0.15
    product: float = 0.5
    process: float = 0.4
    context: float = 0.35
    # A phrase: 1 - exp(-phrase_info_rate * information in its words), within these bounds.
    phrase_min: float = 0.15
    phrase_max: float = 0.85
    phrase_info_rate: float = 0.55
    # A phrase this share of whose words sit in runs of a generic message is generic.
    generic_coverage: float = 0.8
    max_strength: float = 0.97
    max_weight: float = 3.0  # the editors' weights are read within [0, max_weight]


@dataclass(frozen=True)
class Information:
    """How much one word of a message tells (words.token_information)."""

    identifier: float = 2.0  # CamelCase, snake_case, Namespace.Name, NPServer::create
    framework_name: float = 0.3  # System.Net.Sockets: the framework, not the program
    exception_word: float = 0.3  # ...Exception
    vocabulary: float = 0.2  # everyday error words, numbers, one or two letters
    plain: float = 0.5  # any other word
    stopword: float = 0.0


@dataclass(frozen=True)
class Derivation:
    """Signatures from the articles' error texts (derive)."""

    min_words: int = 3  # a fragment of fewer words needs an identifier in it
    min_identifier_chars: int = 6  # and this many characters
    event_source_lines: int = 10  # an event ID counts this many lines below its source
    max_setting_names: int = 24  # names of an article's setting taken from its text
    # and the weight of each: context too weak to lift an answer to high on its own, but
    # the article's own (caps.generic_only).
    setting_weight: float = 0.5
    # A product's initials this common in English (Zipf frequency) are a word, not its
    # name: "Advanced Network Defense" is no "AND"; WCF (2.5) and DNS (3.2) are names.
    initials_max_zipf: float = 4.5


@dataclass(frozen=True)
class Combining:
    """How the strengths of one article's evidence add up (scoring)."""

    cluster_extra: float = 0.25  # the other members of a cluster of adjacent hits
    cluster_gap: int = 4  # characters without letters or digits between hits of one cluster
    repeat_extra: float = 0.15  # each repeat of one specific signature
    max_repeats: int = 4
    max_evidence_per_signature: int = 5
    # A cause-level signature at least this strong proves its cause.
    proof: float = 0.5


@dataclass(frozen=True)
class Windows:
    """How far around a hit the paste is read (evidence, foreign)."""

    event_id_before: int = 120  # an event ID this far before its source
    event_id_after: int = 320  # or this far after it
    qualifier: int = 200  # characters of namespace read before an exception name
    framework_name: int = 200  # characters read either side for a framework-qualified name
    continuation: int = 160  # characters after a message in which its detail is compared
    translation_context: int = 40  # characters before a localized message that tell places apart
    translations: int = 8  # places of one localized message read again in English


@dataclass(frozen=True)
class Spelling:
    """Misspelt words read as the phrase word they stand for (spelling)."""

    min_length: int = 5  # shorter words are too often another real word one letter away
    factor: float = 0.7  # a phrase found only through a corrected word lends this share
    words_per_fix: int = 3  # a phrase needs this many words for each corrected one
    stem_min_length: int = 4  # an inflection leaves a stem at least this long


@dataclass(frozen=True)
class English:
    """Whether a message is in words of English (words.reads_as_english)."""

    share: float = 0.85  # of its words
    zipf: float = 3.3  # at least this common in English
    min_words: int = 3


@dataclass(frozen=True)
class Paraphrase:
    """A post that describes the error without quoting it (paraphrase)."""

    words: int = 3  # distinct distinctive words of one article it takes
    window: int = 400  # characters of the normalised paste they must share
    min_weight: float = 0.45  # information of a word times its idf across articles
    # score = 1 - exp(-rate * sum of the words' weights): medium takes five plain words,
    # or a name (SMSvcHost, an identifier) and two more.
    rate: float = 0.145
    min_length: int = 4
    # A word this common in English (Zipf frequency: 6 is "because", 4 "leaked", 3
    # "duplicated") is everyday language, not part of an error, whatever the article says.
    max_zipf: float = 4.2
    repeats: int = 8  # places of one word or piece of context looked at
    name_checks: int = 32  # mentions of an article's name asked whether they tell of trouble
    # A piece of an article's own context counts as a distinctive word of this weight
    # times its strength: its product (0.75) about as much as a name such as SMSvcHost.
    context_word_weight: float = 2.5


@dataclass(frozen=True)
class Loose:
    """A message in other wording: its fixed words found near each other (loose)."""

    min_length: int = 3  # shorter words are not fixed words
    min_words: int = 3  # a phrase needs this many fixed words to be read loosely
    min_telling: int = 2  # of which this many are not everyday error words
    share: float = 0.75  # of its fixed words found
    reach: float = 1.5  # within this many times the phrase's length
    slack: int = 40  # plus this many characters
    max_places: int = 64  # places of one phrase's words looked at
    factor: float = 0.5  # of the phrase's strength a loose hit lends


@dataclass(frozen=True)
class Recall:
    """A paste that shares an article's words (recall): BM25 over the articles' text."""

    k1: float = 1.2  # BM25's term saturation and length normalisation, its usual values
    b: float = 0.75
    min_length: int = 3  # shorter words are not counted
    stem_min_length: int = 4
    max_words: int = 64  # the rarest distinct words of a paste that are read
    # A word is distinctive when its idf is at least this share of the idf of a word of
    # one article: in a knowledge base of 36 articles, a word of one or two of them.
    distinctive: float = 0.5
    max_zipf: float = 4.0  # and it is no more common than this in English ("leaked" is 4)
    # Distinctive words shared within window characters make a candidate; a number or an
    # identifier (18456, smb1, MaxReceivedMessageSize) counts as telling words.
    words: int = 3
    telling: int = 3
    window: int = 400
    lead: float = 1.5  # medium takes a score at least this times the runner-up's
    rate: float = 0.5  # score = 1 - exp(-rate * the distinctive words' weights)
    # With no other candidate at all, the best article is a low one when it leads by more
    # than fallback_lead and the paste shares at least fallback_words of its words (any
    # but names and error words) within window, weighing fallback_weight words of one
    # article; its score is 1 - exp(-fallback_rate * their weight), below medium.
    fallback_lead: float = 1.0
    fallback_words: int = 3
    fallback_weight: float = 1.0
    fallback_rate: float = 0.1
    # A paste that shares at least story_words of the article's words within window, with
    # the lead medium takes, tells its story in everyday words: medium, distinctive or not.
    story_words: int = 8


@dataclass(frozen=True)
class Trouble:
    """Whether a sentence tells of trouble (trouble)."""

    sentence_reach: int = 300  # characters of its sentence read either side of a piece
    clause_reach: int = 120  # characters before a word of trouble read for its clause
    supposing_reach: int = 70  # after a word that asks, within which "if" or "when" follows
    lookahead: int = 40  # characters past a sentence's end a word of trouble may run


@dataclass(frozen=True)
class Against:
    """The weight shown on evidence against a candidate (caps)."""

    strong: float = -1.0  # a marker of another product that caps at low
    weak: float = -0.5  # any other sign of another program or error


@dataclass(frozen=True)
class Asking:
    """Which candidates the wizard offers in its question "which of these?" (triage/questions.py).

    Not the engine's close_margin, which keeps two leaders from being high: this says which
    candidates are worth offering once no candidate is high.
    """

    # Candidates scoring at least this share of the leader's score are offered.
    offered_share: float = 0.6
    max_offered: int = 4


@dataclass(frozen=True)
class Tuning:
    confidence: Confidence = field(default_factory=Confidence)
    specificity: Specificity = field(default_factory=Specificity)
    information: Information = field(default_factory=Information)
    derivation: Derivation = field(default_factory=Derivation)
    combining: Combining = field(default_factory=Combining)
    windows: Windows = field(default_factory=Windows)
    spelling: Spelling = field(default_factory=Spelling)
    english: English = field(default_factory=English)
    paraphrase: Paraphrase = field(default_factory=Paraphrase)
    loose: Loose = field(default_factory=Loose)
    recall: Recall = field(default_factory=Recall)
    trouble: Trouble = field(default_factory=Trouble)
    against: Against = field(default_factory=Against)
    asking: Asking = field(default_factory=Asking)


DEFAULT = Tuning()
