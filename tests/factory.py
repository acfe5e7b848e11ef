"""Small builders for test data; tests say only what matters to them."""

import itertools

from kb.models import AppliesTo, Article, Cause, Product, Reference, Resolution, Signature, Symptom

_seq = itertools.count(1)


def make_product(name=None, **kwargs):
    n = next(_seq)
    name = name or f"Product {n}"
    kwargs.setdefault("slug", f"product-{n}")
    kwargs.setdefault("vendor", "Example Corp")
    return Product.objects.create(name=name, **kwargs)


def make_article(
    title=None,
    status=Article.Status.PUBLISHED,
    symptoms=(),
    causes=(),
    resolutions=(),
    products=(),
    signatures=(),
    **kwargs,
):
    """Create an article with its parts.

    symptoms: error texts (str) or dicts of Symptom fields.
    causes: titles (str) or dicts of Cause fields.
    resolutions: titles (str) or dicts of Resolution fields; "cause" may be an index.
    products: Product objects or (Product, versions) pairs.
    signatures: (kind, value) pairs or dicts of Signature fields.
    """
    n = next(_seq)
    title = title or f"Article {n}"
    kwargs.setdefault("slug", f"article-{n}")
    kwargs.setdefault("summary", f"Summary of {title}.")
    article = Article.objects.create(title=title, status=status, **kwargs)
    for i, s in enumerate(symptoms):
        fields = (
            {"error_text": s, "description": "You see this error."} if isinstance(s, str) else s
        )
        Symptom.objects.create(article=article, order=i, **fields)
    made_causes = []
    for i, c in enumerate(causes):
        fields = {"title": c, "explanation": f"{c}."} if isinstance(c, str) else dict(c)
        fields.setdefault("key", f"cause-{i + 1}")
        made_causes.append(Cause.objects.create(article=article, order=i, **fields))
    for i, r in enumerate(resolutions):
        fields = (
            {"title": r, "steps": "1. Do this.\n2. Then that."} if isinstance(r, str) else dict(r)
        )
        if isinstance(fields.get("cause"), int):
            fields["cause"] = made_causes[fields["cause"]]
        Resolution.objects.create(article=article, order=i, **fields)
    for i, p in enumerate(products):
        product, versions = p if isinstance(p, tuple) else (p, "")
        AppliesTo.objects.create(article=article, product=product, versions=versions, order=i)
    for sig in signatures:
        fields = {"kind": sig[0], "value": sig[1]} if isinstance(sig, tuple) else sig
        Signature.objects.create(article=article, **fields)
    article.refresh_search()
    return article


def make_reference(article, title="A reference", url="https://example.org/kb/1", order=0):
    return Reference.objects.create(article=article, title=title, url=url, order=order)


def make_user(role=None, username=None, password="correct horse battery", **kwargs):
    """A user; role "Editors" or "Publishers" makes them staff in that group."""
    import importlib

    from django.contrib.auth.models import Group, Permission, User

    username = username or f"user{next(_seq)}"
    kwargs.setdefault("is_staff", role is not None)
    user = User.objects.create_user(username, password=password, **kwargs)
    if role:
        group = Group.objects.filter(name=role).first()
        if group is None:
            # A transactional test flushes the groups the migration made; rebuild
            # them from the same lists.
            roles = importlib.import_module("kb.migrations.0004_editor_and_publisher_groups")
            codenames = roles.PUBLISHERS if role == "Publishers" else roles.EDITORS
            group = Group.objects.create(name=role)
            group.permissions.set(
                Permission.objects.filter(content_type__app_label="kb", codename__in=codenames)
            )
        user.groups.add(group)
    return user


def admin_form_data(response):
    """What a browser would post back, unchanged, from an admin add/change page."""
    from django.forms import CheckboxInput

    data = {}

    def add(form):
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is not None:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def _search_text(data):
    """An article file's text as Article.build_search_document gathers it."""
    parts = [
        data.get("title", ""),
        data.get("summary", ""),
        " ".join(map(str, data.get("keywords") or [])),
    ]
    parts.append(data.get("source_ref", ""))
    for symptom in data.get("symptoms") or []:
        parts += [symptom.get(k) or "" for k in ("description", "error_text", "logged_in")]
    for cause in data.get("causes") or []:
        parts += [cause.get(k) or "" for k in ("title", "explanation", "how_to_tell")]
    for resolution in data.get("resolutions") or []:
        parts += [resolution.get(k) or "" for k in ("title", "steps", "caveats")]
    for applies in data.get("applies_to") or []:
        parts += [applies["product"]["name"], applies.get("versions") or ""]
    parts.append(data.get("more_info", ""))
    return "\n".join(str(p) for p in parts if p)


def article_specs_from_yaml(directory=None):
    """ArticleSpecs and SignatureSpecs of the shipped article files, read with plain YAML.

    The engine's tests use this to triage against the real knowledge base without a database.
    """
    from pathlib import Path

    import yaml

    from triage.engine import ArticleSpec, CauseSpec, SignatureSpec

    directory = Path(directory or Path(__file__).resolve().parent.parent / "content" / "articles")
    articles, signatures, samples = [], [], []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        slug = data["slug"]
        symptoms = data.get("symptoms") or []
        articles.append(
            ArticleSpec(
                slug=slug,
                title=data.get("title", slug),
                products=tuple(a["product"]["name"] for a in data.get("applies_to") or []),
                error_texts=tuple(s["error_text"] for s in symptoms if s.get("error_text")),
                logged_in=tuple(s["logged_in"] for s in symptoms if s.get("logged_in")),
                causes=tuple(
                    CauseSpec(c["key"], c.get("title", ""), c.get("how_to_tell", ""))
                    for c in data.get("causes") or []
                ),
                text=_search_text(data),
            )
        )
        for sig in data.get("signatures") or []:
            signatures.append(
                SignatureSpec(
                    article=slug,
                    kind=sig["kind"],
                    value=str(sig["value"]),
                    weight=float(sig.get("weight", 1.0)),
                    cause=sig.get("cause"),
                    excluded=bool(sig.get("excluded", False)),
                )
            )
        for text in (data.get("samples") or {}).get("match") or []:
            samples.append((slug, True, text))
        for text in (data.get("samples") or {}).get("no_match") or []:
            samples.append((slug, False, text))
    return articles, signatures, samples
