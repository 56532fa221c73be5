"""Browser journeys in headless Chromium (Debian's /usr/bin/chromium; never a downloaded browser),
driven by pytest-playwright against Django's live_server. Skipped, with the reason shown, where
Chromium is not installed (`.ci/run` installs it)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
# Playwright's sync API keeps an event loop in the test thread; Django refuses ORM calls there
# unless told that this single-threaded use is safe (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture
def login_as(live_server, client_for, context):
    """Sign `user` in by giving the browser the session cookie of a signed-in test client."""
    from django.conf import settings

    def login(user):
        # A page's own requests after load (the post list asks for its total) may still be running in
        # the live server: on SQLite's shared in-memory database a write beside them fails with
        # "database table is locked", so let them finish before the sign-in writes `last_login`.
        for open_page in context.pages:
            open_page.wait_for_load_state("networkidle")
        client = client_for(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])

    return login


@pytest.fixture
def shot(page):
    """`shot(name)` saves a full-page screenshot under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# Accessibility figures (GB/T 37668-2019, WCAG 2.1 AA, measured with axe-core): the axe tests add
# each page's violations by impact; the session prints the totals under "ACCESSIBILITY figures"
# (README quotes that output).
AXE_FIGURES: dict = {"pages": [], "by_impact": {}}


def pytest_terminal_summary(terminalreporter, config):
    pages = AXE_FIGURES["pages"]
    if not pages:
        return
    terminalreporter.section("ACCESSIBILITY figures (axe-core, WCAG 2.1 A/AA)")
    impacts = ("critical", "serious", "moderate", "minor")
    counts = "，".join(f"{impact} {AXE_FIGURES['by_impact'].get(impact, 0)}" for impact in impacts)
    terminalreporter.write_line(f"pages scanned: {len(pages)}; violations by impact: {counts}")
    for name, found in pages:
        detail = ", ".join(f"{rule} ({impact})" for rule, impact in found) or "none"
        terminalreporter.write_line(f"  {name}: {detail}")
