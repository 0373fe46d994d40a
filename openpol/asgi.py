"""ASGI entry point: uvicorn serves this, so long-lived streams (crime alerts) scale."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpol.settings")
django_application = get_asgi_application()

from alerts.asgi import with_alert_stream  # noqa: E402 - needs the settings loaded above

# The ticket-authenticated alert stream skips Django's middleware; everything else is Django.
application = with_alert_stream(django_application)
