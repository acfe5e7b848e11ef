"""The wizard's questions come from how the candidates differ, and answers narrow them."""

from dataclasses import replace

from triage.engine import DEFAULT, ArticleSpec, Candidate, CauseSpec, Decision, Evidence, Result
from triage.questions import NO, NONE, UNSURE, YES, cause_question_id, decide

ARTICLES = {
    "cs": ArticleSpec(
        slug="cs",
        title="Content Studio pipe busy",
        products=("Content Studio",),
        logged_in=("Browser",),
        causes=(CauseSpec("ipc", "IPC channel", "Does the site use the IPC channel?"),),
    ),
    "ex": ArticleSpec(
        slug="ex",
        title="LinkAge pipe busy",
        products=("Exchange Server",),
        logged_in=("LinkAge Log Browser",),
        causes=(
            CauseSpec("running", "Already running", "Is Lsmain.exe already running?"),
            CauseSpec("leftover", "Tasks left running", "Did Lsmain.exe stop abnormally?"),
        ),
    ),
    "same-product": ArticleSpec(
        slug="same-product",
        title="Another Exchange problem",
        products=("Exchange Server",),
        logged_in=("Windows Application event log",),
    ),
}


def _candidate(slug, score, confidence, evidence=(), **kwargs):
    return Candidate(slug, score, confidence, list(evidence), **kwargs)


def _result(*candidates):
    abstained = not any(c.confidence in ("high", "medium") for c in candidates)
    return Result(list(candidates), [], abstained)


CLOSE = _result(_candidate("cs", 0.5, "medium"), _candidate("ex", 0.45, "medium"))


def test_close_candidates_are_told_apart_by_product():
    outcome = decide(CLOSE, ARTICLES)
    question = outcome.question
    assert question.kind == "article"
    assert question.text == "Which product logged this error?"
    assert [(o.id, o.label) for o in question.options] == [
        ("cs", "Content Studio"),
        ("ex", "Exchange Server"),
        (NONE, "None of these"),
    ]
    assert outcome.article is None


def test_which_candidates_are_offered_is_the_indexs_tuning():
    # 0.45 is within 0.6 of 0.5 but not within 0.95 of it: only the leader is left.
    strict = replace(DEFAULT, asking=replace(DEFAULT.asking, offered_share=0.95))
    outcome = decide(CLOSE, ARTICLES, tuning=strict)
    assert outcome.article == "cs"
    assert decide(CLOSE, ARTICLES).article is None


def test_same_product_falls_back_to_where_it_is_logged():
    result = _result(_candidate("ex", 0.5, "medium"), _candidate("same-product", 0.45, "medium"))
    question = decide(result, ARTICLES).question
    assert question.text == "Where do you see this error?"
    assert [o.label for o in question.options][:2] == [
        "LinkAge Log Browser",
        "Windows Application event log",
    ]


def test_the_same_question_gets_the_same_id_so_answers_carry_over():
    assert decide(CLOSE, ARTICLES).question.id == decide(CLOSE, ARTICLES).question.id


def test_picking_an_article_then_asks_its_causes_until_one_remains():
    qid = decide(CLOSE, ARTICLES).question.id
    outcome = decide(CLOSE, ARTICLES, {qid: "ex"})
    assert outcome.article == "ex"
    assert [c.article for c in outcome.candidates] == ["ex"]
    assert outcome.question.kind == "cause"
    assert outcome.question.text == "Is Lsmain.exe already running?"
    answers = {qid: "ex", cause_question_id("ex", "running"): NO}
    outcome = decide(CLOSE, ARTICLES, answers)
    # One cause ruled out: the other is asked, not assumed.
    assert outcome.question.cause == "leftover"
    assert outcome.ruled_out == ["running"]
    answers[cause_question_id("ex", "leftover")] = YES
    outcome = decide(CLOSE, ARTICLES, answers)
    assert outcome.cause == "leftover"
    assert outcome.question is None


def test_no_to_every_cause_leaves_the_article_without_a_cause():
    qid = decide(CLOSE, ARTICLES).question.id
    answers = {
        qid: "ex",
        cause_question_id("ex", "running"): NO,
        cause_question_id("ex", "leftover"): NO,
    }
    outcome = decide(CLOSE, ARTICLES, answers)
    assert outcome.article == "ex"
    assert outcome.cause is None and outcome.question is None


