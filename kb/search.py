"""Ranked full-text search over articles, on PostgreSQL and on SQLite.

Both backends index the same four pieces of an article, weighted from most to
least telling: the title; the keywords with the verbatim error texts; the
summary; and the whole search document (Article.search_document).

PostgreSQL keeps a weighted tsvector in kb_article.search_vector. Prose goes
through the english config so "pipes" finds "pipe"; every piece is indexed a
second time with the simple config, which keeps error codes (231, 0x6d,
WIN32:231) and identifiers (DisallowOverlappingRotation) exactly as written.
Dotted and colon-joined names are also indexed split into their parts, so
"SocketException" finds System.Net.Sockets.SocketException.

SQLite keeps an FTS5 table (kb_article_fts, rowid = article id) and ranks with
bm25(). User input never reaches FTS5 syntax: every term is re-quoted.

An error code is found in any of its spellings: a term that the shared error
code table (the top-level errorcodes package) reads as a code, such as
ERROR_PIPE_BUSY, 0xE7 or 0x800700E7, matches every way of writing that error,
its standard message included.

When the query as typed finds nothing, typos are forgiven: PostgreSQL uses
pg_trgm word similarity on the articles' distinct words (where the extension
could be enabled); SQLite, and PostgreSQL without pg_trgm, correct each unknown word to
a word of the articles one edit away (see did_you_mean()).

Queries from users are cleaned first: control characters and NUL bytes go,
and the query is cut to MAX_QUERY_CHARS characters and MAX_TERMS terms.
"""

import html
import re
import string
from collections import Counter
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Max, Sum, TextField, Value, When
from django.utils.safestring import mark_safe

import errorcodes

MAX_QUERY_CHARS = 500
MAX_TERMS = 32

# bm25() column weights for title, summary, keywords (with error texts), body.
FTS_WEIGHTS = (10.0, 3.0, 5.0, 1.0)

# Below this word similarity a typo-tolerant match is more noise than help; set
# as pg_trgm.word_similarity_threshold on every connection (kb/signals.py).
TRIGRAM_THRESHOLD = 0.5
# How many known words near a misspelt one a typo-tolerant search tries.
MAX_SIMILAR_WORDS = 20

# Shorter words have too many neighbours one edit away to be corrected safely.
MIN_CORRECTED_LENGTH = 4
# A bare number is read as an error code only from this many digits: 7, 8 and 42
# are versions, event IDs and counts far more often than Win32 errors.
MIN_CODE_DIGITS = 3

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TERM_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_RE = re.compile(r"\w+")
# NPServer::create, SMSvcHost.exe, WIN32:231, System.IO.PipeException
_COMPOUND_RE = re.compile(r"\w+(?:[.:/\\-]+\w+)+")


@dataclass(frozen=True)
class Term:
    """One term of a query: a word, a compound such as 0x6d or a quoted phrase."""

    text: str
    phrase: bool = False
    negated: bool = False
    is_or: bool = False

    @property
    def words(self):
        return _WORD_RE.findall(self.text)


def clean_query(query):
    """The query without characters no backend should see, cut to a sane length."""
    if not query:
        return ""
    query = str(query).encode("utf-8", "ignore").decode("utf-8")  # drops lone surrogates
    return _CONTROL_RE.sub(" ", query)[:MAX_QUERY_CHARS].strip()


def parse_query(query):
    """Split a user's query into terms, the way websearch_to_tsquery reads it.

    "quoted text" is a phrase, a leading minus excludes a term, and a bare
    "or" between terms means either. Terms without any letter or digit
    (lone punctuation, emoji) are dropped; at most MAX_TERMS are kept.
    """
    terms = []
    for match in _TERM_RE.finditer(clean_query(query)):
        minus, phrase, bare = match.groups()
        if phrase is not None:
            term = Term(phrase, phrase=True, negated=bool(minus))
        else:
            text = bare.replace('"', "")
            negated = text.startswith("-")
            text = text.lstrip("-")
            if text.lower() == "or" and not negated:
                term = Term(text, is_or=True)
            else:
                term = Term(text, negated=negated)
        if term.is_or or term.words:
            terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    return terms


