"""The outbound queue: immutable, signed copies of what the NCB sends abroad, and the channels that carry them.

A module never talks to a channel: it calls `enqueue`. The default channel, "manual", holds messages
for the NCB's INTERPOL operator, who transmits them by INTERPOL's own means and confirms here. A later
channel (a peer system over HTTPS) is a class with `deliver(message)` named in TRANSMISSION_CHANNELS;
modules do not change.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from audit import services as audit
from workflow.models import OutboundMessage
from workflow.tasks import transmission_deliver


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def signature_of(payload: dict) -> tuple[str, str]:
    body = canonical(payload)
    digest = hashlib.sha256(body).hexdigest()
    signature = hmac.new(settings.TRANSMISSION_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()
    return digest, signature


def is_authentic(message: OutboundMessage) -> bool:
    """The stored payload is exactly what was signed when it was queued."""
    digest, signature = signature_of(message.payload)
    return hmac.compare_digest(digest, message.payload_sha256) and hmac.compare_digest(signature, message.signature)


class ManualChannel:
    """Held for the NCB's INTERPOL operator, who transmits it and confirms (see `confirm_delivery`)."""

    automatic = False

    def deliver(self, message: OutboundMessage) -> None:  # pragma: no cover - never called for a manual channel
        raise RuntimeError("Manual messages are confirmed by an operator, not delivered automatically.")


def channel_for(destination_kind: str):
    path = getattr(settings, "TRANSMISSION_CHANNELS", {}).get(destination_kind, "workflow.transmission.ManualChannel")
    return import_string(path)()


def enqueue(obj, *, payload: dict, destination: str, destination_kind: str, by) -> OutboundMessage:
    """Freeze and sign `payload`, and put it in the queue of the channel for that kind of destination."""
    digest, signature = signature_of(payload)
    channel = channel_for(destination_kind)
    message = OutboundMessage.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        reference=obj.reference,
        channel=type(channel).__name__,
        destination=destination,
        payload=json.loads(canonical(payload)),
        payload_sha256=digest,
        signature=signature,
        created_by=by,
    )
    audit.record(actor=by, action="transmission.queued", target=message, data={"destination": destination, "sha256": digest})
    if getattr(channel, "automatic", False):
        transmission_deliver.enqueue(message.pk)  # runs once this transaction commits; retried when the channel fails
    return message


class DeliveryFailed(Exception):
    """An automatic channel refused or failed a message; its task tries again later."""


def deliver(message_id: int) -> str:
    """Hand one queued message to its automatic channel, recording success or failure; returns the status it ends in.
    A message already delivered is not handed over again (a task retried after a lost answer)."""
    message = OutboundMessage.objects.get(pk=message_id)
    if message.status == OutboundMessage.Status.DELIVERED:
        return message.status
    channel = channel_for_name(message.channel)
    message.attempts += 1
    try:
        channel.deliver(message)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried later
        message.status, message.delivery_note = OutboundMessage.Status.FAILED, str(error)[:500]
    else:
        message.status, message.delivered_at = OutboundMessage.Status.DELIVERED, timezone.now()
    message.save(update_fields=["attempts", "status", "delivered_at", "delivery_note"])
    return message.status


def channel_for_name(name: str):
    for path in {*getattr(settings, "TRANSMISSION_CHANNELS", {}).values(), "workflow.transmission.ManualChannel"}:
        if path.rsplit(".", 1)[-1] == name:
            return import_string(path)()
    raise LookupError(name)


@transaction.atomic
def confirm_delivery(*, message: OutboundMessage, by, note: str = "") -> OutboundMessage:
    """The operator confirms a manual transmission (once; a second confirmation changes nothing)."""
    locked = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status == OutboundMessage.Status.DELIVERED:
        return locked
    locked.status, locked.delivered_at, locked.confirmed_by, locked.delivery_note = (
        OutboundMessage.Status.DELIVERED,
        timezone.now(),
        by,
        note,
    )
    locked.attempts += 1
    locked.save(update_fields=["status", "delivered_at", "confirmed_by", "delivery_note", "attempts"])
    audit.record(actor=by, action="transmission.confirmed", target=locked, purpose=note)
    return locked


def messages_for(obj):
    return OutboundMessage.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
