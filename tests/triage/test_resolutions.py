"""The wizard ends at one thing to do: which resolution comes first, and why."""

import pytest

from tests.triage.conftest import LINKAGE_LINES
from triage import service


def _titles(text, slug, cause=None):
    report = service.triage(text, record=False)
    return [r.title for r in report.resolutions_for(slug, cause)]


@pytest.mark.parametrize(
    ("slug", "text", "cause", "first"),
    [
        (
            "exchange-linkage-pipe-busy",
            LINKAGE_LINES,
            "controller-tasks-left-running",
            "Restart the LinkAge Controller service after ending the leftover LinkAge processes",
        ),
        (
            "exchange-linkage-pipe-busy",
            LINKAGE_LINES,
            "controller-already-running",
            "Check whether the controller is already running",
        ),
        (
            "content-studio-ipc-pipe-busy",
            "RemotingException: Port is Busy: All pipe instances are busy.",
            "impersonated-ipc-clients",
            "Switch the communication channel to TCP",
        ),
        (
            "episerver-overlapped-recycling",
            "EPiServer remote events: Only one usage of each socket address "
            "(protocol/network address/port) is normally permitted after the app pool recycled",
            "overlapped-recycling",
            "Disable overlapped recycling",
        ),
        (
            "episerver-overlapped-recycling",
            "The TransportManager failed to listen on the supplied URI using the "
            "NetTcpPortSharing service: the URI is already registered with the service.",
            "shared-endpoint",
            "Give each website its own endpoint",
        ),
    ],
)
def test_the_cause_leads_to_its_workaround(bundled, slug, text, cause, first):
    assert _titles(text, slug, cause)[0] == first


def test_restarting_the_computer_is_the_alternative_not_the_answer(bundled):
    titles = _titles(LINKAGE_LINES, "exchange-linkage-pipe-busy", "controller-tasks-left-running")
    assert titles[1] == "Restart the computer"
    # Nothing to restart when the controller is simply running already.
    already = _titles(LINKAGE_LINES, "exchange-linkage-pipe-busy", "controller-already-running")
    assert "Restart the computer" not in already


def test_without_a_cause_the_article_wide_action_comes_first(bundled):
    text = "SMSvcHost Event ID 8: dispatching a duplicated socket, handle is now leaked"
    titles = _titles(text, "wcf-port-sharing-leaked-socket")
    assert titles[0] == "Install the fix for the port sharing hand-off"
    assert titles[-1].startswith(("Log CPU", "Turn on", "Capture"))


def test_diagnostics_come_after_things_to_do(bundled):
    report = service.triage("SMSvcHost event 8 dispatching a duplicated socket", record=False)
    kinds = [r.kind for r in report.resolutions_for("wcf-port-sharing-leaked-socket", None)]
    assert kinds == sorted(kinds, key=lambda k: k == "diagnostic")


def test_the_known_causes_own_diagnostic_comes_before_an_article_wide_fix(bundled):
    text = "SMSvcHost Event ID 8: dispatching a duplicated socket, handle is now leaked"
    titles = _titles(text, "wcf-port-sharing-leaked-socket", "throttled-long-operations")
    assert titles[0] == "Turn on warning-level WCF tracing to catch throttle hits"
    assert "Install the fix for the port sharing hand-off" in titles[1:]


def test_resolutions_of_causes_ruled_out_are_not_offered(bundled):
    report = service.triage("SMSvcHost event 8 dispatching a duplicated socket", record=False)
    ruled_out = ("cpu-saturated", "throttled-long-operations", "slow-activation")
    titles = [
        r.title for r in report.resolutions_for("wcf-port-sharing-leaked-socket", None, ruled_out)
    ]
    assert titles == [
        "Install the fix for the port sharing hand-off",
        "Capture a memory dump on the first-chance PipeException",
    ]
