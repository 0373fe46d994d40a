"""A step the user cannot take yet answers with what is missing, not with a refusal."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from notices import services

pytestmark = pytest.mark.django_db


def test_returning_a_request_without_a_comment_is_a_400_that_says_why_not_a_403(signed_in, red_draft, delhi_uo, delhi_ilo):
    request = services.notice_submit(request=red_draft, by=delhi_uo)
    response = signed_in(delhi_ilo).post(reverse("notices:act", args=[request.pk, "return"]), {"version": request.version, "note": ""})
    assert response.status_code == 400 and "a comment is required for this step" in response.content.decode()
    request.refresh_from_db()
    assert request.stage == request.Stage.ILO_REVIEW  # nothing moved


def test_returning_a_request_without_a_comment_through_the_api_is_a_400_on_the_note(client, red_draft, delhi_uo, delhi_ilo):
    request = services.notice_submit(request=red_draft, by=delhi_uo)
    raw = account_services.api_token_create(user=delhi_ilo, name="t", scopes=["notices:read", "notices:write"])
    response = client.post(
        f"/api/v1/notices/{request.pk}/steps/return", {"note": " "}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 400
    assert "a comment is required for this step" in response.json()["errors"]["note"][0]
    request.refresh_from_db()
    assert request.stage == request.Stage.ILO_REVIEW
