"""The one settings module. Every knob is an environment variable; see .env.example."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from baro.env import env_bool, env_int, env_list, env_path, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent

# All local state (SQLite database, signing key, attachments) lives under one directory.
DATA_DIR = env_path("BARO_DATA_DIR", Path.home() / ".local" / "share" / "baro")
MEDIA_ROOT = DATA_DIR / "attachments"
KEYS_DIR = DATA_DIR / "keys"


def _secret_key() -> str:
    configured = env_secret("BARO_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("BARO_DEBUG", False)
ALLOWED_HOSTS = env_list("BARO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("BARO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "baro.core",
    "baro.ledger",
    "baro.org",
    "baro.notify",
    "baro.workdays",
    "baro.work",
    "baro.cascade",
    "baro.oversight",
    "baro.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "baro.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "baro.urls"
WSGI_APPLICATION = "baro.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "baro.web.context.shell",
                "baro.notify.context.bell",
            ],
        },
    }
]


# Django's SQLite backend with Baro's SQL functions (accent-insensitive search) registered.
SQLITE_ENGINE = "baro.core.sqlite"


def _databases() -> dict[str, dict[str, object]]:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("BARO_DB_CONN_MAX_AGE", 60))
        if config.get("ENGINE") == "django.db.backends.sqlite3":
            config["ENGINE"] = SQLITE_ENGINE
        return {"default": config}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": str(DATA_DIR / "baro.sqlite3"),
            # Kept open between requests: closing the last connection to a WAL database
            # checkpoints and removes the WAL file, ~25 ms per request when measured.
            "CONN_MAX_AGE": env_int("BARO_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE serialises writers up front, so the ledger chain never forks and
                # concurrent writers wait (busy timeout) instead of failing with "locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from the app finders; the (empty) root only has to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("BARO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Ledger: a signed Merkle checkpoint every N events (also on demand: `baro ledger checkpoint`).
BARO_LEDGER_CHECKPOINT_INTERVAL = env_int("BARO_LEDGER_CHECKPOINT_INTERVAL", 1000, minimum=1)
# …and at the latest N seconds after an event is recorded: the worker's pass signs when the
# oldest unsigned event has waited that long, and so does the next command (baro.ledger.services).
BARO_LEDGER_CHECKPOINT_SECONDS = env_int("BARO_LEDGER_CHECKPOINT_SECONDS", 300, minimum=1)
# Uploads (imports, attachments): size limit in bytes.
BARO_MAX_UPLOAD_BYTES = env_int("BARO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
# Attachments of tasks and directives: size limit and allowed extensions (the file's own bytes
# must match its extension; archives are left out by default: they hide their content from an
# inspector and from the allow-list).
BARO_ATTACHMENT_MAX_BYTES = env_int("BARO_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
BARO_ATTACHMENT_TYPES = env_list(
    "BARO_ATTACHMENT_TYPES",
    ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png"],
)
# Timings of the task workflow that no legal text fixes (Baro's defaults; verify, change here).
# A task with no progress report for more than N calendar days is "chưa cập nhật tiến độ".
BARO_NOT_UPDATED_DAYS = env_int("BARO_NOT_UPDATED_DAYS", 7, minimum=1)
# The head of the lowest common superior decides an ownership dispute within N working days.
BARO_DISPUTE_DECISION_WORKING_DAYS = env_int("BARO_DISPUTE_DECISION_WORKING_DAYS", 3, minimum=1)
# A cascaded directive: each receiving unit plans within N days and deploys within M days.
BARO_CASCADE_PLAN_DAYS = env_int("BARO_CASCADE_PLAN_DAYS", 7, minimum=1)
BARO_CASCADE_DEPLOY_DAYS = env_int("BARO_CASCADE_DEPLOY_DAYS", 14, minimum=1)
# Task lists count at most N tasks ("hơn N nhiệm vụ") and page up to there; filter or export
# for more. From M matching tasks up, SQLite reads a list in deadline order (see lists.py).
BARO_LIST_COUNT_CAP = env_int("BARO_LIST_COUNT_CAP", 10_000, minimum=100)
BARO_TASK_LIST_SCAN_FROM = env_int("BARO_TASK_LIST_SCAN_FROM", 1_000, minimum=1)
# A coordinator asked for input with no sub-deadline answers within N working days.
BARO_INPUT_ANSWER_WORKING_DAYS = env_int("BARO_INPUT_ANSWER_WORKING_DAYS", 5, minimum=1)
# A superior asked for guidance answers within N working days.
BARO_GUIDANCE_ANSWER_WORKING_DAYS = env_int("BARO_GUIDANCE_ANSWER_WORKING_DAYS", 5, minimum=1)
# How soon other processes see a calendar override made elsewhere (seconds).
BARO_CALENDAR_RECHECK_SECONDS = env_int("BARO_CALENDAR_RECHECK_SECONDS", 30, minimum=0)
BARO_PAGE_SIZE = env_int("BARO_PAGE_SIZE", 50, minimum=5)
# Avoidance detectors (each rule's module in baro/oversight/detectors/ explains its figures).
BARO_FLAG_BOUNCES = env_int("BARO_FLAG_BOUNCES", 2, minimum=1)
BARO_FLAG_BOUNCE_UNITS = env_int("BARO_FLAG_BOUNCE_UNITS", 2, minimum=2)
BARO_FLAG_BOUNCE_WINDOW_DAYS = env_int("BARO_FLAG_BOUNCE_WINDOW_DAYS", 365, minimum=1)
BARO_FLAG_ACCEPT_WORKING_DAYS = env_int("BARO_FLAG_ACCEPT_WORKING_DAYS", 3, minimum=1)
BARO_FLAG_EXTENSIONS = env_int("BARO_FLAG_EXTENSIONS", 2, minimum=1)
BARO_FLAG_RETURNS = env_int("BARO_FLAG_RETURNS", 2, minimum=1)
BARO_FLAG_MAX_CONSULTED = env_int("BARO_FLAG_MAX_CONSULTED", 4, minimum=1)
BARO_FLAG_RATE_WINDOW_DAYS = env_int("BARO_FLAG_RATE_WINDOW_DAYS", 365, minimum=30)
BARO_FLAG_RATE_MIN_TASKS = env_int("BARO_FLAG_RATE_MIN_TASKS", 5, minimum=1)
BARO_FLAG_RATE_MIN_SIBLINGS = env_int("BARO_FLAG_RATE_MIN_SIBLINGS", 3, minimum=1)
BARO_FLAG_RATE_MIN_EXTENDED = env_int("BARO_FLAG_RATE_MIN_EXTENDED", 2, minimum=1)
BARO_FLAG_RATE_FACTOR = float(env_str("BARO_FLAG_RATE_FACTOR", "2.0"))
BARO_FLAG_STALLED_PERCENT_OF_TIME = env_int("BARO_FLAG_STALLED_PERCENT_OF_TIME", 50, minimum=1)
# Hà Nội (QĐ 847/QĐ-UBND 2023): overdue after more than 3 urgings goes to the leadership.
BARO_URGINGS_BEFORE_LEADERSHIP = env_int("BARO_URGINGS_BEFORE_LEADERSHIP", 3, minimum=1)

# Notifications (baro.notify). E-mail goes out over SMTP only when BARO_EMAIL_HOST is set; the
# bell and the webhooks work without it. Links in e-mails and webhooks are made absolute with
# BARO_BASE_URL. The timeout keeps a hung SMTP server from holding the worker (it retries).
EMAIL_HOST = env_str("BARO_EMAIL_HOST")
EMAIL_PORT = env_int("BARO_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("BARO_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_secret("BARO_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("BARO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("BARO_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("BARO_EMAIL_FROM", "Baro <baro@localhost>")
BARO_EMAIL_ENABLED = bool(EMAIL_HOST)
BARO_BASE_URL = env_str("BARO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BARO_LOG_LEVEL", "WARNING")},
}
