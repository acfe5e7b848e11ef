"""The triage engine: from a pasted error to ranked, calibrated candidate articles.

Plain Python, no Django. `Index.build()` compiles the knowledge base once per revision;
`Index.triage()` then costs one pass over the paste plus the work on the hits it finds.
The stages, in the order they run, are listed in `pipeline`; every number is in
`tuning`; docs/triage.md describes them and the decision trace.
"""

from triage.engine.derive import derive_signatures
from triage.engine.pipeline import Index
from triage.engine.tuning import DEFAULT, MAX_PASTE, Tuning
from triage.engine.types import (
    CONTEXT_KINDS,
    KINDS,
    PRIMARY_KINDS,
    ArticleSpec,
    Candidate,
    CauseSpec,
    Decision,
    Evidence,
    Result,
    SignatureSpec,
)

__all__ = [
    "CONTEXT_KINDS",
    "DEFAULT",
    "KINDS",
    "MAX_PASTE",
    "PRIMARY_KINDS",
    "ArticleSpec",
    "Candidate",
    "CauseSpec",
    "Decision",
    "Evidence",
    "Index",
    "Result",
    "SignatureSpec",
    "Tuning",
    "derive_signatures",
]
