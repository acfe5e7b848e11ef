"""What single words and short messages tell: edits, stems, English, details."""

import pytest

from triage.engine.build import continuation_tokens
from triage.engine.scoring import detail_differs
from triage.engine.tuning import DEFAULT
from triage.engine.words import (
    inflection_stems,
    one_edit_apart,
    phrase_specificity,
    reads_as_english,
    token_information,
    word_stem,
)


@pytest.mark.parametrize(
    "word, target",
    [
        ("conect", "connect"),
        ("connnect", "connect"),
        ("conmect", "connect"),
        ("cnonect", "connect"),
        ("addres", "address"),
    ],
)
def test_one_edit_apart(word, target):
    assert one_edit_apart(word, target)


@pytest.mark.parametrize(
    "word, target",
    [
        ("connect", "connect"),
        ("collect", "connect"),
        ("pipes", "pipe"),
        ("conecct", "connect"),
        ("cnnoect", "connect"),
    ],
)
def test_not_one_edit_apart(word, target):
    assert not one_edit_apart(word, target)


def test_stems_and_inflections():
    assert word_stem("dispatched", 4) == word_stem("dispatching", 4) == "dispatch"
    assert word_stem("duplicated", 4) == word_stem("duplicate", 4)
    assert word_stem("process", 4) == "process"  # "ss" is no plural
    assert "serve" in inflection_stems("served", 4)
    assert inflection_stems("pipe", 4) == []


def test_english_is_read_by_the_share_of_common_words():
    english = DEFAULT.english
    assert reads_as_english(
        "No connection could be made because the target machine actively refused it", english
    )
    assert not reads_as_english("Elk socketadres kan normaal slechts een keer", english)
    assert not reads_as_english("Access denied", english)  # too short to tell


def test_a_detail_differs_only_after_an_agreed_colon():
    tail = continuation_tokens(": the system cannot find the file specified")
    assert detail_differs(tail, continuation_tokens(": access is denied"))
    assert not detail_differs(tail, continuation_tokens(": the system cannot find the file"))
    assert not detail_differs(tail, continuation_tokens(" and then more"))
    assert not detail_differs(continuation_tokens(" busy"), continuation_tokens(" idle"))


def test_identifiers_tell_more_than_everyday_words():
    info = DEFAULT.information
    assert token_information("NPServer::create", info) == info.identifier
    assert token_information("SocketConnectionListener", info) == info.identifier
    assert token_information("System.Net.Sockets", info) == info.framework_name
    assert token_information("error", info) == info.vocabulary
    assert token_information("the", info) == info.stopword
    assert phrase_specificity("from NPServer::create", DEFAULT) > phrase_specificity(
        "could not open the file", DEFAULT
    )
