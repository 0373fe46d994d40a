"""Delivering what `notify.services.send` rendered: one task per e-mail (or chunk of Bcc) and per SMS, retried by the
worker with back-off until the server takes it (jobs.tasks)."""

from django.conf import settings
from django.core.mail import EmailMessage

from jobs.tasks import task
from notify import sms


@task()
def email_deliver(*, key: str, subject: str, body: str, to: list[str], bcc: list[str], message_id: str) -> int:
    """Hand one e-mail to the SMTP server. Its Message-ID is fixed when it is enqueued, so that a retry after a
    server took it but the answer was lost is recognisably the same message."""
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, to, bcc=bcc, headers={"Message-ID": message_id, "X-OpenPol-Message": key}
    )
    return message.send(fail_silently=False)


@task(give_up_on=(sms.Refused,))
def sms_deliver(*, key: str, to: str, text: str) -> str:
    """Hand one SMS to the backend (settings.SMS_BACKEND); a refused message is not tried again."""
    message = sms.Sms(to=to, text=text, key=key, template_id=settings.SMS_DLT_TEMPLATES.get(key, ""))
    return sms.get_backend().send(message)
