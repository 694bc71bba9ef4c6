"""pmmhub settings, read from environment variables.

DATABASE_URL   default: SQLite file db.sqlite3 in the checkout
SECRET_KEY     required unless DJANGO_DEBUG is on
DJANGO_DEBUG   "1"/"true" to turn debug on (default off)
ALLOWED_HOSTS  comma-separated (default: localhost names when debugging, none otherwise)
DJANGO_HTTPS   served over HTTPS: secure cookies, HSTS, redirect (default: on unless debugging)
DJANGO_TRUSTED_PROXY_SSL  "1" when a proxy sets X-Forwarded-Proto (default off)
CSRF_TRUSTED_ORIGINS      comma-separated origins, when served behind a proxy on another host
SESSION_IDLE_MINUTES      a login ends after this long without a request (default 30)
SESSION_MAX_HOURS         a login ends this long after it began, active or not (default 12)
TRUSTED_PROXIES           comma-separated addresses or networks of reverse proxies whose
                          X-Forwarded-For names the client (default none)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from pmmhub.forwarding import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false, not {value!r}")


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise ImproperlyConfigured(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (or DJANGO_DEBUG=1 for a local development server)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tables2",
    "frameworks",
    "responsibilities",
    "workshops",
    "accounts",
]

MIDDLEWARE = [
    "pmmhub.middleware.refuse_unknown_hosts",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Accounts: no-store on what any later middleware or view answers to a session.
    "accounts.middleware.no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the header middlewares: it reads the body, and a request too large to read
    # answers from here with every security header.
    "pmmhub.middleware.refuse_nul_characters",
    "django_htmx.middleware.HtmxMiddleware",
    # Accounts: after messages and htmx (it leaves a message and reads request.htmx).
    "accounts.middleware.session_lifetime",
]

ROOT_URLCONF = "pmmhub.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "pmmhub.wsgi.application"

# Connections persist across requests and are checked before a request reuses one: a
# connection the database or a proxy dropped while idle is replaced instead of failing the
# request (a cell write among them). The check costs about 8% of an unchanged poll.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A write transaction takes SQLite's write lock when it begins, and a second writer waits
    # up to 20 s for it: by default the second one started reading, could not upgrade to
    # writing, and failed at once with "database is locked" (a 500 instead of waiting its turn).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}), "transaction_mode": "IMMEDIATE", "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts (ASVS level 2): passwords of 12 characters or more, not a common one, not like
# the username; enforced at sign-up and password change (not by create_user, so tests and
# the demo can make users directly).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Rendered matrix and dashboard fragments, per process. Their keys carry the workspace's
# version, which every write bumps in the database, so each process serves current data.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
    # Accounts: sessions checked in the last minute (accounts.middleware), per process.
    "session-checks": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}

# Accounts: a login ends after SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS
# after it began (ASVS 3.3.2, level 2); accounts.middleware enforces both.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 12)

SESSION_ENGINE = "pmmhub.sessions"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# English only, so no translation machinery: with it on, every {% url %} and date asks
# for the active language through a context-local lookup (a tenth of the matrix page).
# Formats still follow LANGUAGE_CODE.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# No inline script anywhere: htmx is loaded from a file and configured by a meta tag.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

HTTPS = envbool("DJANGO_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if envbool("DJANGO_TRUSTED_PROXY_SSL", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For names the client, for
# the limits on logins and joins (pmmhub.addresses). Checked here so a typo stops startup.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", [])
try:
    parse_networks(TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
