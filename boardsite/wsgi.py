"""WSGI entry point (gunicorn). Boardsite is served over WSGI, not ASGI: on these
machines Django under ASGI cost 5.7× the CPU per request (performance-notes.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boardsite.settings")
application = get_wsgi_application()
