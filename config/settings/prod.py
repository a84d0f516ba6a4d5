"""Production: refuses to start with the default secret, with DEBUG or with demo logins."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSECURE_DEFAULT_SECRET_KEY, SECRET_KEY, env_bool, env_int

DEBUG = env_bool("DEBUG", False)
if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Production: set SECRET_KEY to a random value of 50+ characters.")
if DEBUG:
    raise ImproperlyConfigured("Production: DEBUG must be false.")
if DUI_DEMO_MODE:  # noqa: F405
    raise ImproperlyConfigured("Production: DUI_DEMO_MODE (demo logins without 2FA) is refused.")

if not os.environ.get("DUI_JOURNAL_KEY") or DUI_JOURNAL_KEY == SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "Production: set DUI_JOURNAL_KEY to its own random secret (32+ characters), kept "
        "outside the database and distinct from SECRET_KEY."
    )
if not os.environ.get("DUI_JOURNAL_CHECKPOINT_DIR"):
    raise ImproperlyConfigured(
        "Production: set DUI_JOURNAL_CHECKPOINT_DIR to a directory the database role cannot "
        "rewrite (signed checkpoints of the access journal)."
    )

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
DUI_READ_ONLY_GET_GUARD = False
