"""Periodic jobs: the tick only enqueues, once however many workers tick; each job runs on its own task, and one that
raises stops no other; the last run of each is kept and shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs import services
from jobs.models import PeriodicJob

RAN: list[str] = []
JOBS = {"jobs.tests.test_periodic.job_raises": 60, "jobs.tests.test_periodic.job_counts": 300}


def job_raises():
    RAN.append("raises")
    raise ValueError("the mail server's certificate expired")


def job_counts() -> dict:
    RAN.append("counts")
    return {"sent": 3, "at": timezone.now()}


@pytest.fixture(autouse=True)
def _jobs(settings):
    settings.PERIODIC_JOBS = JOBS
    RAN.clear()


@pytest.mark.django_db
def test_a_job_that_raises_does_not_stop_the_others_and_each_outcome_is_kept():
    assert sorted(services.tick()) == sorted(JOBS)
    assert sorted(RAN) == ["counts", "raises"]
    failed = PeriodicJob.objects.get(path="jobs.tests.test_periodic.job_raises")
    ok = PeriodicJob.objects.get(path="jobs.tests.test_periodic.job_counts")
    assert failed.last_outcome == "failed" and "certificate expired" in failed.last_error
    assert ok.last_outcome == "ok" and ok.last_result["sent"] == 3 and ok.last_finished_at is not None


@pytest.mark.django_db
def test_a_job_is_enqueued_once_per_period_however_often_the_workers_tick():
    now = timezone.now()
    services.tick(now)
    assert services.tick(now + timedelta(seconds=1)) == []  # a second worker ticking at once
    assert services.tick(now + timedelta(seconds=61)) == ["jobs.tests.test_periodic.job_raises"]
    assert sorted(services.tick(now + timedelta(seconds=301))) == sorted(JOBS)
    assert RAN.count("raises") == 3 and RAN.count("counts") == 2


@pytest.mark.django_db
def test_a_changed_period_takes_effect_at_the_next_tick(settings):
    now = timezone.now()
    services.tick(now)
    settings.PERIODIC_JOBS = {**JOBS, "jobs.tests.test_periodic.job_counts": 10}
    assert services.tick(now + timedelta(seconds=1)) == ["jobs.tests.test_periodic.job_counts"]
    assert PeriodicJob.objects.get(path="jobs.tests.test_periodic.job_counts").every_seconds == 10


@pytest.mark.django_db
def test_the_system_administrator_sees_each_jobs_last_run(client, signed_in, sysadmin):
    services.tick()
    signed_in(sysadmin)
    page = client.get("/jobs/").content.decode()
    assert "job_raises" in page and "certificate expired" in page
    assert "job_counts" in page and "&#x27;sent&#x27;: 3" in page
