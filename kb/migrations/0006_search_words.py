"""The distinct words of the articles, for typo-tolerant search on PostgreSQL.

pg_trgm's word similarity against every article's whole search document reads
every document: at 10,000 articles a typo took 15 s or more. The words are
few (tens of thousands), so a trigram index on them finds the known words near
a misspelt one in milliseconds, and the full-text index finds their articles
(as the pg_trgm documentation suggests for spelling suggestions). Stale words
of edited articles do no harm: the full-text search then finds nothing for
them. The table is kept on every PostgreSQL database; its trigram index only
where pg_trgm could be enabled (see 0005). SQLite needs nothing here.
"""

from django.db import migrations

FILL = (
    "INSERT INTO kb_search_word (word) "
    "SELECT DISTINCT lexeme FROM kb_article, unnest(to_tsvector('simple', search_document)) "
    "WHERE lexeme ~ '^[[:alpha:]]+$' ON CONFLICT DO NOTHING"
)


def _create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE TABLE IF NOT EXISTS kb_search_word (word text PRIMARY KEY)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        trigram = cursor.fetchone() is not None
    if trigram:
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS kb_search_word_trgm "
            "ON kb_search_word USING gin (word gin_trgm_ops)"
        )
    schema_editor.execute(FILL)


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS kb_search_word")


class Migration(migrations.Migration):
    dependencies = [("kb", "0005_search_document_trigram_index")]

    operations = [migrations.RunPython(_create, _drop)]
