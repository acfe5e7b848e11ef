"""The recall channel: a paste that shares an article's words without quoting its error."""

from dataclasses import replace

from triage.engine import ArticleSpec, Index
from triage.engine.tuning import DEFAULT

from .kbs import top

SMB1 = ArticleSpec(
    slug="smb1",
    title="A share needs the obsolete SMB1 protocol",
    error_texts=("This share requires the obsolete SMB1 protocol, which is unsafe.",),
    text=(
        "A share needs the obsolete SMB1 protocol. Windows 10 1709 and later no longer"
        " install SMBv1, so a NAS or Samba box that only speaks it cannot be reached."
        " Enable the SMB 1.0/CIFS client feature, or move the device to SMB2."
    ),
)
LOGIN = ArticleSpec(
    slug="login",
    title="Login failed for user, error 18456",
    products=("SQL Server",),
    error_texts=("Login failed for user 'sa'. (Microsoft SQL Server, Error: 18456)",),
    text=(
        "SQL Server refuses a login with error 18456. The state in the error log tells why:"
        " a wrong password, a disabled login, or Windows authentication only."
        " Switch the server to mixed mode authentication, or enable the login."
    ),
)
QUOTA = ArticleSpec(
    slug="quota",
    title="The maximum message size quota was exceeded",
    products=("WCF",),
    error_texts=(
        "The maximum message size quota for incoming messages (65536) has been exceeded.",
    ),
    text=(
        "A WCF service or client refuses a message larger than its binding allows."
        " Raise maxReceivedMessageSize and maxBufferSize on the binding, and the reader quotas."
        " Throttle the batch size if the messages keep growing."
    ),
)
PRINTING = ArticleSpec(
    slug="printing",
    title="Print jobs stay in the queue",
    text="The print spooler holds jobs in the queue after a driver update. Restart the spooler.",
)
ARTICLES = [SMB1, LOGIN, QUOTA, PRINTING]


def index(**tuning):
    recall = replace(DEFAULT.recall, **tuning)
    return Index.build(ARTICLES, [], tuning=replace(DEFAULT, recall=recall))


def test_a_post_in_the_articles_words_finds_it_at_medium():
    post = (
        "Win 10 does not enable SMBv1 anymore since 1709. When I turn the SMB1 client back on,"
        " my old NAS shows up again."
    )
    result = index().triage(post)
    assert top(result)[0] == ("smb1", "medium")
    candidate = result.candidates[0]
    assert candidate.decided("recall")
    # The words it shared are its evidence, at their places in the paste.
    assert {e.match for e in candidate.evidence} >= {"SMBv1", "1709", "NAS"}
    assert all(post[e.start : e.end] == e.match for e in candidate.evidence)
    assert not result.abstained


def test_shared_words_are_never_high():
    text = "smb1 smbv1 1709 nas samba cifs smb2 obsolete protocol share " * 3
    assert index().triage(text).candidates[0].confidence == "medium"


def test_names_of_the_setting_alone_make_no_candidate():
    # The product is where an error happens, not that it did.
    assert index().triage("We run SQL Server and WCF on Windows.").candidates == []


def test_few_words_make_no_candidate():
    assert index().triage("The spooler is stuck.").candidates == []


def test_shared_words_make_a_low_candidate_when_nothing_else_does():
    # No word of it is distinctive enough for a description ("driver", "update" and
    # "print" are everyday English), but it tells of the print queue in three or more of
    # the article's words: related at best, and shown as that.
    post = "Since the driver update, print jobs just sit in the queue."
    result = index().triage(post)
    assert top(result) == [("printing", "low")]
    assert result.abstained
    candidate = result.candidates[0]
    assert candidate.decided("recall-fallback")
    assert {e.match for e in candidate.evidence} >= {"driver", "update", "print", "queue"}
    assert all(post[e.start : e.end] == e.match for e in candidate.evidence)


def test_shared_words_scattered_over_a_long_post_are_no_candidate():
    far = "Print jobs. " + "Nothing else to say here. " * 30 + "Driver update."
    assert index().triage(far).candidates == []


def test_shared_words_two_articles_have_alike_make_no_candidate():
    twin = ArticleSpec(slug="printing-twin", title=PRINTING.title, text=PRINTING.text)
    kb = Index.build([PRINTING, twin, LOGIN], [])
    assert kb.triage("Since the driver update, print jobs just sit in the queue.").candidates == []


def test_variable_parts_and_framework_names_are_not_shared_words():
    host_and_path = "Cannot reach nas01.contoso.com at C:\\Samba\\SMB1\\1709.txt"
    assert index().triage(host_and_path).candidates == []
    framework = "at System.ServiceModel.Channels.MaxReceivedMessageSize.Quota.Exceeded()"
    assert index().triage(framework).candidates == []


def test_without_a_clear_lead_it_is_low():
    post = "Error 18456 on the SMB1 share."
    result = index().triage(post)
    assert result.candidates and all(c.confidence == "low" for c in result.candidates)
    assert result.candidates[0].decided("recall-tier")


def test_a_word_only_the_articles_steps_use_is_not_enough_for_medium():
    # "Throttle" and "batch" are words of the quota article's fix, not of its problem.
    result = index(words=2).triage("We had to throttle the batch jobs, which now time out.")
    assert all(c.confidence == "low" for c in result.candidates)


def test_another_program_keeps_it_low():
    post = (
        "Win 10 does not enable SMBv1 anymore since 1709, my old NAS is gone. AcmeSync.exe"
        " reports it too."
    )
    [candidate] = index().triage(post).candidates
    assert candidate.confidence == "low"
    assert candidate.decided("cap:weak-description")


