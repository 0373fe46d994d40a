"""Conversations along the NCB–ILO–UO hierarchy: threads, their participants, messages, attachments and presence."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ThreadQuerySet":
        """The threads the user takes part in; nobody else sees them, not even NCB staff (messages are private)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(participants__user=user)


class Thread(models.Model):
    """A conversation with a subject between people the hierarchy lets talk (see connect.rules)."""

    subject = models.CharField(_("subject"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("connect:thread_detail", args=[self.pk])


class Participant(models.Model):
    """One person in one thread, with how far they have read (read receipts) and been e-mailed (digests)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="connect_participations")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    # Message ids only grow, so "read up to id N" is the whole receipt.
    last_read_message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_read_at = models.DateTimeField(null=True, blank=True)
    last_digested_message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="connect_one_participation_per_thread")]
        indexes = [models.Index(fields=["user", "thread"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.thread}"


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MessageQuerySet":
        """Messages of the threads the user takes part in."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(thread__participants__user=user)


class Message(models.Model):
    """One message in a thread; never edited or deleted, so ids order a thread and mark how far someone read."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        # The poll asks "messages of thread T after id N": this index answers it alone.
        indexes = [models.Index(fields=["thread", "id"], name="connect_message_thread_id")]

    def __str__(self) -> str:
        return f"{self.author} in {self.thread}: {self.first_line}"

    @property
    def first_line(self) -> str:
        lines = [line.strip() for line in self.body.strip().splitlines() if line.strip()]
        return lines[0][:140] if lines else ""


class MessageAttachment(models.Model):
    """A PDF, JPEG or PNG sent with a message, checked by its content, stored outside the web root."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="connect/%Y/%m/")
    original_name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class Presence(models.Model):
    """When a user last opened or polled Connect; someone not seen for a while gets unread messages by e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connect_presence")
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "presence"

    def __str__(self) -> str:
        return f"{self.user} seen {self.last_seen_at:%Y-%m-%d %H:%M}"
