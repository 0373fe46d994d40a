"""Every message the portal sends goes through `send`: it is looked up in the catalogue (notify/catalogue.py), rendered
from its templates (templates/messages/<key>/) in each recipient's language, and enqueued as delivery tasks inside
the caller's transaction, so that it goes exactly when the change commits and never holds up the request.

    notify.send("citizen.request_created", to=[notify.of(request.user)], request=request)

Recipients are users (their e-mail, mobile, language and choice of channel), `Recipient` values for people without an
account (a citizen tracking by e-mail), or plain addresses (sent in the default language). Context values may be model
instances: rendering happens here, on the state the transaction is about to commit.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.template import TemplateDoesNotExist, engines
from django.utils import translation

from notify import catalogue, sms
from notify.tasks import email_deliver, sms_deliver

EMAIL, SMS, BOTH = "email", "sms", "both"


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to and how: an e-mail address and/or a mobile number, a language, and the channels wanted."""

    email: str = ""
    phone: str = ""
    language: str = ""
    by: str = EMAIL
    name: str = ""

    @property
    def wants_email(self) -> bool:
        return bool(self.email) and self.by in (EMAIL, BOTH)

    @property
    def wants_sms(self) -> bool:
        return bool(self.phone) and self.by in (SMS, BOTH)


def of(user, *, by: str | None = None) -> Recipient:
    """A user as a recipient: their address, mobile, language and channels (`by` overrides the channels, e.g. SMS
    for an urgent alert). An SMS-only citizen without a mobile number still gets e-mail."""
    channels = by or getattr(user, "notify_by", EMAIL) or EMAIL
    if channels == SMS and not user.phone:
        channels = EMAIL
    return Recipient(
        email=user.email or "",
        phone=user.phone or "",
        language=user.language or "",
        by=channels,
        name=user.get_full_name() or user.username,
    )


def address(email: str = "", *, phone: str = "", language: str = "", by: str = EMAIL) -> Recipient:
    """Someone known only by an address or a number (a citizen who filed without an account)."""
    return Recipient(email=email, phone=phone, language=language, by=by)


def _recipient(value) -> Recipient:
    if isinstance(value, Recipient):
        return value
    if isinstance(value, str):
        return Recipient(email=value)
    return of(value)


def render(key: str, part: str, language: str, context: dict) -> str:
    """One part ("subject", "body" or "sms") of a catalogue message, in `language`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        text = engines["messages"].get_template(f"{key}/{part}.txt").render({"site_url": settings.SITE_URL, **context})
    return " ".join(text.split()) if part in ("subject", "sms") else text.strip() + "\n"


def send(key: str, to: Iterable, *, sms_to: Iterable[str] = (), **context) -> int:
    """Enqueue message `key` for every recipient in `to` (e-mail and/or SMS, as each wants) and an SMS to every
    number in `sms_to` (an office's duty number), rendered per language. Returns the number of deliveries enqueued.
    Call it inside the transaction that makes the change; it sends nothing if that transaction rolls back."""
    entry = catalogue.get(key)
    recipients = list(dict.fromkeys(_recipient(r) for r in to))
    by_language: dict[str, list[str]] = defaultdict(list)
    texts: dict[str, list[str]] = defaultdict(list)
    seen_emails: set[str] = set()
    for r in recipients:
        language = r.language or settings.LANGUAGE_CODE
        by_email = r.wants_email or (r.email and not (entry.sms and r.wants_sms))  # no SMS form: SMS-only people get it by e-mail
        if by_email and r.email.lower() not in seen_emails:
            seen_emails.add(r.email.lower())
            by_language[language].append(r.email)
        if r.wants_sms and entry.sms:
            texts[language].append(r.phone)
    if entry.sms:
        texts[settings.LANGUAGE_CODE].extend(n for n in sms_to if n)
    enqueued = 0
    for language, emails in by_language.items():
        subject, body = render(key, "subject", language, context), render(key, "body", language, context)
        if len(emails) == 1:
            chunks = [(emails, [])]
        else:  # many officers: one message per chunk, each sees no other's address
            size = settings.NOTIFY_BCC_CHUNK
            chunks = [([], emails[i : i + size]) for i in range(0, len(emails), size)]
        for to_, bcc in chunks:
            email_deliver.enqueue(key=key, subject=subject, body=body, to=to_, bcc=bcc, message_id=make_msgid(domain="openpol.invalid"))
            enqueued += 1
    sent_to: set[str] = set()
    for language, numbers in texts.items():
        text = render(key, "sms", language, context)
        for raw in numbers:
            try:
                number = sms.normalise_number(raw)
            except sms.Refused:
                continue  # a landline or a typo: the e-mail (if any) still goes
            if number not in sent_to:
                sent_to.add(number)
                sms_deliver.enqueue(key=key, to=number, text=text)
                enqueued += 1
    return enqueued


def has_template(key: str, part: str) -> bool:
    try:
        engines["messages"].get_template(f"{key}/{part}.txt")
    except TemplateDoesNotExist:
        return False
    return True
