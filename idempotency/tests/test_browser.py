"""In a real browser: a second click while a form is being sent sends nothing, a page shown again with its
mistakes is sent again once corrected, and the htmx reply form still works."""

import re
import threading

import pytest

from accounts.models import Role
from conftest import browser_sign_in, make_user
from connect import services as connect_services
from connect.models import Message
from directory.models import Agency, UnitOffice
from notices import services as notice_services
from notices.models import NoticeRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOLD = 2.5  # seconds; the second click comes 0.3 s after the first
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def field(page, label: str):
    return page.get_by_label(f"{label}:", exact=True)


def key_of(page) -> str:
    return page.locator('form[method="post"]:not(.lang-switch):not(.signout) input[name="idempotency_key"]').input_value()


@pytest.fixture
def delhi_people():
    delhi = Agency.objects.get(code="PS-DL")
    unit = UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch")
    ilo = make_user("ilo.delhi", Role.ILO, agency=delhi)
    return ilo, make_user("uo.delhi", Role.UO, agency=delhi, unit=unit, supervisor=ilo)


def test_a_second_click_while_the_form_is_being_sent_saves_no_second_draft(live_server, page, delhi_people, monkeypatch):
    _ilo, uo = delhi_people
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    browser_sign_in(page, live_server.url, uo)

    page.goto(f"{live_server.url}/notices/new/?kind=yellow")
    first_key = key_of(page)
    assert UUID.match(first_key), first_key
    field(page, "Family name").fill("Kumari")
    field(page, "Nationalities (ISO codes, e.g. IN, NP)").fill("India")  # a mistake: the page comes back with it marked
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector(".form-errors")
    assert not NoticeRequest.objects.exists()
    assert key_of(page) != first_key and UUID.match(key_of(page))  # a page shown again is a new page, with a new key

    # The live server runs in this process: it holds the first copy until a second one came, or for HOLD seconds.
    # The page clicks again while the first copy is held, as an impatient officer would; without the script,
    # that second click sends a second copy. (Playwright itself cannot act while a navigation is pending.)
    arrived, one_at_a_time = threading.Condition(), threading.Lock()
    copies = []
    real = notice_services.notice_draft_create

    def held(**kwargs):
        with arrived:
            copies.append(kwargs)
            arrived.notify_all()
            arrived.wait_for(lambda: len(copies) > 1, timeout=HOLD)
        with one_at_a_time:  # SQLite's in-memory test database takes one writer at a time
            return real(**kwargs)

    monkeypatch.setattr(notice_services, "notice_draft_create", held)
    field(page, "Nationalities (ISO codes, e.g. IN, NP)").fill("IN")
    page.evaluate(
        """() => {
        const save = [...document.querySelectorAll("button")].find((button) => button.textContent.trim() === "Save draft");
        save.click();
        setTimeout(() => save.click(), 300);
    }"""
    )
    page.get_by_role("heading", level=1).filter(has_text="NR/").wait_for()  # the draft's page, whichever copy it answers
    assert len(copies) == 1, "the second click sent the form again"
    notice = NoticeRequest.objects.get()
    assert notice.family_name == "Kumari" and notice.nationalities == ["IN"] and page.url.endswith(notice.get_absolute_url())
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_the_htmx_reply_form_still_works_a_double_click_posts_one_message_and_the_next_reply_goes_out(live_server, page, delhi_people):
    ilo, uo = delhi_people
    thread = connect_services.thread_start(by=ilo, subject="Hawala trail", participants=[uo], body="Any news on the accounts?")
    browser_sign_in(page, live_server.url, uo)
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")

    page.get_by_label("Message:", exact=True).fill("Two accounts in Dubai.")
    page.get_by_role("button", name="Send").dblclick()
    page.wait_for_selector(".connect-message.mine >> text=Two accounts in Dubai.", timeout=6_000)
    page.get_by_label("Message:", exact=True).fill("Statements requested.")
    page.get_by_role("button", name="Send").click()  # the swapped-in form has its own key and working button
    page.wait_for_selector(".connect-message.mine >> text=Statements requested.", timeout=6_000)
    assert list(Message.objects.filter(thread=thread, author=uo).values_list("body", flat=True).order_by("pk")) == [
        "Two accounts in Dubai.",
        "Statements requested.",
    ]
