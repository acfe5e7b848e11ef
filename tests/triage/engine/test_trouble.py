"""Whether a sentence tells of trouble: the reading the description stage asks of a post."""

import pytest

from triage.engine.trouble import Sentences, is_trouble, supposes, tells_of_trouble
from triage.engine.tuning import DEFAULT
from triage.text import normalise

TROUBLE = DEFAULT.trouble


def told(sentence):
    return tells_of_trouble(sentence, 0, len(sentence), TROUBLE)


@pytest.mark.parametrize(
    "sentence",
    [
        "Lsmain.exe died this morning",
        "The LinkAge Controller is down again",
        "the service keeps timing out",
        "requests time out after a minute",
        "EPiServer stopped responding after the recycle",
        "the controller won't start",
        "we have a problem with the port sharing service",
        "an alert fired when Lsmain.exe crashed",  # told as past: a report
    ],
)
def test_trouble_told_is_read(sentence):
    assert told(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "the service has never crashed",
        "no problem since the update",
        "it runs without any errors",
        "an error-free night",
        "the problem is solved now",
        "we want an alert when Lsmain.exe dies",  # only supposed
        "notify us if the service hangs",
        "the deadline is issued weekly",  # words that only start like trouble
    ],
)
def test_trouble_denied_supposed_or_absent_is_not(sentence):
    assert not told(sentence)


def test_a_supposition_ends_with_its_clause():
    text = "we want an alert when it dies, because yesterday the controller crashed"
    assert told(text)
    asking = [text.index("alert")]
    assert supposes(text, asking, text.index("dies"), TROUBLE)
    assert not supposes(text, asking, text.index("crashed"), TROUBLE)


def test_a_word_that_asks_too_far_before_supposes_nothing():
    far = "alert " + "x" * TROUBLE.clause_reach + " when it dies"
    assert not supposes(far, [0], far.index("dies"), TROUBLE)


def test_sentences_are_read_in_the_pasted_text_where_a_line_break_ends_one():
    text = "Lsmain.exe is our controller\nthe service crashed overnight"
    norm = normalise(text)
    sentences = Sentences(norm, TROUBLE)
    name = norm.text.index("lsmain.exe")
    # Normalised, the two lines are one; read as pasted, the name's sentence is calm.
    assert not sentences.tell_of_trouble(name, name + len("lsmain.exe"))
    crashed = norm.text.index("crashed")
    assert sentences.tell_of_trouble(crashed, crashed + len("crashed"))


def test_a_context_word_that_is_itself_trouble_is_known():
    assert is_trouble("crashed")
    assert not is_trouble("Task Manager")
