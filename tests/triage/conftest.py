import pytest
from django.core.management import call_command


@pytest.fixture
def bundled(db):
    """The four bundled articles, loaded the way `make run` loads them."""
    call_command("loadkb", verbosity=0)


LINKAGE_LINES = (
    "control(01ba) 1 00001:Operating system error {WIN32:231(All pipe\n"
    "  instances are busy.)} from NPServer::create\n"
    "control(01ba) 1 01054:Error {An unknown error condition has occurred}: "
    "Could not create the named pipe server object\n"
    "control(01ba) 3 00505:control is ending, last return code was "
    "{An unknown error condition has occurred}\n"
)