def code_spellings(term):
    """Every spelling of the error a term names ("0xE7" -> 231, ERROR_PIPE_BUSY, ...), or [].

    Phrases, excluded terms and short bare numbers are taken as written.
    """
    if term.phrase or term.negated or term.is_or:
        return []
    text = term.text.strip(".,;()[]{}'")
    if text.isdigit() and len(text) < MIN_CODE_DIGITS:
        return []
    code = errorcodes.lookup(text)
    if code is None:
        return []
    return errorcodes.spellings(code)


def _code_terms(terms):
    """{position: spellings} of the terms that name an error code.

    A query with "or" keeps its own grouping, so its terms are taken as written.
    """
    if any(t.is_or for t in terms):
        return {}
    return {i: found for i, t in enumerate(terms) if (found := code_spellings(t))}


def _split_compounds(text):
    """The parts of every dotted or colon-joined name in text, as plain words."""
    return " ".join(" ".join(_WORD_RE.findall(m)) for m in _COMPOUND_RE.findall(text or ""))


def _pieces(article):
    """Title, keywords with error texts, summary and body, most telling first.

    The keywords piece also takes the article's signatures, so an error code
    kept only as evidence for triage (10048 as a code signature) is found too.
    Patterns are regular expressions, not words, and stay out.
    """
    errors = [symptom.error_text for symptom in article.symptoms.all()]
    signatures = [
        signature.value
        for signature in article.signatures.all()
        if not signature.excluded and signature.kind != signature.Kind.PATTERN
    ]
    keywords = "\n".join(p for p in [article.keywords, *errors, *signatures] if p)
    body = article.search_document or article.build_search_document()
    return article.title, keywords, article.summary or "", body


def index_article(article):
    """Bring the database's search index up to date for one article."""
    if connection.vendor == "postgresql":
        _index_postgresql(article)
    elif connection.vendor == "sqlite":
        _index_sqlite(article)


