"""The production stack, started as `make serve` starts it (deploy/serve.sh): gunicorn with
settings_production on 127.0.0.1, static files collected with hashed names and gzip copies and
served by WhiteNoise, a real Celery worker and beat on a Redis of the test's own. A city reviewer's
journey through it over HTTP, as behind nginx (X-Forwarded-Proto: https): sign in with password
and authenticator code, a static file, the import form, an import previewed and confirmed by the
real worker; then /readyz/, /metrics and the JSON log lines of all three processes, where the
confirm request's id reappears in the worker's line for the task it queued (README: Serving)."""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import escape_hatch

from exchange.models import Job
from exchange.tests.helpers import trainee_row, xlsx_bytes
from jianxi_portal.ops.tests.conftest import free_port
from trainees.models import Trainee

ROOT = Path(settings.BASE_DIR)
VENV_BIN = ROOT / ".venv" / "bin"
PASSWORD = "Secret-pass-2026"  # jianxi_portal/tests/factories.py
pytestmark = [
    pytest.mark.postgres(reason="the served database must be one that other processes reach"),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: no real broker in this run"),
    pytest.mark.skipif(
        not (VENV_BIN / "gunicorn").exists() or not (VENV_BIN / "celery").exists(),
        reason=f"gunicorn or celery not installed in {VENV_BIN}",
    ),
]


