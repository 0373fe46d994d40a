"""The request's client address, carried to `audit.record` without threading `request` through every service."""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def ip_from_request(request) -> str | None:
    # Behind a trusted proxy, set the proxy to overwrite REMOTE_ADDR (e.g. uvicorn --proxy-headers).
    return request.META.get("REMOTE_ADDR") or None
