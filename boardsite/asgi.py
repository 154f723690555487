"""ASGI entry point, kept for tooling; production serves WSGI (see wsgi.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boardsite.settings")
application = get_asgi_application()
