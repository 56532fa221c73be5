"""Journeys of a day's work in fewer steps, each on a desktop (1366 px) and a phone (390 px): the
site frame and sign-in links, 忘记密码, a sign-up that shows every error at once, lists as cards
on a phone, the district list following the city, a reviewer's round (a refused decision keeps
its conclusion, the opinion in the banner, the next item after a decision), an import's error
report, the post list's sort in one click (kept by the page links) and a post page that shows a
young person no 管理该岗位. Screenshots under test-artifacts/ (everyday-*)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from positions.tests.factories import SubmittedPostFactory
from units.tests.factories import ApprovedUnitFactory, SubmittedUnitFactory

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
NO_HSCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    return {**browser_context_args, "viewport": VIEWPORTS[viewport], "is_mobile": viewport == "phone"}


def field(page, label: str):
    return page.get_by_label(re.compile("^" + re.escape(label) + r"\*?$"))


def test_frame_sign_in_links_and_password_reset(live_server, page, viewport, shot):
    from jianxi_portal.tests.factories import UserFactory

    UserFactory(username="youth_mail", role="youth", email="wang@example.cn")
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator(".site-banner").get_by_text("服务热线").is_visible()
    assert "主办单位：吉林省人力资源和社会保障厅" in page.locator("footer").inner_text()
    assert page.get_by_role("link", name="青年注册").last.is_visible()
    assert page.get_by_role("link", name="单位注册").last.is_visible()
    assert page.evaluate(NO_HSCROLL)
    shot(f"everyday-login-{viewport}")
    page.get_by_role("link", name="忘记密码？").click()
    page.get_by_label(re.compile("^电子邮")).fill("wang@example.cn")
    shot(f"everyday-password-reset-{viewport}")
    page.get_by_role("button", name="发送重置链接").click()
    expect(page.get_by_role("heading", name="请查收邮件")).to_be_visible()
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    field(page, "新密码").fill("Songhua-River-2027!")
    field(page, "新密码确认").fill("Songhua-River-2027!")
    shot(f"everyday-password-new-{viewport}")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name="密码已重置")).to_be_visible()
    assert page.request.get(f"{live_server.url}/favicon.ico").headers["content-type"] == "image/x-icon"
    page.goto(f"{live_server.url}/no-such-page/")
    assert page.get_by_role("heading", name="页面不存在").is_visible()


def test_sign_up_shows_every_error_at_once_and_keeps_what_was_typed(live_server, page, viewport, shot):
    page.goto(f"{live_server.url}/register/employer/")
    field(page, "用户名").fill("lin_hr")
    field(page, "经办人姓名").fill("林经办")
    field(page, "经办人手机号码").fill("1391234567")
    field(page, "密码").fill("abc")
    field(page, "确认密码").fill("abd")
    page.get_by_role("button", name="创建账号").click()
    # The refused form is the next page: wait for it before reading its errors.
    expect(page.locator("p.error", has_text="两次输入的密码不一致。")).to_be_visible()
    errors = page.locator("p.error").all_inner_texts()
    assert "两次输入的密码不一致。" in errors
    assert any("手机号码" in e for e in errors) and any("至少需要 12 个字符" in e for e in errors)
    assert field(page, "经办人手机号码").input_value() == "1391234567"
    assert field(page, "密码").input_value() == ""
    shot(f"everyday-signup-errors-{viewport}")


def test_lists_read_as_cards_on_a_phone_and_dates_never_break(live_server, page, viewport, login_as, city_cc, shot):
    for i in range(3):
        SubmittedPostFactory(
            unit=ApprovedUnitFactory(name=f"长春市第{i}人民医院后勤服务有限责任公司", region_code="changchun"),
            title=f"财务会计见习岗位{i}",
        )
    login_as(city_cc)
    for path, name in (("/units/", "units"), ("/review/", "review"), ("/manage/units/", "manage-units")):
        page.goto(live_server.url + path)
        assert page.evaluate(NO_HSCROLL), (path, page.evaluate("document.documentElement.scrollWidth"))
        for cell in page.locator("td.date").all()[:6]:
            # the date's own text (a 「暂定」 mark beside it is a bordered box whose top differs)
            lines = cell.evaluate(
                "c => { const t = [...c.childNodes].find("
                "n => n.nodeType === 3 && n.textContent.trim());"
                " const r = document.createRange(); r.selectNodeContents(t || c); "
                "return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
            )
            assert lines == 1, (path, cell.inner_text())  # one line, never 「2027-12-/03」
        if viewport == "phone":
            row = page.locator("table.data.as-cards tbody tr").first
            assert row.bounding_box()["width"] <= 390
            assert row.locator("td[data-label]").count() >= 3
        shot(f"everyday-{name}-{viewport}")
    if viewport == "phone":
        name_cell = page.locator("table.data.as-cards tbody tr").first.locator("td").first
        assert name_cell.bounding_box()["width"] > 200  # a unit name is not one character a line


def test_the_district_list_follows_the_chosen_city(live_server, page, viewport, login_as, shot):
    from jianxi_portal.tests.factories import UserFactory

    login_as(UserFactory(username="new_employer", role="employer"))
    page.goto(f"{live_server.url}/manage/units/new/")
    district = field(page, "区县")
    everything = district.locator("option").count()
    field(page, "市（州）").select_option(label="吉林市")
    shown = [o for o in district.locator("option").all() if not o.evaluate("o => o.hidden")]
    labels = [o.inner_text() for o in shown][1:]
    assert labels and all(label.startswith("吉林市 · ") for label in labels)
    assert len(labels) < everything - 1 and everything - 1 == 61
    shot(f"everyday-district-follows-{viewport}")


def test_a_reviewers_round(live_server, page, viewport, login_as, city_cc, employer_a, unit_a, shot):
    from datetime import date

    first = SubmittedPostFactory(unit=unit_a, title="行政文员见习岗位", review_deadline=date(2030, 3, 4))
    second = SubmittedUnitFactory(name="长春乙见习单位", region_code="changchun", review_deadline=date(2030, 3, 5))
    login_as(city_cc)
    page.goto(f"{live_server.url}/manage/posts/{first.pk}/")
    form = page.locator(f"#decide-post-{first.pk}")
    form.get_by_label("退回", exact=True).check()
    form.get_by_role("button", name="提交审核结论").click()
    form = page.locator(f"#decide-post-{first.pk}")
    expect(form.locator("[role=alert]")).to_contain_text("意见")  # the refused decision's page
    assert form.get_by_label("退回", exact=True).is_checked()  # the choice is kept beside the reason
    shot(f"everyday-decision-kept-{viewport}")
    form.get_by_label("审核意见").fill("岗位职责描述过于笼统，请补充具体见习内容。")
    form.get_by_role("button", name="提交审核结论").click()
    page.wait_for_url(f"**/manage/units/{second.pk}/")  # on to the next item of the queue
    assert page.get_by_role("heading", name=re.compile("长春乙见习单位")).is_visible()
    shot(f"everyday-next-item-{viewport}")

    login_as(employer_a)
    page.goto(f"{live_server.url}/manage/posts/{first.pk}/")
    banner = page.locator(".decision-banner")
    assert "审核意见：岗位职责描述过于笼统，请补充具体见习内容。" in banner.inner_text()
    assert banner.bounding_box()["y"] < page.get_by_role("heading", name="岗位信息").bounding_box()["y"]
    shot(f"everyday-opinion-banner-{viewport}")


def test_an_import_offers_its_refused_rows_as_a_file(live_server, page, viewport, login_as, city_cc, shot, tmp_path):
    from exchange.tests.helpers import trainee_row, xlsx_bytes

    upload = tmp_path / "见习人员.xlsx"
    upload.write_bytes(xlsx_bytes([trainee_row(1), trainee_row(2, 人员类别="大学生", 手机号码="1380431")]))
    login_as(city_cc)
    page.goto(f"{live_server.url}/exchange/import/trainees/")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name=re.compile("上传")).click()
    page.wait_for_url("**/exchange/jobs/*/")
    page.wait_for_selector("text=预检结果（尚未写入）")
    errors = page.locator("table.data").last.inner_text()
    assert "人员类别" in errors and "手机号码" in errors
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载有误的行")).click()
    assert download.value.suggested_filename.endswith("有误的行.xlsx")
    shot(f"everyday-import-errors-{viewport}")


def test_the_home_search_box_finds_posts(live_server, page, viewport, unit_a, shot):
    from positions.tests.factories import ApprovedPostFactory

    ApprovedPostFactory(unit=unit_a, title="会计助理见习岗位")
    ApprovedPostFactory(unit=unit_a, title="软件测试见习岗位")
    page.goto(f"{live_server.url}/")
    page.get_by_label("搜索见习岗位").fill("会计")
    page.get_by_label("搜索见习岗位").press("Enter")
    page.wait_for_url("**/posts/?q=*")
    assert page.get_by_role("link", name="会计助理见习岗位").is_visible()
    assert page.get_by_role("link", name="软件测试见习岗位").count() == 0
    shot(f"everyday-home-search-{viewport}")


def test_the_annex1_chart_legend_reads_on_one_line(live_server, page, viewport, login_as, province_user, shot):
    login_as(province_user)
    page.goto(f"{live_server.url}/annex1/")
    legend = page.locator("div.legend").first
    height = legend.bounding_box()["height"]
    assert height < 40, height  # was one character a line (a 10 px wide box) over the 长春市 label
    shot(f"everyday-annex1-{viewport}")


def test_the_post_list_sorts_in_one_click_and_pages_keep_the_sort(live_server, page, viewport, unit_a, shot):
    from positions.tests.factories import ApprovedPostFactory

    for n in range(22):
        ApprovedPostFactory(unit=unit_a, title=f"排序岗位{n:02d}", allowance=1500 + 10 * n)
    page.goto(f"{live_server.url}/posts/")
    page.get_by_role("link", name="生活补贴从高到低").click()
    page.wait_for_url("**/posts/?sort=allowance")
    assert page.locator('.sort-links a[aria-current="true"]').inner_text() == "生活补贴从高到低"
    assert page.get_by_role("link", name="排序岗位21").is_visible()
    assert page.evaluate(NO_HSCROLL)
    shot(f"everyday-posts-sorted-{viewport}")
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url("**/posts/?sort=allowance&after=*")  # the next page by the last row's key
    assert page.get_by_role("link", name="排序岗位00").is_visible()  # the lowest allowance, last
    assert page.locator('.sort-links a[aria-current="true"]').inner_text() == "生活补贴从高到低"


def test_a_young_person_sees_no_manage_link_on_a_post_page(live_server, page, viewport, login_as, youth, unit_a, shot):
    from positions.tests.factories import ApprovedPostFactory

    post = ApprovedPostFactory(unit=unit_a, title="前台接待见习岗位")
    login_as(youth)
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    assert page.get_by_role("link", name="申请该岗位").is_visible()
    assert page.get_by_text("管理该岗位").count() == 0
    shot(f"everyday-post-youth-{viewport}")
