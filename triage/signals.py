"""Move the index revision whenever anything the triage engine reads changes."""

from django.db import transaction
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
    # After commit: a worker that rebuilds on the new counter must also see the
    # new rows, and a rolled-back edit must not cost every worker a rebuild.
    transaction.on_commit(IndexRevision.bump)


def connect():
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"triage-rev-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"triage-rev-delete-{model.__name__}"
        )
    m2m_changed.connect(_changed, sender=kb.Article.products.through, dispatch_uid="triage-rev-m2m")
