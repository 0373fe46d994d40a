"""The database as the server sees it: the connection pool's state, and a busy database answered as 503, not 500."""

from django.db import OperationalError, connection, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


def status() -> dict:
    """The database's health for /healthz: reachable or not, and, on PostgreSQL, the pool's size and use."""
    body: dict = {"vendor": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy", reported as such
        body["database"] = f"error: {error.__class__.__name__}"
    pool = getattr(connection, "pool", None)
    if pool is not None:
        stats = pool.get_stats()
        body["pool"] = {
            "min_size": pool.min_size,
            "max_size": pool.max_size,
            "size": stats.get("pool_size", 0),  # connections open in this process
            "available": stats.get("pool_available", 0),  # open and idle
            "waiting": stats.get("requests_waiting", 0),  # requests queued for a connection now
            "timeouts": stats.get("requests_errors", 0),  # requests that gave up waiting since start
        }
    return body


def busy_response(request, exception: BaseException | None) -> HttpResponse | None:
    """For the 500 handler: a request that found no free pooled connection in time, or a database that is down,
    answers 503 with Retry-After, so the client comes back later; its transaction was rolled back, nothing saved."""
    if not isinstance(exception, OperationalError):
        return None
    message = _("The portal is busy. Nothing you sent was saved; try again in a few seconds.")
    if request.path.startswith("/api/") or request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        try:
            response = render(request, "error.html", {"title": _("Busy"), "message": message}, status=503)
        except OperationalError:  # the page's frame needed the database too
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class StreamingReleasesConnectionMiddleware:
    """A streaming answer (an alert stream held open for minutes, a file sent down a slow line) gives its pooled
    connection back before the first byte is sent.

    Django returns a request's connection when the request finishes, and a streaming answer finishes only when its
    last byte is sent: thirty alert pages held open would hold thirty connections and starve the pool (seen in the
    500-user soak as PoolTimeout for every other page). What the stream reads later takes a connection of its own.
    Outermost, so that the session and every other middleware have done their queries first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming:
            close_old_connections_now()
        return response


def close_old_connections_now() -> None:
    """Give this thread's connections back to the pool (or close them), outside any transaction."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()
