"""The knowledge base's revision: it moves whenever anything a reader can see changes.

kb does not count the revision itself. The triage app keeps the counter (its
compiled index is tagged with it) and registers a reader for it when it starts
(triage/apps.py), as it registers its pattern validator (kb/signatures.py).
Readers never see an edit before it is published, and every save moves the
counter, so an anonymous page can only change when the revision does: the page
cache (kb/pagecache.py) keys its pages on it.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Revision:
    key: str  # changes with every edit; equal keys mean the same knowledge base
    changed_at: datetime | None  # when it last moved, for Last-Modified


_reader = None


def register_reader(reader):
    """Set reader() -> Revision, the one source of the current revision."""
    global _reader
    _reader = reader
    return reader


def current():
    """The revision now, or None when nothing counts it (then nothing is cached)."""
    return _reader() if _reader is not None else None
