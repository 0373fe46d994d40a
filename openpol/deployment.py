"""Refusals at server start that settings alone cannot make: they do not know how many processes serve."""

import logging
import multiprocessing
import os
import signal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)


def refuse_unshared_cache() -> None:
    """A worker of a multi-process server (`uvicorn --workers N` spawns its workers through multiprocessing) with a
    per-process cache would count every rate limit N times over: it stops the whole server instead of serving."""
    if settings.DEBUG or settings.SHARED_CACHE or multiprocessing.parent_process() is None:  # --reload's child is alone
        return
    message = "Several server processes need a shared cache for rate limits: set REDIS_URL (see README, Production)."
    log.critical(message)
    os.kill(os.getppid(), signal.SIGTERM)  # the supervisor would otherwise restart this worker forever
    raise ImproperlyConfigured(message)
