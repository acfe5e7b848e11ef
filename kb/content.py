"""Articles as reviewable YAML files: parse, save and serialize.

Each bundled article is one file in content/articles/. parse() checks a file
completely before anything touches the database and points at the offending
line; save_article() writes it in one transaction; serialize() writes an
article back in the same format, so that dumping what was loaded reproduces
the file byte for byte and edits made in the admin diff cleanly.

The data structure passed between them is a plain dict with every field
present (defaults filled in), in the order the file lists them.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

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
from kb.signatures import pattern_problems

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"


class ContentError(Exception):
    """A problem in an article file, with where it is."""

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


# -- The format ---------------------------------------------------------------
#
# A field converts one YAML node into a Python value. Required fields must be
# present and non-empty; optional ones take their default and are left out of
# the file when they hold it.


@dataclass
class Field:
    convert: Callable
    required: bool = False
    default: Callable[[], Any] = field(default=lambda: "")


def _text(max_length=None, multiline=True):
    def convert(reader, node, name):
        if not isinstance(node, yaml.ScalarNode):
            reader.fail(node, f"{name} must be text")
        if node.tag == _NULL_TAG:
            return ""
        value = node.value
        if max_length and len(value) > max_length:
            reader.fail(node, f"{name} is longer than {max_length} characters")
        if not multiline and "\n" in value:
            reader.fail(node, f"{name} must be a single line")
        return value

    return convert


def _slug(max_length):
    """A slug of at most max_length characters: the model field's own limit."""

    def convert(reader, node, name):
        value = _text(max_length)(reader, node, name)
        if value and not _SLUG_RE.match(value):
            reader.fail(node, f"{name} {value!r} may only hold letters, digits, '-' and '_'")
        return value

    return convert


def _choice(choices):
    def convert(reader, node, name):
        value = _text()(reader, node, name)
        if value not in choices:
            reader.fail(node, f"{name} {value!r} is not one of: {', '.join(choices)}")
        return value

    return convert


def _date(reader, node, name):
    value = _text()(reader, node, name)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        reader.fail(node, f"{name} {value!r} is not a date (YYYY-MM-DD)")


def _weight(reader, node, name):
    value = _text()(reader, node, name)
    try:
        weight = float(value)
    except ValueError:
        reader.fail(node, f"{name} {value!r} is not a number")
    if not 0 <= weight <= 3:
        reader.fail(node, f"{name} {value} must be between 0 and 3")
    return weight


def _bool(reader, node, name):
    if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL_TAG:
        reader.fail(node, f"{name} must be true or false")
    return node.value.lower() in ("true", "yes", "on")


def _url(reader, node, name):
    value = _text(500, multiline=False)(reader, node, name)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            reader.fail(node, f"{name} {value!r} is not an http(s) URL")
    return value


def _cause_ref(reader, node, name):
    value = _text()(reader, node, name)
    if value:
        reader.cause_refs.append((value, node))
    return value or None


def _keywords(reader, node, name):
    words = _list(_text(multiline=False))(reader, node, name)
    for word, item in zip(words, node.value, strict=True):
        if not word or len(word.split()) != 1:
            reader.fail(item, f"keyword {word!r} must be a single word")
    if len(" ".join(words)) > 500:
        reader.fail(node, "keywords are longer than 500 characters in all")
    return words


def _list(convert):
    def convert_list(reader, node, name):
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            reader.fail(node, f"{name} must be a list")
        return [convert(reader, item, name) for item in node.value]

    return convert_list


def _mapping(fields, what):
    def convert(reader, node, name):
        return reader.mapping(node, fields, what)

    return convert


def _sample(reader, node, name):
    if isinstance(node, yaml.ScalarNode):
        text = _text()(reader, node, name)
        if not text:
            reader.fail(node, "a sample must not be empty")
        return {"text": text, "note": ""}
    return reader.mapping(node, SAMPLE_FIELDS, "sample")


