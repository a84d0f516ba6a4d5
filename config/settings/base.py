"""Settings shared by every environment. Values come from the environment; bad values fail loudly."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Used only for local development and tests; prod.py refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "dui-insecure-local-development-key-change-me-0123456789"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true/false")


def env_int(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer") from exc
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY") or INSECURE_DEFAULT_SECRET_KEY
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "dui.core",
    "dui.organisation",
    "dui.accounts",
    "dui.access",
    "dui.people",
    "dui.coordination",
    "dui.documents",
    "dui.stays",
    "dui.care",
    "dui.support",
    "dui.admissions",
    "dui.assessments",
    "dui.reporting",
    "dui.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dui.core.middleware.SecurityHeadersMiddleware",
    # Before the session policy, which tells the user why a session was closed.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dui.accounts.middleware.SessionPolicyMiddleware",
    "dui.accounts.middleware.SecondFactorRequiredMiddleware",
    "dui.accounts.middleware.CurrentAssignmentMiddleware",
    "dui.access.journal.JournalContextMiddleware",
    "dui.core.middleware.ReadOnlyGetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dui" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dui.core.context_processors.shell",
                "dui.accounts.context_processors.assignments",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'dui.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout: the dev server and a background seed can share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The access filter (two EXISTS joined by OR) is costed far above what it runs at, and
    # PostgreSQL's JIT then compiles each search for 15–40 ms of a 30 ms answer (measured on
    # 50,000 persons, `make bench`). Our queries are short OLTP ones: JIT never pays here.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The access layer names the person model by setting, so that it imports no brick (DESIGN §4.1).
ACCESS_PERSON_MODEL = "people.Person"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# CNIL, délibération 2022-100 (recommandation mots de passe): at least 12 characters
# when the password is the only secret; plus the common-password list.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: absolute lifetime and idle lock (shared tablets).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12, 1, 24))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
SESSION_IDLE_LOCK = timedelta(minutes=env_int("SESSION_IDLE_LOCK_MINUTES", 15, 1, 60))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Second factor: required for everyone unless an establishment exempts a role explicitly,
# or (demo settings only) the demo accounts.
OTP_TOTP_ISSUER = "DUI"
DUI_DEMO_MODE = env_bool("DUI_DEMO_MODE", False)
# Days of care history (notes, care records) the demo seeds per resident, at most.
DUI_DEMO_CARE_DAYS = env_int("DUI_DEMO_CARE_DAYS", 90)

# django-axes: lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, 1, 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, 1, 24 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dui.accounts.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLE_ADMIN = False

# Access layer.
# How long a team keeps read access to a person after the stay/application ended.
ACCESS_WINDOW_AFTER_END = timedelta(days=env_int("ACCESS_WINDOW_DAYS", 90, 0, 365))
BREAK_GLASS_DURATION = timedelta(hours=env_int("BREAK_GLASS_HOURS", 4, 1, 24))
# CNIL (référentiel relatif aux traitements de données de santé): access logs kept 6 to 12
# months by default, up to 3 years when justified.
# 182 days is also the age below which the database refuses any journal deletion
# (access migration 0004).
ACCESS_JOURNAL_RETENTION = timedelta(days=env_int("ACCESS_JOURNAL_RETENTION_DAYS", 365, 182, 1098))
IDEMPOTENCY_KEY_RETENTION = timedelta(days=7)
# Every asset is served by the app itself (no CDN): scripts and styles from our origin only, no
# inline script (behaviours live in dui/static/dui/js/dui.js), no framing. `data:` images: the
# enrolment QR code and thumbnails may be inlined.
DUI_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DUI_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# The journal's hashes and checkpoints are keyed with a secret kept outside the database
# (dui.access.journal): whoever can write the database still cannot forge them. Development
# derives one from SECRET_KEY; production requires its own (prod.py).
DUI_JOURNAL_KEY = os.environ.get("DUI_JOURNAL_KEY") or f"dev-journal:{SECRET_KEY}"
if len(DUI_JOURNAL_KEY) < 32:
    raise ImproperlyConfigured("DUI_JOURNAL_KEY must be 32 characters or more.")
# Signed checkpoints of the journal's chains (dui.access.checkpoints): a directory the database
# role cannot rewrite; optionally mailed (journal_checkpoint --mail) to these addresses.
DUI_JOURNAL_CHECKPOINT_DIR = Path(
    os.environ.get("DUI_JOURNAL_CHECKPOINT_DIR") or BASE_DIR / "var" / "journal"
)
DUI_JOURNAL_CHECKPOINT_MAIL = env_list("DUI_JOURNAL_CHECKPOINT_MAIL", [])

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# The shared CSS/JS/htmx live in dui/static/, which belongs to no app: name it for the finders.
STATICFILES_DIRS = [BASE_DIR / "dui" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Scanned documents of persons: outside the web root, served only by the documents views.
DUI_DOCUMENT_ROOT = Path(os.environ.get("DUI_DOCUMENT_ROOT", BASE_DIR / "var" / "documents"))
STORAGES["documents"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": DUI_DOCUMENT_ROOT,
        "base_url": "/nowhere/",
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
# Reasons given for an amendment (a strict-trait correction, a merge, an end of measure) are
# kept whole in the history, not cut at simple-history's default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The INSi teleservice client (RNIV/INS). The default is not connected: users record the INS
# they obtained from INSi; a real client lives in dui/interop/ and is named here.
DUI_IDENTITY_SERVICE = os.environ.get("DUI_IDENTITY_SERVICE", "dui.people.services.IdentityService")
# Largest accepted document (MB); bigger uploads are cut off while streaming.
DUI_DOCUMENT_MAX_MB = env_int("DUI_DOCUMENT_MAX_MB", 20, 1, 100)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO: only their warnings are useful.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Second factor: recovery codes are django-otp static tokens (stored as keyed digests).
INSTALLED_APPS += ["django_otp.plugins.otp_static"]
# An enrolment code (or link) lets a professional attach an authenticator app to their account:
# issued by the direction or the administration, valid once, for at most 72 hours.
DUI_ENROLMENT_CODE_HOURS = env_int("DUI_ENROLMENT_CODE_HOURS", 72, 1, 72)
# Recovery codes given at enrolment, each usable once instead of the TOTP code.
DUI_RECOVERY_CODE_COUNT = 10

# Mail: second-factor notifications and enrolment links, through Django's SMTP backend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, 1, 65535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL: choose one (STARTTLS or TLS).")
# A notification never holds a request longer than this when the mail server is slow.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10, 1, 120)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DUI <ne-pas-repondre@localhost>")
