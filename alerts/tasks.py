"""The alert network's background work: the inbox rows of a version, when its publishing request could not write them."""

from jobs.tasks import task


@task(attempts=8)
def deliveries(version_id: int) -> int:
    """Write the inbox rows of one alert version, once; the number written.

    Enqueued in the transaction that makes the version (`alerts.services._new_version`), to run
    ALERTS_DELIVERIES_GRACE_SECONDS later: the publishing request writes the rows itself as soon as it has told the
    open pages, so this task finds them written, unless that step failed (a crash, a lost connection, a full disk).
    Then it writes them, and is retried with back-off until it can; a version never stays without its rows."""
    from alerts import services

    return services.deliveries_write(version_id, retried=True)
