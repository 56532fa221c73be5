"""Settings of the Celery workers that test_worker_kill.py starts and kills: the test settings,
against the test database (committed data: the test is transactional) and a broker of their own
(a Redis database other than the suite's, every key under a prefix of the test run). The lease and
the visibility timeout come from the environment, as in production (JOB_LEASE_SECONDS,
CELERY_BROKER_VISIBILITY_TIMEOUT), set short by the test."""

import os

from jianxi_portal.settings_test import *  # noqa: F401,F403
from jianxi_portal.settings_test import CELERY_BEAT_SCHEDULE, CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES

DATABASES["default"]["NAME"] = os.environ["JIANXI_WORKER_DB_NAME"]
MEDIA_ROOT = os.environ["JIANXI_WORKER_MEDIA_ROOT"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["JIANXI_WORKER_BROKER_URL"]
CELERY_RESULT_BACKEND = None
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": os.environ["JIANXI_WORKER_KEY_PREFIX"],
    # Look for messages to redeliver every half second (kombu's default: about every 100 s).
    "unacked_restore_interval": 0.5,
    "unacked_restore_throttle": 1,
}
# A worker started with -B runs the recovery sweep only (every JOB_LEASE_SECONDS, as in production).
CELERY_BEAT_SCHEDULE = {"exchange-recover-jobs": CELERY_BEAT_SCHEDULE["exchange-recover-jobs"]}
# The test waits for the worker's "… ready." line (INFO, logger celery.apps.worker). Celery leaves
# logging to settings.LOGGING (jianxi_portal/ops/logs.py), and the test settings configure no handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"celery": {"handlers": ["console"], "level": "INFO"}},
}
