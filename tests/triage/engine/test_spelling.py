"""Spelling: misspelt words and split forms read as the phrase words they stand for."""

from tests.triage.engine.kbs import (
    LINKAGE,
    RECYCLING,
)
from triage.engine import (
    ArticleSpec,
    Index,
)

IPC_PORT = ArticleSpec(
    slug="ipc-port",
    title="IPC port not found",
    products=("Content Studio",),
    error_texts=(
        "RemotingException: Failed to connect to an IPC Port: "
        "The system cannot find the file specified.",
    ),
)


def _phrase_evidence(result, value):
    return [
        e
        for c in result.candidates
        for e in c.evidence
        if e.signature == f"phrase:{value}" and e.weight > 0
    ]


def test_a_misspelt_word_still_finds_its_phrase_with_less_weight():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    phrase = "Failed to connect to an IPC Port"
    [right] = _phrase_evidence(index.triage(phrase), phrase)
    for typo in ("conect", "connnect", "conmect", "cnonect", "connec"):
        text = f"Failed to {typo} to an IPC Port"
        [wrong] = _phrase_evidence(index.triage(text), phrase)
        assert wrong.match == text, typo
        assert 0 < wrong.weight < right.weight, typo


def test_words_further_off_or_close_to_no_phrase_are_not_corrected():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    phrase = "Failed to connect to an IPC Port"
    for text in (
        "Failed to collect to an IPC Port",  # two letters off
        "Failed to contact the IPC Port",  # another word
    ):
        assert not _phrase_evidence(index.triage(text), phrase), text
    # Two corrections need a phrase of six words; one needs three.
    assert _phrase_evidence(index.triage("it is normaly permitted"), "is normally permitted")
    assert not _phrase_evidence(index.triage("it is normaly permited"), "is normally permitted")


def test_can_not_reads_as_cannot():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    text = "Failed to connect to an IPC Port: The system can not find the file specified"
    result = index.triage(text)
    assert [h.code.key for h in result.codes] == ["win32:2"]
    assert result.codes[0].spelling == "The system can not find the file specified"


def test_an_inflected_english_word_is_not_read_as_a_misspelling():
    index = Index.build([IPC_PORT, LINKAGE, RECYCLING], [])
    phrase = "Could not create the named pipe server object"
    assert _phrase_evidence(index.triage(phrase), phrase)
    # "served" is "serve" + "d", not a misspelt "server", however often a log says it.
    log = "\n".join(["Could not create the named pipe served object"] + ["request served"] * 50)
    assert not _phrase_evidence(index.triage(log), phrase)
