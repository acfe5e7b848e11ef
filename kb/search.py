"""Ranked full-text search over articles, on PostgreSQL and on SQLite.

Both backends index the same four pieces of an article, weighted from most to
least telling: the title; the keywords with the verbatim error texts; the
summary; and the whole search document (Article.search_document).

PostgreSQL keeps a weighted tsvector in kb_article.search_vector. Prose goes
through the english config so "pipes" finds "pipe"; every piece is indexed a
second time with the simple config, which keeps error codes (231, 0x6d,
WIN32:231) and identifiers (DisallowOverlappingRotation) exactly as written.
Dotted and colon-joined names are also indexed split into their parts, so
"SocketException" finds System.Net.Sockets.SocketException. When nothing
matches, pg_trgm word similarity on the search document catches typos.

SQLite keeps an FTS5 table (kb_article_fts, rowid = article id) and ranks with
bm25(). User input never reaches FTS5 syntax: every term is re-quoted.

Queries from users are cleaned first: control characters and NUL bytes go,
and the query is cut to MAX_QUERY_CHARS characters and MAX_TERMS terms.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, FloatField, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe

MAX_QUERY_CHARS = 500
MAX_TERMS = 32

# bm25() column weights for title, summary, keywords (with error texts), body.
FTS_WEIGHTS = (10.0, 3.0, 5.0, 1.0)

# Below this word similarity a typo-tolerant match is more noise than help.
TRIGRAM_THRESHOLD = 0.5

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


def search(queryset, query):
    """Articles of queryset that match query, best first, each with a `rank`."""
    terms = parse_query(query)
    if not any(t.words and not t.negated and not t.is_or for t in terms):
        return queryset.none()
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


def _search_postgresql(queryset, terms):
    text = _websearch_text(terms)
    split = _COMPOUND_RE.sub(lambda m: " ".join(_WORD_RE.findall(m.group())), text)
    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    if split != text:
        query |= SearchQuery(split, config="simple", search_type="websearch")
    matches = (
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title")
    )
    if matches.exists():
        return matches
    return _search_trigram(queryset, terms)


def _search_trigram(queryset, terms):
    """Articles where every word of the query has a near spelling ("overlaped recyling").

    A quoted phrase asks for exact words and a code such as 10048 must match
    exactly (it is not a misspelt "100%"), so neither gets typo tolerance.
    """
    words = list(dict.fromkeys(w.lower() for t in terms if not t.negated for w in t.words))
    if any(t.phrase for t in terms) or any(c.isdigit() for w in words for c in w):
        return queryset.none()
    similarities = {
        f"_similarity_{i}": TrigramWordSimilarity(Value(word), "search_document")
        for i, word in enumerate(words)
    }
    queryset = queryset.alias(**similarities).filter(
        **{f"{name}__gte": TRIGRAM_THRESHOLD for name in similarities}
    )
    rank = sum((F(name) for name in similarities), Value(0.0)) / len(words)
    return queryset.annotate(rank=rank).order_by("-rank", "title")


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
    A compound such as NPServer::create becomes the phrase "NPServer create".
    """
    groups, current, excluded = [], [], []
    for term in terms:
        if term.is_or:
            groups.append(current)
            current = []
        elif term.negated:
            excluded.append(_fts_phrase(term))
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
    # bm25() is lower for better matches; rank is higher-is-better on both backends.
    rank = RawSQL(
        f"SELECT -bm25(kb_article_fts, {weights}) FROM kb_article_fts "
        f'WHERE kb_article_fts MATCH %s AND kb_article_fts.rowid = "{table}"."id"',
        [expression],
        output_field=FloatField(),
    )
    ids = RawSQL("SELECT rowid FROM kb_article_fts WHERE kb_article_fts MATCH %s", [expression])
    return queryset.filter(pk__in=ids).annotate(rank=rank).order_by("-rank", "title")


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


def _highlight_regex(terms):
    patterns = []
    for term in terms:
        if term.negated or term.is_or:
            continue
        words = term.words
        if len(words) > 1:
            patterns.append(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b")
        patterns += [_word_pattern(w) for w in words if w.lower() not in _STOPWORDS]
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


def excerpt(article, query, length=240):
    """About `length` characters of the article around the first match, as safe HTML.

    Every matching query word is wrapped in <mark>. All text, the article's
    and the query's alike, is HTML-escaped; the <mark> tags are the only markup.
    """
    text = " ".join((article.search_document or article.summary or "").split())
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
