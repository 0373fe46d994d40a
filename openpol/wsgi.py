"""WSGI entry point, for hosts that cannot run ASGI (no live alert streams there)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpol.settings")
application = get_wsgi_application()
