"""The workflow's background work: handing an outbound message to its automatic channel (workflow.transmission)."""

from jobs.tasks import task
from workflow.models import OutboundMessage


@task(attempts=6)
def transmission_deliver(message_id: int) -> str:
    """Deliver one queued outbound message by its automatic channel; a failure is recorded on the message (FAILED,
    with the channel's words) and raised, so that the task is tried again with back-off."""
    from workflow import transmission  # it imports this module

    status = transmission.deliver(message_id)
    if status == OutboundMessage.Status.FAILED:
        note = OutboundMessage.objects.filter(pk=message_id).values_list("delivery_note", flat=True).first()
        raise transmission.DeliveryFailed(note or "the channel failed")
    return status
