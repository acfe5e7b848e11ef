import pytest

from tests.triage.engine.kbs import EDITOR_SIGNATURES, IPC, LINKAGE, PORT_SHARING, RECYCLING
from triage.engine import Index


@pytest.fixture(scope="module")
def index():
    return Index.build([IPC, LINKAGE, PORT_SHARING, RECYCLING], EDITOR_SIGNATURES)
