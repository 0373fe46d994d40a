"""E-mails about hits: to the office that owns the record and the officer handling the item, and back when decided."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from accounts.offices import Office
from records.models import Hit


def owner_emails(hit: Hit) -> list[str]:
    """The ILOs of the agency that owns the record; the NCB's officers for a record without an owner."""
    owner = Office.agency(hit.owner_agency_id) if hit.owner_agency_id is not None else Office.national()
    return sorted(set(owner.members().exclude(email="").values_list("email", flat=True)))


def handler_email(hit: Hit) -> str:
    handler = hit.handled_by
    return handler.email if handler is not None and handler.is_active and handler.email else ""


def _record(hit: Hit) -> str:
    if hit.person_id:
        return _("the person %(name)s (%(source)s:%(id)s)") % {
            "name": hit.person.name,
            "source": hit.person.source,
            "id": hit.person.external_id,
        }
    return _("the vehicle %(number)s (%(status)s)") % {"number": str(hit.vehicle), "status": hit.vehicle.get_status_display()}


def _why(hit: Hit) -> str:
    return "\n".join(f"- {line}" for line in hit.explanation)


def hit_found(*, hit_id: int) -> None:
    """A strong hit: the owner office is asked to confirm or reject it; the handler is told it may follow."""
    hit = Hit.objects.select_related("person", "vehicle", "owner_agency", "handled_by").get(pk=hit_id)
    url = settings.SITE_URL + hit.get_absolute_url()
    subject = _("%(reference)s: possible match for %(source)s") % {"reference": hit.reference, "source": hit.source_label[:80]}
    owners = owner_emails(hit)
    if owners:
        body = _(
            "%(source)s may concern %(record)s in your records (score %(score).2f).\n\nWhy:\n%(why)s\n\n"
            "Confirm or reject it, saying why: %(url)s"
        ) % {"source": hit.source_label, "record": _record(hit), "score": hit.score, "why": _why(hit), "url": url}
        send_mail(subject, body, None, owners)
    handler = handler_email(hit)
    if handler and handler not in owners:
        owner = hit.owner_agency.name if hit.owner_agency_id else _("the NCB")
        if hit.person_id and hit.person.sensitive:
            body = _("A restricted record held by %(owner)s may concern %(source)s. That office decides and you will be told.") % {
                "owner": owner,
                "source": hit.source_label,
            }
        else:
            body = _(
                "%(record)s, in the records of %(owner)s, may be the one in %(source)s (score %(score).2f).\n\nWhy:\n%(why)s\n\n"
                "%(owner)s confirms or rejects it; you will be told. %(url)s"
            ) % {"record": _record(hit), "owner": owner, "source": hit.source_label, "score": hit.score, "why": _why(hit), "url": url}
        send_mail(subject, body, None, [handler])


def hit_decided(*, hit_id: int) -> None:
    """Tell the officer handling the item what the owner office decided."""
    hit = Hit.objects.select_related("person", "handled_by", "decided_by").get(pk=hit_id)
    handler = handler_email(hit)
    if not handler or hit.handled_by_id == hit.decided_by_id:
        return
    subject = _("%(reference)s: %(status)s") % {"reference": hit.reference, "status": hit.get_status_display()}
    restricted = hit.person_id is not None and hit.person.sensitive  # the handler may not read a sensitive person's record
    body = _("The possible match for %(source)s was %(status)s by %(who)s.") % {
        "source": hit.source_label,
        "status": hit.get_status_display().lower(),
        "who": hit.decided_by.office_label,
    }
    if not restricted:
        body += "\n\n" + _("Why: %(note)s") % {"note": hit.decision_note} + "\n" + settings.SITE_URL + hit.get_absolute_url()
    send_mail(subject, body, None, [handler])
