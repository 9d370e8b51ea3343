import os

from django.core.wsgi import get_wsgi_application

# Production unless told otherwise (issue 17): make run and the tests choose their settings explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
