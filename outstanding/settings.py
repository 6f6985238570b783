"""Settings for every environment, chosen by OUTSTANDING_ENVIRONMENT (development, test or production).

Development and test run on the embedded SQLite database unless DATABASE_URL says otherwise; production
refuses to start without its own secret key, database and host names, and never runs the demo generator.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENT = os.environ.get("OUTSTANDING_ENVIRONMENT", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"OUTSTANDING_ENVIRONMENT must be development, test or production, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


if PRODUCTION:
    SECRET_KEY = _required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS").split(",")
    DEBUG = False
    DATABASES = {"default": dj_database_url.parse(_required("DATABASE_URL"), conn_max_age=60)}
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    # Not a secret: development and test keys sign nothing that outlives the machine.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-not-secret-" + "x" * 32)
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    DEBUG = ENVIRONMENT == "development"
    if "DATABASE_URL" not in os.environ:
        (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'outstanding.sqlite3'}")
        )
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "outstanding.partnership",
    "outstanding.audit",
    "outstanding.access",
    "outstanding.accounts",
    "outstanding.people",
    "outstanding.frontdoor",
    "outstanding.clocks",
    "outstanding.casework",
    "outstanding.returns",
    "outstanding.web",
    "outstanding.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "outstanding.accounts.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "outstanding.urls"
WSGI_APPLICATION = "outstanding.wsgi.application"

TEMPLATES = [
    {
        # Pages: Jinja2, so the GOV.UK Frontend components come as the govuk-frontend-jinja macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "outstanding" / "web" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "outstanding.jinja.environment"},
    },
    {
        # Django admin, kept for reference data only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new and changed passwords are hashed with it; older hashes are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"

# Sign-in protection, read by outstanding.accounts: a session ends after this long without a request, and an
# account (known or not, so locking reveals nothing) locks after this many failed sign-ins in a row.
OUTSTANDING_IDLE_TIMEOUT_SECONDS = int(os.environ.get("OUTSTANDING_IDLE_TIMEOUT_SECONDS", 30 * 60))
OUTSTANDING_SIGN_IN_MAX_FAILURES = int(os.environ.get("OUTSTANDING_SIGN_IN_MAX_FAILURES", 5))
OUTSTANDING_SIGN_IN_LOCK_SECONDS = int(os.environ.get("OUTSTANDING_SIGN_IN_LOCK_SECONDS", 30 * 60))

# DfE returns checked on the web page: uploads are read in a temporary folder and removed at once; the
# findings are kept this many days, then deleted. Uploads larger than this are refused.
OUTSTANDING_RETURNS_KEEP_DAYS = int(os.environ.get("OUTSTANDING_RETURNS_KEEP_DAYS", 14))
OUTSTANDING_RETURNS_MAX_UPLOAD_BYTES = int(
    os.environ.get("OUTSTANDING_RETURNS_MAX_UPLOAD_BYTES", 500 * 1024 * 1024)
)
OUTSTANDING_RETURNS_MAX_FINDINGS = int(os.environ.get("OUTSTANDING_RETURNS_MAX_FINDINGS", 200_000))

SESSION_COOKIE_AGE = 12 * 60 * 60  # an absolute ceiling; inactivity ends a session long before this
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Production serves what `collectstatic` gathers; elsewhere WhiteNoise reads the build folder directly.
STATIC_ROOT = BASE_DIR / "build" / "collected-static" if PRODUCTION else None
# Built by `make setup` from the npm packages: GOV.UK Frontend and MOJ Frontend compiled into one stylesheet.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
