"""A citizen says how a finished request was handled: once, on the request's page; the station reads it."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from citizen.models import CitizenRequest, Feedback
from conftest import make_user

pytestmark = pytest.mark.django_db


def _closed(signed_in, complaint, officer):
    officer_client = signed_in(officer)
    officer_client.post(reverse("citizen_station:act", args=[complaint.reference, "accept"]), {"version": 1})
    complaint.refresh_from_db()
    officer_client.post(
        reverse("citizen_station:act", args=[complaint.reference, "close"]), {"note": "Phone returned.", "version": complaint.version}
    )
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.CLOSED
    return complaint


def test_an_open_request_offers_no_feedback_and_a_posted_one_is_refused(signed_in, complaint, citizen):
    client = signed_in(citizen)
    assert 'name="rating"' not in client.get(complaint.citizen_url()).content.decode()
    response = client.post(reverse("citizen_public:request_feedback", args=[complaint.reference]), {"rating": 5})
    assert response.status_code == 400
    assert "once it is finished" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_citizen_rates_a_closed_request_once_and_the_station_reads_it(signed_in, complaint, citizen, delhi_station_officer):
    _closed(signed_in, complaint, delhi_station_officer)
    client = signed_in(citizen)
    page = client.get(complaint.citizen_url()).content.decode()
    assert 'type="radio" name="rating" value="5"' in page and "Very good" in page
    feedback_url = reverse("citizen_public:request_feedback", args=[complaint.reference])
    response = client.post(feedback_url, {"rating": 4, "comment": "Quick, and the officer called me back."})
    assert response.status_code == 302
    shown = client.get(complaint.citizen_url()).content.decode()
    assert "Good: Quick, and the officer called me back." in shown and 'name="rating"' not in shown
    again = client.post(feedback_url, {"rating": 1})
    assert again.status_code == 400 and "already said" in again.content.decode()
    assert Feedback.objects.get(request=complaint).rating == 4
    assert AuditEntry.objects.filter(action="citizen.feedback", target_id=str(complaint.pk)).count() == 1
    station_page = signed_in(delhi_station_officer).get(reverse("citizen_station:detail", args=[complaint.reference]))
    assert "Good: Quick, and the officer called me back." in station_page.content.decode()


def test_a_rating_outside_the_five_choices_is_a_400_beside_the_field(signed_in, complaint, citizen, delhi_station_officer):
    _closed(signed_in, complaint, delhi_station_officer)
    response = signed_in(citizen).post(reverse("citizen_public:request_feedback", args=[complaint.reference]), {"rating": 9})
    assert response.status_code == 400
    assert "has-error" in response.content.decode() and not Feedback.objects.exists()


def test_another_citizen_cannot_rate_the_request_and_learns_nothing_of_it(signed_in, complaint, delhi_station_officer):
    _closed(signed_in, complaint, delhi_station_officer)
    other = make_user("other_citizen", Role.CITIZEN)
    response = signed_in(other).post(reverse("citizen_public:request_feedback", args=[complaint.reference]), {"rating": 1})
    assert response.status_code == 404 and not Feedback.objects.exists()
