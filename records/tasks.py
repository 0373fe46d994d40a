"""The records' background work: screening an incoming item against the records (see records.crossmatch)."""

from jobs.tasks import task


@task(attempts=3, give_up_on=(LookupError,))
def screen(kind: str, pk: int) -> dict:
    """Screen one item (`kind`: a key registered with records.crossmatch, "notices", "references", "broadcasts" or
    "alerts"; `pk`: its id) against all records, recording its hits and telling the owners of strong ones.
    Enqueue it with `records.crossmatch.screen_enqueue(item)`; a summary of what it found is its result."""
    from records import crossmatch

    return crossmatch.screen_queued(kind, pk)
