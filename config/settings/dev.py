"""Local development and `make run`: SQLite, DEBUG, demo logins exempt from the second factor."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
DUI_DEMO_MODE = env_bool("DUI_DEMO_MODE", True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DUI_READ_ONLY_GET_GUARD = True
# No collectstatic outside production: static files are served from the apps (finders).
STATIC_ROOT = None
# `make run` has no mail server: the notifications are printed in the terminal instead.
EMAIL_BACKEND = os.environ.get(  # noqa: F405
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
