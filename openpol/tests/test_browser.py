"""The main journey in a real browser: an ILO signs in with a TOTP code and reads the dashboard in Hindi."""

import pytest

from accounts.models import Role
from conftest import PASSWORD, current_code, make_user
from directory.models import Agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_ilo_signs_in_with_a_totp_code_and_sees_the_dashboard_in_hindi(live_server, page, screenshots):
    ilo = make_user("ilo.delhi", Role.ILO, agency=Agency.objects.get(code="PS-DL"))

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_label("Username").fill("ilo.delhi")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("Code").fill(current_code(ilo))
    page.get_by_role("button", name="Verify").click()

    page.get_by_label("I have read the notice").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert "Delhi Police" in page.content()

    page.get_by_role("button", name="हिन्दी").click()
    assert page.get_by_role("heading", level=1).inner_text() == "डैशबोर्ड"
    assert page.locator("html").get_attribute("lang") == "hi"
    assert page.get_by_role("heading", name="इंटरपोल नोटिस").count() == 1
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(screenshots / "ilo-dashboard-hi.png"), full_page=True)


def test_a_wrong_code_keeps_the_officer_out_with_a_message(live_server, page):
    ilo = make_user("ilo.delhi", Role.ILO, agency=Agency.objects.get(code="PS-DL"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ilo.delhi")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wrong = "000000" if current_code(ilo) != "000000" else "111111"
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Verify").click()
    assert "not right" in page.locator(".errorlist").inner_text()
    assert "/accounts/signin/code/" in page.url


def test_bold_hindi_is_drawn_with_the_bundled_devanagari_font_not_a_system_font(live_server, page):
    """A browser without a Devanagari font of its own (as this one) must still draw headings, labels and buttons in
    Hindi: the bundled face comes first in the font list, so no system font that lacks the letters is asked first."""
    page.context.add_cookies([{"name": "django_language", "value": "hi", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.fonts.ready")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    checked = 0
    for selector in ("h1", "label", "button[type=submit]"):
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
            text = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
            if not any("\u0900" <= ch <= "\u097f" for ch in text):
                continue
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            assert any(f["isCustomFont"] and "Devanagari" in f["postScriptName"] for f in fonts), (selector, fonts)
            checked += 1
    assert checked >= 3  # the heading, the field labels and the button are in Hindi
