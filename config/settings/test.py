"""Test settings: SQLite in memory unless DATABASE_URL points to PostgreSQL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
DUI_DEMO_MODE = False
# The suite seeds the demo many times: a week of care history is enough to test it.
DUI_DEMO_CARE_DAYS = 7
# Tests hash many passwords: a fast hasher keeps the suite quick; argon2 stays in base/prod.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DUI_READ_ONLY_GET_GUARD = True
AXES_FAILURE_LIMIT = 5
# No collectstatic outside production: static files are served from the apps (finders).
STATIC_ROOT = None

# Uploaded documents go to a throw-away directory, never into the working tree.
DUI_DOCUMENT_ROOT = Path(tempfile.mkdtemp(prefix="dui-test-documents-"))
STORAGES["documents"]["OPTIONS"]["location"] = DUI_DOCUMENT_ROOT  # noqa: F405

# A fixed journal key (the hashes of a test are reproducible) and checkpoints in a throw-away
# directory; tests that read checkpoints point it at their own tmp_path.
DUI_JOURNAL_KEY = "test-journal-key-0123456789abcdefghijklmnopqrstuvwxyz"
DUI_JOURNAL_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="dui-test-journal-"))
