"""One settings module, driven by environment variables (see docs/operations.md)."""

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-dev-only-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "khuyencong.core",
    "khuyencong.geo",
    "khuyencong.accounts",
    "khuyencong.catalog",
    "khuyencong.beneficiaries",
    "khuyencong.programs",
    "khuyencong.projects",
    "khuyencong.reports",
    "khuyencong.awards",
    "khuyencong.loans",
    "khuyencong.clusters",
    "khuyencong.rankings",
    "khuyencong.activities",
    "khuyencong.portal",
    "khuyencong.surveys",
    "khuyencong.opendata",
    "khuyencong.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "khuyencong.accounts.middleware.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "khuyencong.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "khuyencong.core.context_processors.layout",
            ],
            "builtins": ["khuyencong.core.templatetags.kc"],
        },
    }
]

# Django's plain widget templates written in Python (same output, a fraction of the time): core/renderers.py.
FORM_RENDERER = "khuyencong.core.renderers.FastWidgetRenderer"

# SQLite file under var/ by default; DATABASE_URL=postgres://… switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'khuyencong.sqlite3'}",
        # A worker keeps its connection for a minute (a fresh PostgreSQL connection per request costs a
        # backend start on the server and Django's session setup here); checked before reuse.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0" if TESTING else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", False)
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when the collected-static folder is missing
# Uploaded files (voting dossiers). Tests write theirs to a temporary directory, never to var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kc-test-media-")) if TESTING else VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The browsable API's pages style themselves inline: its renderer relaxes style-src for them
    # (docs/security.md).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "khuyencong.core.csp.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "khuyencong.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "khuyencong.core.api.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "khuyencong.core.api.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Khuyến công API",
    "DESCRIPTION": "API của hệ thống quản lý hoạt động khuyến công. Mọi số tiền tính bằng đồng (số nguyên).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package: /api/docs/ needs no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PeriodKindEnum": "khuyencong.reports.periods.KIND_CHOICES",
        "OrganisationKindEnum": "khuyencong.accounts.models.Organisation.Kind",
        "DisbursementKindEnum": "khuyencong.projects.models.Disbursement.Kind",
        "AwardLevelEnum": "khuyencong.awards.models.AwardLevel",
        "AwardRoundStatusEnum": "khuyencong.awards.models.RoundStatus",
        "LoanStatusEnum": "khuyencong.loans.models.LoanStatus",
        "ActivityStatusEnum": "khuyencong.activities.models.ActivityStatus",
        "ApplicationStatusEnum": "khuyencong.portal.models.ApplicationStatus",
        "SurveyCampaignStatusEnum": "khuyencong.surveys.models.CampaignStatus",
        "SurveyQuestionRoleEnum": "khuyencong.surveys.models.Question.Role",
        "RoleEnum": "khuyencong.accounts.models.User.Role",
        "LevelEnum": "khuyencong.projects.models.Level",
        "ClusterWorkStatusEnum": "khuyencong.clusters.models.WorkStatus",
    },
    # The error envelope {"error": {"code", "message", "details"}} on every operation's 4xx answers.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "khuyencong.core.api.add_error_responses",
    ],
}

# simple-history: nobody reverts history from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# One cache for every process of the app on this machine (web workers and the task worker): files under
# VAR_DIR/cache. Tests keep a per-process memory cache. The data versions (core.dataversion: a few keys, set
# on every write) have their own directory: a file cache lists its whole directory on each set, which in the
# shared one (up to 2.000 kept answers) cost ~3 ms a write.
CACHE_DIR = os.environ.get("CACHE_DIR", str(VAR_DIR / "cache"))


# Keys are prefixed with the database they describe: two apps on one machine with one cache directory (the
# demo and a benchmark database, CI's fuzzing server) must never read each other's kept answers or versions.
def cache_key_prefix(db: dict) -> str:
    ident = f"{db['ENGINE']}|{db.get('HOST') or ''}|{db.get('PORT') or ''}|{db.get('NAME')}"
    return hashlib.sha1(ident.encode()).hexdigest()[:12]


CACHE_KEY_PREFIX = cache_key_prefix(DATABASES["default"])
CACHES = (
    {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "versions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "versions"},
    }
    if TESTING
    else {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
        "versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(CACHE_DIR) / "versions"),
            "TIMEOUT": None,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
    }
)

# Background jobs (Django Tasks, database backend).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", TESTING)
            else "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "khuyencong2026")

# Production hardening: on when DEBUG is off (`manage.py check --deploy` reports nothing).
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (Django's built-in middleware), on every response. Pages carry no inline script,
# no inline event handler and no style attribute: scripts and styles come from our own static files only.
# CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only instead (the browser then
# reports violations without blocking them); CSP_REPORT_URI adds a report-uri. See docs/security.md.
CSP_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if os.environ.get("CSP_REPORT_URI"):
    CSP_POLICY["report-uri"] = [os.environ["CSP_REPORT_URI"]]
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
SECURE_CSP = {} if CSP_REPORT_ONLY else CSP_POLICY
SECURE_CSP_REPORT_ONLY = CSP_POLICY if CSP_REPORT_ONLY else {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if TESTING:
    # Fast hashing in tests only; production keeps Django's default PBKDF2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# E-mail (set-password links, reminders): the console by default; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "khuyencong@localhost")
