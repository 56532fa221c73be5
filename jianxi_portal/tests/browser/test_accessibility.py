"""Accessibility as a measured standard (GB/T 37668-2019, WCAG 2.1 AA): axe-core (shipped by
axe-playwright-python, run in the page by Playwright, so the CSP needs no exception) over the main
page of every role and every form, desktop and phone: 0 critical and 0 serious violations. And the
two tasks that matter most done with the keyboard alone: signing in (with the second factor) and a
review decision. The figures are printed at the end of the run (browser/conftest.py)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from jianxi_portal.tests.browser.conftest import AXE_FIGURES
from positions.models import Post
from positions.tests.factories import ApprovedPostFactory, SubmittedPostFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("critical", "serious")

# (who, page) pairs: every role's main page, the lists they start from and every form they fill.
PAGES = {
    None: [
        "/",
        "/posts/",
        "/units/",
        "/accounts/login/",
        "/register/employer/",
        "/youth/register/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ],
    "youth": ["/", "/me/", "/applications/", "/accounts/password/"],
    "employer_a": ["/", "/manage/posts/", "/manage/posts/new/", "/claims/", "/claims/new/", "/manage/units/new/"],
    "city_cc": [
        "/",
        "/review/",
        "/manage/units/",
        "/trainees/",
        "/trainees/new/",
        "/placements/new/",
        "/exchange/import/trainees/",
        "/claims/",
        "/reports/annex2/",
    ],
    "province_user": ["/", "/review/", "/security/audit/", "/annex1/"],
    "admin_user": ["/", "/calendar/", "/wages/", "/security/accounts/"],
}


def scan(page, name: str) -> list[tuple[str, str]]:
    results = AXE.run(page, options=WCAG)
    found = [(v["id"], v["impact"]) for v in results.response["violations"]]
    AXE_FIGURES["pages"].append((name, found))
    for _, impact in found:
        AXE_FIGURES["by_impact"][impact] = AXE_FIGURES["by_impact"].get(impact, 0) + 1
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: w or "anonymous")
@pytest.mark.parametrize("width", [1366, 390])
def test_every_main_page_and_form_has_no_critical_or_serious_violation(
    live_server, page, login_as, request, who, width, unit_a
):
    page.set_viewport_size({"width": width, "height": 900})
    ApprovedPostFactory(unit=unit_a, title="数据分析见习岗位")
    SubmittedPostFactory(unit=unit_a, title="行政文员见习岗位")
    if who:
        login_as(request.getfixturevalue(who))
    blocking = {}
    for path in PAGES[who]:
        page.goto(live_server.url + path)
        found = scan(page, f"{who or 'anonymous'} {path} @{width}")
        if found:
            blocking[path] = found
    assert blocking == {}


def _tab_to(page, predicate_js: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"):
            return
    raise AssertionError(f"keyboard focus never reached: {predicate_js}")


def test_sign_in_and_a_review_decision_by_keyboard_alone(live_server, page, city_cc, unit_a, shot):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.twofactor import TOTP_NAME

    city_cc.set_password("Songhua-River-2027!")
    city_cc.save()
    device = TOTPDevice.objects.create(user=city_cc, name=TOTP_NAME, confirmed=True)
    post = SubmittedPostFactory(unit=unit_a, title="行政文员见习岗位")

    page.goto(f"{live_server.url}/accounts/login/")
    _tab_to(page, "el.name === 'username'")
    page.keyboard.type("city_cc")
    page.keyboard.press("Tab")
    page.keyboard.type("Songhua-River-2027!")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/2fa/verify/**")
    _tab_to(page, "el.name === 'token'")
    page.keyboard.type(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    shot("keyboard-sign-in-code")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    _tab_to(page, "el.textContent.trim() === '审核队列'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review/")
    _tab_to(page, f"el.type === 'radio' && el.closest('form').id === 'decide-post-{post.pk}'")
    page.keyboard.press("Space")  # the first radio of the group: 通过
    _tab_to(page, f"el.tagName === 'BUTTON' && el.closest('form').id === 'decide-post-{post.pk}'")
    shot("keyboard-review-decision")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "已通过" in page.locator(".messages").inner_text()
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
