"""How crime alerts are screened against the national records: their persons and vehicles, while active
(registered with records.crossmatch by alerts/apps.py)."""

from django.utils import timezone

from alerts.models import Alert
from records import crossmatch


def persons(alert: Alert) -> list[crossmatch.PersonSubject]:
    subjects = (
        crossmatch.person_subject(p.get("name"), others=crossmatch.alias_list(p.get("aliases")), dob=p.get("dob"))
        for p in crossmatch.row_dicts(alert.persons)
    )
    return [s for s in subjects if s]


KIND = crossmatch.SourceKind(
    key="alerts",
    model=Alert,
    persons=persons,
    vehicles=lambda alert: crossmatch.vehicle_subjects(alert.vehicles),
    handler=lambda alert: (alert.origin_agency_id, alert.created_by_id),
    open_items=lambda: Alert.objects.filter(status=Alert.Status.ACTIVE, expires_at__gt=timezone.now()),
)
