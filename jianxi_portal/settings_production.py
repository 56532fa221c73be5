"""Production settings (SECURITY.md, item 7: deployment): the real settings plus HTTPS only, HSTS, secure cookies,
no debug and no browsable API. `manage.py check --deploy --fail-level WARNING` passes with them
(run by .ci/run):

    DEBUG=0 SECRET_KEY=… ALLOWED_HOSTS=jianxi.example.gov.cn \\
    DJANGO_SETTINGS_MODULE=jianxi_portal.settings_production python manage.py check --deploy

The Content-Security-Policy header, session timeouts, two-factor sign-in, lockout and no-store are
in the base settings: they hold in development too."""

from django.core.exceptions import ImproperlyConfigured

from jianxi_portal.env import env_bool, env_int, env_str
from jianxi_portal.settings import *  # noqa: F401,F403
from jianxi_portal.settings import REST_FRAMEWORK

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY") or ""
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production")

# HTTPS everywhere. Behind a reverse proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 and
# make the proxy send X-Forwarded-Proto (and strip it from clients).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Static files (README: Serving): `collectstatic` writes hashed names (css/portal.3f2a….css) and their
# gzip copies; WhiteNoise serves them with a year's Cache-Control (a changed file gets a new name).
# (Development serves them with runserver from the apps' folders: no collectstatic there.)
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# JSON only: no browsable API pages in production (the OpenAPI docs stay at /api/docs/).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# Errors go to the log (personal numbers scrubbed), never to the browser.
DEBUG_PROPAGATE_EXCEPTIONS = False

# drf-spectacular adds its schema warnings (component naming) to `check --deploy`; they are not
# deployment settings, and the schema is tested by the suite (test_api_spine). Keep the deploy
# check about deployment.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}  # noqa: F405
