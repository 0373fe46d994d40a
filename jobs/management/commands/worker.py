"""The background worker: runs the tasks the portal enqueues and, once a minute, enqueues the periodic jobs that are
due. Run one or more beside the web server (`make run` starts one; README: Background work and messages)."""

import json
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jobs import services


class Command(BaseCommand):
    help = "Run background tasks and schedule the periodic jobs (stop with SIGTERM or Ctrl-C: the running task finishes)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to sleep when there is nothing to do.")
        parser.add_argument("--tick", type=float, default=60.0, help="Seconds between two looks at the periodic jobs.")
        parser.add_argument("--no-tick", action="store_true", help="Run tasks only; another worker schedules the jobs.")
        parser.add_argument("--batch", action="store_true", help="Run what is ready now, then exit (print what was done).")

    def handle(self, *args, interval, tick, no_tick, batch, **options):
        self.running = True
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)
        if batch:
            enqueued = [] if no_tick else services.tick()
            self.stdout.write(json.dumps({"enqueued": enqueued, "ran": services.run_ready()}))
            return
        next_tick = 0.0
        while self.running:
            close_old_connections()
            if not no_tick and time.monotonic() >= next_tick:
                services.tick()
                next_tick = time.monotonic() + tick
            ran = services.run_ready(limit=50)
            close_old_connections()
            if not ran and self.running:
                time.sleep(interval)

    def _stop(self, signum, frame):
        self.running = False
