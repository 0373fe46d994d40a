"""Per-address limits (openpol/limits.py): every URL anyone may ask without signing in answers 429 past its rate."""

import re
import time
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from accounts import services as accounts_services
from citizen import views as citizen_views
from conftest import PASSWORD, sign_in
from openpol import limits

pytestmark = pytest.mark.django_db

SAMPLES = {"str": "x", "slug": "x", "path": "x", "int": "1", "uuid": "00000000-0000-0000-0000-000000000000"}


def every_url(patterns=None, prefix: str = "") -> list[str]:
    """One concrete URL for every pattern of the URL configuration, its parameters filled with samples."""
    urls = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            urls += every_url(pattern.url_patterns, route)
            continue
        assert not route.startswith("^"), f"{route}: a regular expression; teach every_url to fill it"
        urls.append("/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m[1] or "str"], route))
    return sorted(set(urls))


def test_every_url_answers_429_to_an_anonymous_client_past_the_public_rate(settings):
    settings.PUBLIC_RATE = "2/m"
    client = Client(raise_request_exception=False)  # a page failing on a sample parameter is not what this checks
    unlimited = []
    urls = every_url()
    assert len(urls) > 150 and "/services/verify/x" in urls and "/api/v1/citizen/services" in urls
    for url in urls:
        statuses = [client.get(url).status_code for _ in range(2)]
        response = client.get(url)
        if 429 in statuses or response.status_code != 429 or not response.has_header("Retry-After"):
            unlimited.append((url, statuses, response.status_code))
    assert unlimited == []


def test_a_url_nothing_matches_is_limited_too(client, settings):
    settings.PUBLIC_RATE = "1/m"
    assert client.get("/no-such-page/").status_code in (302, 404)
    assert client.get("/another-missing-page/").status_code == 429


def test_the_429_page_is_in_the_visitors_language_and_says_when_to_retry(client, settings):
    settings.PUBLIC_RATE = "1/m"
    client.get("/", HTTP_ACCEPT_LANGUAGE="hi")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 429
    assert "आपके कनेक्शन से बहुत अधिक अनुरोध" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_longer_wait_is_told_in_minutes(client, settings, monkeypatch):
    settings.PUBLIC_RATE = "1/h"
    # The hour's window ends on the clock's hour: a run in its last minute would be told seconds. Start of an hour.
    start_of_hour = int(time.time()) // 3600 * 3600 + 5
    monkeypatch.setattr(time, "time", lambda: float(start_of_hour))
    client.get("/services/stations/")
    response = client.get("/services/stations/")
    assert response.status_code == 429
    minutes = -(-int(response["Retry-After"]) // 60)
    assert f"Try again in {minutes} minute" in response.content.decode()
    hindi = Client(REMOTE_ADDR="192.0.2.9", HTTP_ACCEPT_LANGUAGE="hi")
    hindi.get("/services/stations/")
    assert "मिनट बाद पुनः प्रयास करें" in hindi.get("/services/stations/").content.decode()


def test_an_api_client_past_the_limit_gets_json_with_retry_after(client, settings):
    settings.PUBLIC_RATE = "2/m"
    assert [client.get("/api/v1/citizen/services").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/citizen/services")
    assert response.status_code == 429
    assert "Too many requests" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1


def test_open311_past_the_limit_answers_in_its_own_error_format(client, settings):
    settings.PUBLIC_RATE = "1/m"
    assert client.get("/open311/v2/services.json").status_code == 200
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429
    assert response.has_header("Retry-After")


def test_each_url_pattern_has_its_own_count(client, settings):
    settings.PUBLIC_RATE = "1/m"
    assert client.get("/services/stations/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/services/stations/").status_code == 429


def test_a_new_reference_in_the_url_does_not_start_a_new_count(client, settings):
    settings.PUBLIC_RATE = "2/m"
    statuses = [client.get(f"/services/verify/CODE{n}").status_code for n in range(3)]
    assert statuses[:2] == [404, 404] and statuses[2] == 429


def test_another_address_is_not_affected(client, settings):
    settings.PUBLIC_RATE = "1/m"
    client.get("/services/stations/")
    assert client.get("/services/stations/").status_code == 429
    assert client.get("/services/stations/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_an_ipv6_client_counts_by_its_64_network(client, settings):
    settings.PUBLIC_RATE = "1/m"
    assert client.get("/healthz", REMOTE_ADDR="2001:db8:1:2::10").status_code == 200
    assert client.get("/healthz", REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert client.get("/healthz", REMOTE_ADDR="2001:db8:1:3::10").status_code == 200


def test_a_signed_in_officer_is_not_held_to_the_public_rate(client, settings, delhi_ilo):
    settings.PUBLIC_RATE = "1/m"
    sign_in(client, delhi_ilo)
    assert [client.get("/").status_code for _ in range(3)] == [302, 302, 302]
    assert client.get("/api/v1/directory/states").status_code == 200


def test_a_bearer_header_does_not_lift_the_limit_on_a_public_operation(client, settings):
    settings.PUBLIC_RATE = "2/m"
    header = {"HTTP_AUTHORIZATION": "Bearer opk_made_up"}
    statuses = [client.get("/api/v1/citizen/services", **header).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_calls_with_a_valid_token_are_not_counted_as_anonymous(client, settings, delhi_ilo):
    settings.PUBLIC_RATE = "1/m"
    raw = accounts_services.api_token_create(user=delhi_ilo, name="script", scopes=["directory:read"])
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert [client.get("/api/v1/directory/states", **header).status_code for _ in range(3)] == [200, 200, 200]


def test_the_count_starts_again_when_the_window_ends(client, settings, monkeypatch):
    settings.PUBLIC_RATE = "1/m"
    client.get("/healthz")
    response = client.get("/healthz")
    assert response.status_code == 429
    later = limits.time.time() + int(response["Retry-After"])
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: later))
    assert client.get("/healthz").status_code == 200


def test_limits_can_be_switched_off(client, settings):
    settings.PUBLIC_RATE = "1/m"
    settings.RATELIMIT_ENABLE = False
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]


# --- Signing in ------------------------------------------------------------------------------


def test_the_sign_in_form_takes_login_rate_posts_per_address(client, settings, delhi_ilo):
    settings.LOGIN_RATE = "3/m"
    statuses = [client.post(reverse("accounts:login"), {"username": "delhi_ilo", "password": "wrong"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert client.get(reverse("accounts:login")).status_code == 200  # the form itself is still shown
    other = Client(REMOTE_ADDR="192.0.2.8")
    assert other.post(reverse("accounts:login"), {"username": "delhi_ilo", "password": PASSWORD}).status_code == 302


def test_the_second_factor_step_counts_per_account(client, settings, delhi_ilo):
    settings.LOGIN_RATE = "2/m"
    client.post(reverse("accounts:login"), {"username": "delhi_ilo", "password": PASSWORD})
    statuses = [client.post(reverse("accounts:mfa_verify"), {"code": "000000"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_a_citizen_page_with_its_own_limit_also_says_when_to_retry(client, settings, monkeypatch):
    monkeypatch.setattr(citizen_views, "VEHICLE_RATE", "1/h")
    client.post(reverse("citizen_public:vehicle_noc"), {"registration": "DL1CA0001"})
    response = client.post(reverse("citizen_public:vehicle_noc"), {"registration": "DL1CA0002"})
    assert response.status_code == 429
    assert "Wait an hour" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 3600


# --- The counter -------------------------------------------------------------------------------


@pytest.mark.parametrize(("rate", "expected"), [("120/m", (120, 60)), ("10/5m", (10, 300)), ("3/h", (3, 3600)), ("1/d", (1, 86400))])
def test_a_rate_reads_as_a_count_per_period(rate, expected):
    assert limits.parse_rate(rate) == expected


def test_a_misspelt_rate_is_refused_with_an_example():
    with pytest.raises(Exception, match="120/m"):
        limits.parse_rate("120 per minute")
