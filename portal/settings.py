"""The one settings module, driven by the environment.

Development defaults (no variables set): DEBUG on, SQLite in the checkout, tasks run in-process,
files on local disk, e-mail printed to the console. Production: ``DJANGO_DEBUG=false`` plus a real
``DJANGO_SECRET_KEY``, ``ALLOWED_HOSTS`` and usually ``DATABASE_URL``; then the HTTPS hardening
below is switched on so that ``manage.py check --deploy`` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "awards",
    "scoring",
    "home",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "formtools",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "home.middleware.PageAdminScopeMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.enums",
                "portal.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "awards.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "awards.auth.RolePermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "awards:dashboard"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Applicants' evidence never lives under MEDIA_ROOT: it is served only by a permission-checking view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

#: ``immediate`` runs tasks in the process that enqueues them (the demo and tests); ``database``
#: stores them for ``manage.py db_worker`` (production); any other value is a backend path.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_TASK_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "immediate")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(_TASK_BACKEND, _TASK_BACKEND)}}

_MAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
_MAIL_OPTIONS = (
    {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
    }
    if _MAIL_BACKEND.endswith("smtp.EmailBackend")
    else {}
)
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "质量奖门户 <noreply@localhost>")
# Text messages of the notification outbox: a class with ``send(self, *, phone, text)`` that raises
# on failure (see awards/services/notifications/sms.py); development prints them.
PORTAL_SMS_BACKEND = os.environ.get(
    "PORTAL_SMS_BACKEND", "awards.services.notifications.sms.ConsoleSmsBackend"
)

WAGTAIL_SITE_NAME = "政府质量奖门户"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Public address printed on certificates (the QR code's verification link).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL") or WAGTAILADMIN_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "doc", "xls", "zip"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Applications: evidence limits (bytes) and how the rules page revision in force is found
# (a dotted path, so that ``awards`` never imports ``home``).
AWARDS_MAX_ATTACHMENT_BYTES = int(os.environ.get("AWARDS_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))
AWARDS_MAX_APPLICATION_BYTES = int(
    os.environ.get("AWARDS_MAX_APPLICATION_BYTES", 200 * 1024 * 1024)
)
# Key for the individual candidates' identity numbers (awards.id_numbers); empty: SECRET_KEY.
AWARDS_ID_NUMBER_KEY = os.environ.get("AWARDS_ID_NUMBER_KEY", "")
AWARDS_RULES_REVISION_RESOLVER = "home.queries.rules_revision_id_for_programme"

# Accounts and sessions: login throttling (django-axes), two-factor login (django-otp), idle
# timeout, request size. Kept in one block: the apps and middleware are inserted where they must
# run (the size check before anything reads the body, 2FA right after authentication).
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "awards.middleware.RequestSizeLimitMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
_AFTER_MESSAGES = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE[_AFTER_MESSAGES:_AFTER_MESSAGES] = [
    "awards.middleware.IdleSessionTimeoutMiddleware",
    "awards.middleware.TwoFactorMiddleware",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS.insert(0, "axes.backends.AxesStandaloneBackend")
AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] = {"min_length": 10}

#: Wrong passwords before a lockout, counted per username and per client address alike.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "awards.views.security.lockout_response"
#: Proxies in front of the portal that append to X-Forwarded-For (0: use REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None

#: Two-factor login is required of officials and platform administrators in production.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", not DEBUG)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

#: Idle minutes before a session ends: staff (officials, reviewers, administrators) and applicants,
#: who fill in long application forms.
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_IDLE_TIMEOUT_APPLICANT_MINUTES = int(
    os.environ.get("SESSION_IDLE_TIMEOUT_APPLICANT_MINUTES", "120")
)

#: Largest request body accepted (checked on Content-Length before the body is read): one
#: attachment plus room for the form around it. Non-file fields are capped by Django's setting.
PORTAL_MAX_REQUEST_BYTES = int(
    os.environ.get("PORTAL_MAX_REQUEST_BYTES", AWARDS_MAX_ATTACHMENT_BYTES + 2 * 1024 * 1024)
)
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))

#: Anonymous objections to a public notice: at most this many per client address per hour.
OBJECTIONS_PER_ADDRESS_PER_HOUR = int(os.environ.get("OBJECTIONS_PER_ADDRESS_PER_HOUR", "5"))

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # The immediate task backend logs every search-index update at INFO.
    "loggers": {"django.tasks": {"level": "WARNING"}},
}

# --- Hardening (issue 13 §4–§5): one block -------------------------------------------------------
# After the user and messages are known, outermost first:
# - no caching of any answer to a signed-in user (their pages hold private data);
# - the Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY`` below), with inline
#   scripts allowed under /admin/ only, where Wagtail writes some;
# - a NUL byte anywhere in a request is refused with a message before a view runs.
_HARDENING_MIDDLEWARE = [
    "portal.middleware.PrivateResponsesNotStoredMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.WagtailAdminScriptsMiddleware",
    "portal.middleware.RejectNulBytesMiddleware",
]
_AFTER_MESSAGES = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE[_AFTER_MESSAGES:_AFTER_MESSAGES] = _HARDENING_MIDDLEWARE
# Scripts, styles, images and fonts from the portal itself only, no inline script, no plugins,
# no framing by other sites, forms post to the portal only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's admin and its rich text set style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# Wagtail's admin would otherwise load avatars from gravatar.com (and tell it users' e-mails).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor ask wagtail.org for new releases from the admin's home (the policy would block it anyway),
# nor show a banner linking to wagtail.org (issue 12: the admin loads nothing from outside).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Certificates' serials are signed with their own key (scoring.certificates), so that rotating
# SECRET_KEY never breaks a printed certificate; keys listed in the fallbacks still verify.
# Production requires it (awards.checks); moving from serials signed with SECRET_KEY: set it to
# the old SECRET_KEY value (or list that in the fallbacks).
_DEV_CERTIFICATE_SIGNING_KEY = "dev-only-insecure-certificate-key"
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY") or (
    _DEV_CERTIFICATE_SIGNING_KEY if DEBUG else ""
)
CERTIFICATE_SIGNING_KEY_FALLBACKS = env_list("CERTIFICATE_SIGNING_KEY_FALLBACKS", "")
if not DEBUG:
    # No development fallback (WAGTAILADMIN_BASE_URL, 127.0.0.1) for the address printed on
    # certificates: production must name it (awards.checks).
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")

# --- Deployment (issue 13 §6, docs/deployment.md): object storage, static files, JSON logs. ---
# Object storage: with PORTAL_S3_BUCKET set, media (public: Wagtail images and documents) and the
# private files (evidence, application PDFs, certificates, objection evidence) live in an
# S3-compatible store (MinIO in compose.yaml) instead of MEDIA_ROOT / PRIVATE_MEDIA_ROOT. The
# private bucket has no public URL: its files leave only through awards/views/downloads.py.
if os.environ.get("PORTAL_S3_BUCKET"):
    from botocore.config import Config as _S3ClientConfig

    _S3_COMMON = {
        "endpoint_url": os.environ.get("PORTAL_S3_ENDPOINT_URL") or None,
        "access_key": os.environ.get("PORTAL_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("PORTAL_S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.environ.get("PORTAL_S3_REGION", "us-east-1"),
        "addressing_style": os.environ.get("PORTAL_S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "file_overwrite": False,  # like the local disk: a name in use gets a suffix
        "max_memory_size": 8 * 1024 * 1024,  # larger downloads spool to a temporary file
        "client_config": _S3ClientConfig(
            connect_timeout=float(os.environ.get("PORTAL_S3_CONNECT_TIMEOUT", "5")),
            read_timeout=float(os.environ.get("PORTAL_S3_READ_TIMEOUT", "60")),
            retries={"max_attempts": int(os.environ.get("PORTAL_S3_MAX_ATTEMPTS", "3"))},
        ),
    }
    # Public media: PORTAL_S3_MEDIA_URL is the address browsers use (e.g.
    # https://media.example.org/portal-media); without it, media URLs are signed endpoint URLs.
    _MEDIA_URL = os.environ.get("PORTAL_S3_MEDIA_URL", "").rstrip("/")
    _MEDIA_PROTOCOL, _, _MEDIA_DOMAIN = _MEDIA_URL.partition("//")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_COMMON,
            "bucket_name": os.environ["PORTAL_S3_BUCKET"],
            "custom_domain": _MEDIA_DOMAIN or None,
            "url_protocol": _MEDIA_PROTOCOL or "https:",
            "querystring_auth": not _MEDIA_DOMAIN,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "portal.storage.PrivateS3Storage",
        "OPTIONS": {
            **_S3_COMMON,
            "bucket_name": os.environ.get("PORTAL_S3_PRIVATE_BUCKET")
            or os.environ["PORTAL_S3_BUCKET"] + "-private",
        },
    }

# Static files: WhiteNoise serves the collected files from the web process when DEBUG is off
# (the development server serves them itself). The image sets DJANGO_STATIC_MANIFEST=true: hashed,
# compressed names, cached forever.
if not DEBUG:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's health probe speaks plain HTTP
    MIDDLEWARE.insert(0, "portal.logs.RequestIdMiddleware")  # X-Request-ID, in every log line
if env_bool("DJANGO_STATIC_MANIFEST", False):
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# Logs: one JSON object per line on stdout in production (DJANGO_LOG_FORMAT=json|text; json
# whenever DEBUG is off), plain text in development.
if os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json") == "json":
    LOGGING["formatters"] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        }
    }
    LOGGING["filters"] = {"request_id": {"()": "portal.logs.RequestIdFilter"}}
    LOGGING["handlers"]["console"] = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "json",
        "filters": ["request_id"],
    }
    LOGGING["loggers"]["portal.health"] = {"level": "INFO"}
# --- end of the deployment block ---
