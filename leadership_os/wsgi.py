"""The WSGI entry point (gunicorn `leadership_os.wsgi`).

Once the app is loaded, its URLconf and every view module it names are imported and what they
allocated is frozen out of Python's cyclic garbage collector (`gc.freeze`): those objects live as
long as the process, and without this every full collection walks them again. On the large org a
worker's full collection falls from about 100 ms to about 30 ms (bench/README.md), which is what a
request pays when one happens to fall in it (they come every few writes, as the engine's result is
renewed)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadership_os.settings")
application = get_wsgi_application()


def _freeze_what_lives_as_long_as_the_process() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module now, not at the first request)
    gc.collect()  # what is garbage already is not frozen with the rest
    gc.freeze()


_freeze_what_lives_as_long_as_the_process()