PRODUCT_FIELDS = {
    "name": Field(_text(200, multiline=False), required=True),
    "vendor": Field(_text(200, multiline=False)),
    "slug": Field(_slug(Product._meta.get_field("slug").max_length), required=True),
}
APPLIES_TO_FIELDS = {
    "product": Field(_mapping(PRODUCT_FIELDS, "product"), required=True, default=dict),
    "versions": Field(_text(300, multiline=False)),
}
SYMPTOM_FIELDS = {
    "description": Field(_text(), required=True),
    "error_text": Field(_text()),
    "logged_in": Field(_text(200, multiline=False)),
}
CAUSE_FIELDS = {
    "key": Field(_slug(Cause._meta.get_field("key").max_length), required=True),
    "title": Field(_text(300, multiline=False), required=True),
    "explanation": Field(_text(), required=True),
    "how_to_tell": Field(_text(500, multiline=False)),
}
RESOLUTION_FIELDS = {
    "title": Field(_text(300, multiline=False), required=True),
    "kind": Field(_choice(Resolution.Kind.values), required=True),
    "cause": Field(_cause_ref, default=lambda: None),
    "steps": Field(_text(), required=True),
    "caveats": Field(_text()),
}
REFERENCE_FIELDS = {
    "title": Field(_text(300, multiline=False), required=True),
    "url": Field(_url),
}
SIGNATURE_FIELDS = {
    "kind": Field(_choice(Signature.Kind.values), required=True),
    "value": Field(_text(500), required=True),
    "weight": Field(_weight, default=lambda: 1.0),
    "cause": Field(_cause_ref, default=lambda: None),
    "excluded": Field(_bool, default=lambda: False),
}
SAMPLE_FIELDS = {
    "text": Field(_text(), required=True),
    "note": Field(_text(300, multiline=False)),
}
SAMPLES_FIELDS = {
    "match": Field(_list(_sample), default=list),
    "no_match": Field(_list(_sample), default=list),
}
ARTICLE_FIELDS = {
    "slug": Field(_slug(Article._meta.get_field("slug").max_length), required=True),
    "title": Field(_text(300, multiline=False), required=True),
    "status": Field(_choice(Article.Status.values), required=True),
    "type": Field(_choice(Article.Type.values), required=True),
    "source_ref": Field(_text(100, multiline=False)),
    "published": Field(_date, default=lambda: None),
    "updated": Field(_date, default=lambda: None),
    "review_by": Field(_date, default=lambda: None),
    "keywords": Field(_keywords, default=list),
    "summary": Field(_text(), required=True),
    "applies_to": Field(_list(_mapping(APPLIES_TO_FIELDS, "applies_to entry")), default=list),
    "symptoms": Field(_list(_mapping(SYMPTOM_FIELDS, "symptom")), default=list),
    "causes": Field(_list(_mapping(CAUSE_FIELDS, "cause")), default=list),
    "resolutions": Field(_list(_mapping(RESOLUTION_FIELDS, "resolution")), default=list),
    "more_info": Field(_text()),
    "references": Field(_list(_mapping(REFERENCE_FIELDS, "reference")), default=list),
    "signatures": Field(_list(_mapping(SIGNATURE_FIELDS, "signature")), default=list),
    "samples": Field(
        _mapping(SAMPLES_FIELDS, "samples"),
        default=lambda: {"match": [], "no_match": []},
    ),
}


# -- Parsing ------------------------------------------------------------------


class _Reader:
    """Walks the composed node tree, so every error can name its line."""

    def __init__(self, path):
        self.path = path
        self.cause_refs = []

    def fail(self, node, message):
        raise ContentError(self.path, node.start_mark.line + 1, message)

    def mapping(self, node, fields, what):
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping of keys to values")
        found = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in fields:
                self.fail(
                    key_node,
                    f"unknown key {key!r} in {what}; expected one of: {', '.join(fields)}",
                )
            if key in found:
                self.fail(key_node, f"duplicate key {key!r} in {what}")
            found[key] = value_node
        missing = [key for key, spec in fields.items() if spec.required and key not in found]
        if missing:
            self.fail(node, f"{what} is missing {', '.join(missing)}")
        data = {}
        for key, spec in fields.items():
            if key in found:
                data[key] = spec.convert(self, found[key], key)
                if spec.required and data[key] in ("", None, [], {}):
                    self.fail(found[key], f"{key} in {what} must not be empty")
            else:
                data[key] = spec.default()
        return data