def test_picking_an_article_keeps_the_engines_confidence():
    qid = decide(CLOSE, ARTICLES).question.id
    outcome = decide(CLOSE, ARTICLES, {qid: "cs"})
    assert outcome.article == "cs"
    assert outcome.candidates[0].confidence == "medium"


def test_yes_settles_the_cause_and_unsure_moves_on():
    qid = decide(CLOSE, ARTICLES).question.id
    answers = {qid: "ex", cause_question_id("ex", "running"): UNSURE}
    outcome = decide(CLOSE, ARTICLES, answers)
    assert outcome.question.cause == "leftover"
    answers[cause_question_id("ex", "leftover")] = YES
    assert decide(CLOSE, ARTICLES, answers).cause == "leftover"


def test_none_of_these_rejects_the_close_candidates():
    qid = decide(CLOSE, ARTICLES).question.id
    outcome = decide(CLOSE, ARTICLES, {qid: NONE})
    assert outcome.rejected
    assert outcome.candidates == []
    assert outcome.question is None


def test_an_answer_to_a_question_not_asked_is_ignored():
    outcome = decide(CLOSE, ARTICLES, {"article-00000000": "ex", "junk": "junk"})
    assert outcome.question is not None and outcome.article is None


def test_a_high_candidate_needs_no_article_question():
    result = _result(_candidate("cs", 0.95, "high"), _candidate("ex", 0.3, "medium"))
    outcome = decide(result, ARTICLES)
    assert outcome.article == "cs"
    # Content Studio has one cause: nothing left to ask.
    assert outcome.cause == "ipc" and outcome.question is None


def test_a_proven_cause_is_not_asked():
    result = _result(_candidate("ex", 0.95, "high", proven_cause="leftover"))
    outcome = decide(result, ARTICLES)
    assert outcome.cause == "leftover" and outcome.cause_proven
    assert outcome.question is None


def test_the_likeliest_cause_is_asked_first():
    result = _result(_candidate("ex", 0.95, "high", cause_scores={"leftover": 0.6}))
    assert decide(result, ARTICLES).question.cause == "leftover"


def test_nothing_to_ask_when_nothing_matched():
    outcome = decide(_result(), ARTICLES)
    assert outcome.question is None and outcome.article is None


def test_low_candidates_pointing_at_another_product_get_no_question():
    foreign = Evidence("foreign", "vscode", 0, 6, -0.5, "foreign:vscode")
    result = _result(
        _candidate("cs", 0.2, "low", [foreign]), _candidate("ex", 0.2, "low", [foreign])
    )
    outcome = decide(result, ARTICLES)
    assert outcome.question is None and outcome.article is None


def test_low_but_close_candidates_are_still_asked_about():
    # "All pipe instances are busy." alone: both articles, neither likely.
    result = _result(_candidate("cs", 0.2, "low"), _candidate("ex", 0.2, "low"))
    assert decide(result, ARTICLES).question.kind == "article"


def test_a_lone_low_candidate_is_no_answer():
    outcome = decide(_result(_candidate("cs", 0.1, "low")), ARTICLES)
    assert outcome.article is None and outcome.question is None


# ------------------------------------------------------- a standard message an article documents

EPISERVER = ArticleSpec(
    slug="epi",
    title="EPiServer socket address in use",
    products=("EPiServer CMS", "Internet Information Services"),
    error_texts=(
        "System.Net.Sockets.SocketException: Only one usage of each socket address "
        "(protocol/network address/port) is normally permitted",
    ),
    logged_in=("Website error page", "Website error page"),
    causes=(
        CauseSpec("overlap", "Overlapped recycling holds the port", "Did the pool recycle?"),
        CauseSpec("shared", "Two websites share one endpoint", "Do two sites share it?"),
    ),
)
MESSAGE = "Only one usage of each socket address (protocol/network address/port)"
GENERIC = Decision("cap:generic-only", "at most low", "no context of the article's own")


