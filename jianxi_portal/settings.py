"""Settings for jianxi_portal, read from the environment (see README: DATABASE_URL, REDIS_URL,
SECRET_KEY, DEBUG, ALLOWED_HOSTS). Development defaults are safe: SQLite, in-process tasks."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from jianxi_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY") or ("dev-insecure-key-change-me" if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# Personal data (ID numbers, phones, bank accounts) is encrypted with this Fernet key and looked up by a keyed
# hash (HMAC) under a key derived from it. Development derives a key from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "")
# Keys being retired during a rotation (comma-separated): read, never written (SECURITY.md: Rotating
# the field-encryption key).
FIELD_ENCRYPTION_OLD_KEYS = env_str("FIELD_ENCRYPTION_OLD_KEYS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jianxi_portal.core",
    "accounts",
    "jianxi_portal.ops",
    "django_prometheus",
    "units",
    "positions",
    "trainees",
    "subsidies",
    "reports",
    "exchange",
    "outreach",
]

MIDDLEWARE = [
    # /healthz/ and /readyz/ answered before the host check and the HTTPS redirect (README: Health);
    # then one JSON log line per request with its id (README: Logs).
    "jianxi_portal.ops.health.ProbeMiddleware",
    "jianxi_portal.ops.logs.RequestLogMiddleware",
    "jianxi_portal.ops.replica.ReplicaMiddleware",  # read-only heavy pages from a replica (README: Read replica)
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # request metrics (README: Metrics)
    "django.middleware.security.SecurityMiddleware",
    "jianxi_portal.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jianxi_portal.core.site_frame.ChineseErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "jianxi_portal.core.middleware.RequestContextMiddleware",
    # A list's query string that does not validate: the Chinese 400 page (jianxi_portal/core/query.py).
    "jianxi_portal.core.query.QueryErrorMiddleware",
    # SECURITY.md: no-store on every signed-in response, denied access audited,
    # session timeouts / revocation / two-factor / password age, then axes' lockout answer (last).
    "jianxi_portal.core.privacy.NoStoreMiddleware",
    "jianxi_portal.core.audit.DeniedAccessAuditMiddleware",
    "accounts.session_policy.SessionPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "jianxi_portal.urls"
WSGI_APPLICATION = "jianxi_portal.wsgi.application"

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
                "jianxi_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
# A streaming replica for the read-only heavy pages (README: Read replica; jianxi_portal/ops/replica.py).
# Tests run against the primary alone (the replica alias mirrors it).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL") or ""
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2  # a dead replica costs 2 s per check
    DATABASE_ROUTERS = ["jianxi_portal.ops.replica.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 15)
REPLICA_READ_VIEWS = [
    "post_list",
    "unit_directory",  # public search
    "annex1",
    "annex1_xlsx",
    "annex2_summary",
    "annex2_xlsx",
    "annex2_records",  # reports
    "home",
    "figure_records",
    "demonstration",  # dashboards (the home page is each role's dashboard)
    "exchange:export",  # list exports
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "jianxi_portal.User"

# SECURITY.md, item 2 (sign-in): 12+ characters, 3 of 4 classes, not common, not like the username; staff may
# not reuse their last 5 (accounts/passwords.py, Chinese messages).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]
# django-axes refuses a locked username inside authenticate(), before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Per-record permissions declared in each app's permissions.py (ARCHITECTURE.md, "One home for each
    # kind of rule"): django-rules' ObjectPermissionBackend, asked only with a record
    "jianxi_portal.core.permissions.RecordPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Mail (password reset, notifications): printed to the console in development; SMTP when
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the EMAIL_HOST… variables are set.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jianxi@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)  # a reset link works for one hour

# The site frame (banner and footer of every page): a government portal names its sponsor, a
# hotline and its ICP filing number (备案号).
PORTAL_NAME = env_str("PORTAL_NAME", "吉林省就业见习管理平台")
PORTAL_SPONSOR = env_str("PORTAL_SPONSOR", "吉林省人力资源和社会保障厅")
PORTAL_HOTLINE = env_str("PORTAL_HOTLINE", "12333")
PORTAL_ICP = env_str("PORTAL_ICP", "")

REDIS_URL = env_str("REDIS_URL") or ""
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when REDIS_URL is set; otherwise every task runs in-process (eager).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat records each tick for /readyz/ and ticks at least every 30 s (jianxi_portal/ops/heartbeat.py).
CELERY_BEAT_SCHEDULER = "jianxi_portal.ops.heartbeat:RecordingScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30
# /readyz/ (README: Health): a worker's heartbeat (every 2 s) and beat's tick no older than these,
# and this much free disk where uploads are written.
READYZ_WORKER_MAX_AGE = env_int("READYZ_WORKER_MAX_AGE", 30)
READYZ_BEAT_MAX_AGE = env_int("READYZ_BEAT_MAX_AGE", 120)
READYZ_MIN_FREE_MB = env_int("READYZ_MIN_FREE_MB", 1024)
# /metrics (README: Metrics): a scraper with this bearer token, or from these networks (never through the proxy).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])
# Background jobs (exchange.jobs). A run holds its job under a lease that it renews
# (a heartbeat every fifth of the lease) while it works; a job still running whose heartbeat is
# older than JOB_LEASE_SECONDS lost its worker (killed, out of memory, host gone) and is run again
# by the next delivery of its task, at most JOB_MAX_ATTEMPTS runs in all. The longest pause between
# two progress calls of a job (one batch of rows) must stay well under the lease.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 300)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# Redis hands a message that a worker took but never acknowledged (acks_late: the worker died
# mid-task) to another worker after the visibility timeout. It need not exceed the longest job:
# a copy delivered while the job still runs finds its lease fresh and does nothing, and a job whose
# worker dies after that is re-queued by exchange.recover_jobs (on the beat, every lease) once its
# lease has expired. 30 minutes: well above the lease, so that the copy of a killed job's message
# normally arrives after the lease expired and redoes it; below the hour after which
# exchange.purge_expired gives up on a job still queued, so a message a dead worker had taken but
# not started comes back before that.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 1800)}
# Later features add their periodic tasks here (name -> task, schedule).
CELERY_BEAT_SCHEDULE: dict = {}
# Reports (Annex 2): last month's drafts on the 1st; reminders on the 2nd and daily after the due date.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["reports-monthly-drafts"] = {
    "task": "reports.tasks.generate_monthly_drafts",
    "schedule": crontab(minute=10, hour=1, day_of_month=1),
}
CELERY_BEAT_SCHEDULE["reports-reminders"] = {
    "task": "reports.tasks.send_report_reminders",
    "schedule": crontab(minute=30, hour=8),
}
# Data exchange: delete the files of expired import/export jobs every hour.
CELERY_BEAT_SCHEDULE["exchange-purge-expired"] = {"task": "exchange.purge_expired", "schedule": 3600.0}
# ... and re-queue every job whose worker died (lease expired) once per lease.
CELERY_BEAT_SCHEDULE["exchange-recover-jobs"] = {"task": "exchange.recover_jobs", "schedule": float(JOB_LEASE_SECONDS)}
# Review workflow: remind city reviewers of items due within 3 working days, escalate overdue ones
# to the province (daily, before office hours); close posts past their closing date (after midnight).
CELERY_BEAT_SCHEDULE["review-reminders"] = {
    "task": "jianxi_portal.tasks.review_reminders",
    "schedule": crontab(minute=0, hour=7),
}
CELERY_BEAT_SCHEDULE["positions-close-expired"] = {
    "task": "positions.tasks.close_expired_posts",
    "schedule": crontab(minute=20, hour=0),
}
# Outreach (DESIGN.md, Who uses it: youth): refresh the matching indexes nightly; the weekly digest on Monday morning.
CELERY_BEAT_SCHEDULE["outreach-refresh-matching"] = {
    "task": "outreach.tasks.refresh_matching",
    "schedule": crontab(minute=40, hour=2),
}
CELERY_BEAT_SCHEDULE["outreach-weekly-digest"] = {
    "task": "outreach.tasks.send_weekly_digests",
    "schedule": crontab(minute=0, hour=9, day_of_week=1),
}
# Links in emails (pushes, unsubscribe) are absolute: the portal's public address.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")
OUTREACH_PUSH_PER_WEEK = env_int("OUTREACH_PUSH_PER_WEEK", 3)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "jianxi_portal.core.api_base.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "jianxi_portal.core.query.QueryFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jianxi_portal.core.api_base.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # Rate limits per API token / session user / anonymous address (exchange.throttling).
    "DEFAULT_THROTTLE_CLASSES": ["exchange.throttling.PerTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_RATE_TOKEN", "120/minute"),
        "user": env_str("API_RATE_USER", "300/minute"),
        "anon": env_str("API_RATE_ANON", "30/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "就业见习管理平台 API",
    "DESCRIPTION": "jianxi_portal REST API v1: regions, quotas, units, posts, trainees, placements, claims, reports, "
    "events, articles, follow-ups, pushes, nominations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc assets from the installed sidecar package: no CDN on the intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the errors it can answer (400/401/403/404/409/429).
    # Choice sets that share a field name across models get their own names (no hashed suffixes).
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "jianxi_portal.core.review.ReviewStatus",
        "PostCategoryEnum": "positions.models.PostCategory",
        "TraineeCategoryEnum": "trainees.models.TraineeCategory",
        "PostEducationEnum": "positions.models.Education",
        "TraineeEducationEnum": "trainees.models.EDUCATION_CHOICES",
        "TrainingKindEnum": "trainees.models.TrainingRecord.Kind",
        "FollowUpOutcomeEnum": "outreach.models.FollowUpContact.Outcome",
        "PlacementOutcomeEnum": "trainees.models.Placement.Outcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "exchange.schema.add_error_responses",
    ],
}

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Sign-in, sessions, tokens, audit (SECURITY.md, items 2 and 3). Production adds HTTPS, HSTS and
# secure cookies in settings_production.py; everything below holds in development too.
PASSWORD_MAX_AGE_DAYS = 90  # staff (admin, province, city) must change their password after this
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
API_TOKEN_MAX_DAYS = 90
# Lockout per username (not per IP: bureau staff share an office gateway): 5 failures within
# LOGIN_FAILURE_WINDOW lock it for AXES_COOLOFF_TIME. The window is counted by
# accounts.lockout.WindowedLockoutHandler (axes' own counter has no fixed window).
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that a lockout without the IP lets an attacker rotate user agents or cookies; here
# the count is keyed on the username alone (WindowedLockoutHandler), so neither changes it.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# models.W040: SQLite has no covering indexes. It is the default database of `make run` (DESIGN.md,
# "Contracts"), where the index on approved units works without its INCLUDE column; PostgreSQL
# keeps it. The warning every command printed there said nothing a user could act on.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS.append("models.W040")
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_HANDLER = "accounts.lockout.WindowedLockoutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # the handler writes each failure itself, before counting
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 200
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "token", "new_password1", "new_password2", "old_password"]
AXES_ENABLE_ADMIN = False  # its counter columns would contradict the windowed rule: see /security/accounts/
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "吉林省就业见习管理平台"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
AUDIT_RETENTION_DAYS = 183  # never less: 网络安全法 art. 21 (logs kept at least six months)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No ID number or mobile number reaches a log: the filter masks them on every handler.
    "filters": {"scrub_personal": {"()": "jianxi_portal.core.privacy.ScrubPersonalDataFilter"}},
    # One JSON object a line (README: Logs): request and task lines, and every other record.
    "formatters": {"json": {"()": "jianxi_portal.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_personal"], "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own records through the same JSON handler (its default adds a plain-text one).
        "django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False},
        # A failing readiness part is in /readyz/'s answer; its traceback on every probe is noise.
        "health_check": {"level": "ERROR"},
        # django-axes writes the username of every sign-in; the audit log keeps them (SECURITY.md),
        # the operations log keeps user ids only.
        "axes": {"level": "ERROR"},
    },
}
