"""Full-text indexes of the documents, made for the database in use (see resources/search.py).

PostgreSQL: a GIN index on the title's vector (the expression must stay the one SearchVector("title", config="english")
writes), and a stored, generated `body_vector` column on each version with its own GIN index. Django does not model the
column; a later migration that changes `body_text` must drop it first and add it back.

SQLite: an FTS5 table whose rowid is the document's id, filled with each document's title and current text by the
services (and here, for documents that already exist).
"""

from django.db import migrations

POSTGRES_FORWARDS = (
    "CREATE INDEX resources_document_title_fts ON resources_document "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(title, '')))",
    "ALTER TABLE resources_documentversion ADD COLUMN body_vector tsvector "
    "GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, COALESCE(body_text, '')), 'B')) STORED",
    "CREATE INDEX resources_documentversion_body_fts ON resources_documentversion USING GIN (body_vector)",
)
POSTGRES_BACKWARDS = (
    "DROP INDEX IF EXISTS resources_documentversion_body_fts",
    "ALTER TABLE resources_documentversion DROP COLUMN IF EXISTS body_vector",
    "DROP INDEX IF EXISTS resources_document_title_fts",
)
SQLITE_FORWARDS = (
    "CREATE VIRTUAL TABLE resources_document_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO resources_document_fts (rowid, title, body) "
    "SELECT d.id, d.title, COALESCE(v.body_text, '') FROM resources_document d "
    "LEFT JOIN resources_documentversion v ON v.id = d.current_version_id",
)
SQLITE_BACKWARDS = ("DROP TABLE IF EXISTS resources_document_fts",)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRES_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
        ),
    ]
