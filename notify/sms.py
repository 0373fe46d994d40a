"""SMS, with backends like Django's e-mail ones (settings.SMS_BACKEND):

- `ConsoleBackend` prints each message (development, `make run`);
- `FileBackend` appends each as a JSON line to a file per day under SMS_FILE_PATH;
- `GatewayBackend` posts it to an HTTP SMS gateway (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN) with the sender id and the
  DLT template id that TRAI's rules require for every commercial SMS in India (SMS_SENDER_ID, SMS_ENTITY_ID,
  SMS_DLT_TEMPLATES). A refusal (4xx: a bad number, an unregistered template) is final; an outage (5xx, a timeout,
  no answer) is retried by the task that sends it (notify.tasks.sms_deliver).
"""

import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

_MOBILE = re.compile(r"[6-9]\d{9}")


class Refused(Exception):
    """The gateway (or this module) refuses the message for good: retrying cannot help."""


class Unavailable(Exception):
    """The gateway could not be reached or failed: try again later."""


def normalise_number(raw: str) -> str:
    """An Indian mobile number as +91 and ten digits, from how people write it ("098100 12345", "+91-98100-12345");
    `Refused` for anything else (a landline, a short number)."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("+91"):
        digits = digits[3:]
    elif digits.startswith("0091"):
        digits = digits[4:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not _MOBILE.fullmatch(digits):
        raise Refused(f"not an Indian mobile number: {raw!r}")
    return "+91" + digits


@dataclass(frozen=True)
class Sms:
    to: str  # +91XXXXXXXXXX
    text: str
    key: str  # the catalogue key: which registered template the text follows
    template_id: str = ""


class BaseBackend:
    def send(self, sms: Sms) -> str:
        """Hand the message over; returns the gateway's id for it (or a local one)."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, sms: Sms) -> str:
        sys.stdout.write(f"SMS to {sms.to} [{sms.key} {sms.template_id or '-'}]: {sms.text}\n")
        sys.stdout.flush()
        return "console"


class FileBackend(BaseBackend):
    def send(self, sms: Sms) -> str:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"{timezone.localdate():%Y-%m-%d}.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps({"at": timezone.now().isoformat(), **asdict(sms)}, ensure_ascii=False) + "\n")
        return "file"


class GatewayBackend(BaseBackend):
    def send(self, sms: Sms) -> str:
        if not settings.SMS_GATEWAY_URL:
            raise Refused("SMS_GATEWAY_URL is not set")
        if not sms.template_id:
            raise Refused(f"no DLT template id for {sms.key!r} in SMS_DLT_TEMPLATES")
        payload = {
            "sender": settings.SMS_SENDER_ID,
            "to": sms.to,
            "text": sms.text,
            "dlt_template_id": sms.template_id,
            "dlt_entity_id": settings.SMS_ENTITY_ID,
            "unicode": not sms.text.isascii(),
        }
        request = urllib.request.Request(  # noqa: S310 - the gateway's URL comes from settings
            settings.SMS_GATEWAY_URL,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310 - a URL from settings
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode(errors="replace")
            if 400 <= error.code < 500 and error.code not in (408, 429):
                raise Refused(f"the gateway refused the message ({error.code}): {detail}") from error
            raise Unavailable(f"the gateway answered {error.code}: {detail}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise Unavailable(f"the gateway could not be reached: {error}") from error
        return str(answer.get("id", ""))


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()
