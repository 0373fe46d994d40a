"""What a server process does at start that settings alone cannot: refusals, and how it hands memory back."""

import ctypes
import logging
import multiprocessing
import os
import signal
import sys

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


M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter number
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value, now kept fixed


def return_large_allocations() -> None:
    """Every block of 128 KiB or more (a password check's 19 MiB, a big page or upload) is mapped on its own and given
    back to the system when freed.

    glibc raises that threshold each time such a block is freed, so after the first few sign-ins Argon2's buffers come
    from the heaps of the threads that made them, and stay resident: forty sign-ins at once left a process 850 MB
    larger for good (the 500-user soak saw each worker grow by 500 MB in ten minutes). A fixed threshold keeps them
    apart (the same forty sign-ins: 20 MB). Does nothing where the C library is not glibc.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):  # musl, or no mallopt
        return
