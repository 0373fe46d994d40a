"""The frame every module lives in: health, API document, languages, security headers, dashboards."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_the_openapi_document_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/accounts/users" in document["paths"]
    assert "/api/v1/directory/stations" in document["paths"]
    assert {"BearerToken", "VerifiedSession"} <= set(document["components"]["securitySchemes"])


def test_the_api_docs_load_their_assets_from_this_server_not_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_every_page_carries_a_content_security_policy_and_no_framing(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_load_no_asset_from_another_site(client):
    page = client.get("/accounts/login/").content.decode()
    assert "https://" not in page.replace('href="https://', "")  # no scripts, styles or fonts from elsewhere
    assert "/static/django_htmx/htmx" in page


def test_switching_to_hindi_translates_the_page(signed_in, delhi_ilo):
    client = signed_in(delhi_ilo)
    response = client.post("/i18n/setlang/", {"language": "hi", "next": "/dashboard/"})
    assert response.url == "/dashboard/"
    page = client.get("/dashboard/").content.decode()
    assert '<html lang="hi">' in page
    assert "डैशबोर्ड" in page
    assert "Dashboard</h1>" not in page


def test_the_language_switch_is_on_every_page(client):
    for url in ["/", "/accounts/login/"]:
        assert 'name="language" value="hi"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("persona", "present", "absent"),
    [
        ("ncb_admin", {"users", "audit", "notices", "insights"}, {"my_requests"}),
        ("delhi_ilo", {"users", "notices", "broadcast", "alerts", "insights"}, {"audit", "my_requests"}),
        ("delhi_uo", {"notices", "references", "records"}, {"users", "audit"}),
        ("delhi_station_officer", {"alerts", "records", "citizen"}, {"notices", "users", "insights"}),
        ("analyst", {"insights"}, {"records", "users", "directory"}),
        ("citizen", {"my_requests"}, {"records", "directory", "alerts"}),
    ],
)
def test_each_role_sees_its_own_dashboard(request, signed_in, persona, present, absent):
    response = signed_in(request.getfixturevalue(persona)).get("/dashboard/")
    keys = {module.key for module, _figures in response.context["cards"]}
    assert present <= keys
    assert not (absent & keys)


def test_the_demo_banner_says_the_data_is_invented(client, settings):
    settings.DEMO_MODE = True
    assert "invented" in client.get("/").content.decode()


def test_production_mode_passes_the_deployment_check():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-long-random-secret-for-the-deployment-check-only",
        "ALLOWED_HOSTS": "openpol.example.invalid",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "", "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_public_endpoints_are_rate_limited(client):
    # The window is fixed (it ends on the clock's minute): requests that straddle its end split their count between
    # two windows, so ask up to three times the limit; within a minute one window then holds more than the limit.
    statuses = []
    while 429 not in statuses and len(statuses) < 390:
        statuses.append(client.get("/healthz").status_code)
    assert 429 in statuses and set(statuses) == {200, 429}
