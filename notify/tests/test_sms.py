"""The SMS channel: Indian mobile numbers, the gateway backend against a fake gateway the suite starts (sender id and
DLT template id on every message), an outage retried until the SMS arrives once, a refusal not retried, and the
console and file backends for development."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import services as jobs
from notify import services as notify
from notify import sms
from notify.tasks import sms_deliver

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written", ["9810012345", "+91 98100 12345", "098100-12345", "0091 9810012345", "91 98100 12345", "(98100) 12345"])
def test_a_mobile_number_is_understood_however_it_is_written(written):
    assert sms.normalise_number(written) == "+919810012345"


@pytest.mark.parametrize("written", ["", "011 2345 6789", "12345", "5810012345", "+1 202 555 0100"])
def test_a_landline_or_a_foreign_number_is_refused(written):
    with pytest.raises(sms.Refused):
        sms.normalise_number(written)


def _text_sms(sms_gateway, settings, **kwargs):
    settings.SMS_SENDER_ID, settings.SMS_ENTITY_ID = "OPNPOL", "1101000000000000001"
    return sms.Sms(to="+919810012345", text="Your request DL-CIT-2026-000001 was received.", key="accounts.created", **kwargs)


def test_the_gateway_backend_posts_the_sender_and_the_dlt_template_with_the_token(sms_gateway, settings):
    message = _text_sms(sms_gateway, settings, template_id="1107000000000000042")
    assert sms.GatewayBackend().send(message) == "fake-1"
    [posted] = sms_gateway.received
    assert posted == {
        "sender": "OPNPOL",
        "to": "+919810012345",
        "text": "Your request DL-CIT-2026-000001 was received.",
        "dlt_template_id": "1107000000000000042",
        "dlt_entity_id": "1101000000000000001",
        "unicode": False,
    }
    assert sms_gateway.tokens == ["Bearer test-token"]


def test_a_message_in_hindi_is_sent_as_unicode(sms_gateway, settings):
    sms.GatewayBackend().send(sms.Sms(to="+919810012345", text="आपका अनुरोध मिला", key="accounts.created", template_id="1107"))
    assert sms_gateway.received[0]["unicode"] is True


def test_a_message_without_a_registered_template_is_refused_before_the_gateway(sms_gateway, settings):
    with pytest.raises(sms.Refused, match="DLT template"):
        sms.GatewayBackend().send(_text_sms(sms_gateway, settings))
    assert sms_gateway.received == []


def test_an_outage_is_unavailable_and_a_refusal_is_refused(sms_gateway, settings):
    message = _text_sms(sms_gateway, settings, template_id="1107")
    sms_gateway.fail_next(1)
    with pytest.raises(sms.Unavailable, match="503"):
        sms.GatewayBackend().send(message)
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/v1/sms"
    with pytest.raises(sms.Unavailable, match="could not be reached"):
        sms.GatewayBackend().send(message)


def test_an_sms_during_a_gateway_outage_is_retried_and_arrives_once(sms_gateway):
    sms_gateway.fail_next(2)
    sms_deliver.enqueue(key="accounts.created", to="+919810012345", text="Your request was received.")
    row = DBTaskResult.objects.get(task_path="notify.tasks.sms_deliver")
    assert row.status == "READY" and "Unavailable" in row.exception_class_path
    later = timezone.now()
    for hours in (1, 2, 3, 4):
        jobs.run_ready(now=later + timedelta(hours=hours))
    assert [p["to"] for p in sms_gateway.received] == ["+919810012345"]
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 3


def test_an_sms_the_gateway_refuses_is_not_tried_again(sms_gateway, settings):
    settings.SMS_DLT_TEMPLATES = {}  # no template registered for it: the gateway would answer 400
    sms_deliver.enqueue(key="accounts.created", to="+919810012345", text="Your request was received.")
    row = DBTaskResult.objects.get(task_path="notify.tasks.sms_deliver")
    assert row.status == "FAILED" and len(row.worker_ids) == 1 and sms_gateway.received == []


def test_the_file_backend_writes_one_json_line_per_sms_and_the_console_prints_it(tmp_path, settings, capsys):
    settings.SMS_FILE_PATH = str(tmp_path)
    message = sms.Sms(to="+919810012345", text="Alert DL-ALR-1: armed robbery", key="accounts.created", template_id="1107")
    assert sms.FileBackend().send(message) == "file"
    [day] = tmp_path.iterdir()
    line = json.loads(day.read_text(encoding="utf-8"))
    assert line["to"] == "+919810012345" and line["text"] == message.text and line["template_id"] == "1107"
    sms.ConsoleBackend().send(message)
    assert "SMS to +919810012345 [accounts.created 1107]: Alert DL-ALR-1: armed robbery" in capsys.readouterr().out


def test_one_sms_goes_to_each_number_however_often_it_is_named(sms_gateway, delhi_ilo, delhi_uo, monkeypatch):
    from notify import catalogue

    entry = catalogue.MESSAGES["accounts.created"]
    monkeypatch.setitem(catalogue.MESSAGES, "accounts.created", catalogue.Message(entry.what, entry.when, entry.to, sms=True))
    monkeypatch.setattr(notify, "render", lambda key, part, language, context: f"{part} in {language}")
    delhi_ilo.phone, delhi_ilo.notify_by = "98100 12345", notify.SMS
    delhi_uo.phone, delhi_uo.notify_by, delhi_uo.language = "+91 98100 12345", notify.BOTH, "hi"
    sent = notify.send("accounts.created", [delhi_ilo, delhi_uo], sms_to=["098100-12345", "011 2345 6789", ""], user=delhi_ilo)
    assert sent == 2  # delhi_uo's e-mail and one SMS to the one mobile number; the landline is skipped
    assert [p["to"] for p in sms_gateway.wait_for(1)] == ["+919810012345"]
