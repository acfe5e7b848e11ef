import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from kb import content
from kb.models import (
    AppliesTo,
    Article,
    Cause,
    Product,
    Reference,
    Resolution,
    Sample,
    Signature,
    Symptom,
)

BUNDLED = sorted(settings.KB_CONTENT_DIR.glob("*.yaml"))
MODELS = [Article, Product, AppliesTo, Symptom, Cause, Resolution, Reference, Signature, Sample]


def _loadkb(*paths):
    out, err = StringIO(), StringIO()
    try:
        call_command("loadkb", *map(str, paths), stdout=out, stderr=err)
        failed = None
    except CommandError as exc:
        failed = exc
    return out.getvalue(), err.getvalue(), failed


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _snapshot():
    return {a.slug: content.article_data(a) for a in Article.objects.all()}


def test_loading_twice_changes_nothing(db):
    out, err, failed = _loadkb()
    assert failed is None, err
    assert "4 articles loaded: 4 created, 0 updated, 0 unchanged" in out
    counts, data = _counts(), _snapshot()
    assert counts["Article"] == 4

    out, err, failed = _loadkb()
    assert failed is None, err
    assert "4 articles loaded: 0 created, 0 updated, 4 unchanged" in out
    assert _counts() == counts
    assert _snapshot() == data


def test_a_changed_file_updates_its_article_and_drops_removed_parts(db, tmp_path):
    source = settings.KB_CONTENT_DIR / "wcf-port-sharing-leaked-socket.yaml"
    path = tmp_path / source.name
    shutil.copy(source, path)
    _loadkb(path)
    article = Article.objects.get(slug="wcf-port-sharing-leaked-socket")
    kept_cause_id = article.causes.get(key="cpu-saturated").pk

    data = content.parse(path)
    data["title"] = "A clearer title"
    data["causes"] = [c for c in data["causes"] if c["key"] != "slow-activation"]
    data["resolutions"] = [r for r in data["resolutions"] if r["cause"] != "slow-activation"]
    data["signatures"] = [s for s in data["signatures"] if s["cause"] != "slow-activation"]
    data["symptoms"] = data["symptoms"][:2]
    path.write_text(content.dump(data))

    out, err, failed = _loadkb(path)
    assert failed is None, err
    assert "0 created, 1 updated" in out
    article.refresh_from_db()
    assert article.title == "A clearer title"
    assert list(article.causes.values_list("key", flat=True)) == [
        "cpu-saturated",
        "throttled-long-operations",
    ]
    assert article.causes.get(key="cpu-saturated").pk == kept_cause_id
    assert article.symptoms.count() == 2
    assert not article.resolutions.filter(title__icontains="pre-compile").exists()
    assert not article.signatures.filter(value="certificate revocation").exists()
    assert "A clearer title" in article.search_document
    assert content.article_data(article) == data


def _bad_copy(tmp_path, name, edit):
    """A copy of a bundled article under another slug, spoiled by edit(text)."""
    text = (settings.KB_CONTENT_DIR / "episerver-overlapped-recycling.yaml").read_text()
    text = text.replace("slug: episerver-overlapped-recycling", f"slug: {name}", 1)
    text = edit(text)
    (tmp_path / f"{name}.yaml").write_text(text)
    return text


def _line_of(text, fragment):
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize(
    "name, edit, fragment, message",
    [
        (
            "syntax-error",
            lambda t: t.replace("status: published", "status: [published", 1),
            None,
            "YAML syntax error",
        ),
        (
            "unknown-key",
            lambda t: t.replace("review_by:", "reviewed_by:", 1),
            "reviewed_by:",
            "unknown key 'reviewed_by'",
        ),
        (
            "unknown-cause",
            lambda t: t.replace("cause: shared-endpoint", "cause: shared-endpoints", 1),
            "cause: shared-endpoints",
            "unknown cause 'shared-endpoints'",
        ),
        (
            "bad-status",
            lambda t: t.replace("status: published", "status: live", 1),
            "status: live",
            "status 'live' is not one of",
        ),
    ],
)
def test_a_malformed_file_is_reported_and_skipped_while_the_others_load(
    db, tmp_path, name, edit, fragment, message
):
    shutil.copy(settings.KB_CONTENT_DIR / "exchange-linkage-pipe-busy.yaml", tmp_path)
    text = _bad_copy(tmp_path, name, edit)

    out, err, failed = _loadkb(tmp_path)

    assert failed is not None
    path = tmp_path / f"{name}.yaml"
    if fragment:
        assert f"{path}:{_line_of(text, fragment)}: " in err
    else:
        assert f"{path}:" in err
    assert message in err
    assert "1 article loaded: 1 created" in out and "1 file failed" in out
    assert not Article.objects.filter(slug=name).exists()
    assert not Product.objects.filter(slug="episerver-cms").exists()
    assert Article.objects.filter(slug="exchange-linkage-pipe-busy").exists()


