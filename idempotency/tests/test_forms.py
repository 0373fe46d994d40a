"""Forms sent twice: the one-time key each page's forms carry makes the second copy get the first answer."""

import threading

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from connect import services as connect_services
from connect.models import Message
from idempotency.models import IdempotencyKey
from notices.models import NoticeRequest

pytestmark = pytest.mark.django_db
KEY = "5b0e3c0e-0d7e-4c55-9a55-0f4a1c2d3e4f"


def yellow(**overrides) -> dict:
    data = {
        "kind": "yellow",
        "family_name": "Kumari",
        "forenames": "Pooja",
        "sex": "F",
        "year_of_birth": "2010",
        "fact_disappeared_on": "2026-10-01",
        "fact_disappeared_at": "Anand Vihar ISBT",
        "idempotency_key": KEY,
    }
    data.update(overrides)
    return data


def test_every_page_loads_the_script_that_gives_each_form_its_key(signed_in, delhi_uo):
    page = signed_in(delhi_uo).get(reverse("notices:create"), {"kind": "yellow"})
    assert b"/static/idempotency/forms.js" in page.content
    script = finders.find("idempotency/forms.js")
    assert script is not None and "idempotency_key" in open(script).read()


def test_a_form_sent_twice_makes_one_draft_and_both_copies_land_on_it(signed_in, delhi_uo):
    browser = signed_in(delhi_uo)
    first = browser.post(reverse("notices:create"), yellow())
    again = browser.post(reverse("notices:create"), yellow())
    notice = NoticeRequest.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == notice.get_absolute_url()
    assert again["Idempotent-Replayed"] == "true"


def test_a_form_refused_for_its_mistakes_can_be_corrected_and_sent_again_from_the_same_page(signed_in, delhi_uo):
    browser = signed_in(delhi_uo)
    refused = browser.post(reverse("notices:create"), yellow(year_of_birth="twenty ten"))
    assert refused.status_code == 400 and not NoticeRequest.objects.exists()
    corrected = browser.post(reverse("notices:create"), yellow())
    assert corrected.status_code == 302 and "Idempotent-Replayed" not in corrected
    assert NoticeRequest.objects.count() == 1


def test_the_same_form_key_with_other_contents_answers_a_page_that_says_what_to_do(signed_in, delhi_uo):
    browser = signed_in(delhi_uo)
    browser.post(reverse("notices:create"), yellow())
    other = browser.post(reverse("notices:create"), yellow(forenames="Priya"))
    assert other.status_code == 422
    assert "This form was already sent with other contents. Reload its page to send something new." in other.content.decode()
    assert NoticeRequest.objects.get().forenames == "Pooja"


def test_a_damaged_form_key_is_refused_with_a_page_that_says_to_reload(signed_in, delhi_uo):
    refused = signed_in(delhi_uo).post(reverse("notices:create"), yellow(idempotency_key="x" * 300))
    assert refused.status_code == 400 and "reload the page and fill it in again" in refused.content.decode()
    assert not NoticeRequest.objects.exists()


def test_forms_of_one_user_do_not_answer_another_users(signed_in, delhi_uo, delhi_ilo, client):
    signed_in(delhi_uo).post(reverse("notices:create"), yellow())
    client.logout()
    theirs = signed_in(delhi_ilo).post(reverse("notices:create"), yellow())
    assert theirs.status_code == 302 and "Idempotent-Replayed" not in theirs
    assert NoticeRequest.objects.count() == 2


def test_an_htmx_reply_sent_twice_posts_one_message(signed_in, delhi_uo, delhi_ilo):
    thread = connect_services.thread_start(by=delhi_ilo, subject="Hawala trail", participants=[delhi_uo], body="Any news?")
    browser = signed_in(delhi_uo)
    url = reverse("connect:message_post", args=[thread.pk])
    data = {"body": "Two accounts in Dubai.", "idempotency_key": KEY}
    first = browser.post(url, data, headers={"HX-Request": "true"})
    again = browser.post(url, data, headers={"HX-Request": "true"})
    assert first.status_code == again.status_code == 200
    assert first["HX-Trigger"] == again["HX-Trigger"] == "connect-posted"  # the page fetches the new message either way
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert Message.objects.filter(thread=thread, body="Two accounts in Dubai.").count() == 1


def test_signing_out_is_never_replayed_because_the_browser_must_get_its_cookies(signed_in, delhi_uo):
    browser = signed_in(delhi_uo)
    first = browser.post(reverse("accounts:logout"), {"idempotency_key": KEY})
    assert first.status_code == 302 and not IdempotencyKey.objects.exists()


def test_signing_in_twice_with_one_key_signs_in_each_time(client, delhi_uo):
    from conftest import PASSWORD

    data = {"username": delhi_uo.username, "password": PASSWORD, "idempotency_key": KEY}
    first = client.post(reverse("accounts:login"), data)
    again = Client().post(reverse("accounts:login"), data)
    assert first.status_code == again.status_code == 302
    assert "Idempotent-Replayed" not in again and not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_form_sent_twice_at_the_same_instant_waits_for_the_first_and_shows_its_answer(reference_data):
    from django.db import connection

    from conftest import make_user, sign_in
    from directory.models import Agency, UnitOffice

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot make one writer wait for another; PostgreSQL's unique index does")
    delhi = Agency.objects.get(code="PS-DL")
    uo = make_user("race_uo", "uo", agency=delhi, unit=UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch"))
    start, answers = threading.Barrier(2, timeout=10), []

    def send():
        browser = Client()
        sign_in(browser, uo)
        try:
            start.wait()
            answers.append(browser.post(reverse("notices:create"), yellow()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    notice = NoticeRequest.objects.get()
    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer["Location"] for answer in answers} == {notice.get_absolute_url()}
