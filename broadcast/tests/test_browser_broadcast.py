"""In a real browser: the NCB disseminates an item from abroad to two ILOs; one acknowledges and reports action,
the other becomes overdue and is reminded; the NCB sees it all in the live table and closes the item."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from broadcast import services
from broadcast.models import Dissemination
from conftest import browser_sign_in, make_user
from directory.models import Agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ncb_follows_a_broadcast_to_two_ilos_and_closes_it(live_server, page, screenshots, mailbox):
    ncb = make_user("ncb.officer", Role.NCB_OFFICER, agency=Agency.objects.get(code="CBI"))
    delhi = make_user("ilo.delhi", Role.ILO, agency=Agency.objects.get(code="PS-DL"))
    make_user("ilo.maharashtra", Role.ILO, agency=Agency.objects.get(code="PS-MH"))
    base = live_server.url

    browser_sign_in(page, base, ncb)
    page.goto(f"{base}/broadcasts/new/")
    page.get_by_label("Kind:").select_option("diffusion")
    page.get_by_label("From:").select_option("FR")
    page.get_by_label("Title:").fill("Counterfeit euro network")
    page.get_by_label("Summary:").fill("Locate the two persons named and report any trace.")
    page.get_by_label("Persons:").fill("Jean Dupont; 1979-04-02; FR")
    page.get_by_role("button", name="Register", exact=True).click()
    reference = page.get_by_role("heading", level=1).inner_text().split(":")[0]

    page.get_by_label("Delhi Police").check()
    page.get_by_label("Maharashtra Police").check()
    page.get_by_label("Purpose:").select_option("action")
    page.get_by_label("Due:").fill((timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Disseminate").last.click()
    assert page.locator("#stage").inner_text() == "Disseminated"

    browser_sign_in(page, base, delhi)
    page.goto(f"{base}/work/inbox/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Acknowledge receipt").click()
    page.get_by_label("Action taken and findings:").fill("Jean Dupont stayed in Paharganj in March; no current trace.")
    page.get_by_role("button", name="Report the action taken").click()

    # Maharashtra does nothing; its deadline passes and the periodic job reminds it.
    Dissemination.objects.filter(agency__code="PS-MH").update(due_at=timezone.now() - timedelta(hours=1))
    assert services.broadcast_reminders_send() == 1

    browser_sign_in(page, base, ncb)
    page.goto(f"{base}/broadcasts/")
    page.get_by_role("link", name=reference).click()
    delhi_row = page.locator('tr[data-recipient="Delhi Police"]')
    mumbai_row = page.locator('tr[data-recipient="Maharashtra Police"]')
    assert "Paharganj" in delhi_row.inner_text()
    assert "Overdue" in mumbai_row.inner_text() and mumbai_row.locator("td").last.inner_text() == "1"
    assert "Paharganj" in page.get_by_label("Reply to the foreign country:").input_value()
    page.get_by_role("button", name="Record the reply as sent").click()
    page.get_by_label("Why it is closed:").fill("Replied to France; Maharashtra reminded, no trace expected.")
    page.get_by_role("button", name="Close the item").click()
    assert page.locator("#stage").inner_text() == "Closed"
    page.screenshot(path=str(screenshots / "broadcast-closed.png"), full_page=True)
