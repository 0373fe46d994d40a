"""The append-only audit trail: entries written freely, sealed into a keyed chain and a Merkle tree in batches."""

from django.conf import settings
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries are append-only.")

    def delete(self):
        raise PermissionError("Audit entries are append-only.")


class CurrentXid(models.Func):
    """The writing transaction's id on PostgreSQL, as the column's default; NULL elsewhere."""

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra):
        return "pg_current_xact_id()::text::bigint", []


class AppendOnly(models.Model):
    """Rows that are inserted once and never changed (on PostgreSQL a trigger refuses UPDATE and DELETE too)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")


class AuditEntry(AppendOnly):
    """One thing that happened: who, from which office and address, did what, to what, why, and when.

    `mac` is an HMAC-SHA256 of every field under a key held outside the database (`key_id` names it), so an
    entry cannot be altered or forged without the key. Its place in the chain comes later, from the sealer
    (`AuditSeal`); `xid` is the writing PostgreSQL transaction, which tells the sealer when it is safe to seal.
    """

    at = models.DateTimeField(db_index=True)
    # Every audited request pays for what this column costs. No index of its own: (actor, at) below serves. No
    # constraint in the database: its check at commit locks the user's row (a write to the users table per read,
    # and a shared lock between that user's concurrent requests); accounts are never deleted, PROTECT guards the
    # ORM, and the entry's MAC covers the id and the username.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    actor_username = models.CharField(max_length=150, blank=True)
    office = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    purpose = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    nonce = models.CharField(max_length=16)  # random: two identical entries still differ, so a copied row shows
    key_id = models.CharField(max_length=16)
    mac = models.CharField(max_length=64)
    xid = models.BigIntegerField(null=True, blank=True, db_index=True, db_default=CurrentXid())

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "at"]),
            # One index for both "is" and "starts with" (PostgreSQL; elsewhere a plain one), not Django's two.
            models.Index(fields=["action"], name="audit_entry_action", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_username or '-'} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def seq(self) -> int | None:
        """The entry's place in the chain, once sealed."""
        try:
            return self.seal.seq
        except AuditSeal.DoesNotExist:
            return None


class AuditSeal(AppendOnly):
    """An entry's place in the chain: `hash` is an HMAC over its position, the entry's MAC and the previous seal's hash."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    entry = models.OneToOneField(AuditEntry, on_delete=models.PROTECT, related_name="seal")
    key_id = models.CharField(max_length=16)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"seal #{self.seq}"


class AuditCheckpoint(AppendOnly):
    """A signed tree head: the Merkle root over the first `tree_size` seals, as exported outside the database.

    `note` is the signed text exactly as written to AUDIT_CHECKPOINT_DIR; `frontier` (the roots of the perfect
    subtrees) and `snapshot_xmin` let the next seal go on from here without reading the whole trail.
    """

    tree_size = models.PositiveBigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    origin = models.CharField(max_length=200)
    note = models.TextField()
    frontier = models.JSONField(default=list)
    snapshot_xmin = models.BigIntegerField(null=True, blank=True)
    last_entry_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-tree_size"]

    def __str__(self) -> str:
        return f"checkpoint of {self.tree_size} entries"
