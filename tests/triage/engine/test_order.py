"""Leaders the evidence cannot tell apart, ordered by the articles' words."""

from triage.engine import ArticleSpec, Index

from .kbs import top

HANDSHAKE = (
    "A connection was successfully established with the server, but then an error occurred"
    " during the pre-login handshake."
)
CERTIFICATE = ArticleSpec(
    slug="certificate",
    title="The server's certificate chain is not trusted",
    error_texts=(HANDSHAKE,),
    text=(
        "The client does not trust the certificate the server presents. Import the issuing"
        " authority's root certificate into the client's trusted store."
    ),
)
PROTOCOLS = ArticleSpec(
    slug="protocols",
    title="Client and server share no TLS protocol version",
    error_texts=(HANDSHAKE,),
    text=(
        "After hardening, the client offers only TLS 1.2 while an old server speaks TLS 1.0."
        " Enable a protocol version both sides speak, or patch the server."
    ),
)


def kb():
    return Index.build([CERTIFICATE, PROTOCOLS], [])


def test_the_articles_words_put_first_the_leader_they_tell_of():
    told = kb().triage(f"{HANDSHAKE}\nSince we disabled TLS 1.0 on the clients, it fails.")
    assert top(told) == [("protocols", "medium"), ("certificate", "medium")]
    assert told.candidates[0].decided("words-order")
    # The evidence alone could not tell them apart, and the scores say so still.
    assert told.candidates[0].score == told.candidates[1].score
    other = kb().triage(f"{HANDSHAKE}\nThe root certificate is not in the trusted store.")
    assert top(other)[0] == ("certificate", "medium")


def test_without_a_clear_lead_in_words_the_evidence_keeps_its_order():
    alone = kb().triage(HANDSHAKE)
    assert [c.article for c in alone.candidates] == ["certificate", "protocols"]
    assert not any(c.decided("words-order") for c in alone.candidates)
