"""Hooks other apps plug into, so kb never has to import them.

`article_saved` is sent by the article admin once an article and all its
parts are saved, with the request and the article: the triage app checks the
article's sample pastes then and tells the editor what broke.
"""

from django.dispatch import Signal

# Sent with request=, article= and created= (True for a new article).
article_saved = Signal()


def forget_deleted_article(sender, instance, **kwargs):
    """Take a deleted article's text out of the search index too."""
    from kb import search

    search.forget_article(instance.pk)
