"""Journey: an employer registers on the public page, fills in its unit, creates a post, submits
both; the city approves them (through the services); the employer's pages show 已通过."""

import re

import pytest

from jianxi_portal.core.validators import credit_code_check_char
from positions import services as post_services
from positions.models import Post
from units import services as unit_services
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)

FIRST17 = "91220101MA0Y3K8Q2"
CREDIT_CODE = FIRST17 + credit_code_check_char(FIRST17)


def field(page, label: str):
    """The input labelled exactly `label` (a required field's label ends with *)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"\*?$"))


def _choose_district(page, label: str, region_name: str):
    select = field(page, label)
    options = select.locator("option").all_inner_texts()
    select.select_option(label=next(o for o in options if o.startswith(f"{region_name} · ")))


def test_employer_registers_fills_unit_and_post_submits_and_sees_approval(live_server, page, city_cc, shot):
    page.goto(f"{live_server.url}/register/employer/")
    field(page, "用户名").fill("jilin_tech")
    field(page, "经办人姓名").fill("李娜")
    field(page, "经办人手机号码").fill("13904310001")
    field(page, "电子邮箱").fill("hr@jilin-tech.example.cn")
    field(page, "密码").fill("Jx-portal-2026!")
    field(page, "确认密码").fill("Jx-portal-2026!")
    shot("employer-register")
    page.get_by_role("button", name="创建账号").click()
    page.wait_for_url("**/manage/units/new/")
    assert "账号已创建" in page.content()

    field(page, "单位名称").fill("长春吉信科技有限公司")
    field(page, "统一社会信用代码").fill(CREDIT_CODE)
    field(page, "单位性质").select_option(label="民营企业")
    field(page, "所属行业").select_option("I")
    field(page, "市（州）").select_option(label="长春市")
    _choose_district(page, "区县", "长春市")
    field(page, "地址").fill("长春市朝阳区人民大街1000号")
    field(page, "联系人").fill("李娜")
    field(page, "联系人手机号码").fill("13904310001")
    field(page, "职工人数").fill("85")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/manage/units/*/")
    shot("employer-unit-draft")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url("**/manage/units/*/")
    unit = Unit.objects.get(credit_code=CREDIT_CODE)
    assert unit.status == Unit.Status.SUBMITTED

    page.get_by_role("link", name="新增岗位").first.click()
    field(page, "岗位名称").fill("Python开发见习岗位")
    field(page, "岗位类别").select_option(index=1)
    field(page, "岗位数（人）").fill("3")
    field(page, "见习期限（月）").fill("6")
    field(page, "单位发放生活补贴（元/月）").fill("2200")
    field(page, "工作地点（区县）").select_option(index=1)
    field(page, "岗位描述").fill("参与内部系统的开发与测试。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/manage/posts/*/")
    assert "单位审核通过后才能提交岗位审核。" in page.content()

    unit_services.unit_approve(unit_id=unit.pk, by=city_cc)
    page.reload()
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url("**/manage/posts/*/")
    post = Post.objects.get(unit=unit)
    assert post.status == Post.Status.SUBMITTED
    post_services.post_approve(post_id=post.pk, by=city_cc)

    page.reload()
    assert page.locator("h1 span.status").inner_text() == "已通过"
    shot("employer-post-approved")
    page.goto(f"{live_server.url}/my/unit/")
    assert page.locator("h1 span.status, span.status").first.inner_text() == "已通过"
    shot("employer-unit-approved")