def forget_article(article_id):
    """Drop a deleted article from the search index.

    PostgreSQL keeps the vector in the article's own row, which is gone with
    it; SQLite's FTS table is separate and would keep the text.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM kb_article_fts WHERE rowid = %s", [article_id])


def _has_words(terms):
    return any(t.words and not t.negated and not t.is_or for t in terms)


def search(queryset, query):
    """Articles of queryset that match query, best first, each with a `rank`.

    When the query as typed finds nothing, the typo-tolerant search answers.
    """
    terms = parse_query(query)
    if not _has_words(terms):
        return queryset.none()
    matches = search_exact(queryset, terms)
    if connection.vendor not in ("postgresql", "sqlite") or matches.exists():
        return matches
    if connection.vendor == "postgresql" and has_trigram():
        return _search_trigram(queryset, terms)
    corrected = _correction(queryset, terms, query)
    if corrected is None:
        return queryset.none()
    return search_exact(queryset, parse_query(corrected))


def search_exact(queryset, terms):
    """Articles matching the parsed terms as typed, with no typo tolerance."""
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    if connection.vendor == "sqlite":
        return _search_sqlite(queryset, terms)
    return _search_plain(queryset, terms)


# PostgreSQL


def _index_postgresql(article):
    vector = None
    for weight, text in zip("ABCD", _pieces(article), strict=True):
        for config, value in (
            ("english", text),
            ("simple", text),
            ("simple", _split_compounds(text)),
        ):
            if not value:
                continue
            part = SearchVector(
                Value(value, output_field=TextField()), config=config, weight=weight
            )
            vector = part if vector is None else vector + part
    type(article).objects.filter(pk=article.pk).update(search_vector=vector)
    _remember_words(article.search_document or article.build_search_document())


def _websearch_text(terms):
    """Terms put back together as websearch_to_tsquery syntax."""
    out = []
    for term in terms:
        if term.is_or:
            out.append("or")
            continue
        text = f'"{term.text}"' if term.phrase else term.text
        out.append(("-" if term.negated else "") + text)
    return " ".join(out)


def _tsquery(terms):
    text = _websearch_text(terms)
    split = _COMPOUND_RE.sub(lambda m: " ".join(_WORD_RE.findall(m.group())), text)
    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    if split != text:
        query |= SearchQuery(split, config="simple", search_type="websearch")
    return query


def _any_spelling(spellings):
    """A tsquery matching any one spelling of an error code, each as an exact phrase."""
    query = None
    for spelling in spellings:
        part = SearchQuery(spelling, config="simple", search_type="phrase")
        query = part if query is None else query | part
    return query


def _search_postgresql(queryset, terms):
    codes = _code_terms(terms)
    rest = [t for i, t in enumerate(terms) if i not in codes]
    # Excluded words stay: "231 -linkage" is the code's articles without linkage.
    query = _tsquery(rest) if any(t.words for t in rest) else None
    for spellings in codes.values():
        query = _any_spelling(spellings) if query is None else query & _any_spelling(spellings)
    if query is None:
        return queryset.none()
    return (
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title")
    )


def has_trigram():
    """Whether pg_trgm is installed in this database (the migration enables it where it may)."""
    name = connection.settings_dict["NAME"]
    if name not in _trigram_installed:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _trigram_installed[name] = cursor.fetchone() is not None
    return _trigram_installed[name]


_trigram_installed = {}


def _search_trigram(queryset, terms):
    """Articles where every word of the query has a near spelling ("overlaped recyling").

    A quoted phrase asks for exact words and a code such as 10048 must match
    exactly (it is not a misspelt "100%"), so neither gets typo tolerance.

    The trigram index on the articles' distinct words (kb_search_word, see
    migration 0006) gives each query word its MAX_SIMILAR_WORDS nearest known
    words at TRIGRAM_THRESHOLD or more; the full-text index finds the articles
    having one of them for every query word. An article ranks by the similarity
    of the nearest such word it has, averaged over the query's words. Nothing
    reads a whole document.
    """
    words = list(dict.fromkeys(w.lower() for t in terms if not t.negated for w in t.words))
    if any(t.phrase for t in terms) or any(c.isdigit() for w in words for c in w):
        return queryset.none()
    if not words:
        return queryset.none()
    rank = Value(0.0)
    with connection.cursor() as cursor:
        for word in words:
            # <% is word_similarity(word, known) >= pg_trgm.word_similarity_threshold,
            # which the trigram index on kb_search_word serves.
            cursor.execute(
                "SELECT word, word_similarity(%s, word) AS similarity FROM kb_search_word "
                "WHERE %s <%% word ORDER BY similarity DESC, word LIMIT %s",
                [word, word, MAX_SIMILAR_WORDS],
            )
            near = cursor.fetchall()
            if not near:
                return queryset.none()
            queryset = queryset.filter(search_vector=_lexemes([w for w, _ in near]))
            rank = rank + Case(
                *[When(search_vector=_lexemes([w]), then=Value(s)) for w, s in near],
                default=Value(0.0),
                output_field=FloatField(),
            )
    return queryset.annotate(rank=rank / len(words)).order_by("-rank", "title")


def _lexemes(words):
    """A tsquery matching any of words exactly as the simple config indexed them."""
    text = " | ".join("'" + w.replace("'", "''") + "'" for w in words)
    return SearchQuery(text, config="simple", search_type="raw")


def _remember_words(text):
    """Add the words of an article's search document to kb_search_word (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO kb_search_word (word) "
            "SELECT DISTINCT lexeme FROM unnest(to_tsvector('simple', %s)) "
            "WHERE lexeme ~ '^[[:alpha:]]+$' ON CONFLICT DO NOTHING",
            [text],
        )


# SQLite


def _index_sqlite(article):
    title, keywords, summary, body = _pieces(article)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM kb_article_fts WHERE rowid = %s", [article.pk])
        cursor.execute(
            "INSERT INTO kb_article_fts (rowid, title, summary, keywords, body) "
            "VALUES (%s, %s, %s, %s, %s)",
            [article.pk, title, summary, keywords, body],
        )


def _fts_phrase(term):
    # Only word characters and spaces go inside the quotes, so nothing the
    # user typed can be read as FTS5 syntax.
    return '"' + " ".join(term.words) + '"'


