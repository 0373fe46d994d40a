"""Cross-matching hooks: a hit is recorded once and decided once, by the owner or the NCB."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from records import services
from records.matching import screen_person
from records.models import Hit

pytestmark = pytest.mark.django_db


def test_a_hit_is_created_once_and_confirmed_by_the_owner(people, delhi_ilo, delhi_police, mumbai_ilo):
    source = delhi_ilo  # any model instance stands for the notice or alert that was screened
    match = screen_person("Md Irfan Qureshi", father_name="Abdul Qureshi")[0]
    hit = services.hit_create(source=source, match=match, owner_agency=delhi_police)
    assert services.hit_create(source=source, match=match, owner_agency=delhi_police).pk == hit.pk
    with pytest.raises(PermissionDenied):
        services.hit_decide(hit=hit, by=mumbai_ilo, confirmed=True)
    services.hit_decide(hit=hit, by=delhi_ilo, confirmed=True, note="Same person, photo compared")
    hit.refresh_from_db()
    assert hit.status == Hit.Status.CONFIRMED and hit.decided_by == delhi_ilo
    with pytest.raises(ValidationError):
        services.hit_decide(hit=hit, by=delhi_ilo, confirmed=False)
