"""The description reading: posts that describe an error without quoting it."""

from tests.triage.engine.kbs import (
    IPC,
    RECYCLING,
    SOCKET_ERRORS,
    top,
)
from triage.engine import (
    Index,
    SignatureSpec,
)

PARAPHRASE = (
    "The System log has an SMSvcHost error: a duplicated socket could not be dispatched"
    " and the handle is leaked."
)


def test_a_paraphrase_of_an_error_finds_its_article_at_medium(index):
    result = index.triage(PARAPHRASE)
    [candidate] = result.candidates
    assert (candidate.article, candidate.confidence) == ("port-sharing", "medium")
    assert {e.match for e in candidate.evidence} == {
        "SMSvcHost",
        "duplicated",
        "dispatched",
        "leaked",
    }
    assert all(e.kind == "word" for e in candidate.evidence)
    # Other forms of the same words, as far apart as a sentence or two, do as well.
    other_forms = (
        "smsvchost again. We think it is dispatching sockets that were duplicated,"
        " and every time one handle leaks."
    )
    assert [(c.article, c.confidence) for c in index.triage(other_forms).candidates] == [
        ("port-sharing", "medium")
    ]


def test_a_paraphrase_is_never_more_than_weak_evidence(index):
    # Two words are not a description; nor are words far apart in a long post.
    assert not index.triage("SMSvcHost leaked a handle").candidates
    far = "SMSvcHost dispatched it. " + "Nothing else to say here. " * 30 + "It leaked, duplicated."
    assert not index.triage(far).candidates
    # Everyday words the article happens to use, with no name of its own, are low.
    [plain] = index.triage("The dispatcher leaked memory and duplicated the jobs.").candidates
    assert plain.confidence == "low"
    # Another product in the paste, or an answer from the error itself, keeps it low.
    [beside] = index.triage(PARAPHRASE + " We run it under Node.js.").candidates
    assert beside.confidence == "low"
    assert any(e.kind == "foreign" and e.weight < 0 for e in beside.evidence)
    quoted = index.triage(PARAPHRASE + "\nPort is Busy: All pipe instances are busy.")
    assert quoted.candidates[0].article == "ipc"
    assert [c.confidence for c in quoted.candidates if c.article == "port-sharing"] == ["low"]


def test_a_post_telling_of_trouble_in_the_articles_own_setting_finds_it_at_medium(index):
    post = (
        "Since the application pool of our EPiServer CMS site recycles every night, "
        "the calls over net.tcp fail until morning."
    )
    [candidate] = index.triage(post).candidates
    assert (candidate.article, candidate.confidence) == ("recycling", "medium")
    assert {(e.kind, e.match) for e in candidate.evidence} == {
        ("context", "application pool"),
        ("product", "EPiServer CMS"),
        ("context", "net.tcp"),
    }


def test_the_articles_setting_without_trouble_or_beside_its_error_is_no_description(index):
    fine = "The application pool of our EPiServer CMS site recycled; net.tcp calls work fine."
    assert index.triage(fine).candidates == []
    no_problem = "EPiServer CMS on net.tcp, application pool recycled nightly: no problem so far."
    assert index.triage(no_problem).candidates == []
    # Trouble the post only supposes, away from the setting, is not trouble with it.
    watch = (
        "We watch the application pool of our EPiServer CMS site and net.tcp. "
        "All works; we only want an alert when it fails."
    )
    assert index.triage(watch).candidates == []
    # Two pieces of the setting are not enough to describe the article.
    assert index.triage("EPiServer CMS on net.tcp fails every night.").candidates == []
    # Another product in the post keeps it low; so does an error code of another error.
    post = "The application pool of our EPiServer CMS site recycles and net.tcp calls fail."
    assert top(index.triage(post)) == [("recycling", "medium")]
    [beside] = index.triage(f"{post} The client is a Node.js script.").candidates
    assert beside.confidence == "low"
    [refused] = index.triage(f"{post} The log says WSAECONNREFUSED (10061).").candidates
    assert refused.confidence == "low"
    assert [e.match for e in refused.evidence if e.weight < 0] == ["WSAECONNREFUSED"]
    own_code = index.triage(f"{post} The log says WSAEADDRINUSE (10048).")
    assert top(own_code)[0] == ("recycling", "high")