def test_a_syntax_error_points_at_its_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("slug: broken\ntitle: Fine\nsummary: |\n  ok\nstatus: 'unclosed\n")
    with pytest.raises(content.ContentError) as info:
        content.parse(path)
    assert info.value.line in (5, 6)
    assert str(info.value).startswith(f"{path}:{info.value.line}: YAML syntax error")


MINIMAL = """\
slug: minimal
title: A title
status: draft
type: problem
summary: |
  What goes wrong.
"""


@pytest.mark.parametrize(
    "text, line, message",
    [
        (MINIMAL.replace("slug: minimal", "slug: other"), 1, "does not match the file name"),
        (MINIMAL + "published: 2010-13-40\n", 7, "is not a date"),
        (MINIMAL.replace("title: A title\n", ""), 1, "article is missing title"),
        (MINIMAL + "title: Again\n", 7, "duplicate key 'title'"),
        (MINIMAL.replace("type: problem", "type: faq"), 4, "type 'faq' is not one of"),
        (MINIMAL + "keywords: [two words]\n", 7, "must be a single word"),
        (
            MINIMAL + "signatures:\n  - kind: phrase\n    value: x\n    weight: 7\n",
            10,
            "between 0 and 3",
        ),
        (
            MINIMAL + "signatures:\n  - kind: pattern\n    value: 'a(b'\n",
            8,
            "Not a valid RE2 pattern",
        ),
        (
            MINIMAL + "signatures:\n  - kind: pattern\n    value: '(pipe) \\1'\n",
            8,
            "backreferences",
        ),
        (
            MINIMAL + "causes:\n  - key: a\n    title: A\n    explanation: x\n"
            "  - key: a\n    title: B\n    explanation: y\n",
            11,
            "cause key 'a' is used twice",
        ),
        (
            MINIMAL + "resolutions:\n  - title: Do it\n    kind: cure\n    steps: x\n",
            9,
            "kind 'cure' is not one of",
        ),
        (MINIMAL + "references:\n  - title: A\n    url: javascript:alert(1)\n", 9, "URL"),
    ],
)
def test_parse_names_the_line_of_each_mistake(tmp_path, text, line, message):
    path = tmp_path / "minimal.yaml"
    path.write_text(text)
    with pytest.raises(content.ContentError) as info:
        content.parse(path)
    assert info.value.line == line, str(info.value)
    assert message in info.value.message


def test_missing_path_fails_but_the_others_load(db, tmp_path):
    out, err, failed = _loadkb(BUNDLED[0], tmp_path / "nowhere.yaml")
    assert failed is not None
    assert "nowhere.yaml:1: no such file or directory" in err
    assert "1 article loaded" in out


def test_slugs_as_long_as_the_admin_accepts_load(db, tmp_path):
    slug = "a" * 200
    path = tmp_path / f"{slug}.yaml"
    path.write_text(MINIMAL.replace("slug: minimal", f"slug: {slug}"))
    out, err, failed = _loadkb(path)
    assert failed is None, err
    assert Article.objects.filter(slug=slug).exists()

    longer = tmp_path / f"{'a' * 201}.yaml"
    longer.write_text(MINIMAL.replace("slug: minimal", f"slug: {'a' * 201}"))
    with pytest.raises(content.ContentError, match="longer than 200"):
        content.parse(longer)


def _with_product(tmp_path, slug, name):
    path = tmp_path / f"{slug}.yaml"
    path.write_text(
        MINIMAL.replace("slug: minimal", f"slug: {slug}")
        + f"applies_to:\n  - product: {{name: {name}, slug: iis}}\n"
    )
    return path


def test_a_product_spelt_differently_is_refused_and_renames_nothing(db, tmp_path):
    _loadkb(_with_product(tmp_path, "first", "Internet Information Services"))
    out, err, failed = _loadkb(_with_product(tmp_path, "second", "IIS"))
    assert failed is not None and failed.returncode == 1
    assert "second.yaml: warning: product 'iis' is spelt differently" in err
    assert "'Internet Information Services' here 'IIS'" in err
    assert "--rename-products" in err
    assert Product.objects.get(slug="iis").name == "Internet Information Services"
    # The refused file saved nothing, not even the article.
    assert not Article.objects.filter(slug="second").exists()


def test_rename_products_changes_the_product_on_purpose(db, tmp_path):
    _loadkb(_with_product(tmp_path, "first", "Internet Information Services"))
    out, err = StringIO(), StringIO()
    call_command(
        "loadkb",
        str(_with_product(tmp_path, "second", "IIS")),
        "--rename-products",
        stdout=out,
        stderr=err,
    )
    assert Product.objects.get(slug="iis").name == "IIS"
    assert Article.objects.get(slug="first").products.get().name == "IIS"
