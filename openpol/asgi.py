"""ASGI entry point: uvicorn serves this, so long-lived streams (crime alerts) scale."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpol.settings")
django_application = get_asgi_application()

from openpol.deployment import refuse_unshared_cache  # noqa: E402 - needs the settings loaded above

refuse_unshared_cache()

from alerts.asgi import with_alert_stream  # noqa: E402 - needs the settings loaded above

# The ticket-authenticated alert stream skips Django's middleware; everything else is Django.
application = with_alert_stream(django_application)

# A server process holds thousands of alert streams open for hours, each a few dozen objects. CPython's cyclic
# garbage collector would walk all of them on its schedule, stalling every open page for hundreds of
# milliseconds (measured by bench_alerts). The objects made at start-up are frozen out of its reach, and it
# runs a hundred times less often; memory is still freed at once by reference counting.
gc.freeze()
gc.set_threshold(70_000, 20, 20)
