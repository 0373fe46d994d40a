"""The dashboard says what waits: an ILO with a request to review and an unread conversation sees both in numbers,
from the same number of queries however much waits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connect import services as connect
from notices import services
from notices.models import NoticeKind
from notices.tests.conftest import red_notice_data

pytestmark = pytest.mark.django_db


def card(page: str, module: str) -> str:
    start = page.index(f'data-module="{module}"')
    return page[start : page.index("</article>", start)]


def submitted(uo):
    return services.notice_submit(request=services.notice_draft_create(by=uo, kind=NoticeKind.RED, data=red_notice_data()), by=uo)


def test_the_ilos_dashboard_counts_the_request_to_review_and_the_unread_conversation(signed_in, delhi_uo, delhi_ilo):
    submitted(delhi_uo)
    connect.thread_start(by=delhi_uo, subject="Warrant for the Red notice", participants=[delhi_ilo], body="Sent the scan.")
    page = signed_in(delhi_ilo).get(reverse("dashboard")).content.decode()
    assert "1 waiting" in card(page, "inbox") and "overdue" not in card(page, "inbox")
    assert "1 conversation unread" in card(page, "connect")
    assert "waiting" not in card(page, "notices")  # a module with nothing to count shows no figure


def test_an_overdue_request_is_counted_as_overdue_and_links_to_the_overdue_list(signed_in, delhi_uo, delhi_ilo):
    from workflow.models import Task

    submitted(delhi_uo)
    Task.objects.filter(closed_at__isnull=True).update(due_at="2020-01-01T00:00:00Z")
    page = signed_in(delhi_ilo).get(reverse("dashboard")).content.decode()
    assert f'<li class="urgent"><a href="{reverse("workflow:inbox")}?overdue=1">1 overdue</a></li>' in card(page, "inbox")


def test_the_dashboard_asks_the_database_as_often_with_many_items_as_with_one(signed_in, delhi_uo, delhi_ilo):
    client = signed_in(delhi_ilo)
    submitted(delhi_uo)
    client.get(reverse("dashboard"))  # warm: the session's first page reads more
    with CaptureQueriesContext(connection) as one:
        assert "1 waiting" in client.get(reverse("dashboard")).content.decode()
    for _ in range(3):
        submitted(delhi_uo)
        connect.thread_start(by=delhi_uo, subject="One more", participants=[delhi_ilo], body="See the request.")
    with CaptureQueriesContext(connection) as many:
        assert "4 waiting" in client.get(reverse("dashboard")).content.decode()
    assert len(many) == len(one)


def test_the_figures_are_in_hindi_for_an_officer_who_reads_hindi(signed_in, delhi_uo, delhi_ilo):
    submitted(delhi_uo)
    client = signed_in(delhi_ilo)
    client.cookies["django_language"] = "hi"
    assert "1 प्रतीक्षा में" in card(client.get(reverse("dashboard")).content.decode(), "inbox")
