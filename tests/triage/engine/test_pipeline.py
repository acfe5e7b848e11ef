"""The whole pipeline: what holds for every paste."""

from tests.triage.engine.kbs import (
    EDITOR_SIGNATURES,
    IPC,
    LINKAGE,
    PORT_SHARING,
    RECYCLING,
)
from triage.engine import (
    Index,
)


def test_unrelated_paste_abstains(index):
    for text in (
        "",
        "   ",
        "my printer is out of paper",
        "The system cannot find the file specified.",
    ):
        result = index.triage(text)
        assert result.abstained, text
        assert all(c.confidence == "low" for c in result.candidates)


def test_same_input_same_answer(index):
    text = "Port is Busy: All pipe instances are busy. w3wp.exe 0x800700E7 SMSvcHost event 8"
    assert index.triage(text) == index.triage(text)
    rebuilt = Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], EDITOR_SIGNATURES)
    assert rebuilt.triage(text) == index.triage(text)