def parse(path):
    """Read and check one article file; return its data or raise ContentError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, 1, f"cannot read the file: {exc}") from exc
    return parse_text(text, path)


def parse_text(text, path="<text>"):
    reader = _Reader(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ContentError(path, line, f"YAML syntax error: {problem}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(path, 1, f"YAML error: {exc}") from exc
    if root is None:
        raise ContentError(path, 1, "the file is empty")
    data = reader.mapping(root, ARTICLE_FIELDS, "article")
    _check(reader, root, data)
    return data


def _node_for(root, key):
    for key_node, value_node in root.value:
        if key_node.value == key:
            return value_node
    return root


def _items(root, key):
    """The item nodes of a top-level list, or [] when it is absent or empty."""
    node = _node_for(root, key)
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _check(reader, root, data):
    """Rules that span fields: names that must match or be unique."""
    stem = Path(reader.path).stem
    if Path(reader.path).suffix in (".yaml", ".yml") and data["slug"] != stem:
        reader.fail(
            _node_for(root, "slug"),
            f"slug {data['slug']!r} does not match the file name {stem!r}",
        )
    keys = [cause["key"] for cause in data["causes"]]
    seen = set()
    for key, node in zip(keys, _items(root, "causes"), strict=True):
        if key in seen:
            reader.fail(node, f"cause key {key!r} is used twice")
        seen.add(key)
    for key, node in reader.cause_refs:
        if key not in seen:
            known = ", ".join(keys) or "none"
            reader.fail(node, f"unknown cause {key!r}; the causes are: {known}")
    products = [entry["product"]["slug"] for entry in data["applies_to"]]
    for slug, node in zip(products, _items(root, "applies_to"), strict=True):
        if products.count(slug) > 1:
            reader.fail(node, f"product {slug!r} is listed twice")
    for signature, node in zip(data["signatures"], _items(root, "signatures"), strict=True):
        if signature["kind"] == Signature.Kind.PATTERN:
            # The same check as the admin form: whatever matches patterns decides.
            for problem in pattern_problems(signature["value"]):
                reader.fail(node, f"pattern {signature['value']!r}: {problem}")


# -- Saving -------------------------------------------------------------------


class ProductMismatch(ValueError):
    """A file spells a product differently from the database; saving it would rename the
    product for every article that applies to it."""


def _product(fields, rename_products=False):
    product = (
        Product.objects.filter(slug=fields["slug"]).first()
        or Product.objects.filter(name=fields["name"]).first()
    )
    if product is None:
        return Product.objects.create(**fields)
    changed = {
        name: (getattr(product, name), value)
        for name, value in fields.items()
        if getattr(product, name) != value
    }
    if changed and not rename_products:
        differences = "; ".join(
            f"{name} {old!r} here {new!r}" for name, (old, new) in changed.items()
        )
        raise ProductMismatch(
            f"product {product.slug!r} is spelt differently from the database ({differences}); "
            "saving would change it for every article. Fix the file, or load with "
            "--rename-products to change it on purpose."
        )
    if changed:
        for name, value in fields.items():
            setattr(product, name, value)
        product.save()
    return product


def _sync(rows, items, create):
    """Reuse existing rows in order, add what is missing, delete what is left.

    Reusing rows keeps their ids stable for anything that points at them.
    """
    rows = list(rows)
    for i, fields in enumerate(items):
        if i < len(rows):
            row = rows[i]
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        else:
            create(**fields)
    for row in rows[len(items) :]:
        row.delete()


@transaction.atomic
def save_article(data, user=None, rename_products=False):
    """Write one article and all its parts; return (article, CREATED|UPDATED|UNCHANGED).

    Saving the same data twice leaves the database as it was: parts are
    replaced, never added to. Causes are matched by key so their ids survive.
    A product spelt differently from the database raises ProductMismatch and
    saves nothing, unless rename_products says to change the product.
    """
    article = Article.objects.filter(slug=data["slug"]).first()
    if article is not None and article_data(article) == data:
        return article, UNCHANGED
    outcome = CREATED if article is None else UPDATED
    article = article or Article(slug=data["slug"])
    article.title = data["title"]
    article.status = data["status"]
    article.article_type = data["type"]
    article.source_ref = data["source_ref"]
    article.published_on = data["published"]
    article.updated_on = data["updated"]
    article.review_by = data["review_by"]
    article.keywords = " ".join(data["keywords"])
    article.summary = data["summary"]
    article.more_info = data["more_info"]
    article.modified_by = user
    article.save()

    article.applies_to.all().delete()
    for order, entry in enumerate(data["applies_to"]):
        AppliesTo.objects.create(
            article=article,
            product=_product(entry["product"], rename_products),
            versions=entry["versions"],
            order=order,
        )

    old_causes = {cause.key: cause for cause in article.causes.all()}
    causes = {}
    for order, fields in enumerate(data["causes"]):
        cause = old_causes.pop(fields["key"], None) or Cause(article=article)
        for name, value in fields.items():
            setattr(cause, name, value)
        cause.order = order
        cause.save()
        causes[cause.key] = cause
    for cause in old_causes.values():
        cause.delete()

    _sync(
        article.symptoms.order_by("order", "id"),
        [dict(fields, order=order) for order, fields in enumerate(data["symptoms"])],
        lambda **fields: Symptom.objects.create(article=article, **fields),
    )
    _sync(
        article.resolutions.order_by("order", "id"),
        [
            dict(fields, cause=causes.get(fields["cause"]), order=order)
            for order, fields in enumerate(data["resolutions"])
        ],
        lambda **fields: Resolution.objects.create(article=article, **fields),
    )
    _sync(
        article.references.order_by("order", "id"),
        [dict(fields, order=order) for order, fields in enumerate(data["references"])],
        lambda **fields: Reference.objects.create(article=article, **fields),
    )
    # Signatures and samples have no order field; their ids keep the file's order.
    _sync(
        article.signatures.order_by("id"),
        [dict(fields, cause=causes.get(fields["cause"])) for fields in data["signatures"]],
        lambda **fields: Signature.objects.create(article=article, **fields),
    )
    samples = [dict(s, should_match=True) for s in data["samples"]["match"]]
    samples += [dict(s, should_match=False) for s in data["samples"]["no_match"]]
    _sync(
        article.samples.order_by("-should_match", "id"),
        samples,
        lambda **fields: Sample.objects.create(article=article, **fields),
    )
    article.refresh_search()
    return article, outcome


# -- Serializing --------------------------------------------------------------


def _pick(obj, fields):
    return {name: getattr(obj, name) for name in fields}


def article_data(article):
    """The article and its parts as the data structure parse() returns."""
    causes = list(article.causes.order_by("order", "id"))
    key_of = {cause.pk: cause.key for cause in causes}
    samples = list(article.samples.order_by("id"))
    return {
        "slug": article.slug,
        "title": article.title,
        "status": article.status,
        "type": article.article_type,
        "source_ref": article.source_ref,
        "published": article.published_on,
        "updated": article.updated_on,
        "review_by": article.review_by,
        "keywords": article.keywords.split(),
        "summary": article.summary,
        "applies_to": [
            {
                "product": _pick(entry.product, PRODUCT_FIELDS),
                "versions": entry.versions,
            }
            for entry in article.applies_to.select_related("product").order_by("order", "id")
        ],
        "symptoms": [_pick(s, SYMPTOM_FIELDS) for s in article.symptoms.order_by("order", "id")],
        "causes": [_pick(c, CAUSE_FIELDS) for c in causes],
        "resolutions": [
            dict(_pick(r, RESOLUTION_FIELDS), cause=key_of.get(r.cause_id))
            for r in article.resolutions.order_by("order", "id")
        ],
        "more_info": article.more_info,
        "references": [
            _pick(r, REFERENCE_FIELDS) for r in article.references.order_by("order", "id")
        ],
        "signatures": [
            dict(_pick(s, SIGNATURE_FIELDS), cause=key_of.get(s.cause_id))
            for s in article.signatures.order_by("id")
        ],
        "samples": {
            "match": [_pick(s, SAMPLE_FIELDS) for s in samples if s.should_match],
            "no_match": [_pick(s, SAMPLE_FIELDS) for s in samples if not s.should_match],
        },
    }


class _Flow(list):
    """A short list written on one line: keywords."""


class _FlowMap(dict):
    """A small mapping written on one line: a product."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key; easier to read in review.
        return super().increase_indent(flow, False)


