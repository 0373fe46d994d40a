"""The requests sent with an Idempotency-Key, each with the answer its retries get."""

from django.db import models


class IdempotencyKey(models.Model):
    """One client's key for one request: written in the request's own transaction, with its answer, or not at all."""

    owner = models.CharField(max_length=100, help_text="Who sent it: a hash of the credential, or the signed-in user.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and payload.")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    status = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_once_per_owner")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
