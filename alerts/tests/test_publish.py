"""Publishing, updating and cancelling alerts; refusals; recipients; e-mail and reminders."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from alerts import services
from alerts.models import Alert, AlertVersion, Delivery, Subscription
from alerts.tests.conftest import alert_data
from directory.models import District, PoliceStation
from jobs.services import READY, run_ready

pytestmark = pytest.mark.django_db


def png(name="face.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (100, 80, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_station_officer_publishes_an_alert_that_reaches_its_own_station_but_not_mumbai(publish, delhi_station_officer, mumbai_station):
    alert = publish(delhi_station_officer)
    assert alert.reference.startswith("AL/") and alert.version == 1
    assert alert.origin_district == delhi_station_officer.station.district
    stations = set(Delivery.objects.filter(alert=alert).values_list("station_id", flat=True))
    assert delhi_station_officer.station_id in stations
    assert mumbai_station.pk not in stations
    version = alert.versions.get()
    assert version.msg_type == "Alert" and version.content["headline"] == alert.headline


def test_a_terror_alert_of_the_ncb_reaches_every_station_including_mumbai(publish, ncb_officer, delhi_station, mumbai_station):
    alert = publish(ncb_officer, category="terror")
    assert Delivery.objects.filter(alert=alert).count() == PoliceStation.objects.filter(is_active=True).count()
    assert Delivery.objects.filter(alert=alert, station=mumbai_station).exists()


def test_an_expiry_in_the_past_is_refused(publish, delhi_station_officer):
    with pytest.raises(ValidationError) as error:
        publish(delhi_station_officer, expires_at=timezone.now() - timedelta(minutes=1))
    assert "expires_at" in error.value.message_dict


def test_an_area_outside_india_is_refused(publish, delhi_station_officer):
    with pytest.raises(ValidationError) as error:
        publish(delhi_station_officer, area_lat=51.5, area_lon=-0.12, area_radius_km=10)  # London
    assert "outside India" in " ".join(error.value.message_dict["area_lat"])
    with pytest.raises(ValidationError) as error:
        publish(delhi_station_officer, area_lat=27.7, area_lon=85.3, area_radius_km=5, area_districts=[999999])  # Kathmandu, bad code
    assert "area_districts" in error.value.message_dict


def test_every_problem_is_reported_at_once(publish, delhi_station_officer):
    with pytest.raises(ValidationError) as error:
        publish(delhi_station_officer, category="gossip", headline="", expires_at=timezone.now() - timedelta(days=1), area_states=[4242])
    assert {"category", "headline", "expires_at", "area_states"} <= set(error.value.message_dict)


def test_a_photo_that_is_not_an_image_is_refused(delhi_station_officer):
    fake = SimpleUploadedFile("face.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.alert_publish(by=delhi_station_officer, data=alert_data(), photos={0: [fake]})
    assert "photos" in error.value.message_dict
    assert not Alert.objects.exists()


def test_a_real_photo_is_attached_to_its_person(delhi_station_officer):
    alert = services.alert_publish(by=delhi_station_officer, data=alert_data(), photos={0: [png()]})
    assert len(alert.persons[0]["photos"]) == 1


def test_an_analyst_or_a_citizen_cannot_publish(analyst, citizen):
    for user in (analyst, citizen):
        with pytest.raises(PermissionDenied):
            services.alert_publish(by=user, data=alert_data())


def test_an_ncb_officer_must_say_where(ncb_officer):
    with pytest.raises(ValidationError) as error:
        services.alert_publish(by=ncb_officer, data=alert_data())
    assert "area_districts" in error.value.message_dict
    district = District.objects.filter(state__name="Goa").first()
    alert = services.alert_publish(by=ncb_officer, data=alert_data(area_districts=[district.lgd_code]))
    assert alert.origin_district == district


def test_update_and_cancel_keep_every_version(publish, delhi_station_officer, ncb_officer, mumbai_station):
    alert = publish(delhi_station_officer)
    with pytest.raises(ValidationError) as error:  # the station reaches no other state itself (alerts.lanes)
        services.alert_update(alert=alert, by=delhi_station_officer, data={"area_states": [27]})
    assert list(error.value.message_dict) == ["area_states"]
    updated = services.alert_update(
        alert=alert, by=ncb_officer, data={"headline": "Gang seen heading to Mumbai", "area_states": [27]}, note="Seen on NH48"
    )
    assert updated.version == 2
    assert Delivery.objects.filter(version__number=2, alert=alert, station=mumbai_station).exists()
    cancelled = services.alert_cancel(alert=updated, by=delhi_station_officer, note="Gang arrested in Gurugram")
    assert cancelled.status == Alert.Status.CANCELLED and cancelled.version == 3
    versions = list(AlertVersion.objects.filter(alert=alert).order_by("number"))
    assert [v.msg_type for v in versions] == ["Alert", "Update", "Cancel"]
    assert versions[0].content["headline"] == "Armed gang robbed a jeweller on Janpath"
    assert versions[1].content["headline"] == "Gang seen heading to Mumbai"
    assert Delivery.objects.filter(version=versions[2], station=mumbai_station).exists()  # those told of v2 hear of the cancel
    with pytest.raises(ValidationError):
        services.alert_update(alert=cancelled, by=delhi_station_officer, data={"headline": "again"})


def test_another_state_cannot_update_or_cancel(publish, delhi_station_officer, mumbai_ilo):
    alert = publish(delhi_station_officer)
    with pytest.raises(PermissionDenied):
        services.alert_cancel(alert=alert, by=mumbai_ilo, note="no")


def test_a_recipient_acknowledges_once_and_reports_action(publish, delhi_station_officer, delhi_ilo):
    alert = publish(delhi_station_officer)
    delivery = Delivery.objects.get(alert=alert, station=delhi_station_officer.station)
    services.delivery_acknowledge(delivery=delivery, by=delhi_station_officer)
    with pytest.raises(ValidationError):
        services.delivery_acknowledge(delivery=delivery, by=delhi_station_officer)
    done = services.delivery_report_action(delivery=delivery, by=delhi_station_officer, action_taken="Pickets alerted")
    assert done.acknowledged_by == delhi_station_officer and done.action_taken == "Pickets alerted"
    with pytest.raises(PermissionDenied):
        services.delivery_acknowledge(delivery=delivery, by=delhi_ilo)


def test_a_subscribed_unit_receives_alerts_of_its_category(publish, delhi_station_officer, delhi_uo):
    services.subscription_save(by=delhi_uo, categories=["dacoity"], states=[], districts=[])
    alert = publish(delhi_station_officer)
    assert Delivery.objects.filter(alert=alert, unit=delhi_uo.unit).exists()
    other = publish(delhi_station_officer, category="cyber_fraud")
    assert not Delivery.objects.filter(alert=other, unit=delhi_uo.unit).exists()
    assert Subscription.objects.count() == 1


def test_a_severe_alert_is_emailed_to_the_recipient_stations_officers(
    publish, delhi_station_officer, django_capture_on_commit_callbacks, mailbox
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(delhi_station_officer, severity="Extreme")
    messages = mailbox.wait_for(1)
    assert "Extreme alert" in messages[0]["Subject"]


def test_a_minor_alert_is_not_emailed(publish, delhi_station_officer, django_capture_on_commit_callbacks, mailbox):
    with django_capture_on_commit_callbacks(execute=True):
        publish(delhi_station_officer, severity="Minor")
    assert mailbox.messages == []


def test_unacknowledged_offices_are_reminded_once_per_interval(publish, delhi_station_officer, django_capture_on_commit_callbacks, mailbox):
    alert = publish(delhi_station_officer, severity="Minor")
    total = Delivery.objects.filter(alert=alert).count()
    mine = Delivery.objects.get(alert=alert, station=delhi_station_officer.station)
    services.delivery_acknowledge(delivery=mine, by=delhi_station_officer)
    later = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_reminders_send(now=later) == total - 1
    assert services.alert_reminders_send(now=later + timedelta(minutes=5)) == 0
    assert services.alert_reminders_send(now=later + timedelta(hours=2)) == total - 1


def test_publishing_to_every_station_of_a_large_country_is_quick(
    delhi_station_officer, ncb_officer, django_assert_max_num_queries, settings
):
    """Bulk insertion: thousands of stations in a handful of statements (the request's own; its mail and screening are
    tasks for the worker)."""
    settings.JOBS_RUN_ON_COMMIT = False
    district = delhi_station_officer.station.district
    PoliceStation.objects.bulk_create(
        PoliceStation(code=f"BULK{i}", name=f"Bulk {i}", district=district, agency=delhi_station_officer.agency, lat=28.6, lon=77.2)
        for i in range(3000)
    )
    started = timezone.now()
    with django_assert_max_num_queries(60):
        alert = services.alert_publish(by=ncb_officer, data=alert_data(category="terror"))
    assert Delivery.objects.filter(alert=alert).count() >= 3001
    assert (timezone.now() - started).total_seconds() < 5


def test_when_the_inbox_rows_cannot_be_written_the_alert_stands_and_its_task_writes_them_later(delhi_station_officer, monkeypatch):
    def disk_full(*args, **kwargs):
        raise DatabaseError("could not extend file: No space left on device")

    writes = services._deliver
    monkeypatch.setattr(services, "_deliver", disk_full)
    alert = services.alert_publish(by=delhi_station_officer, data=alert_data())
    version = alert.versions.get()
    assert alert.status == Alert.Status.ACTIVE and not version.deliveries_written
    assert delhi_station_officer.station_id in version.audience["stations"]
    assert not Delivery.objects.filter(alert=alert).exists()
    (task,) = DBTaskResult.objects.filter(task_path="alerts.tasks.deliveries", status=READY)  # enqueued with the version
    assert task.args_kwargs["args"] == [version.pk] and task.run_after > timezone.now()  # after the request's own try

    later = timezone.now() + timedelta(minutes=2)
    assert run_ready(now=later) == 1  # the disk is still full: the task fails and is tried again later
    assert not Delivery.objects.filter(alert=alert).exists()
    monkeypatch.setattr(services, "_deliver", writes)
    run_ready(now=later + timedelta(hours=2))
    assert Delivery.objects.filter(alert=alert, station=delhi_station_officer.station).count() == 1
    assert services.deliveries_write(version.pk) == 0  # written once


def test_an_alert_whose_rows_the_request_wrote_leaves_its_task_nothing_to_do(delhi_station_officer):
    alert = services.alert_publish(by=delhi_station_officer, data=alert_data())
    rows = Delivery.objects.filter(alert=alert).count()
    assert rows >= 1 and run_ready(now=timezone.now() + timedelta(minutes=2)) >= 1
    assert Delivery.objects.filter(alert=alert).count() == rows
    assert DBTaskResult.objects.get(task_path="alerts.tasks.deliveries").return_value == 0


def test_a_cancellation_reaches_the_offices_of_the_last_version(publish, delhi_station_officer):
    alert = publish(delhi_station_officer)
    published = set(alert.versions.get().deliveries.values_list("station_id", flat=True))
    services.alert_cancel(alert=alert, by=delhi_station_officer, note="Gang arrested")
    cancel = alert.versions.get(msg_type=AlertVersion.MsgType.CANCEL)
    assert set(cancel.deliveries.values_list("station_id", flat=True)) == published == set(cancel.audience["stations"])


def test_the_publish_form_offers_an_expiry_two_days_ahead_and_says_it_is_required(signed_in, delhi_station_officer):
    page = signed_in(delhi_station_officer).get(reverse("alerts:publish")).content.decode()
    expected = (timezone.localtime() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    assert f'value="{expected:%Y-%m-%dT%H:%M}"' in page and "Required: when the alert stops being shown" in page
