"""Move the index revision whenever anything the triage engine reads changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from kb import models as kb
from triage.models import IndexRevision

WATCHED = (
    kb.Article,
    kb.Product,
    kb.AppliesTo,
    kb.Symptom,
    kb.Cause,
    kb.Resolution,
    kb.Signature,
)


def _changed(sender, **kwargs):
    # In the edit's own transaction: the counter and the rows it stands for
    # commit together, so a worker that reads the new counter also reads the new
    # rows, and a rolled-back edit leaves the counter where it was. Code inside
    # the same transaction (a command's atomic block, a test) sees the counter
    # move too, where a bump deferred to the commit would not have moved it yet.
    IndexRevision.bump()


def connect():
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"triage-rev-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"triage-rev-delete-{model.__name__}"
        )
    m2m_changed.connect(_changed, sender=kb.Article.products.through, dispatch_uid="triage-rev-m2m")
