"""Journeys of consent and the push log in the browser (1366 px and a phone, 390 px): the sign-up
page asks with unticked boxes, each use explained, and the young person's consent page changes them
with their history (SECURITY.md "Consent"); a city previews a push by hand, sees who will not
receive it and why (the weekly limit with the time it frees up), sends it and reads the push log."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from playwright.sync_api import expect

from jianxi_portal.core.models import Region, User
from jianxi_portal.tests.factories import UserFactory
from outreach import push
from outreach.models import PushLog
from positions.tests.factories import ApprovedPostFactory
from trainees.models import ConsentChange
from trainees.services.consent import consent_set
from trainees.tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NO_HSCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [1366, 390])
def test_consent_is_asked_unticked_at_sign_up_and_changed_with_its_history(live_server, page, login_as, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/youth/register/")
    boxes = page.locator("fieldset.consent input[type=checkbox]")
    assert boxes.count() == 3
    assert [boxes.nth(i).is_checked() for i in range(3)] == [False, False, False]
    assert "不显示身份证号和手机号" in page.locator("fieldset.consent").inner_text()
    assert page.evaluate(NO_HSCROLL)
    page.locator("fieldset.consent").scroll_into_view_if_needed()
    shot(f"consent-sign-up-{width}")

    with time_machine.travel(DAY, tick=False):
        user = UserFactory(username=f"consent{width}", role=User.Role.YOUTH)
        TraineeFactory(user=user, name="李同学", major="会计学")
        login_as(user)
        page.goto(f"{live_server.url}/me/consent/")
        assert "此前系统默认的勾选不算您的同意" in page.content()
        page.get_by_label("同意接收岗位推送").check()
        page.get_by_role("button", name="保存").click()
        expect(page.locator("table.data tbody tr", has_text="岗位推送")).to_have_count(1)  # the saved page
        history = page.locator("table.data tbody tr").all_inner_texts()
        assert len(history) == 1 and "岗位推送" in history[0] and "同意" in history[0]
        assert page.get_by_label("同意接收岗位推送").is_checked()
        assert not page.get_by_label("同意见习单位在推荐名单中看到我").is_checked()
        assert page.evaluate(NO_HSCROLL)
        shot(f"consent-page-{width}")


def _seeker(n: int, major: str, changchun, *consents):
    user = UserFactory(username=f"pushee{n}", role=User.Role.YOUTH)
    trainee = TraineeFactory(user=user, name=f"求职者{n}", major=major, region=changchun)
    if consents:
        consent_set(
            trainee_id=trainee.pk, by=user, source=ConsentChange.Source.PROFILE, **dict.fromkeys(consents, True)
        )
    return trainee


@override_settings(OUTREACH_PUSH_PER_WEEK=1)
@pytest.mark.parametrize("width", [1366, 390])
def test_a_city_previews_a_push_by_hand_sees_each_cause_and_reads_the_log(
    live_server, page, login_as, city_cc, unit_a, shot, width
):
    with time_machine.travel(DAY, tick=False):
        changchun = Region.objects.get(code="changchun")
        will = _seeker(1, "计算机科学与技术", changchun, "push", "employers")
        _seeker(2, "软件工程", changchun, "employers")  # no consent to pushes
        limited = _seeker(3, "计算机科学与技术", changchun, "push")
        earlier = ApprovedPostFactory(
            unit=unit_a, title="网络运维见习", majors="计算机类", first_approved_on=DAY.date(), published_on=DAY.date()
        )
        push.push_post_approved(post_id=earlier.pk)
        PushLog.objects.filter(profile__trainee=will).delete()  # only 求职者3 has used up the week
        post = ApprovedPostFactory(
            unit=unit_a, title="软件开发见习", majors="计算机类", first_approved_on=DAY.date(), published_on=DAY.date()
        )

        login_as(city_cc)
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/manage/push/?post={post.pk}")
        assert "预览：3 人相符，将推送 1 人" in page.content()
        rows = {
            cells[0]: cells[-1]
            for cells in (row.locator("td").all_inner_texts() for row in page.locator("table.data tbody tr").all())
        }
        assert rows["求职者1"] == "推送"
        assert rows["求职者2"] == "不推送：本人未同意接收岗位推送"
        assert rows["求职者3"] == "不推送：近7天已收到1条推送（每人每7天最多1条），12月08日 10:00后可再推送"
        assert page.evaluate(NO_HSCROLL), page.evaluate("document.documentElement.scrollWidth")
        shot(f"hand-push-preview-{width}")

        page.get_by_role("button", name="确认推送给 1 人").click()
        page.wait_for_url(re.compile(rf"/manage/posts/{post.pk}/pushes/$"))
        assert "已推送给 1 人；2 人未推送" in page.content()
        log = page.locator("table.push-log tbody tr")
        assert log.count() == 1 and "求职者1" in log.first.inner_text() and "人工推送" in log.first.inner_text()
        # Who pushed stays inside its cell (on a phone the cell is a label-value grid of two items).
        how = log.first.locator("td").nth(2)
        assert how.locator(":scope > *").count() == 1 and "city_cc" in how.inner_text()
        assert page.evaluate(NO_HSCROLL), page.evaluate("document.documentElement.scrollWidth")
        shot(f"push-log-{width}")
    assert not PushLog.objects.filter(profile__trainee=limited, post=post).exists()
