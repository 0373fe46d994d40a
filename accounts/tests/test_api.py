from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, Role, User
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_anonymous_is_refused_with_a_clear_message(client):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert "bearer token" in response.json()["detail"]


def test_a_token_identifies_its_user(client, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    response = client.get("/api/v1/accounts/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "delhi_ilo"


def test_forged_tokens_are_refused_and_the_first_from_an_address_is_audited(client, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert client.get("/api/v1/accounts/me", **bearer(forged)).status_code == 401
    assert client.get("/api/v1/accounts/me", **bearer("opk_nothing_here")).status_code == 401
    # One entry per reason, address and minute: a flood cannot grow the trail (accounts/tests/test_token_failures.py).
    assert AuditEntry.objects.get(action="api_token.rejected").data == {"reason": "unknown or forged"}


def test_an_expired_token_is_refused(client, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/accounts/me", **bearer(raw)).status_code == 401
    assert AuditEntry.objects.get(action="api_token.rejected").data == {"reason": "expired"}


def test_a_revoked_token_is_refused(client, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    services.api_token_revoke(token=ApiToken.objects.get(), by=delhi_ilo)
    assert client.get("/api/v1/accounts/me", **bearer(raw)).status_code == 401


def test_a_token_without_the_scope_may_not_use_the_endpoint(client, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["directory:read"])
    response = client.get("/api/v1/accounts/users", **bearer(raw))
    assert response.status_code == 403
    assert "users:read" in response.json()["detail"]


def test_the_token_only_stores_a_hash_of_its_secret(delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    token = ApiToken.objects.get()
    assert raw.split("_", 2)[2] not in token.secret_hash


def test_create_api_token_prints_a_working_token(client, delhi_ilo, capsys):
    call_command("create_api_token", "delhi_ilo", "--scope", "directory:read", "--days", "7")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("opk_")
    assert client.get("/api/v1/directory/states", **bearer(raw)).status_code == 200
    assert timedelta(days=6) < ApiToken.objects.get().expires_at - timezone.now() <= timedelta(days=7)


def test_citizens_cannot_hold_api_tokens(citizen):
    with pytest.raises(Exception, match="police"):
        services.api_token_create(user=citizen, name="x", scopes=["directory:read"])


def test_another_jurisdiction_gets_404_through_the_api(client, mumbai_ilo, delhi_uo):
    raw = services.api_token_create(user=mumbai_ilo, name="script", scopes=["users:read"])
    assert client.get(f"/api/v1/accounts/users/{delhi_uo.pk}", **bearer(raw)).status_code == 404
    assert client.get(f"/api/v1/accounts/users/{mumbai_ilo.pk}", **bearer(raw)).status_code == 200


def test_an_ilo_creates_a_uo_through_the_api(client, delhi_ilo, delhi_crime_branch):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:write"])
    response = client.post(
        "/api/v1/accounts/users",
        {"role": "uo", "username": "uo.api", "email": "uo.api@example.invalid", "unit": delhi_crime_branch.code},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 201, response.content
    assert response.json()["user"]["unit"] == delhi_crime_branch.code
    assert User.objects.get(username="uo.api").role == Role.UO


def test_the_api_explains_field_errors_and_writes_nothing(client, mumbai_ilo, delhi_crime_branch):
    raw = services.api_token_create(user=mumbai_ilo, name="script", scopes=["users:write"])
    response = client.post(
        "/api/v1/accounts/users",
        {"role": "uo", "username": "uo.api", "email": "uo.api@example.invalid", "unit": delhi_crime_branch.code},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422
    assert "unit" in response.json()["errors"]
    assert not User.objects.filter(username="uo.api").exists()


def test_a_read_only_role_cannot_write_through_the_api(client, delhi_uo, delhi_crime_branch):
    raw = services.api_token_create(user=delhi_uo, name="script", scopes=["users:write"])
    response = client.post(
        "/api/v1/accounts/users",
        {"role": "uo", "username": "uo.api", "email": "uo.api@example.invalid", "unit": delhi_crime_branch.code},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403


def test_a_session_without_the_second_factor_cannot_use_the_api(client, delhi_ilo):
    client.force_login(delhi_ilo)
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_a_fully_signed_in_session_can_use_the_api(signed_in, delhi_ilo):
    assert signed_in(delhi_ilo).get("/api/v1/accounts/me").json()["role"] == "ilo"
