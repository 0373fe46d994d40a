"""In a real browser: a UO drafts a Red notice request, the ILO forwards it, the NCB approves it and records
INTERPOL's publication, and the UO sees it published."""

import pytest

from accounts.models import Role
from conftest import browser_sign_in, make_user
from directory.models import Agency, UnitOffice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(page, label: str):
    """A form field by its visible label (Django adds a colon after each)."""
    return page.get_by_label(f"{label}:", exact=True)


def test_a_red_notice_request_travels_from_the_uo_to_publication(live_server, page, screenshots):
    delhi = Agency.objects.get(code="PS-DL")
    unit = UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch")
    ilo = make_user("ilo.delhi", Role.ILO, agency=delhi)
    uo = make_user("uo.delhi", Role.UO, agency=delhi, unit=unit, supervisor=ilo)
    ncb = make_user("ncb.officer", Role.NCB_OFFICER, agency=Agency.objects.get(code="CBI"))
    base = live_server.url

    # The UO drafts a Red notice request.
    browser_sign_in(page, base, uo)
    page.goto(f"{base}/notices/new/")
    page.get_by_label("Red notice").check()
    page.get_by_role("button", name="Continue").click()
    fields = {
        "Family name": "Verma",
        "Forename(s)": "Rakesh Kumar",
        "Date of birth": "1984-03-14",
        "Year of birth": "1984",
        "Place of birth": "Meerut",
        "Height (cm)": "172",
        "Eye colour": "brown",
        "Hair colour": "black",
        "Distinguishing marks": "Scar on the left forearm",
        "Offence": "Murder",
        "Sections": "103(1)",
        "Warrant or decision number": "NBW 45/2025",
        "Date of the warrant or decision": "2025-06-02",
        "Issuing court or authority": "Chief Judicial Magistrate, New Delhi",
        "Summary of facts": "The subject shot a shopkeeper dead during a robbery in Connaught Place on 1 May 2025 and fled abroad.",
    }
    for label, value in fields.items():
        field(page, label).fill(value)
    field(page, "Sex").select_option("M")
    field(page, "Law").select_option("BNS")
    field(page, "Punishable with life imprisonment or death").check()
    field(page, "Sought for").select_option("prosecution")
    field(page, "Warrant or decision").select_option("arrest_warrant")
    page.get_by_label("Will extradition be sought?", exact=True).select_option("yes")
    field(page, "Category of offence").select_option("murder")
    field(page, "Nationalities (ISO codes, e.g. IN, NP)").fill("IN")
    page.get_by_role("button", name="Save draft").click()
    reference = page.get_by_role("heading", level=1).inner_text().split()[0]
    assert reference.startswith("NR/")
    page.get_by_role("button", name="Submit to the ILO").click()
    assert page.locator("#stage").inner_text() == "With the ILO for review"

    # The ILO finds it in the inbox and forwards it.
    browser_sign_in(page, base, ilo)
    page.goto(f"{base}/work/inbox/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Forward to the NCB").click()
    assert page.locator("#stage").inner_text() == "With the NCB for review"

    # The NCB approves (transmits) and records INTERPOL's publication.
    browser_sign_in(page, base, ncb)
    page.goto(f"{base}/work/inbox/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Approve and transmit to INTERPOL").click()
    assert page.locator("#stage").inner_text() == "Sent to INTERPOL"
    field(page, "INTERPOL's answer").select_option("published")
    field(page, "INTERPOL notice number").fill("A-1234/5-2026")
    page.get_by_role("button", name="Record INTERPOL's answer").click()
    assert page.locator("#stage").inner_text() == "Published by INTERPOL"

    # The UO sees it published, with INTERPOL's number.
    browser_sign_in(page, base, uo)
    page.goto(f"{base}/notices/")
    page.get_by_role("link", name=reference).click()
    assert page.locator("#stage").inner_text() == "Published by INTERPOL"
    assert page.locator("#interpol-number").inner_text() == "A-1234/5-2026"
    page.screenshot(path=str(screenshots / "notice-published.png"), full_page=True)
