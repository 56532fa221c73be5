"""The portal's face: the site frame from settings, the favicon, Chinese 404/500 pages under DEBUG,
Chinese names in the audit log and the admin, the sign-in page's links and the password texts."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory, override_settings

from jianxi_portal.core.audit import audit, event_label, object_label
from jianxi_portal.core.site_frame import ChineseErrorPagesMiddleware
from positions.tests.factories import ApprovedPostFactory

ROOT = Path(__file__).resolve().parents[2]


FRAME = {
    "PORTAL_SPONSOR": "吉林省人力资源和社会保障厅",
    "PORTAL_HOTLINE": "0431-12333",
    "PORTAL_ICP": "吉ICP备05001234号",
}


@override_settings(**FRAME)
def test_every_page_carries_the_banner_and_footer_from_settings(client):
    page = client.get("/").content.decode()
    assert "主办单位：吉林省人力资源和社会保障厅" in page
    assert "服务热线：0431-12333" in page
    assert '备案号：<span class="icp">吉ICP备05001234号</span>' in page
    assert 'href="#main"' in page  # the skip link to the main content


@override_settings(PORTAL_ICP="")
def test_the_footer_names_no_filing_number_before_one_is_set(client):
    assert "备案号" not in client.get("/").content.decode()


def test_favicon_is_served_at_the_address_browsers_ask_for(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


@override_settings(DEBUG=True)
def test_an_unknown_address_under_debug_shows_the_chinese_page_not_the_url_list(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "URLconf" not in body and "Page not found" not in body


@override_settings(DEBUG=True)
def test_a_server_error_under_debug_shows_the_chinese_page(rf):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware = ChineseErrorPagesMiddleware(lambda r: HttpResponseServerError("<h1>Traceback</h1>"))
    response = middleware(request)
    assert response.status_code == 500 and "服务器错误" in response.content.decode()


@override_settings(DEBUG=True)
def test_the_api_keeps_its_json_errors_under_debug():
    middleware = ChineseErrorPagesMiddleware(
        lambda r: HttpResponse('{"detail": "未找到。"}', status=404, content_type="application/json")
    )
    response = middleware(RequestFactory().get("/api/v1/posts/999/"))
    assert response.content == '{"detail": "未找到。"}'.encode()


def _audit_codes_in_source() -> set[str]:
    codes = set()
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "bench" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r"audit\(\s*\"([a-z0-9_]+\.[a-z0-9_.]+|logout)\"", text))
    return codes


def test_every_audit_event_written_by_the_code_has_a_chinese_name():
    codes = _audit_codes_in_source()
    assert len(codes) > 80  # the scan found the audit calls (89 on 2026-12-03)
    unnamed = sorted(c for c in codes if not re.search(r"[\u4e00-\u9fff]", event_label(c)))
    assert unnamed == []


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("transition.submit", "提交审核"),
        ("transition.return", "退回修改"),
        ("unit.revoke_denied", "撤销见习单位被拒绝"),
        ("post.update", "修改见习岗位"),
        ("made.up", "made.up"),
        # other actions by their label in the declared machines
        ("transition.close", "关闭"),
        ("transition.accept", "接收"),
        ("unit.suspend_denied", "暂停见习单位被拒绝"),
    ],
)
def test_event_names_of_workflow_actions(code, label):
    assert event_label(code) == label


def test_object_names_come_from_the_models_chinese_names():
    assert object_label("positions.post", "18") == "见习岗位（编号 18）"
    assert object_label("outreach.pushlog", "3") == "推送记录（编号 3）"
    assert object_label("", "") == ""


def test_the_audit_log_page_reads_in_chinese(client_for, province_user, city_cc, unit_a):
    post = ApprovedPostFactory(unit=unit_a)
    audit("transition.submit", user=city_cc, obj=post)
    page = client_for(province_user).get("/security/audit/?username=city_cc").content.decode()
    row = re.search(r"<tr class=\"result-ok\">(.*?)</tr>", page, re.S).group(1)
    assert "提交审核" in row and f"见习岗位（编号 {post.pk}）" in row and "长春市" in row
    assert "positions.post" not in row and "<td>changchun</td>" not in row


def test_every_model_in_the_django_admin_has_a_chinese_name():
    english = [
        m._meta.label
        for m in admin.site._registry
        if re.search(r"[A-Za-z]{3,}", str(m._meta.verbose_name_plural).replace("API", ""))
    ]
    assert english == []
    assert apps.get_model("outreach", "PushLog")._meta.verbose_name_plural == "推送记录"


def test_sign_in_page_offers_sign_up_and_password_reset(client):
    page = client.get("/accounts/login/").content.decode()
    for href in ('href="/accounts/password/reset/"', 'href="/youth/register/"', 'href="/register/employer/"'):
        assert href in page, href


def test_password_rules_read_as_sentences_and_the_staff_rule_only_for_staff(client):
    from accounts.passwords import password_rules_text

    public = password_rules_text(staff=False)
    assert "。；" not in public and "最近 5 次" not in public and "工作人员" not in public
    assert public.startswith("至少 12 个字符。须包含")
    assert password_rules_text(staff=True).endswith("不能使用最近 5 次用过的密码。")
    for url in ("/register/employer/", "/youth/register/"):
        page = client.get(url).content.decode()
        assert "最近 5 次" not in page and "。；" not in page, url


def test_a_common_password_at_employer_sign_up_reads_as_one_sentence(client):
    response = client.post(
        "/register/employer/",
        {
            "username": "newemployer",
            "name": "王经办",
            "phone": "13912345678",
            "email": "",
            "password": "Password2026!",
            "password_again": "Password2026!",
        },
    )
    errors = response.context["form"].errors["password"]
    assert errors == ["该密码过于常见（或只是在常见密码前后加了数字、符号），请换一个。"]
