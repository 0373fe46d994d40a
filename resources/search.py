"""Full-text search of the documents' titles and text: PostgreSQL's text search, SQLite's FTS5, or plain matching elsewhere.

`engine()` is the one place that looks at the database vendor. The indexes themselves are made by migration 0002:
- PostgreSQL: a GIN index on the title's vector, and a stored, GIN-indexed `body_vector` column on each version
  (computing the vectors of long manuals at query time would take seconds for a common word);
- SQLite: the FTS5 table `resources_document_fts` (rowid = document id), which `index` keeps in step with each write.
"""

from django.db import connection
from django.db.models import Expression, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from resources.models import Document, DocumentVersion

CONFIG = "english"  # stems English words on both databases (FTS5 through its porter tokenizer); other scripts pass through as they are
MAX_TERMS = 20


def search(documents: QuerySet[Document], text: str) -> QuerySet[Document]:
    """The documents among `documents` whose title or current text contains every word of `text`, best match first."""
    terms = _terms(text)
    if not terms:
        return documents
    return engine().search(documents, terms)


def index(document: Document) -> None:
    """Bring the search index up to date with the document's title and current version (called by every service that changes them)."""
    engine().index(document)


def _terms(text: str) -> list[str]:
    """The words of a query: whitespace-separated, each with at least one letter or digit."""
    return [term for term in text.split() if any(ch.isalnum() for ch in term)][:MAX_TERMS]


def fts5_query(terms: list[str]) -> str:
    """An FTS5 query matching every term literally: each is quoted, so no word of the user's is read as an operator."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


class _ColumnBeside(Expression):
    """SQL about a column Django does not model, in the table (whatever its alias) of a column it does."""

    def __init__(self, beside: str, template: str, params=(), output_field=None):
        super().__init__(output_field=output_field)
        self.source, self.template, self.params = F(beside), template, tuple(params)

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.source.alias)
        column = f"{table}.{connection.ops.quote_name(self.source.target.column)}"
        return self.template.format(table=table, column=column), list(self.params)


class PostgresSearch:
    def search(self, documents, terms):
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField

        query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
        by_title = Document.objects.annotate(vector=SearchVector("title", config=CONFIG)).filter(vector=query).values("pk")
        # The bare column, so its GIN index serves the match (it is never NULL: it is generated from COALESCE(body_text, '')).
        body_vector = _ColumnBeside("body_text", "{table}.body_vector", output_field=SearchVectorField())
        by_body = DocumentVersion.objects.annotate(vector=body_vector).filter(vector=query)
        # For ranking, across the outer join a document without a version gets the empty vector.
        vector = Func(
            SearchVector("title", config=CONFIG, weight="A"),
            _ColumnBeside("current_version__body_text", "COALESCE({table}.body_vector, ''::tsvector)", output_field=SearchVectorField()),
            template="(%(expressions)s)",
            arg_joiner=" || ",
            output_field=SearchVectorField(),
        )
        return (
            documents.filter(Q(pk__in=by_title) | Q(current_version__in=by_body.values("pk")))
            .annotate(relevance=SearchRank(vector, query, normalization=1))
            .order_by("-relevance", "title", "pk")
        )

    def index(self, document):
        """Nothing to do: the title's index and the stored body vector follow every write by themselves."""


class SqliteSearch:
    MATCHING = "SELECT rowid FROM resources_document_fts WHERE resources_document_fts MATCH %s"
    # bm25 is smaller for a better match (hence the minus); a title word weighs ten times a word of the text.
    RELEVANCE = (
        "(SELECT -bm25(resources_document_fts, 10.0, 1.0) FROM resources_document_fts "
        "WHERE resources_document_fts MATCH %s AND resources_document_fts.rowid = {column})"
    )

    def search(self, documents, terms):
        from django.db.models import FloatField

        match = fts5_query(terms)
        relevance = _ColumnBeside("pk", self.RELEVANCE, params=(match,), output_field=FloatField())
        return (
            documents.filter(pk__in=RawSQL(self.MATCHING, (match,)))  # noqa: S611 - constant SQL; the user's words are a bound parameter
            .annotate(relevance=relevance)
            .order_by("-relevance", "title", "pk")
        )

    def index(self, document):
        version = document.current_version
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM resources_document_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO resources_document_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [document.pk, document.title, version.body_text if version else ""],
            )


class PlainSearch:
    """Other databases: every word must appear in the title or the text, without ranking."""

    def search(self, documents, terms):
        for term in terms:
            documents = documents.filter(Q(title__icontains=term) | Q(current_version__body_text__icontains=term))
        return documents

    def index(self, document):
        """Nothing to index."""


ENGINES = {"postgresql": PostgresSearch(), "sqlite": SqliteSearch()}


def engine():
    """The search engine of the database in use: the one vendor switch of the module."""
    return ENGINES.get(connection.vendor, PlainSearch())
