"""Item 7 — deployment checks: `check --deploy --fail-level WARNING` clean with the production
settings; CSP on every page; the browsable API off in production; the pip-audit gate."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from tools.dependency_audit import evaluate, waivers_from

ROOT = Path(__file__).resolve().parents[3]


def production_env(**extra):
    # as on a server: no test-only variables (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "jianxi.example.gov.cn",
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "DJANGO_SETTINGS_MODULE": "jianxi_portal.settings_production",
            **extra,
        }
    )
    return env


def test_check_deploy_is_clean_with_production_settings(figures):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    figures.add("7", f'check --deploy --fail-level WARNING: exit 0, "{result.stdout.strip().splitlines()[-1]}"')


def test_production_settings_values():
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, True, 31536000, True, True, ["rest_framework.renderers.JSONRenderer"]]


def test_production_refuses_a_weak_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_every_page_carries_the_content_security_policy(client, client_for, admin_user, figures):
    pages = ["/", "/accounts/login/", "/api/docs/"]
    anonymous = [client.get(p) for p in pages]
    admin = client_for(admin_user).get("/admin/")
    for response in [*anonymous, admin]:
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in anonymous[2].content.decode()  # Swagger UI starts from a separate script file
    figures.add("7", "CSP header with script-src 'self' (no inline script) on every page checked, Swagger UI included")


def _report(*deps):
    return {"dependencies": list(deps)}


def test_pip_audit_gate_fails_on_a_vulnerability_unless_waived_with_date_and_reason():
    vulnerable = {
        "name": "django",
        "version": "5.2.0",
        "vulns": [{"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["5.2.1"]}],
    }
    clean = {"name": "celery", "version": "5.7.0", "vulns": []}
    assert evaluate(_report(vulnerable, clean), {}).status == "vulnerable"
    waivers = waivers_from(
        "## pip-audit waivers\n| id | package | date | reason |\n| --- | --- | --- | --- |\n"
        "| CVE-2099-1 | django | 2026-11-27 | admin-only view, not reachable |\n"
    )
    outcome = evaluate(_report(vulnerable, clean), waivers)
    assert (outcome.status, outcome.audited, len(outcome.waived)) == ("ok", 2, 1)


def test_pip_audit_gate_warns_instead_of_passing_silently_when_nothing_could_be_audited():
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    assert evaluate(_report(skipped, skipped), {}).status == "unreachable"


def test_security_md_waivers_parse():
    waivers_from((ROOT / "SECURITY.md").read_text(encoding="utf-8"))  # every row dated (ISO) and explained
