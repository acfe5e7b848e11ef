"""Database-specific search structures.

PostgreSQL: pg_trgm for typo tolerance, where the database user may enable
it, and a GIN index on the stored search vector. SQLite: an FTS5 table keyed
by article id. Each backend skips the other's part, so one migration history
serves both.
"""

from django.db import migrations


def _enable_trigram(schema_editor):
    """Whether pg_trgm is installed after trying to install it."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT kb_trigram")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # not allowed here: search does without it
            cursor.execute("ROLLBACK TO SAVEPOINT kb_trigram")
            return False
        cursor.execute("RELEASE SAVEPOINT kb_trigram")
        return True


def _create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX kb_article_search_vector_gin ON kb_article USING gin (search_vector)"
        )
        if _enable_trigram(schema_editor):
            schema_editor.execute(
                "CREATE INDEX kb_article_title_trgm ON kb_article USING gin (title gin_trgm_ops)"
            )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE kb_article_fts USING fts5("
            # porter stems English like PostgreSQL's english config does, so
            # "pipes" finds "pipe"; codes such as 0x6d and 10048 pass unchanged.
            "title, summary, keywords, body, tokenize = \"porter unicode61 tokenchars '_'\")"
        )


def _drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kb_article_search_vector_gin")
        schema_editor.execute("DROP INDEX IF EXISTS kb_article_title_trgm")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS kb_article_fts")


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_articles")]

    operations = [migrations.RunPython(_create, _drop)]
