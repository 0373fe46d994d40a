"""Reads of the audit trail, for NCB and system administrators."""

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from accounts import access
from audit.models import AuditEntry


def entries_for_user(
    user,
    *,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    ip: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    access.require(user, "audit.view")
    entries = AuditEntry.objects.order_by("-seq")
    if actor:
        entries = entries.filter(actor_username__iexact=actor)
    if action:
        entries = entries.filter(action__startswith=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if ip:
        entries = entries.filter(ip=ip)
    if since:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        entries = entries.filter(at__lt=timezone.make_aware(datetime.combine(until, time.max)))
    return entries
