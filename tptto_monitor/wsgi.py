"""WSGI entry point: `gunicorn tptto_monitor.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tptto_monitor.settings")
application = get_wsgi_application()
