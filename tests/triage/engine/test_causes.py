"""Causes: which cause the evidence points to, and when the paste proves one."""


def test_cause_level_evidence_proves_its_cause(index):
    result = index.triage(
        "The TransportManager failed to listen on the supplied URI using the NetTcpPortSharing "
        "service: the URI is already registered with the service."
    )
    candidate = result.candidates[0]
    assert (candidate.article, candidate.confidence) == ("recycling", "high")
    assert candidate.proven_cause == "shared-endpoint"
    assert (
        candidate.cause_scores["shared-endpoint"] > candidate.cause_scores["overlapped-recycling"]
    )


def test_context_for_a_cause_raises_its_score_but_proves_nothing(index):
    result = index.triage(
        "Only one usage of each socket address (protocol/network address/port) is normally "
        "permitted, right after the application pool recycled"
    )
    candidate = result.candidates[0]
    assert candidate.cause_scores["overlapped-recycling"] > 0
    assert candidate.cause_scores["shared-endpoint"] == 0
    assert candidate.proven_cause is None
