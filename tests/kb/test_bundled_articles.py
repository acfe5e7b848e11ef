"""The articles shipped in content/articles/ load complete and keep the facts exact."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from kb import content
from kb.models import Article, Product

SLUGS = {
    "content-studio-ipc-pipe-busy": 1,
    "exchange-linkage-pipe-busy": 2,
    "wcf-port-sharing-leaked-socket": 3,
    "episerver-overlapped-recycling": 2,
}


@pytest.fixture
def loaded(db):
    call_command("loadkb", stdout=StringIO(), stderr=StringIO())
    return {a.slug: a for a in Article.objects.all()}


def test_every_bundled_file_is_one_published_article(loaded):
    files = {p.stem for p in settings.KB_CONTENT_DIR.glob("*.yaml")}
    assert files == set(SLUGS)
    assert set(loaded) == set(SLUGS)
    for article in loaded.values():
        assert article.status == Article.Status.PUBLISHED
        assert article.review_by.isoformat() == "2027-11-01"
        assert article.summary and article.keywords
        assert article.symptoms.exclude(error_text="").exists()
        assert article.resolutions.exists()
        assert article.samples.filter(should_match=True).count() >= 2
        assert article.samples.filter(should_match=False).count() >= 2
        assert article.search_document


@pytest.mark.parametrize("slug, causes", SLUGS.items())
def test_causes_and_resolutions_come_in_file_order(loaded, slug, causes):
    article = loaded[slug]
    data = content.parse(settings.KB_CONTENT_DIR / f"{slug}.yaml")
    assert article.causes.count() == causes
    assert list(article.causes.values_list("key", flat=True)) == [c["key"] for c in data["causes"]]
    assert [s.error_text for s in article.symptoms.all()] == [
        s["error_text"] for s in data["symptoms"]
    ]
    assert [(r.title, r.cause.key if r.cause else None) for r in article.resolutions.all()] == [
        (r["title"], r["cause"]) for r in data["resolutions"]
    ]
    for cause in article.causes.all():
        assert cause.how_to_tell.endswith("?")
        assert cause.resolutions.exists(), f"{slug}: no resolution for {cause.key}"


@pytest.mark.parametrize(
    "slug, facts",
    [
        (
            "content-studio-ipc-pipe-busy",
            [
                "RemotingException: Port is Busy: All pipe instances are busy.",
                "RemotingException: Failed to connect to an IPC Port: "
                "The system cannot find the file specified.",
                "5.2 Beta 3",
                "Switch the communication channel to TCP",
                "231",
                "System Error Codes (0-499)",
            ],
        ),
        (
            "exchange-linkage-pipe-busy",
            [
                "Q168577",
                "control(01ba) 1 00001:Operating system error {WIN32:231(All pipe instances "
                "are busy.)} from NPServer::create\n",
                "Could not create the named pipe server object",
                "control is ending, last return code was {An unknown error condition has occurred}",
                "Lsmain.exe",
                "kbtshoot kbusage exc4 exc5 exc55",
                "Restart the LinkAge Controller service",
            ],
        ),
        (
            "wcf-port-sharing-leaked-socket",
            [
                "Source:        SMSvcHost 3.0.0.0\n",
                "Event ID:      8\n",
                "Task Category: Sharing Service\n",
                "Description:  An error occurred while dispatching a duplicated socket: "
                "this handle is now leaked in the process.",
                "within the configured timeout (00:01:00).  The time allotted",
                "The pipe has been ended. (109, 0x6d).\n--->System.IO.PipeException",
                "MaxConcurrentCalls",
                "ServiceThrottlingBehavior",
                "15 seconds",
                "perfmon",
                "System.IO.PipeException",
            ],
        ),
        (
            "episerver-overlapped-recycling",
            [
                "System.Net.Sockets.SocketException: Only one usage of each socket address "
                "(protocol/network address/port) is normally permitted",
                "The TransportManager failed to listen on the supplied URI using the "
                "NetTcpPortSharing service: the URI is already registered with the service",
                "DisallowOverlappingRotation",
                "Disable Overlapped Recycling",
                "1740 minutes",
                'portSharingEnabled="true"',
                "Thread.Sleep(50000)",
            ],
        ),
    ],
)
def test_key_facts_are_kept_exactly(loaded, slug, facts):
    article = loaded[slug]
    text = (
        article.build_search_document()
        + "\n"
        + "\n".join(article.references.values_list("title", flat=True))
    )
    for fact in facts:
        assert fact in text, fact


def test_facts_sit_in_the_right_fields(loaded):
    exchange = loaded["exchange-linkage-pipe-busy"]
    assert exchange.source_ref == "Q168577"
    assert exchange.article_type == Article.Type.PROBLEM
    assert exchange.updated_on.isoformat() == "1999-12-19"
    assert exchange.applies_to.get().versions == "4.0, 5.0, 5.5"
    assert exchange.symptoms.get().logged_in == "LinkAge Administrator Log Browser"

    studio = loaded["content-studio-ipc-pipe-busy"]
    assert studio.article_type == Article.Type.INFORMATION
    assert (studio.published_on.isoformat(), studio.updated_on.isoformat()) == (
        "2008-11-28",
        "2009-03-30",
    )
    assert studio.applies_to.get().version_list == ["5.0", "5.1", "5.2 Beta 3"]
    assert studio.products.get().vendor == "Teknikhuset"

    wcf = loaded["wcf-port-sharing-leaked-socket"]
    assert [s.logged_in for s in wcf.symptoms.exclude(error_text="")] == [
        "Windows System event log",
        "WCF trace of the service",
    ]
    episerver = loaded["episerver-overlapped-recycling"]
    assert episerver.published_on.isoformat() == "2010-09-19"
    assert "http://world.episerver.com/FAQ/Items/Multicast-UDP-not-working/" in set(
        episerver.references.values_list("url", flat=True)
    )
    recycling = episerver.resolutions.get(title="Disable overlapped recycling")
    assert recycling.kind == "workaround" and recycling.cause.key == "overlapped-recycling"


@pytest.mark.parametrize(
    "slug, kind, value, weight, cause",
    [
        ("content-studio-ipc-pipe-busy", "product", "Content Studio", 2, None),
        ("content-studio-ipc-pipe-busy", "exception", "RemotingException", 1, None),
        ("content-studio-ipc-pipe-busy", "code", "231", 0.5, None),
        ("exchange-linkage-pipe-busy", "phrase", "NPServer::create", 3, None),
        ("exchange-linkage-pipe-busy", "process", "Lsmain.exe", 2, None),
        ("wcf-port-sharing-leaked-socket", "event", "SMSvcHost:8", 3, None),
        ("wcf-port-sharing-leaked-socket", "code", "109", 0.5, None),
        (
            "wcf-port-sharing-leaked-socket",
            "context",
            "MaxConcurrentCalls",
            2,
            "throttled-long-operations",
        ),
        ("wcf-port-sharing-leaked-socket", "context", "perfmon", 1, "cpu-saturated"),
        (
            "wcf-port-sharing-leaked-socket",
            "context",
            "certificate revocation",
            2,
            "slow-activation",
        ),
        (
            "episerver-overlapped-recycling",
            "phrase",
            "Only one usage of each socket address",
            0.3,
            None,
        ),
        ("episerver-overlapped-recycling", "code", "10048", 0.3, None),
        (
            "episerver-overlapped-recycling",
            "phrase",
            "the URI is already registered with the service",
            3,
            "shared-endpoint",
        ),
    ],
)
def test_signatures_carry_their_weight_and_cause(loaded, slug, kind, value, weight, cause):
    signature = loaded[slug].signatures.get(kind=kind, value=value)
    assert signature.weight == weight
    assert (signature.cause.key if signature.cause else None) == cause
    assert not signature.excluded


def test_a_product_is_described_the_same_way_everywhere(db):
    seen = {}
    for path in sorted(settings.KB_CONTENT_DIR.glob("*.yaml")):
        for entry in content.parse(path)["applies_to"]:
            product = entry["product"]
            assert seen.setdefault(product["slug"], product) == product, path.name
    call_command("loadkb", stdout=StringIO())
    assert Product.objects.count() == len(seen)
