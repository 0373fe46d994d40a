"""Entries keyed with an HMAC and written without a lock; their places in the chain move to seals; signed checkpoints.

The entries already written keep their order: their old SHA-256 chain is checked first (a broken one stops the
migration, so that the new chain never certifies a tampered trail), then each gets its MAC under the current key,
and the first run of the sealer (`manage.py audit_seal`, or workflow_tick) seals them in that order.
"""

import json
import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import audit.models

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""
TABLES = {"audit_auditentry": "audit_entry_append_only", "audit_auditseal": "audit_seal_append_only", "audit_auditcheckpoint": "audit_checkpoint_append_only"}


def _guard(schema_editor, tables: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {TABLES[table]} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
            )


def _unguard(schema_editor, tables: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLES[table]} ON {table}")


def lift_guard(apps, schema_editor):
    _unguard(schema_editor, ["audit_auditentry"])


def restore_old_guard(apps, schema_editor):
    _guard(schema_editor, ["audit_auditentry"])


def guard_all(apps, schema_editor):
    _guard(schema_editor, list(TABLES))


def unguard_all(apps, schema_editor):
    _unguard(schema_editor, list(TABLES))


def _old_hash(entry) -> str:
    import hashlib
    from datetime import UTC

    fields = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "office": entry.office,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "purpose": entry.purpose,
        "ip": entry.ip,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def key_existing_entries(apps, schema_editor):
    from audit import keys, services

    AuditEntry = apps.get_model("audit", "AuditEntry")
    if not AuditEntry.objects.exists():
        return
    key = keys.current_hmac_key()
    expected_seq, expected_prev, last = 1, "0" * 64, 0
    while batch := list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:2000]):
        for entry in batch:
            if entry.seq != expected_seq or entry.prev_hash != expected_prev or _old_hash(entry) != entry.hash:
                raise RuntimeError(
                    f"The audit chain is broken at entry #{min(entry.seq, expected_seq)} (run the previous version's "
                    "`manage.py audit_verify`): investigate before migrating, or the new chain would certify the altered trail."
                )
            expected_seq, expected_prev = entry.seq + 1, entry.hash
            entry.nonce, entry.key_id = secrets.token_hex(8), key.id
            entry.mac = services.entry_mac(entry, key)
        AuditEntry.objects.bulk_update(batch, ["nonce", "key_id", "mac"])
        last = batch[-1].seq


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.RunPython(lift_guard, restore_old_guard),
        migrations.AddField(model_name="auditentry", name="nonce", field=models.CharField(default="", max_length=16), preserve_default=False),
        migrations.AddField(model_name="auditentry", name="key_id", field=models.CharField(default="", max_length=16), preserve_default=False),
        migrations.AddField(model_name="auditentry", name="mac", field=models.CharField(default="", max_length=64), preserve_default=False),
        migrations.RunPython(key_existing_entries, migrations.RunPython.noop),
        migrations.AddField(
            model_name="auditentry",
            name="xid",
            field=models.BigIntegerField(blank=True, db_default=audit.models.CurrentXid(), db_index=True, null=True),
        ),
        migrations.RemoveField(model_name="auditentry", name="seq"),
        migrations.RemoveField(model_name="auditentry", name="prev_hash"),
        migrations.RemoveField(model_name="auditentry", name="hash"),
        migrations.AlterModelOptions(name="auditentry", options={"ordering": ["-id"], "verbose_name_plural": "audit entries"}),
        # Every audited request pays for these: (actor, at) serves the actor's own index, no foreign-key check locks
        # the user's row at commit, and one index serves both "is" and "starts with" on the action.
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(model_name="auditentry", name="action", field=models.CharField(max_length=64)),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action"], name="audit_entry_action", opclasses=["varchar_pattern_ops"]),
        ),
        migrations.DeleteModel(name="AuditHead"),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("seq", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("key_id", models.CharField(max_length=16)),
                ("hash", models.CharField(max_length=64)),
                (
                    "entry",
                    models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="seal", to="audit.auditentry"),
                ),
            ],
            options={"abstract": False},
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree_size", models.PositiveBigIntegerField(unique=True)),
                ("root_hash", models.CharField(max_length=64)),
                ("at", models.DateTimeField()),
                ("origin", models.CharField(max_length=200)),
                ("note", models.TextField()),
                ("frontier", models.JSONField(default=list)),
                ("snapshot_xmin", models.BigIntegerField(blank=True, null=True)),
                ("last_entry_id", models.BigIntegerField(default=0)),
            ],
            options={"ordering": ["-tree_size"]},
        ),
        migrations.RunPython(guard_all, unguard_all),
    ]
