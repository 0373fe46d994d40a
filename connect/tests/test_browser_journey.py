"""In a real browser: a UO keeps a thread open, the ILO's messages appear without a reload, and the UO's reply goes out."""

import pytest

from accounts.models import Role
from conftest import browser_sign_in, make_user
from connect import services
from directory.models import Agency, UnitOffice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_messages_appear_without_reloading_and_a_reply_goes_out(live_server, page):
    delhi = Agency.objects.get(code="PS-DL")
    unit = UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch")
    ilo = make_user("ilo.delhi", Role.ILO, agency=delhi)
    uo = make_user("uo.delhi", Role.UO, agency=delhi, unit=unit, supervisor=ilo)
    thread = services.thread_start(by=ilo, subject="Hawala trail", participants=[uo], body="Any news on the accounts?")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    browser_sign_in(page, live_server.url, uo)
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    page.wait_for_selector("text=Any news on the accounts?")
    page.evaluate("window.__notReloaded = true")

    services.message_post(by=ilo, thread=thread, body="The bank answered: two accounts in Dubai.")
    page.wait_for_selector("text=The bank answered: two accounts in Dubai.", timeout=9_000)

    page.get_by_label("Message:", exact=True).fill("Thank you, I will request the statements.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(".connect-message.mine >> text=Thank you, I will request the statements.", timeout=6_000)
    assert page.get_by_label("Message:", exact=True).input_value() == ""  # a fresh form
    assert page.locator(".connect-message").count() == 3  # each message once
    assert page.evaluate("window.__notReloaded") is True
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert thread.messages.last().body == "Thank you, I will request the statements."
