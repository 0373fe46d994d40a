"""Keys are remembered for a day: the periodic job forgets older ones, and so does their next use."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from idempotency import services
from idempotency.models import IdempotencyKey
from idempotency.tests.test_api import KEY, bearer, draft
from jobs.models import PeriodicJob
from notices.models import NoticeRequest

pytestmark = pytest.mark.django_db


def age(hours: float) -> None:
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=hours))


def test_the_periodic_job_forgets_keys_older_than_a_day_and_keeps_the_others(client, delhi_uo):
    auth = bearer(delhi_uo)
    draft(client, auth, key="old")
    age(25)
    draft(client, auth, key="recent")
    assert services.keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_the_purge_is_a_periodic_job_that_the_tick_enqueues_and_its_result_is_kept(client, delhi_uo, capsys):
    assert "idempotency.services.keys_purge" in settings.PERIODIC_JOBS
    draft(client, bearer(delhi_uo))
    age(30)
    call_command("workflow_tick")
    assert "idempotency.services.keys_purge" in json.loads(capsys.readouterr().out)["enqueued"]
    assert not IdempotencyKey.objects.exists()
    assert PeriodicJob.objects.get(path="idempotency.services.keys_purge").last_result == 1


def test_a_key_older_than_a_day_is_a_new_request_even_before_the_purge(client, delhi_uo):
    auth = bearer(delhi_uo)
    draft(client, auth)
    age(24.5)
    later = draft(client, auth, family_name="Sharma")
    assert later.status_code == 201 and "Idempotent-Replayed" not in later
    assert NoticeRequest.objects.count() == 2
    assert IdempotencyKey.objects.get().key == KEY


def test_a_key_keeps_the_answer_and_not_the_credential(client, delhi_uo):
    auth = bearer(delhi_uo)
    draft(client, auth)
    record = IdempotencyKey.objects.get()
    assert record.status == 201 and record.method == "POST" and record.path == "/api/v1/notices/"
    assert auth["Authorization"].split()[1] not in record.owner and record.owner.startswith("authorization:")