def fts_expression(terms):
    """An FTS5 MATCH expression for the terms, or "" when nothing is left to find.

    Terms are ANDed, "or" separates alternatives, negated terms are excluded.
    A compound such as NPServer::create becomes the phrase "NPServer create";
    an error code matches any of its spellings.
    """
    codes = _code_terms(terms)
    groups, current, excluded = [], [], []
    for i, term in enumerate(terms):
        if term.is_or:
            groups.append(current)
            current = []
        elif term.negated:
            excluded.append(_fts_phrase(term))
        elif i in codes:
            phrases = dict.fromkeys(_fts_phrase(Term(s)) for s in codes[i])
            current.append("(" + " OR ".join(phrases) + ")")
        else:
            current.append(_fts_phrase(term))
    groups.append(current)
    groups = [g for g in groups if g]
    if not groups:
        return ""
    expression = " OR ".join("(" + " AND ".join(g) + ")" for g in groups)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _search_sqlite(queryset, terms):
    expression = fts_expression(terms)
    if not expression:
        return queryset.none()
    table = queryset.model._meta.db_table
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    # A join rather than a subquery per row: FTS5 reads the terms' postings once
    # for the whole query, where a rank subquery correlated on the article id
    # read them again for every article found (seconds for a common word at
    # 10,000 articles). bm25() is lower for better matches; rank is
    # higher-is-better on both backends.
    return queryset.extra(
        select={"rank": f"-bm25(kb_article_fts, {weights})"},
        tables=["kb_article_fts"],
        where=[f'kb_article_fts.rowid = "{table}"."id"', "kb_article_fts MATCH %s"],
        params=[expression],
    ).order_by("-rank", "title")


# Corrections: "Did you mean"


def _fingerprint(queryset):
    """What changes whenever the words of the queryset's articles may have changed."""
    return queryset.order_by().aggregate(
        count=Count("pk"), latest=Max("modified_at"), versions=Sum("version"), last=Max("pk")
    )


_vocabularies = {}


def vocabulary(queryset):
    """How often each word (lower-cased, letters only) occurs in the articles of queryset.

    Kept per process until an article is added, removed or saved again.
    """
    try:
        key = (connection.alias, connection.settings_dict["NAME"], str(queryset.query))
    except EmptyResultSet:
        return Counter()
    fingerprint = _fingerprint(queryset)
    cached = _vocabularies.get(key)
    if cached and cached[0] == fingerprint:
        return cached[1]
    words = Counter()
    for document in queryset.values_list("search_document", flat=True).iterator():
        words.update(w for w in _WORD_RE.findall(document.lower()) if w.isalpha())
    _vocabularies[key] = (fingerprint, words)
    return words


