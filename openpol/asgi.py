"""ASGI entry point: uvicorn serves this, so long-lived streams (crime alerts) scale."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpol.settings")
application = get_asgi_application()
