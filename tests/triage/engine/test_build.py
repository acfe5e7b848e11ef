"""Build: signature selection, specificity and how evidence counts across articles."""

from tests.triage.engine.kbs import (
    IPC,
    LINKAGE,
    RECYCLING,
    evidence_of,
)
from triage.engine import (
    Index,
    SignatureSpec,
    derive_signatures,
)


def test_shared_message_counts_less_than_a_distinctive_phrase(index):
    shared = index.triage("All pipe instances are busy.").candidates[0].score
    own = index.triage("from NPServer::create").candidates[0].score
    assert own > shared


def test_evidence_counts_less_when_more_articles_share_it():
    alone = Index.build([IPC, RECYCLING], []).triage("All pipe instances are busy.")
    shared = Index.build([IPC, LINKAGE, RECYCLING], []).triage("All pipe instances are busy.")

    def weight(result):
        return next(e.weight for e in evidence_of(result, "ipc") if e.kind == "code")

    assert weight(alone) > weight(shared)


def test_editor_exclusion_removes_a_derived_signature():
    derived = derive_signatures(LINKAGE)
    assert SignatureSpec("linkage", "phrase", "from NPServer::create") in derived
    index = Index.build(
        [LINKAGE], [SignatureSpec("linkage", "phrase", "From NPServer::create.", excluded=True)]
    )
    result = index.triage("trace: from NPServer::create")
    assert not [
        e for c in result.candidates for e in c.evidence if "npserver" in e.signature.lower()
    ]


def test_editor_weight_overrides_the_derived_signature():
    plain = Index.build([LINKAGE], []).triage("from NPServer::create")
    heavier = Index.build(
        [LINKAGE], [SignatureSpec("linkage", "phrase", "from NPServer::create", 3)]
    )
    assert heavier.triage("from NPServer::create").candidates[0].score > plain.candidates[0].score
