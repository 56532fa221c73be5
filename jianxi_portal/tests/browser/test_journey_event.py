"""Journeys of outreach in the browser: a city publishes an event with a post; a young person signs
up, is checked in with the event's code and applies from the event; the event's figures count
them (at 1366 px and on a phone, 390 px). And the article editor keeps what was typed when 地区
is chosen (its help text used to swallow the form into a stray link)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from outreach.models import Event
from positions.tests.factories import ApprovedPostFactory
from trainees.models import ConsentChange
from trainees.services.consent import consent_set
from trainees.tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db(transaction=True)

EVENT_DAY = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def field(page, label: str):
    return page.get_by_label(re.compile("^" + re.escape(label) + r"\*?$"))


def test_city_publishes_an_event_youth_signs_up_checks_in_applies_and_the_figures_count_it(
    live_server, page, login_as, youth, city_cc, unit_a, shot
):
    with time_machine.travel(EVENT_DAY, tick=False):
        ApprovedPostFactory(unit=unit_a, title="出纳见习岗位", majors="会计学")
        trainee = TraineeFactory(user=youth, name="张晓雪", major="会计学")
        consent_set(trainee_id=trainee.pk, by=youth, source=ConsentChange.Source.PROFILE, push=True)

        login_as(city_cc)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/manage/events/new/")
        field(page, "活动名称").fill("长春市会计专业见习专场")
        field(page, "活动类型").select_option(label="专场招募")
        field(page, "活动日期").fill("2026-12-01")
        field(page, "活动地点").fill("长春市人力资源市场一楼")
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(re.compile(r"/manage/events/\d+/$"))
        adding = page.get_by_label("添加本市（州）在招岗位")
        adding.select_option(adding.locator("option", has_text="出纳见习岗位").get_attribute("value"))
        page.get_by_role("button", name="添加", exact=True).click()
        page.get_by_role("button", name="发布").click()
        expect(page.get_by_text("活动已发布")).to_be_visible()
        event = Event.objects.get(title="长春市会计专业见习专场")
        assert event.status == "published"
        assert event.checkin_code in page.locator(".checkin-code").inner_text()
        shot("event-city-published-1366")

        login_as(youth)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/events/{event.pk}/")
        page.get_by_role("button", name="报名参加").click()
        expect(page.get_by_text("报名成功")).to_be_visible()
        page.get_by_label("现场签到码").fill(event.checkin_code)
        page.get_by_role("button", name="签到").click()
        expect(page.get_by_text("签到成功")).to_be_visible()
        shot("event-youth-checked-in-390")
        page.get_by_role("link", name="通过本活动申请").click()
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_url("**/applications/*/")
        assert "已通过“长春市会计专业见习专场”提交对“出纳见习岗位”的申请" in page.content()

        page.goto(f"{live_server.url}/events/{event.pk}/")
        assert "1 人，已签到 1 人" in page.content() and "1 人（1 人次）" in page.content()
        shot("event-public-figures-390")

        login_as(city_cc)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/manage/events/{event.pk}/")
        cells = page.locator("table.figures tbody td").all_inner_texts()
        assert cells == ["1", "1", "1", "1", "0", "0"]  # signed up, attended, applied (people, times), accepted, placed
        assert "张晓雪" in page.locator("table", has_text="报名时间").inner_text()
        shot("event-city-figures-1366")

        page.goto(f"{live_server.url}/manage/events/{event.pk}/")
        page.get_by_placeholder("取消原因（通知报名人员）").fill("场地临时检修")
        page.get_by_role("button", name="取消活动").click()
        login_as(youth)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/events/{event.pk}/")
        assert "本活动已于2026年12月1日取消" in page.content()
        shot("event-cancelled-390")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_article_editor_keeps_the_title_when_the_region_is_chosen(
    live_server, page, login_as, province_user, shot, width
):
    login_as(province_user)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/manage/zone/new/")
    field(page, "标题").fill("见习补贴申领指南")
    field(page, "地区").select_option(label="吉林市")
    assert page.url == f"{live_server.url}/manage/zone/new/"  # no stray link followed
    assert field(page, "标题").input_value() == "见习补贴申领指南"
    assert page.locator("small.help", has_text="<ol>").count() == 1  # the help text reads as text
    assert page.locator("form.form footer").count() == 0 and page.locator("footer.footer").count() == 1
    shot(f"article-editor-{width}")


NO_HSCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_recommendations_read_as_cards_on_a_phone(live_server, page, login_as, youth, employer_a, unit_a, shot):
    """The young person's recommended posts and the employer's candidates, at 390 px: no sideways
    scrolling, each row a card whose reasons (what fits and what does not) are readable."""
    with time_machine.travel(EVENT_DAY, tick=False):
        post = ApprovedPostFactory(
            unit=unit_a,
            title="财务会计见习岗位（出纳、报表与票据整理）",
            majors="工商管理类",
            first_approved_on=EVENT_DAY.date(),
            published_on=EVENT_DAY.date(),
        )
        ApprovedPostFactory(
            unit=unit_a,
            title="行政助理见习岗位",
            majors="专业不限",
            first_approved_on=EVENT_DAY.date(),
            published_on=EVENT_DAY.date(),
        )
        trainee = TraineeFactory(user=youth, name="张晓雪", major="会计学", education="bachelor")
        consent_set(trainee_id=trainee.pk, by=youth, source=ConsentChange.Source.PROFILE, push=True, employers=True)

        page.set_viewport_size({"width": 390, "height": 844})
        login_as(youth)
        page.goto(f"{live_server.url}/me/recommended/")
        cards = page.locator("table.recommended tbody tr")
        assert cards.count() == 2
        first = cards.first.inner_text()
        assert "财务会计见习岗位" in first and "专业相符：会计学属于岗位要求的工商管理类" in first
        assert cards.first.bounding_box()["width"] <= 390
        assert page.evaluate(NO_HSCROLL), page.evaluate("document.documentElement.scrollWidth")
        shot("recommended-390")

        login_as(employer_a)
        page.goto(f"{live_server.url}/manage/posts/{post.pk}/candidates/")
        card = page.locator("table.candidates tbody tr").first
        assert "张晓雪" in card.inner_text() and "专业相符：会计学属于岗位要求的工商管理类" in card.inner_text()
        assert card.bounding_box()["width"] <= 390
        assert page.evaluate(NO_HSCROLL), page.evaluate("document.documentElement.scrollWidth")
        shot("candidates-390")
