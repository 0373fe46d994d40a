"""One place for every message: the catalogue and the templates agree, and no module outside notify/ sends mail."""

import ast
from pathlib import Path

from django.conf import settings

from notify import catalogue
from notify.services import has_template

ROOT = Path(settings.BASE_DIR)
MESSAGES_DIR = ROOT / "templates" / "messages"
MAIL_CALLS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def test_every_catalogue_entry_has_its_templates_and_says_what_when_and_to_whom():
    for key, entry in catalogue.MESSAGES.items():
        assert entry.what and entry.when and entry.to, f"{key}: say what it is, when it goes and to whom"
        parts = ["subject", "body"] + (["sms"] if entry.sms else [])
        missing = [part for part in parts if not has_template(key, part)]
        assert not missing, f"{key} has no {missing} under templates/messages/{key}/"


def test_every_template_folder_is_in_the_catalogue_and_sms_text_only_where_the_catalogue_says():
    folders = {path.name for path in MESSAGES_DIR.iterdir() if path.is_dir()}
    assert folders - set(catalogue.MESSAGES) == set(), "template folders with no entry in notify/catalogue.py"
    stray = [key for key in folders if (MESSAGES_DIR / key / "sms.txt").exists() and not catalogue.get(key).sms]
    assert stray == [], "sms.txt for messages the catalogue does not send by SMS"


def _project_sources():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "var", "notify", "node_modules"} or "tests" in relative.parts:
            continue
        yield relative, path


def mail_sent_in(source: str, name: str) -> list[str]:
    """Where `source` sends mail itself: imports from django.core.mail, or calls of its senders by any name."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            found += [f"{name}:{node.lineno} imports {alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and node.attr in MAIL_CALLS:
            found.append(f"{name}:{node.lineno} uses {node.attr}")
    return found


def test_no_module_outside_notify_sends_mail_itself():
    offenders = [line for relative, path in _project_sources() for line in mail_sent_in(path.read_text(encoding="utf-8"), str(relative))]
    assert offenders == [], "send messages with notify.services.send (notify/catalogue.py), not:\n" + "\n".join(offenders)


def test_the_check_sees_mail_sent_by_import_or_through_the_module():
    assert mail_sent_in("from django.core.mail import send_mail\nsend_mail('s', 'b', None, ['a@example.invalid'])\n", "a.py") == [
        "a.py:1 imports send_mail"
    ]
    assert mail_sent_in("from django.core import mail\nmail.EmailMessage('s', 'b').send()\n", "b.py") == ["b.py:2 uses EmailMessage"]
    assert mail_sent_in("from notify import services as notify\nnotify.send('accounts.created', [])\n", "c.py") == []
