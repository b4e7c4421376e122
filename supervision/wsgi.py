"""WSGI entry point for gunicorn or any other WSGI server.

Once the application and its URLconf (every view module) are loaded, ``gc.freeze()`` moves the
objects made so far (the modules, models, URL patterns: some 170,000) out of the collector's
sight: they live as long as the process. Without it every full collection walks them all,
about 100 ms that fell on one page view in ten or so (measured on the charts page, 2026-12-07);
with it a collection walks what the requests made. Each gunicorn process loads this module
itself (``preload_app = False``), so each freezes its own.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")

application = get_wsgi_application()


def _load_and_freeze() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module now, not at the first request)
    gc.collect()
    gc.freeze()


_load_and_freeze()
