"""The life of an article: draft, in review, published, retired.

Every change of status goes through apply(), which checks on the server that
the move is allowed from the current status and that the user holds the
permissions for it. The admin's buttons and bulk actions only call apply().

Roles (groups created by migration 0004): Editors have the plain model
permissions; Publishers also have kb.publish_article, kb.retire_article and
kb.delete_article.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kb.models import Article

Status = Article.Status

CHANGE = "kb.change_article"
PUBLISH = "kb.publish_article"
RETIRE = "kb.retire_article"
DELETE = "kb.delete_article"


class TransitionRefused(Exception):
    """The move is not allowed from this status or not for this user."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permissions: tuple

    def allowed_from(self, status):
        return status in self.sources

    def permitted(self, user):
        return user.is_active and user.has_perms(self.permissions)


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit", "Submit for review", frozenset({Status.DRAFT}), Status.REVIEW, (CHANGE,)
        ),
        Transition(
            "withdraw", "Back to draft", frozenset({Status.REVIEW}), Status.DRAFT, (CHANGE,)
        ),
        Transition(
            "publish",
            "Publish",
            frozenset({Status.DRAFT, Status.REVIEW}),
            Status.PUBLISHED,
            (CHANGE, PUBLISH),
        ),
        Transition(
            "retire",
            "Retire",
            frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED}),
            Status.RETIRED,
            (CHANGE, RETIRE),
        ),
        Transition(
            "restore_draft",
            "Restore as draft",
            frozenset({Status.RETIRED}),
            Status.DRAFT,
            (CHANGE, RETIRE),
        ),
        Transition(
            "restore_published",
            "Restore and publish",
            frozenset({Status.RETIRED}),
            Status.PUBLISHED,
            (CHANGE, RETIRE, PUBLISH),
        ),
    ]
}


def can_edit(user, article):
    """Whether the user may change this article's content in its current status.

    Drafts and articles in review belong to editors; published and retired
    articles only publishers may touch.
    """
    if not user.is_active or not user.has_perm(CHANGE):
        return False
    if article is None or article.status in (Status.DRAFT, Status.REVIEW):
        return True
    return user.has_perm(PUBLISH)


def can_delete(user, article):
    """Only publishers delete, and only an article that was retired first."""
    if not user.is_active or not user.has_perm(DELETE):
        return False
    return article is None or article.status == Status.RETIRED


def available(user, article):
    """The transitions this user may apply to this article now, in display order."""
    return [t for t in TRANSITIONS.values() if t.allowed_from(article.status) and t.permitted(user)]


def apply(article, name, user):
    """Move the article along the transition called `name`, or raise TransitionRefused.

    The row is locked and re-read first, so two people pressing buttons at
    once cannot skip a step. The change is recorded in the history with the
    transition's label as its reason. Returns the refreshed article.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(f"Unknown action “{name}”.")
    if not transition.permitted(user):
        raise TransitionRefused(f"You may not {transition.label.lower()} articles.")
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if not transition.allowed_from(current.status):
            raise TransitionRefused(
                f"“{current}” is {current.get_status_display().lower()}; "
                f"it cannot be moved by “{transition.label}”."
            )
        current.status = transition.target
        if transition.target == Status.PUBLISHED and current.published_on is None:
            current.published_on = timezone.localdate()
        current.modified_by = user
        current.version += 1
        current._change_reason = transition.label
        current.save()
    return current