class Browser:
    """HTTP/1.1 to 127.0.0.1 with cookies kept by hand (secure cookies over the test's plain HTTP,
    as nginx would carry them over TLS), every request marked as forwarded from HTTPS."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None, https=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": "127.0.0.1", "Origin": "https://127.0.0.1", **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        conn.close()
        return response.status, response.headers, content

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, fields: dict, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": f"https://127.0.0.1{path}",
            },
        )


def wait_for(what, check, timeout, log: Path):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        assert time.monotonic() < deadline, f"{what} not reached in {timeout} s; log:\n{log.read_text()[-4000:]}"
        time.sleep(0.25)


@pytest.fixture
def stack(own_redis, tmp_path):
    """deploy/serve.sh in a process group of its own, against the test database."""
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jianxi_portal.settings_production",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": own_redis.url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "WORKER_CONCURRENCY": "1",
        "BEAT_SCHEDULE_FILE": str(tmp_path / "celerybeat-schedule"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "READYZ_MIN_FREE_MB": "1",
    }
    env.pop("DEBUG", None)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    browser = Browser(port)
    try:
        yield browser, log, tmp_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        shutil.rmtree(tmp_path / "static", ignore_errors=True)


def poll_job(browser, job_id, log):
    def finished():
        status, _, body = browser.get(f"/exchange/jobs/{job_id}/status.json")
        state = json.loads(body) if status == 200 else {}
        return state if state.get("finished") else None

    return wait_for(f"job {job_id} finished", finished, 90, log)


@pytest.mark.django_db(transaction=True)
def test_production_stack_serves_a_city_reviewers_import_journey(stack, city_cc):
    browser, log, tmp_path = stack
    device = TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=True)
    # The served settings hash with PBKDF2 (the test settings' fast MD5 hasher is not among them).
    city_cc.password = PBKDF2PasswordHasher().encode(PASSWORD, "stack-test-salt", iterations=1000)
    city_cc.save(update_fields=["password"])
    started = time.monotonic()
    wait_for("/healthz/", lambda: browser.get("/healthz/", https=False)[0] == 200, 120, log)
    wait_for(
        "/readyz/ 200 (worker heartbeat and beat tick)", lambda: browser.get("/readyz/", https=False)[0] == 200, 90, log
    )

    print(f"stack ready after {time.monotonic() - started:.1f} s", flush=True)
    # Production settings: plain HTTP is redirected to HTTPS, DEBUG is off (no technical 404 page).
    status, headers, _ = browser.get("/accounts/login/", https=False)
    assert (status, headers["Location"]) == (301, "https://127.0.0.1/accounts/login/")
    status, _, body = browser.get("/no-such-page/")
    assert status == 404 and b"URLconf" not in body

    status, headers, body = browser.get("/accounts/login/")
    assert status == 200 and "csrftoken" in browser.cookies
    assert headers["X-Request-ID"] and headers["Strict-Transport-Security"].startswith("max-age=")
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body.decode()).group(1)

    # A static file: hashed name, gzip, cached for a year, from the app (WhiteNoise).
    status, headers, content = browser.get(css, headers={"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert content[:2] == b"\x1f\x8b"
    assert browser.get("/static/css/portal.0123456789ab.css")[0] == 404

    # Sign in: password, then the authenticator's code.
    status, headers, _ = browser.post("/accounts/login/", {"username": city_cc.username, "password": PASSWORD})
    assert status == 302, status
    status, headers, _ = browser.get("/exchange/import/trainees/")
    assert status == 302 and headers["Location"].startswith("/accounts/2fa/verify/")
    # The served stack runs on the real clock, this process perhaps on a shifted one (README, "The suite
    # on any date"): the code is the authenticator's at the served stack's time.
    authenticator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    authenticator.time = escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
    code = f"{authenticator.token():0{device.digits}d}"
    status, _, _ = browser.post("/accounts/2fa/verify/", {"token": code, "next": "/exchange/import/trainees/"})
    assert status == 302

    # A form: upload a workbook; the real worker previews it, then imports it on confirmation.
    status, _, body = browser.get("/exchange/import/trainees/")
    assert status == 200 and "上传".encode() in body
    rows = [trainee_row(1), trainee_row(2)]
    status, headers, _ = browser.post(
        "/exchange/import/trainees/", {}, files={"file": ("见习人员.xlsx", xlsx_bytes(rows))}
    )
    assert status == 302, status
    preview_id = int(re.search(r"/exchange/jobs/(\d+)/", headers["Location"]).group(1))
    assert poll_job(browser, preview_id, log)["status"] == "done"
    status, headers, _ = browser.post(f"/exchange/jobs/{preview_id}/confirm/", {})
    confirm_id = int(re.search(r"/exchange/jobs/(\d+)/", headers["Location"]).group(1))
    confirm_request_id = headers["X-Request-ID"]
    assert poll_job(browser, confirm_id, log)["status"] == "done"
    assert Trainee.objects.filter(region=city_cc.region).count() == 2
    job = Job.objects.get(pk=confirm_id)
    assert (job.kind, job.status, job.result["create"]) == ("import_confirm", "done", 2)
    assert job.claimed_by  # a worker process claimed it, not the web process

    # Metrics of both gunicorn workers as one, from this host.
    status, _, body = browser.get("/metrics", https=False)
    text = body.decode()
    assert status == 200
    assert re.search(
        r'django_http_requests_latency_seconds_by_view_method_count\{method="POST",'
        r'view="exchange:job_confirm"\} 1\.0',
        text,
    )
    assert 'jianxi_celery_queue_length{queue="celery"}' in text

    # Logs: JSON lines from gunicorn, the app, the worker and beat; the confirm request's id in the
    # worker's line for the task it queued; no password, name or ID number anywhere.
    time.sleep(0.5)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    loggers = {line["logger"] for line in lines}
    assert {"gunicorn.error", "jianxi.request", "jianxi.task", "celery.beat"} <= loggers, loggers
    [confirm_line] = [
        line for line in lines if line.get("event") == "request" and line["request_id"] == confirm_request_id
    ]
    assert (confirm_line["route"], confirm_line["status"], confirm_line["user_id"]) == (
        "exchange/jobs/<int:pk>/confirm/",
        302,
        city_cc.pk,
    )
    tasks = [line for line in lines if line.get("event") == "task" and line["request_id"] == confirm_request_id]
    assert [(t["task"], t["state"]) for t in tasks] == [("exchange.run_job", "SUCCESS")]
    raw = log.read_text()
    for secret in (PASSWORD, rows[0]["居民身份证号"], rows[0]["姓名"], city_cc.username):
        assert secret not in raw
