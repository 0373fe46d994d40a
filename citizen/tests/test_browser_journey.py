"""On a small phone, in Hindi: a citizen files a complaint, the station acts on it, the citizen sees the new status and has the e-mail."""

from email.header import decode_header, make_header

import pytest

from accounts.models import Role
from citizen.models import CitizenRequest
from conftest import PASSWORD, browser_sign_in, make_user
from directory.models import District, PoliceStation


def _citizen_sign_in(page, base_url, user, next_url):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
def test_a_citizen_files_a_complaint_in_hindi_on_a_phone_and_sees_the_stations_step(phone_page, live_server, mailbox, screenshots):
    from directory.models import Agency

    delhi = Agency.objects.get(code="PS-DL")
    station = PoliceStation.objects.create(
        code="T-DL-PS9",
        name="Parliament Street",
        district=District.objects.filter(state=delhi.state).first(),
        agency=delhi,
        lat=28.62,
        lon=77.21,
        pincode="110001",
        email="ps@delhi.invalid",
    )
    officer = make_user("delhi_sho", Role.STATION_OFFICER, agency=delhi, station=station)
    citizen = make_user("citizen", Role.CITIZEN)
    page = phone_page

    _citizen_sign_in(page, live_server.url, citizen, "/services/new/complaint/")
    page.get_by_role("button", name="हिन्दी").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "hi"
    # The page is in Hindi now: fields are found by name, whatever their translated labels say.
    page.locator("[name=pincode]").fill("110001")
    page.locator("[name=category]").select_option("cyber")
    page.locator("[name=occurred_on]").fill("2025-01-10")
    page.locator("[name=place]").fill("Online, UPI")
    page.locator("[name=description]").fill("Someone took 5000 rupees by a fake UPI request.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshots / "citizen-complaint-phone-hi.png"), full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/services/r/DP-*/")
    request = CitizenRequest.objects.get()
    assert request.station == station

    browser_sign_in(page, live_server.url, officer)
    page.goto(f"{live_server.url}/station/r/{request.reference}/")
    page.locator("#note-accept").fill("We have begun the enquiry; the cyber cell is tracing the UPI ID.")
    page.locator("form[action$='/steps/accept/'] button[type=submit]").click()
    page.wait_for_load_state()
    request.refresh_from_db()
    assert request.stage == CitizenRequest.Stage.IN_PROGRESS

    _citizen_sign_in(page, live_server.url, citizen, f"/services/r/{request.reference}/")
    assert "Being processed" in page.locator("#status").inner_text()
    page.screenshot(path=str(screenshots / "citizen-status-phone.png"), full_page=True)
    # The citizen switched the portal to Hindi, so the portal writes in Hindi too, whatever the officer's language.
    citizen.refresh_from_db()
    assert citizen.language == "hi"
    messages = mailbox.wait_for(3)
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in messages if m["To"] == citizen.email]
    assert any("कार्यवाही जारी है" in subject for subject in subjects)  # "Being processed"


@pytest.mark.browser
def test_on_a_phone_in_hindi_a_citizen_answers_with_the_file_asked_for_then_rates_the_closed_request(
    phone_page, live_server, mailbox, screenshots
):
    from citizen import services
    from citizen.tests.conftest import complaint_details
    from conftest import pdf_bytes
    from directory.models import Agency

    delhi = Agency.objects.get(code="PS-DL")
    station = PoliceStation.objects.create(
        code="T-DL-PS8",
        name="Connaught Place",
        district=District.objects.filter(state=delhi.state).first(),
        agency=delhi,
        pincode="110001",
        lat=28.63,
        lon=77.22,
    )
    officer = make_user("delhi_sho", Role.STATION_OFFICER, agency=delhi, station=station)
    citizen = make_user("citizen", Role.CITIZEN)
    request = services.request_create(by=citizen, service="complaint", details=complaint_details(), station=station)
    services.request_ask_info(request=request, by=officer, note="Send the phone's bill.")
    page = phone_page

    _citizen_sign_in(page, live_server.url, citizen, f"/services/r/{request.reference}/")
    page.get_by_role("button", name="हिन्दी").click()
    page.wait_for_load_state()
    page.locator("[name=text]").fill("बिल संलग्न है।")
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "bill.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("The phone's bill (test).")}]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("form[action$='/answer/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "साथ में फ़ाइल bill.pdf" in page.locator("main").inner_text()
    request.refresh_from_db()
    assert request.stage == CitizenRequest.Stage.SUBMITTED
    assert request.messages.get(from_citizen=True).attachment.original_name == "bill.pdf"

    services.request_accept(request=request, by=officer)
    services.request_close(request=request, by=officer, note="Phone returned to the complainant.")
    page.reload()
    page.locator("input[name=rating][value='5']").check()
    page.locator("[name=comment]").fill("धन्यवाद, बहुत जल्दी काम हुआ।")
    page.screenshot(path=str(screenshots / "citizen-feedback-phone-hi.png"), full_page=True)
    page.locator("form[action$='/feedback/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "बहुत अच्छी: धन्यवाद, बहुत जल्दी काम हुआ।" in page.locator("#feedback").inner_text()


@pytest.mark.browser
def test_on_a_phone_in_hindi_a_citizen_reports_a_lost_passport_and_downloads_the_report_at_once(phone_page, live_server, mailbox):
    from pathlib import Path

    from directory.models import Agency

    delhi = Agency.objects.get(code="PS-DL")
    district = District.objects.filter(state=delhi.state).first()
    PoliceStation.objects.create(
        code="T-DL-PS7", name="Barakhamba Road", district=district, agency=delhi, pincode="110001", lat=28.63, lon=77.22
    )
    citizen = make_user("citizen", Role.CITIZEN)
    page = phone_page

    _citizen_sign_in(page, live_server.url, citizen, "/services/new/lost_report/")
    page.get_by_role("button", name="हिन्दी").click()
    page.wait_for_load_state()
    assert "खोई वस्तु या दस्तावेज़ की रिपोर्ट" in page.locator("main").inner_text()
    page.locator("[name=pincode]").fill("110001")
    page.locator("[name=article]").select_option("passport")
    page.locator("[name=article_number]").fill("Z1234567")
    page.locator("[name=occurred_on]").fill("2026-01-10")
    page.locator("[name=place]").fill("Rajiv Chowk metro station")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/services/r/DP-*/")
    report = CitizenRequest.objects.get(service="lost_report")
    assert report.stage == CitizenRequest.Stage.ISSUED
    with page.expect_download() as download:
        page.locator("main a[href$='.pdf']").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
