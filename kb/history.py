"""Versions of an article with its parts: list, compare, restore.

django-simple-history keeps one history table per model. A *version* of an
article starts with a row in the article's history (every save of the article
makes one; the admin saves the article before its parts) and includes every
change to its parts up to the next such row. So one admin save, which writes
the article and then its inlines, is one version.
"""

import difflib
from dataclasses import dataclass, field

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

# Display order; parts that others point at (causes) come before those pointing.
PARTS = [
    ("applies_to", AppliesTo),
    ("symptoms", Symptom),
    ("causes", Cause),
    ("resolutions", Resolution),
    ("references", Reference),
    ("signatures", Signature),
    ("samples", Sample),
]
PART_MODELS = dict(PARTS)

# Bookkeeping, not content: never shown as a difference, never restored.
_NOT_CONTENT = {"id", "article", "version", "created_at", "modified_at", "modified_by"}
# Restoring brings back what was written, but leaves where the article stands
# (its address and its place in the workflow) as it is now.
_KEEP_ON_RESTORE = {"slug", "status", "published_on"}


def _tracked_fields(model):
    history_model = model.history.model
    names = {f.name for f in history_model._meta.fields}
    return [f for f in model._meta.concrete_fields if f.name in names]


def content_fields(model):
    return [f for f in _tracked_fields(model) if f.name not in _NOT_CONTENT]


def _values(model, record):
    return {f.attname: getattr(record, f.attname) for f in content_fields(model)}


@dataclass
class Snapshot:
    """The article row and its parts as they stood at the end of one version."""

    article: object  # a historical Article record
    parts: dict  # key -> {part id: historical part record}


@dataclass
class Version:
    number: int
    record: object  # the historical Article record that opened this version
    part_records: list = field(default_factory=list)
    snapshot: Snapshot = None

    @property
    def id(self):
        return self.record.history_id

    @property
    def date(self):
        return self.record.history_date

    @property
    def users(self):
        seen = []
        for record in [self.record, *self.part_records]:
            user = record.history_user
            if user is not None and user not in seen:
                seen.append(user)
        return seen

    @property
    def reason(self):
        if self.record.history_change_reason:
            return self.record.history_change_reason
        return "Created" if self.record.history_type == "+" else "Edited"


class Timeline:
    """All versions of one article, oldest first, built from a handful of queries."""

    def __init__(self, article):
        self.article = article
        events = [
            (r.history_date, 0, r.history_id, None, r)
            for r in Article.history.filter(id=article.pk).select_related("history_user")
        ]
        for key, model in PARTS:
            events += [
                (r.history_date, 1, r.history_id, key, r)
                for r in model.history.filter(article_id=article.pk).select_related("history_user")
            ]
        events.sort(key=lambda e: e[:3])

        self.versions = []
        state = {key: {} for key, _ in PARTS}
        for _, _, _, key, record in events:
            if key is None:
                if record.history_type == "-":
                    continue
                self._close(state)
                self.versions.append(Version(number=len(self.versions) + 1, record=record))
                continue
            if record.history_type == "-":
                state[key].pop(record.id, None)
            else:
                state[key][record.id] = record
            if self.versions:
                self.versions[-1].part_records.append(record)
        self._close(state)

    def _close(self, state):
        if self.versions:
            last = self.versions[-1]
            last.snapshot = Snapshot(last.record, {k: dict(v) for k, v in state.items()})

    def get(self, history_id):
        for version in self.versions:
            if version.id == history_id:
                return version
        return None

    @property
    def latest(self):
        return self.versions[-1] if self.versions else None

    def previous(self, version):
        return self.versions[version.number - 2] if version.number > 1 else None

    def at_article_version(self, number):
        """The last version whose article row carried Article.version == number."""
        found = None
        for version in self.versions:
            if version.record.version == number:
                found = version
        return found


# Differences


@dataclass
class FieldChange:
    label: str
    old: str
    new: str

    @property
    def lines(self):
        """A line-by-line comparison for text that runs over several lines."""
        if "\n" not in self.old and "\n" not in self.new:
            return None
        return [
            (line[0], line[2:])
            for line in difflib.ndiff(self.old.splitlines(), self.new.splitlines())
            if not line.startswith("?")
        ]


@dataclass
class PartChange:
    action: str  # "added", "removed" or "changed"
    section: str
    label: str
    fields: list

    def __str__(self):
        if self.action == "changed":
            names = ", ".join(f.label for f in self.fields)
            return f"{self.section} “{self.label}”: {names}"
        return f"{self.section} “{self.label}” {self.action}"


@dataclass
class Diff:
    article: list  # FieldChange
    parts: list  # PartChange

    def __bool__(self):
        return bool(self.article or self.parts)

    def summary(self):
        """Short phrases naming what changed, for lists and messages."""
        return [c.label for c in self.article] + [str(p) for p in self.parts]