def _one_edit(word):
    """Every string one deletion, transposition, replacement or insertion away from word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    letters = string.ascii_lowercase
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def correct_word(word, words):
    """The most frequent word of the vocabulary one edit from word, or None."""
    lowered = word.lower()
    if len(lowered) < MIN_CORRECTED_LENGTH or not lowered.isalpha() or lowered in words:
        return None
    known = [w for w in _one_edit(lowered) if w in words]
    if not known:
        return None
    return max(known, key=lambda w: (words[w], w))


def did_you_mean(queryset, query):
    """For a query that finds nothing as typed, the query with its typos corrected, or None.

    Each word the articles do not have becomes the commonest of their words one
    edit away: "overlapped recyling" -> "overlapped recycling". None when the
    query finds articles as typed, when nothing needed correcting, or when the
    corrected query still finds nothing. Codes, numbers and excluded words are
    left as typed.
    """
    terms = parse_query(query)
    if not _has_words(terms) or search_exact(queryset, terms).exists():
        return None
    return _correction(queryset, terms, query)


def _correction(queryset, terms, query):
    words = vocabulary(queryset)
    corrections = {}
    for term in terms:
        if term.negated or term.is_or:
            continue
        for word in term.words:
            fixed = correct_word(word, words)
            if fixed:
                corrections[word.lower()] = fixed
    if not corrections:
        return None
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, corrections)) + r")\b", re.IGNORECASE)
    corrected = pattern.sub(lambda m: corrections[m.group().lower()], clean_query(query))
    if not search_exact(queryset, parse_query(corrected)).exists():
        return None
    return corrected


# Pastes typed into the search box

_PASTE_SIGNS = re.compile(
    r"(?im)(?:\b[\w.]*(?:Exception|Error)\b\s*:"  # System.IO.IOException: ...
    r"|^\s*at\s+[\w.<>`]+\("  # a stack frame
    r"|\bEvent\s+ID\s*:|^\s*(?:Log Name|Source|Level)\s*:)"  # an event block
)


def looks_like_paste(query):
    """Whether a search query is a pasted error (several lines, an exception, an event)
    that the triage would read better than the search."""
    if not query or not query.strip():
        return False
    lines = [line for line in query.splitlines() if line.strip()]
    return len(lines) > 1 or bool(_PASTE_SIGNS.search(query[:MAX_QUERY_CHARS]))


# Any other database: substring match, no ranking to speak of.


def _search_plain(queryset, terms):
    for term in terms:
        if not term.is_or and not term.negated:
            queryset = queryset.filter(search_document__icontains=term.text)
    return queryset.annotate(rank=Value(1.0, output_field=FloatField())).order_by("title")


# Excerpts

# Words too common to be worth highlighting on their own.
_STOPWORDS = frozenset(
    "a an and are as at be by for from has in is it its not of on or that the this to was "
    "were will with".split()
)


def _word_pattern(word):
    # A crude stem, so "pipes" marks "pipe" and "overlaped" marks "overlapped".
    if len(word) >= 5 and not any(c.isdigit() for c in word):
        return r"\b" + re.escape(word[: max(4, len(word) - 2)]) + r"\w*"
    return r"\b" + re.escape(word) + r"\b"


def _phrase_pattern(words):
    return r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b"


def _highlight_regex(terms):
    codes = _code_terms(terms)
    patterns = []
    for i, term in enumerate(terms):
        if term.negated or term.is_or:
            continue
        words = term.words
        if len(words) > 1:
            patterns.append(_phrase_pattern(words))
        patterns += [_word_pattern(w) for w in words if w.lower() not in _STOPWORDS]
        # The other spellings of a code, whole: "WIN32:231" for ERROR_PIPE_BUSY.
        patterns += [_phrase_pattern(_WORD_RE.findall(s)) for s in codes.get(i, ())]
    if not patterns:
        return None
    # Longest first, so a whole phrase is marked rather than its first word.
    patterns = sorted(set(patterns), key=len, reverse=True)
    return re.compile("|".join(patterns), re.IGNORECASE)


def _best_match(text, regex, length):
    """Where the first window showing the most different query words begins to match."""
    matches = [(m.start(), m.group().lower()) for m in regex.finditer(text)][:200]
    best, best_count = None, 0
    for position, _ in matches:
        low, high = position - length // 3, position + length * 2 // 3
        count = len({word for p, word in matches if low <= p < high})
        if count > best_count:
            best, best_count = position, count
    return best


# Tags that end a line of text; the others (code, em, a) are part of a sentence.
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|li|ul|ol|dl|dt|dd|h\d|pre|blockquote|br|hr|tr|td|th|table)\b[^>]*>"
)
_TAG_RE = re.compile(r"<[^>]*>")


def _html_text(rendered):
    """Stored, sanitised HTML as the words a reader sees."""
    return html.unescape(_TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", rendered or "")))


def reading_text(article):
    """The article's text as readers see it, for excerpts.

    Markdown is taken rendered (no backticks or asterisks); the title, shown
    beside the excerpt anyway, and the keyword list, written for the search
    index, are left out. Uses the article's symptoms, causes and resolutions:
    prefetch them for a list.
    """
    parts = [article.summary]
    for symptom in article.symptoms.all():
        parts += [_html_text(symptom.description_html), symptom.error_text]
    for cause in article.causes.all():
        parts += [cause.title, _html_text(cause.explanation_html), cause.how_to_tell]
    for resolution in article.resolutions.all():
        parts += [
            resolution.title,
            _html_text(resolution.steps_html),
            _html_text(resolution.caveats_html),
        ]
    parts.append(_html_text(article.more_info_html))
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def excerpt(article, query, length=240):
    """About `length` characters of the article around the first match, as safe HTML.

    Every matching query word is wrapped in <mark>. All text, the article's
    and the query's alike, is HTML-escaped; the <mark> tags are the only markup.
    """
    text = reading_text(article)
    regex = _highlight_regex(parse_query(query))
    first = _best_match(text, regex, length) if regex else None
    start = 0
    if first is not None and first > length // 3:
        start = first - length // 3
        # Start on a word boundary rather than in the middle of a word.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    window = text[start:end]

    out = ["…" if start > 0 else ""]
    position = 0
    for match in regex.finditer(window) if regex else ():
        out.append(html.escape(window[position : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    out.append(html.escape(window[position:]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))