def _represent_str(dumper, value):
    # Text typed into a browser arrives with CRLF line ends; files use LF.
    value = value.replace("\r\n", "\n")
    # Literal blocks for multi-line text. Line breaks other than LF would not
    # survive a block or single quotes, so such text is double-quoted, where
    # they are escaped.
    if any(c in value for c in "\r\x85\u2028\u2029"):
        style = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowMap,
    lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True),
)


def _trim(data, fields):
    """Leave out optional fields that hold their default, keeping the file's order."""
    out = {}
    for name, spec in fields.items():
        value = data[name]
        if not spec.required and value == spec.default():
            continue
        if name == "weight" and float(value).is_integer():
            value = int(value)
        out[name] = value
    return out


def _sample_out(sample):
    return _trim(sample, SAMPLE_FIELDS) if sample["note"] else sample["text"]


def dump(data):
    """The YAML text of an article's data; deterministic, so dumps diff cleanly."""
    doc = {
        **data,
        "keywords": _Flow(data["keywords"]),
        "applies_to": [
            _trim(
                {**entry, "product": _FlowMap(_trim(entry["product"], PRODUCT_FIELDS))},
                APPLIES_TO_FIELDS,
            )
            for entry in data["applies_to"]
        ],
        "symptoms": [_trim(s, SYMPTOM_FIELDS) for s in data["symptoms"]],
        "causes": [_trim(c, CAUSE_FIELDS) for c in data["causes"]],
        "resolutions": [_trim(r, RESOLUTION_FIELDS) for r in data["resolutions"]],
        "references": [_trim(r, REFERENCE_FIELDS) for r in data["references"]],
        "signatures": [_trim(s, SIGNATURE_FIELDS) for s in data["signatures"]],
        "samples": _trim(
            {
                "match": [_sample_out(s) for s in data["samples"]["match"]],
                "no_match": [_sample_out(s) for s in data["samples"]["no_match"]],
            },
            SAMPLES_FIELDS,
        ),
    }
    # Optional top-level fields are left out when empty.
    doc = {
        name: doc[name]
        for name, spec in ARTICLE_FIELDS.items()
        if spec.required or doc[name] not in ("", None, [], {})
    }
    return yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )


def serialize(article):
    """The article as YAML text in the format parse() reads."""
    return dump(article_data(article))
