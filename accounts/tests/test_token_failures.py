"""Failed bearer tokens (accounts.services.api_token_authenticate): limited per address, audited in bounded entries."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from audit.models import AuditEntry
from audit.services import verify_chain
from openpol import limits

pytestmark = pytest.mark.django_db
ME = "/api/v1/accounts/me"


def bearer(raw: str, address: str = "203.0.113.5") -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "REMOTE_ADDR": address}


def forged(n: int) -> str:
    return f"opk_{n:012x}_not-a-real-secret"


def token_entries():
    return AuditEntry.objects.filter(action__startswith="api_token.").exclude(action="api_token.create").order_by("id")


@pytest.fixture
def ten_per_minute(settings):
    settings.TOKEN_FAILURE_RATE = "10/m"


def test_forged_tokens_are_answered_401_then_429_past_the_limit(client, ten_per_minute):
    statuses = [client.get(ME, **bearer(forged(n))).status_code for n in range(12)]
    assert statuses == [401] * 10 + [429] * 2
    refused = client.get(ME, **bearer(forged(99)))
    assert "Too many requests" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_a_refused_token_is_not_even_looked_up(client, ten_per_minute, django_assert_num_queries):
    for n in range(10):
        client.get(ME, **bearer(forged(n)))
    with django_assert_num_queries(0):
        assert client.get(ME, **bearer(forged(10))).status_code == 429


def test_two_hundred_forged_tokens_leave_two_audit_entries_that_tell_the_count(client, ten_per_minute):
    for n in range(200):
        client.get(ME, **bearer(forged(n)))
    first, flood = token_entries()
    assert (first.action, first.data, first.ip) == ("api_token.rejected", {"reason": "unknown or forged"}, "203.0.113.5")
    assert flood.action == "api_token.flood"
    assert flood.data["failures"] == 10 and flood.data["reasons"] == {"unknown or forged": 10}
    assert "10 refused bearer tokens from 203.0.113.5 within 60 s" in flood.data["summary"]
    assert verify_chain().ok


def test_the_next_window_tells_how_many_were_refused_unread(client, ten_per_minute, monkeypatch):
    for n in range(200):
        client.get(ME, **bearer(forged(n)))
    later = limits.time.time() + 60
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: later))
    assert client.get(ME, **bearer(forged(200))).status_code == 401
    assert token_entries().last().data == {"reason": "unknown or forged", "refused_unread_before": 190}
    assert token_entries().count() == 3


def test_a_valid_token_from_another_address_is_unaffected(client, ten_per_minute, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    for n in range(20):
        client.get(ME, **bearer(forged(n)))
    assert client.get(ME, **bearer(raw, address="198.51.100.9")).json()["username"] == "delhi_ilo"
    assert client.get(ME, **bearer(raw)).status_code == 429  # the flooding address waits, whatever it sends


def test_each_reason_is_kept_in_the_trail_once_per_window(client, ten_per_minute, delhi_ilo, ncb_admin):
    expired = services.api_token_create(user=delhi_ilo, name="old", scopes=["users:read"])
    ApiToken.objects.filter(name="old").update(expires_at=timezone.now() - timedelta(days=1))
    revoked = services.api_token_create(user=delhi_ilo, name="gone", scopes=["users:read"])
    services.api_token_revoke(token=ApiToken.objects.get(name="gone"), by=delhi_ilo)
    for raw in (forged(1), expired, revoked, forged(2), expired, revoked):
        assert client.get(ME, **bearer(raw)).status_code == 401
    rejected = AuditEntry.objects.filter(action="api_token.rejected").order_by("id")
    assert [(e.data["reason"], e.target_repr.split(" ")[0]) for e in rejected] == [
        ("unknown or forged", ""),
        ("expired", "old"),
        ("revoked", "gone"),
    ]


def test_the_flood_entry_counts_each_reason(client, settings, delhi_ilo):
    settings.TOKEN_FAILURE_RATE = "4/m"
    expired = services.api_token_create(user=delhi_ilo, name="old", scopes=["users:read"])
    ApiToken.objects.filter(name="old").update(expires_at=timezone.now() - timedelta(days=1))
    for raw in (forged(1), expired, forged(2), forged(3), forged(4)):
        client.get(ME, **bearer(raw))
    flood = AuditEntry.objects.get(action="api_token.flood")
    assert flood.data["reasons"] == {"unknown or forged": 3, "expired": 1}


def test_a_disabled_users_token_is_refused_with_its_reason(client, ten_per_minute, ncb_admin, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    delhi_ilo.is_active = False
    delhi_ilo.save(update_fields=["is_active"])
    assert client.get(ME, **bearer(raw)).status_code == 401
    assert AuditEntry.objects.get(action="api_token.rejected").data == {"reason": "user disabled"}
