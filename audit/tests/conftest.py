import base64
import contextlib

import pytest
from django.db import connection

from audit import services as audit

HMAC_KEY = "test-audit-hmac-key-0123456789abcdef"
SIGNING_SEED = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True)
def trail_keys(settings, tmp_path):
    """Keys and a checkpoint folder of the tests' own, as production configures them."""
    settings.AUDIT_HMAC_KEY = HMAC_KEY
    settings.AUDIT_HMAC_KEYS = []
    settings.AUDIT_SIGNING_KEY = SIGNING_SEED
    settings.AUDIT_SIGNING_PUBLIC_KEYS = []
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


@pytest.fixture
def seal(django_capture_on_commit_callbacks):
    """Seal as workflow_tick does; the checkpoint is exported when the transaction commits, here at once."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return audit.seal()

    return run


TRIGGERS = {
    "audit_auditentry": "audit_entry_append_only",
    "audit_auditseal": "audit_seal_append_only",
    "audit_auditcheckpoint": "audit_checkpoint_append_only",
}


@contextlib.contextmanager
def tampering():
    """What a database administrator does: switch the append-only triggers off and write raw SQL (rolled back with the test)."""
    postgres = connection.vendor == "postgresql"

    def switch(cursor, state: str) -> None:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses to run with foreign-key checks pending
        for table, trigger in TRIGGERS.items():
            cursor.execute(f"ALTER TABLE {table} {state} TRIGGER {trigger}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    with connection.cursor() as cursor:
        if postgres:
            switch(cursor, "DISABLE")
        try:
            yield cursor
        finally:
            if postgres:
                switch(cursor, "ENABLE")


@pytest.fixture
def five_entries(delhi_ilo, seal):
    """Five entries, sealed: one checkpoint of 5, exported."""
    entries = [audit.record(actor=delhi_ilo, action=f"test.step{i}", data={"i": i}, ip="10.0.0.1") for i in range(1, 6)]
    seal()
    return entries


@pytest.fixture
def two_checkpoints(delhi_ilo, seal):
    """Five entries sealed in two runs: checkpoints of 3 and of 5 entries, both exported."""
    for i in range(1, 6):
        audit.record(actor=delhi_ilo, action=f"test.step{i}", data={"i": i})
        if i == 3:
            seal()
    seal()


def entry_id(seq: int) -> int:
    """The id of the entry sealed at place `seq`."""
    from audit.models import AuditSeal

    return AuditSeal.objects.get(seq=seq).entry_id
