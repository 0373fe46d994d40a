"""Full-text search of the library: PostgreSQL's text search or SQLite's FTS5, through one function."""

import pytest
from django.db import connection

from resources import queries, services
from resources.search import fts5_query
from resources.tests.conftest import pdf_upload, text_upload, upload_document

pytestmark = pytest.mark.django_db


def test_full_text_search_finds_a_document_by_a_word_in_its_body(manual, ncb_admin, delhi_ilo):
    upload_document(ncb_admin, title="Yellow notice form", lines=("Missing persons and children.",))
    found = queries.documents_for_user(delhi_ilo, q="extradition")
    assert list(found) == [manual]


def test_every_word_must_match_and_word_forms_are_found(manual, delhi_ilo):
    assert list(queries.documents_for_user(delhi_ilo, q="Extraditions NCB")) == [manual]
    assert list(queries.documents_for_user(delhi_ilo, q="extradition cryptocurrency")) == []


def test_a_title_match_ranks_above_a_body_match(manual, ncb_admin, delhi_ilo):
    titled = upload_document(ncb_admin, title="Extradition handbook", lines=("Treaties and arrangements.",))
    assert list(queries.documents_for_user(delhi_ilo, q="extradition")) == [titled, manual]


def test_search_finds_plain_text_documents(ncb_admin, delhi_uo):
    document = services.document_upload(
        by=ncb_admin,
        upload=text_upload("Diffusions are sent through I-24/7 to chosen member countries."),
        title="Diffusion SOP",
        category="sop",
        language="en",
        visible_to_roles=["uo"],
    )
    assert list(queries.documents_for_user(delhi_uo, q="diffusions")) == [document]


def test_search_follows_the_current_version(manual, ncb_admin, delhi_ilo):
    services.document_version_add(
        document=manual, by=ncb_admin, upload=pdf_upload("Chapter 4 now covers provisional arrest."), change_note="Rewritten chapter 4"
    )
    assert list(queries.documents_for_user(delhi_ilo, q="extradition")) == []
    assert list(queries.documents_for_user(delhi_ilo, q="provisional arrest")) == [manual]


def test_search_never_shows_a_document_the_role_may_not_see(ncb_only_sop, delhi_ilo, ncb_officer):
    assert list(queries.documents_for_user(delhi_ilo, q="keys")) == []
    assert list(queries.documents_for_user(ncb_officer, q="keys")) == [ncb_only_sop]


@pytest.mark.parametrize(
    "text", ['"', 'extradition"', "NEAR(extradition ncb)", "extradition OR x", "-extradition", "title:ncb", "*", "ncb'; DROP"]
)
def test_operators_and_quotes_in_the_search_box_are_read_as_plain_words(manual, delhi_ilo, text):
    list(queries.documents_for_user(delhi_ilo, q=text))  # must not raise


def test_each_term_is_quoted_for_fts5():
    assert fts5_query(['say"hi', "NEAR(x"]) == '"say""hi" "NEAR(x"'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN indexes")
def test_the_search_uses_both_gin_indexes_on_postgresql(manual, delhi_ilo):
    """The title index only serves a query whose expression is exactly the one in migration 0002."""
    sql, params = queries.documents_for_user(delhi_ilo, q="extradition").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "resources_document_title_fts" in plan and "resources_documentversion_body_fts" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_the_fts5_table_follows_uploads_renames_and_versions(manual, ncb_admin):
    def indexed():
        with connection.cursor() as cursor:
            cursor.execute("SELECT title, body FROM resources_document_fts WHERE rowid = %s", [manual.pk])
            return cursor.fetchall()

    assert indexed()[0][0] == "INTERPOL Notices Manual" and "extradition" in indexed()[0][1]
    services.document_update(document=manual, by=ncb_admin, title="Renamed", category="manual", language="en", visible_to_roles=["ilo"])
    services.document_version_add(document=manual, by=ncb_admin, upload=text_upload("Fresh text."), change_note="New")
    assert indexed() == [("Renamed", "Fresh text.")]