def test_a_program_of_the_articles_product_does_not_keep_it_low():
    # AcmeSync.exe is a client built on the article's product, which the post names.
    smb = ArticleSpec(
        slug=SMB1.slug,
        title=SMB1.title,
        products=("Server Message Block",),
        error_texts=SMB1.error_texts,
        text=SMB1.text,
    )
    post = (
        "Win 10 does not enable SMBv1 anymore since 1709. When I turn the SMB1 client back"
        " on, my old NAS shows up again over SMB. AcmeSync.exe had lost it too."
    )
    [candidate] = Index.build([smb, LOGIN, QUOTA, PRINTING], []).triage(post).candidates
    assert (candidate.article, candidate.confidence) == ("smb1", "medium")
    assert not candidate.decided("cap:foreign-program")


BUFFERS = ArticleSpec(
    slug="buffers",
    title="Ephemeral port exhaustion: WSAENOBUFS 10055",
    error_texts=(
        "An operation on a socket could not be performed because the system lacked"
        " sufficient buffer space or because a queue was full.",
    ),
    text=(
        "Outbound connections exhaust the ephemeral ports, and Winsock returns WSAENOBUFS."
        " netstat shows thousands of connections in TIME_WAIT. Raise MaxUserPort or"
        " lower TcpTimedWaitDelay."
    ),
)
NO_BUFFER = (
    "An operation on a socket could not be performed because the system lacked"
    " sufficient buffer space or because a queue was full"
)


def test_the_articles_words_lift_its_generic_error_to_medium():
    kb = Index.build([BUFFERS, *ARTICLES], [])
    assert top(kb.triage(NO_BUFFER))[0] == ("buffers", "low")
    told = kb.triage(f"{NO_BUFFER}\nThe outbound calls exhaust all ephemeral ports.")
    assert top(told)[0] == ("buffers", "medium")
    assert told.candidates[0].decided("recall-lift")
    # The message's own words are not its context.
    again = kb.triage(f"{NO_BUFFER}. Socket buffer space, queue full, buffer, queue!")
    assert top(again)[0] == ("buffers", "low")


def test_a_setting_the_article_names_is_its_context():
    kb = Index.build([BUFFERS, *ARTICLES], [])
    result = kb.triage(f"{NO_BUFFER}\nMaxUserPort is at its default")
    assert top(result)[0] == ("buffers", "medium")
    assert not result.candidates[0].decided("cap:generic-only")
    assert "MaxUserPort" in {e.match for e in result.candidates[0].evidence}


def test_shared_words_beside_a_quoted_error_are_no_candidate_of_their_own():
    # The quoted error is low for want of its article's context; the print story beside
    # it shares too few distinctive words with its own article for a candidate of its own.
    kb = Index.build([BUFFERS, *ARTICLES], [])
    quoted = kb.triage(f"{NO_BUFFER}\nSince the driver update, print jobs just sit in the queue.")
    assert top(quoted) == [("buffers", "low")]


def test_a_quoted_error_outranks_shared_words():
    result = index().triage(
        "Login failed for user 'sa'. (Microsoft SQL Server, Error: 18456)\n"
        "The SMB1 share on the NAS from 1709 is also gone."
    )
    assert result.candidates[0].article == "login"


QUOTA_TYPE = ArticleSpec(
    slug="quota-type",
    title="WCF refuses a message larger than its binding's quota",
    products=("WCF",),
    error_texts=("System.ServiceModel.QuotaExceededException",),
    text=(
        "A WCF client or service refuses an incoming message larger than the maximum message"
        " size quota of its binding: the quota is exceeded. Raise maxReceivedMessageSize and"
        " maxBufferSize on the binding element."
    ),
)


def test_the_articles_words_in_an_exceptions_message_lift_it_to_medium():
    kb = Index.build([QUOTA_TYPE, SMB1, LOGIN, PRINTING], [])
    told = kb.triage(
        "System.ServiceModel.QuotaExceededException: The maximum message size quota for"
        " incoming messages (536870912) has been exceeded. To increase the quota, use the"
        " MaxReceivedMessageSize property on the appropriate binding element."
    )
    assert top(told)[0] == ("quota-type", "medium")
    assert told.candidates[0].decided("recall-lift")
    # Another message in words the article does not use is another error of that type.
    other = kb.triage(
        "System.ServiceModel.QuotaExceededException: The print spooler holds every job in the"
        " queue after the driver update."
    )
    assert all(c.confidence == "low" for c in other.candidates)


MAIL = ArticleSpec(
    slug="mail",
    title="Mail stops sending after a password change",
    text=(
        "The mail program stops sending messages after the password was changed on the"
        " server. It keeps the old password in the account settings: open the account"
        " settings, type the new password, save them and send again."
    ),
)
MAIL_STORY = (
    "Since the password was changed on the server, the mail program stops sending messages."
    " The account settings still have the old one."
)


def test_a_post_that_tells_the_articles_story_in_everyday_words_is_medium():
    result = Index.build([*ARTICLES, MAIL], []).triage(MAIL_STORY)
    assert top(result) == [("mail", "medium")]
    candidate = result.candidates[0]
    assert candidate.decided("recall-story")
    assert {e.match for e in candidate.evidence} >= {"password", "mail", "account", "settings"}
    assert not result.abstained


def test_a_few_everyday_words_or_two_articles_alike_are_no_story():
    kb = Index.build([*ARTICLES, MAIL], [])
    short = kb.triage("The mail program stops sending messages.")
    assert top(short) == [("mail", "low")] and short.abstained
    twin = ArticleSpec(slug="mail-twin", title=MAIL.title, text=MAIL.text)
    alike = Index.build([*ARTICLES, MAIL, twin], []).triage(MAIL_STORY)
    assert all(c.confidence == "low" for c in alike.candidates)
