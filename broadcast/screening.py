"""How broadcast items are screened against the national records: their persons and vehicles, until closed
(registered with records.crossmatch by broadcast/apps.py)."""

from broadcast.models import BroadcastItem
from records import crossmatch


def persons(item: BroadcastItem) -> list[crossmatch.PersonSubject]:
    rows = crossmatch.row_dicts(item.persons)
    numbers = crossmatch.document_numbers(item.documents) if len(rows) == 1 else []  # the item's documents are that one person's
    subjects = (
        crossmatch.person_subject(
            p.get("name"), others=crossmatch.alias_list(p.get("aliases")), dob=p.get("dob"), sex=p.get("sex"), numbers=numbers
        )
        for p in rows
    )
    return [s for s in subjects if s]


KIND = crossmatch.SourceKind(
    key="broadcasts",
    model=BroadcastItem,
    persons=persons,
    vehicles=lambda item: crossmatch.vehicle_subjects(item.vehicles),
    handler=lambda item: (item.registered_by.agency_id, item.registered_by_id),
    open_items=lambda: BroadcastItem.objects.exclude(stage=BroadcastItem.Stage.CLOSED).select_related("registered_by"),
)