def test_a_description_needs_the_articles_own_name_and_trouble_told_of_it():
    setting = [
        SignatureSpec("recycling", "context", "application pool", cause="overlapped-recycling"),
        SignatureSpec("recycling", "context", "net.tcp"),
        SignatureSpec("recycling", "context", "remote events"),
    ]
    index = Index.build([IPC, RECYCLING, *SOCKET_ERRORS], setting)
    told = "after the application pool recycle the remote events over net.tcp are lost"
    [candidate] = index.triage(f"EPiServer CMS: {told}").candidates
    assert candidate.confidence == "medium"
    # The cause its context belongs to is asked about first.
    assert (
        candidate.cause_scores["overlapped-recycling"] > candidate.cause_scores["shared-endpoint"]
    )
    # The same words about another product are not the article, even where the paste
    # names the article elsewhere, away from the trouble.
    assert index.triage(f"Umbraco: {told}").candidates == []
    assert index.triage(f"Umbraco: {told}. We left EPiServer CMS last year.").candidates == []
    # Trouble told after many calm mentions still counts.
    calm = "EPiServer CMS with its application pool and remote events over net.tcp runs fine.\n"
    assert top(index.triage(calm * 9 + f"EPiServer CMS: {told}")) == [("recycling", "medium")]
    notes = ("EPiServer CMS release notes, see the changelog.\n" + "x " * 250 + "\n") * 8
    assert top(index.triage(notes + f"EPiServer CMS: {told}")) == [("recycling", "medium")]
    # ... but trouble told of it in one place and its setting in another are not.
    elsewhere = (
        "Our old EPiServer CMS site crashed last week (disk full).\n" + "y " * 300 + "\nNew"
        " site: EPiServer CMS with application pool recycle and remote events over net.tcp."
    )
    assert index.triage(elsewhere).candidates == []
    # A supposition reaches to the end of its sentence and no further; trouble told as
    # past is a report, whatever asks about it.
    report = "EPiServer CMS: after the application pool recycle the remote events over net.tcp"
    for text in (
        f"Our monitoring e-mails us when a site fails. Last night {report} failed.",
        f"Nagios warned us when {report} failed.",
    ):
        assert top(index.triage(text)) == [("recycling", "medium")], text
    supposed = (
        "We want an alert if the remote events of EPiServer CMS over net.tcp hang after the"
        " application pool recycle, or stop responding, or die."
    )
    assert index.triage(supposed).candidates == []
    # "When" or "if" alone suppose nothing: these are reports.
    when = "When I recycle the application pool of EPiServer CMS the remote events over net.tcp"
    assert top(index.triage(f"{when} fail"))[0][0] == "recycling"
    for trouble in ("is down", "keeps stopping", "crashes when I start it"):
        told_so = f"EPiServer CMS {trouble} after the application pool recycle; remote events"
        assert top(index.triage(told_so + " over net.tcp"))[0][0] == "recycling", trouble
    # A subject line is a sentence of its own; so are words that only look like trouble.
    subject = (
        "Subject: EPiServer CMS, application pool, remote events, net.tcp\nThe printer is broken"
    )
    assert index.triage(subject).candidates == []
    for calm in (
        "The deadline for EPiServer CMS is Friday; the application pool and remote events"
        " over net.tcp were issued new settings.",
        "EPiServer CMS, application pool recycle, remote events over net.tcp: works without"
        " any problem.",
        "EPiServer CMS has never crashed after an application pool recycle; remote events"
        " over net.tcp are error-free.",
        "We want an alert when EPiServer CMS fails after the application pool recycle of"
        " the remote events site on net.tcp.",
    ):
        assert index.triage(calm).candidates == [], calm
    # An exception with another message turns the article down; a description of the
    # same paste does not bring it back.
    refused = (
        f"EPiServer CMS: {told}. SocketException: The socket was closed unexpectedly by the"
        " remote side"
    )
    assert index.triage(refused).candidates == []


def test_a_description_is_capped_by_the_same_signs_as_any_candidate(index):
    # The same detection as for quoted evidence: another platform's marker counts fully,
    # and the description stays low, saying which rule put it there.
    [beside] = index.triage(PARAPHRASE + " npm ERR! code ELIFECYCLE").candidates
    assert beside.confidence == "low"
    assert sorted(e.weight for e in beside.evidence if e.kind == "foreign") == [-1.0, -0.5]
    assert beside.decided("cap:foreign-marker") and beside.decided("cap:weak-description")
    # An error code that is not the article's: the post is about that error.
    [other] = index.triage(PARAPHRASE + " The log also says error 5.").candidates
    assert other.confidence == "low"
    assert "another error: win32:5" in [d.detail for d in other.decisions]


def test_the_articles_own_code_is_no_sign_of_another_program():
    recycling = RECYCLING.__class__(
        **{**RECYCLING.__dict__, "products": ("EPiServer CMS",), "error_texts": ()}
    )
    signatures = [
        SignatureSpec("recycling", "context", "EPiServer", 2),
        SignatureSpec("recycling", "context", "EventReplication", 2),
        SignatureSpec("recycling", "context", "remote events"),
    ]
    index = Index.build([IPC, recycling], signatures)
    post = "EPiServer remote events are lost since the EventReplication crashed"
    frame = "\n   at EPiServer.Events.Remote.EventReplication.Initialize()"
    assert top(index.triage(post))[0] == ("recycling", "medium")
    own = index.triage(post + frame).candidates[0]
    assert (own.article, own.confidence) == ("recycling", "medium")
    assert not own.decided("cap:foreign-code")
