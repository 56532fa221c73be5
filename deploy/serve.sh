#!/usr/bin/env bash
# `make serve`: the production stack on one machine (README: Serving) — static files collected,
# migrations applied, then gunicorn (production settings, WhiteNoise), a Celery worker and beat.
# Ctrl+C (or SIGTERM) stops all three; if one of them exits, the others are stopped too.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-jianxi_portal.settings_production}
: "${REDIS_URL:?set REDIS_URL (redis://127.0.0.1:6379/0): the worker and beat need a broker}"
: "${SECRET_KEY:?set SECRET_KEY (50+ random characters): production settings refuse to start without it}"
mkdir -p .run

"$VENV/bin/python" manage.py collectstatic --noinput -v0
"$VENV/bin/python" manage.py migrate --noinput -v0

pids=()
stop() { trap - INT TERM EXIT; kill -TERM "${pids[@]}" 2>/dev/null || true; wait || true; }
trap stop INT TERM EXIT
"$VENV/bin/celery" -A jianxi_portal worker --concurrency "${WORKER_CONCURRENCY:-2}" & pids+=($!)
"$VENV/bin/celery" -A jianxi_portal beat --schedule "${BEAT_SCHEDULE_FILE:-.run/celerybeat-schedule}" & pids+=($!)
"$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py jianxi_portal.wsgi & pids+=($!)
echo "jianxi: web on http://${GUNICORN_BIND:-127.0.0.1:8000}/ (health: /healthz/ /readyz/), worker and beat started" >&2
wait -n "${pids[@]}"
