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


def set_trigram_threshold(sender, connection, **kwargs):
    """Let pg_trgm's word-similarity operator, which the trigram index serves, forgive
    one typo in a short word ("recyling" is 0.58 like "recycling"; the default is 0.6)."""
    if connection.vendor != "postgresql":
        return
    from kb import search

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(search.TRIGRAM_THRESHOLD)],
        )
