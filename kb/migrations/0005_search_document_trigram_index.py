"""A trigram index on the search document, for typo-tolerant search on PostgreSQL.

pg_trgm is enabled where the database user may (it is a trusted extension
from PostgreSQL 13, so a database owner can). Where it cannot be, the index
is left out and search corrects typos from the articles' own words instead.
SQLite needs nothing here.
"""

from django.db import migrations


def _enable_trigram(schema_editor):
    """Whether pg_trgm is installed after trying to install it."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        cursor.execute("SAVEPOINT kb_trigram")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # not allowed here: search does without it
            cursor.execute("ROLLBACK TO SAVEPOINT kb_trigram")
            return False
        cursor.execute("RELEASE SAVEPOINT kb_trigram")
        return True


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _enable_trigram(schema_editor):
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS kb_article_search_document_trgm "
        "ON kb_article USING gin (search_document gin_trgm_ops)"
    )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kb_article_search_document_trgm")


class Migration(migrations.Migration):
    dependencies = [("kb", "0004_editor_and_publisher_groups")]

    operations = [migrations.RunPython(_create, _drop)]