def _generic(decisions=(GENERIC,), evidence=None):
    evidence = evidence or [Evidence("code", MESSAGE, 36, 36 + len(MESSAGE), 0.3, "code:10048")]
    candidate = _candidate("epi", 0.29, "low", evidence, decisions=list(decisions))
    return _result(candidate)


def test_a_documented_standard_message_is_confirmed_from_the_articles_setting():
    outcome = decide(_generic(), {"epi": EPISERVER})
    question = outcome.question
    assert question.kind == "confirm" and question.article == "epi"
    assert question.text == "Did this happen with EPiServer CMS and Internet Information Services?"
    assert question.details == (
        "Where it is logged: Website error page",
        "Known cause: Overlapped recycling holds the port",
        "Known cause: Two websites share one endpoint",
    )
    assert question.message == MESSAGE
    assert [(o.id, o.label) for o in question.options] == [
        (YES, "Yes"),
        (NO, "No / something else"),
    ]
    assert outcome.article is None


def test_yes_to_the_setting_leads_to_the_articles_cause_questions():
    qid = decide(_generic(), {"epi": EPISERVER}).question.id
    outcome = decide(_generic(), {"epi": EPISERVER}, {qid: YES})
    assert outcome.article == "epi"
    assert outcome.question.kind == "cause" and outcome.question.cause == "overlap"


def test_no_to_the_setting_ends_where_nothing_fits():
    qid = decide(_generic(), {"epi": EPISERVER}).question.id
    outcome = decide(_generic(), {"epi": EPISERVER}, {qid: NO})
    assert outcome.rejected
    assert outcome.article is None and outcome.question is None
    assert outcome.candidates == []


def test_an_article_without_products_is_confirmed_by_its_title():
    spec = replace(EPISERVER, products=(), logged_in=(), causes=())
    question = decide(_generic(), {"epi": spec}).question
    assert question.text == "Does this describe your situation: EPiServer socket address in use?"
    assert question.details == ()


def test_no_confirming_question_beside_signs_of_another_program():
    marker = Decision("cap:foreign-program", "at most medium", "acmetray.exe")
    assert decide(_generic((marker, GENERIC)), {"epi": EPISERVER}).question is None
    against = Evidence("foreign", "Kestrel", 0, 7, -0.5, "foreign:kestrel")
    evidence = [Evidence("code", MESSAGE, 36, 36 + len(MESSAGE), 0.3, "code:10048"), against]
    assert decide(_generic(evidence=evidence), {"epi": EPISERVER}).question is None


def test_no_confirming_question_for_a_message_the_article_does_not_document():
    other = "An existing connection was forcibly closed by the remote host"
    evidence = [Evidence("phrase", other, 0, len(other), 0.3, "phrase:x")]
    assert decide(_generic(evidence=evidence), {"epi": EPISERVER}).question is None
    # The exception's type alone is generic too, but it is no message.
    exception = [Evidence("exception", "SocketException", 0, 15, 0.15, "exception:x")]
    assert decide(_generic(evidence=exception), {"epi": EPISERVER}).question is None


def test_no_confirming_question_unless_the_engine_found_the_evidence_generic():
    assert decide(_generic(decisions=()), {"epi": EPISERVER}).question is None


# ------------------------------------------------------------------ how a cause was concluded


def test_a_cause_answered_yes_keeps_its_question_and_the_causes_still_open():
    qid = decide(CLOSE, ARTICLES).question.id
    answers = {qid: "ex", cause_question_id("ex", "running"): YES}
    outcome = decide(CLOSE, ARTICLES, answers)
    assert outcome.cause == "running"
    assert outcome.cause_question.text == "Is Lsmain.exe already running?"
    assert outcome.open_causes == ["leftover"]
    answers[cause_question_id("ex", "leftover")] = NO
    outcome = decide(CLOSE, ARTICLES, answers)
    assert outcome.open_causes == [] and outcome.ruled_out == ["leftover"]


def test_a_proven_cause_has_no_question_and_nothing_left_open():
    outcome = decide(_result(_candidate("ex", 0.95, "high", proven_cause="leftover")), ARTICLES)
    assert outcome.cause_question is None and outcome.open_causes == []
