"""Test settings: the real settings with a fast hasher, local memory cache and mail, eager tasks.

A test that needs a real worker (see jianxi_portal/tests/test_celery_redis.py) switches eager off
for itself when REDIS_URL is set."""

from jianxi_portal.settings import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
FIELD_ENCRYPTION_KEY = "cXVpZXQtdGVzdC1rZXktZm9yLWppYW54aS1wb3J0YWw="
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The suite calls the API far more often than a person: per-token limits are tested on their own.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(("token", "user", "anon"), "100000/minute"),
}
