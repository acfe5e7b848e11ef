from io import StringIO

from django.conf import settings
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kb import content
from kb.models import Article, Product, Sample
from tests.factory import make_article, make_product

BUNDLED = sorted(settings.KB_CONTENT_DIR.glob("*.yaml"))


def _dump(path):
    call_command("dumpkb", str(path), stdout=StringIO())
    return {p.name: p.read_bytes() for p in sorted(path.glob("*.yaml"))}


def _load(path):
    call_command("loadkb", str(path), stdout=StringIO(), stderr=StringIO())


def test_dumping_the_freshly_loaded_bundled_files_reproduces_them(db, tmp_path):
    _load(settings.KB_CONTENT_DIR)
    dumped = _dump(tmp_path)
    assert dumped == {p.name: p.read_bytes() for p in BUNDLED}


def _awkward_article():
    """An article whose text exercises the corners of the YAML format."""
    product = make_product("Thing: the sequel", vendor="", slug="thing")
    article = make_article(
        slug="awkward",
        title="yes",
        status=Article.Status.RETIRED,
        summary="Ends without a newline\nsecond line",
        keywords="0x6d 231 true null",
        more_info="Two trailing newlines\n\n",
        products=[(product, "1.0, 2")],
        symptoms=[
            {"description": "  leading spaces\nand more", "error_text": "'quoted' # not a comment"},
            {"description": "tab\there", "error_text": "trailing space \nline", "logged_in": ""},
            {"description": "Ünïcødé – “quotes” ’", "error_text": "- looks like a list"},
        ],
        causes=[{"key": "only", "title": "@at: sign", "explanation": "x\n"}],
        resolutions=[{"title": "Fix", "kind": "fix", "steps": "1. a\n2. b\n", "cause": 0}],
        signatures=[
            {"kind": "pattern", "value": r"WIN32:\d+\(", "weight": 2.5},
            {"kind": "code", "value": "2", "weight": 0.3, "excluded": True},
        ],
    )
    Sample.objects.create(article=article, text="no match\n", should_match=False, note="why")
    Sample.objects.create(article=article, text="a match", should_match=True)
    return article


def test_dump_load_dump_is_byte_identical(db, tmp_path):
    _load(settings.KB_CONTENT_DIR)
    _awkward_article()
    first = _dump(tmp_path / "first")
    assert "awkward.yaml" in first  # retired articles are dumped too

    Article.objects.all().delete()
    Product.objects.all().delete()
    _load(tmp_path / "first")
    second = _dump(tmp_path / "second")

    assert second == first
    awkward = content.article_data(Article.objects.get(slug="awkward"))
    assert awkward["summary"] == "Ends without a newline\nsecond line"
    assert awkward["more_info"] == "Two trailing newlines\n\n"
    assert awkward["keywords"] == ["0x6d", "231", "true", "null"]
    assert awkward["signatures"][1] == {
        "kind": "code",
        "value": "2",
        "weight": 0.3,
        "cause": None,
        "excluded": True,
    }
    assert awkward["samples"]["no_match"] == [{"text": "no match\n", "note": "why"}]


# Any text at all, control characters and odd line breaks included (CRLF aside).
_text = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from("\n\t "),
    max_size=40,
).filter(lambda t: "\r\n" not in t)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=_text.filter(str.strip), more_info=_text, error_text=_text)
def test_any_text_survives_dump_and_parse(summary, more_info, error_text):
    data = content.parse_text(
        "slug: s\ntitle: T\nstatus: draft\ntype: problem\nsummary: x\n"
        "symptoms:\n  - description: d\n"
    )
    data["summary"] = summary
    data["more_info"] = more_info
    data["symptoms"][0]["error_text"] = error_text
    text = content.dump(data)
    assert content.parse_text(text) == data
    assert content.dump(content.parse_text(text)) == text


def test_browser_line_ends_are_written_as_plain_newlines():
    data = content.parse_text("slug: s\ntitle: T\nstatus: draft\ntype: problem\nsummary: x\n")
    data["summary"] = "First line\r\nsecond line\r\n"
    text = content.dump(data)
    assert "summary: |\n  First line\n  second line\n" in text
    assert content.parse_text(text)["summary"] == "First line\nsecond line\n"