def _label_for(key, values, products):
    if key == "applies_to":
        return products.get(values["product_id"], f"product {values['product_id']}")
    if key == "symptoms":
        text = values["error_text"] or values["description"]
        return (text.splitlines() or [""])[0][:80]
    if key == "signatures":
        kind = dict(Signature.Kind.choices).get(values["kind"], values["kind"])
        return f"{kind}: {values['value']}"
    if key == "samples":
        return values["text"][:80]
    return values["title"]


def _display(model_field, value, products, causes):
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        # Line ends and trailing blanks (a browser's CRLF, a file's final
        # newline) are not changes of content.
        value = value.replace("\r\n", "\n").rstrip()
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.attname == "product_id":
        return products.get(value, str(value))
    if model_field.attname == "cause_id":
        return causes.get(value, f"cause {value}")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _compare_fields(model, old_values, new_values, products, causes):
    changes = []
    for f in content_fields(model):
        old = _display(f, old_values.get(f.attname), products, causes)
        new = _display(f, new_values.get(f.attname), products, causes)
        if old != new:
            changes.append(FieldChange(str(f.verbose_name).capitalize(), old, new))
    return changes


def diff(old, new):
    """What changed from one Snapshot to another (old may be None: everything is new)."""
    product_ids = set()
    cause_titles = {}
    for snapshot in (old, new):
        if snapshot is None:
            continue
        product_ids |= {r.product_id for r in snapshot.parts["applies_to"].values()}
        cause_titles |= {r.id: r.title for r in snapshot.parts["causes"].values()}
    products = dict(Product.objects.filter(pk__in=product_ids).values_list("id", "name"))

    old_article = _values(Article, old.article) if old else {}
    article_changes = _compare_fields(
        Article, old_article, _values(Article, new.article), products, cause_titles
    )

    part_changes = []
    for key, model in PARTS:
        section = str(model._meta.verbose_name).capitalize()
        before = old.parts[key] if old else {}
        after = new.parts[key]
        for part_id in sorted(set(before) | set(after)):
            old_values = _values(model, before[part_id]) if part_id in before else {}
            new_values = _values(model, after[part_id]) if part_id in after else {}
            fields = _compare_fields(model, old_values, new_values, products, cause_titles)
            if part_id not in before:
                action, values = "added", new_values
            elif part_id not in after:
                action, values = "removed", old_values
            elif fields:
                action, values = "changed", new_values
            else:
                continue
            label = _label_for(key, values, products)
            part_changes.append(PartChange(action, section, label, fields))
    return Diff(article_changes, part_changes)


def describe(snapshot):
    """One line saying what a version holds, for the first version of an article."""
    counts = [
        f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
        for key, model in PARTS
        if (n := len(snapshot.parts[key]))
    ]
    return "Article created" + (f" with {', '.join(counts)}" if counts else "")


def changes_since(article, loaded_version):
    """What others saved after the editor loaded `loaded_version` of the article.

    Returns (Diff, users who saved since); the Diff is empty when the history
    does not reach back to that version.
    """
    timeline = Timeline(article)
    base = timeline.at_article_version(loaded_version)
    latest = timeline.latest
    if base is None or latest is None or base is latest:
        return Diff([], []), []
    users = []
    for version in timeline.versions[base.number :]:
        users += [u for u in version.users if u not in users]
    return diff(base.snapshot, latest.snapshot), users


# Restoring


class RestoreFailed(Exception):
    pass


def restore(article, history_id, user):
    """Make the article and its parts as they were at the end of a version.

    The article's address and status stay as they are now. The restore is
    itself saved as a new version, so it can be undone the same way. Returns
    (the restored version, notes on anything that could not come back).
    """
    notes = []
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        version = Timeline(current).get(history_id)
        if version is None:
            raise RestoreFailed("That version does not belong to this article.")
        snapshot = version.snapshot
        reason = f"Restored version {version.number}"

        for f in content_fields(Article):
            if f.name not in _KEEP_ON_RESTORE:
                setattr(current, f.attname, getattr(snapshot.article, f.attname))
        current.version += 1
        current.modified_by = user
        current._change_reason = reason
        current.save()

        # Remove what the old version did not have, pointing parts first.
        for key, model in reversed(PARTS):
            for part in model.objects.filter(article=current).exclude(pk__in=snapshot.parts[key]):
                part._change_reason = reason
                part.delete()

        products = set(Product.objects.values_list("pk", flat=True))
        for key, model in PARTS:
            for part_id, record in snapshot.parts[key].items():
                values = _values(model, record)
                if key == "applies_to" and values["product_id"] not in products:
                    notes.append(f"Product {values['product_id']} no longer exists.")
                    continue
                if values.get("cause_id") and values["cause_id"] not in snapshot.parts["causes"]:
                    values["cause_id"] = None
                part = model.objects.filter(pk=part_id).first()
                if part is None:
                    part = model(pk=part_id)
                elif part.article_id == current.pk and all(
                    getattr(part, k) == v for k, v in values.items()
                ):
                    continue
                for attname, value in values.items():
                    setattr(part, attname, value)
                part.article_id = current.pk
                part._change_reason = reason
                part.save()
        current.refresh_search()
    return version, notes
