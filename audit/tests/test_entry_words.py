"""The audit page says in words what each entry is about: what was searched and found, what was attempted, what was read."""

import pytest
from django.urls import reverse

from audit import queries
from audit import services as audit
from audit.models import AuditEntry
from records import services as records

pytestmark = pytest.mark.django_db


def page_of(client, **filters) -> str:
    return client.get("/audit/", filters).content.decode()


def test_a_records_search_shows_its_query_and_the_number_of_results(signed_in, ncb_admin, delhi_ilo):
    records.person_search(user=delhi_ilo, purpose="FIR 12/2026 PS Saket", name="Rakesh Verma")
    html = page_of(signed_in(ncb_admin), action="records.person_search")
    assert "Searched for name “Rakesh Verma”: 0 results." in html


def test_a_refused_search_says_why(signed_in, ncb_admin, delhi_ilo):
    with pytest.raises(records.PurposeMissing):
        records.person_search(user=delhi_ilo, purpose="", name="Rakesh Verma")
    assert "Refused: no purpose. Searched for name “Rakesh Verma”." in page_of(signed_in(ncb_admin), action="records.search_refused")


def test_an_out_of_jurisdiction_attempt_names_the_object_it_was_after(signed_in, ncb_admin, mumbai_ilo, delhi_uo):
    from notices import services as notices
    from notices.tests.conftest import red_notice_data

    notice = notices.notice_draft_create(by=delhi_uo, kind="red", data=red_notice_data())
    assert signed_in(mumbai_ilo).get(reverse("notices:pdf", args=[notice.pk])).status_code == 404
    html = page_of(signed_in(ncb_admin), action="access.out_of_jurisdiction")
    assert f"Tried to open notice request #{notice.pk}, outside their office: answered as missing." in html


def test_a_read_says_what_was_read_and_as_what(signed_in, ncb_admin, delhi_uo):
    from notices import services as notices
    from notices.tests.conftest import red_notice_data

    notice = notices.notice_draft_create(by=delhi_uo, kind="red", data=red_notice_data())
    signed_in(delhi_uo).get(reverse("notices:interpol_json", args=[notice.pk]))
    html = page_of(signed_in(ncb_admin), action="access.read")
    assert f"Read {notice} as INTERPOL JSON." in html


def test_a_refusal_for_a_missing_capability_names_it(ncb_admin, sysadmin):
    entry = audit.record(actor=sysadmin, action="access.forbidden", data={"capability": "notices.view"})
    assert queries.describe(AuditEntry.objects.get(pk=entry.pk)) == "Refused: their role lacks “notices.view”."


def test_an_entry_with_nothing_more_to_say_says_nothing(delhi_ilo):
    entry = audit.record(actor=delhi_ilo, action="users.create")
    assert queries.describe(entry) == ""
