"""Re-screening: open items are screened again against all records, on demand and nightly, without doing anything twice."""

import json
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts import services as alert_services
from alerts.tests.conftest import alert_data
from audit.models import AuditEntry
from jobs import services as jobs
from jobs.models import PeriodicJob
from records import crossmatch, services
from records.models import Hit, ScreeningRun
from records.tests.conftest import hit_mails

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert_before_the_record(delhi_station_officer):
    """An alert published before the car it names was reported stolen: nothing matched when it arrived."""
    return alert_services.alert_publish(
        by=delhi_station_officer, data=alert_data(persons=[], vehicles=[{"registration": "MH12DE0042"}], severity="Moderate")
    )


def test_rescreen_finds_a_record_added_after_the_item_and_is_idempotent(
    alert_before_the_record, stolen_car, mumbai_ilo, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = crossmatch.rescreen()
    assert first["new"] == 1 and first["notified"] == 1 and first["by_kind"]["alerts"] == 1
    assert Hit.objects.get().vehicle == stolen_car
    assert len(hit_mails(mailbox, 1)) >= 1
    sent = len(hit_mails(mailbox))

    with django_capture_on_commit_callbacks(execute=True):
        second = crossmatch.rescreen()
    assert second["new"] == 0 and second["notified"] == 0 and second["hits"] == 1
    assert Hit.objects.count() == 1 and len(hit_mails(mailbox, timeout=0.2)) == sent
    assert ScreeningRun.objects.filter(finished_at__isnull=False).count() == 2
    assert AuditEntry.objects.filter(action="records.rescreen", actor__isnull=True).count() == 2


def test_rescreen_leaves_decided_hits_as_decided(alert_before_the_record, stolen_car, mumbai_ilo):
    crossmatch.rescreen()
    services.hit_decide(hit=Hit.objects.get(), by=mumbai_ilo, confirmed=False, note="Plate cloned: chassis differs")
    crossmatch.rescreen()
    assert Hit.objects.get().status == Hit.Status.REJECTED


def test_cancelled_and_expired_alerts_are_not_rescreened(alert_before_the_record, stolen_car, delhi_station_officer):
    alert_services.alert_cancel(alert=alert_before_the_record, by=delhi_station_officer, note="Vehicle found")
    assert crossmatch.rescreen()["items"] == 0
    assert not Hit.objects.exists()


def test_the_command_prints_one_json_line_of_totals(alert_before_the_record, stolen_car):
    out = StringIO()
    call_command("rescreen_records", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["trigger"] == "manual" and summary["new"] == 1 and summary["errors"] == 0 and "seconds" in summary


def test_the_nightly_rescreening_runs_once_a_night_after_the_hour(alert_before_the_record, stolen_car, settings):
    assert "records.crossmatch.rescreen_nightly" in settings.PERIODIC_JOBS
    settings.RECORDS_RESCREEN_HOUR = 1
    night = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    assert crossmatch.rescreen_nightly(night + timedelta(minutes=30)) == {"ran": False, "new": 0}  # before the hour
    assert not ScreeningRun.objects.exists()
    assert crossmatch.rescreen_nightly(night + timedelta(hours=1, minutes=5)) == {"ran": True, "new": 1}
    assert crossmatch.rescreen_nightly(night + timedelta(hours=1, minutes=10)) == {"ran": False, "new": 0}  # already run tonight
    assert ScreeningRun.objects.get().trigger == ScreeningRun.Trigger.NIGHTLY
    # the next night runs, finding nothing new
    assert crossmatch.rescreen_nightly(night + timedelta(days=1, hours=2)) == {"ran": True, "new": 0}
    assert ScreeningRun.objects.count() == 2


def test_the_periodic_job_keeps_what_the_nightly_run_found(alert_before_the_record, stolen_car, settings):
    settings.RECORDS_RESCREEN_HOUR = 0
    settings.PERIODIC_JOBS = {"records.crossmatch.rescreen_nightly": 900}
    assert jobs.tick() == ["records.crossmatch.rescreen_nightly"]
    jobs.run_ready()
    job = PeriodicJob.objects.get(path="records.crossmatch.rescreen_nightly")
    assert job.last_outcome == PeriodicJob.Outcome.OK and job.last_result == {"ran": True, "new": 1}
    assert Hit.objects.get().vehicle == stolen_car
