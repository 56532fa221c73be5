"""Sign-in, the home page per role, navigation without dead links, admin pages, no CDN."""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from jianxi_portal.core.models import AuditLog, CalendarOverride, District, MinimumWageVersion
from jianxi_portal.core.navigation import nav_items
from jianxi_portal.core.wages import minimum_wage

ROLES = ["admin_user", "province_user", "city_cc", "employer_a", "youth"]


def test_login_page_is_chinese_and_signs_in(client, city_cc):
    page = client.get("/accounts/login/")
    assert "登录" in page.content.decode()
    response = client.post("/accounts/login/", {"username": "city_cc", "password": "Secret-pass-2026"})
    assert response.status_code == 302
    assert AuditLog.objects.filter(event="login.success", user=city_cc).exists()


def test_failed_login_is_audited_without_the_password(client, db):
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong-password-1"})
    row = AuditLog.objects.get(event="login.failure")
    assert row.result == "failed"
    assert "wrong-password-1" not in str(row.detail)


def test_logout_requires_post_and_ends_the_session(client_for, city_cc):
    client = client_for(city_cc)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/annex1/").status_code == 302


def test_password_change_page(client_for, city_cc):
    client = client_for(city_cc)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "Secret-pass-2026",
            "new_password1": "Another-Pass-2026!",
            "new_password2": "Another-Pass-2026!",
        },
    )
    assert response.status_code == 302
    city_cc.refresh_from_db()
    assert city_cc.check_password("Another-Pass-2026!")


@pytest.mark.parametrize("who", ROLES)
def test_home_page_per_role_renders_in_chinese(request, db, client_for, who):
    user = request.getfixturevalue(who)
    page = client_for(user).get("/")
    assert page.status_code == 200
    assert f"{user.get_role_display()}工作台" in page.content.decode()


def test_anonymous_home_page(client, db):
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "就业见习万岗募集计划" in text
    # The notice: Jilin's 万岗 plan implements the ten ministries' national 百万 plan (人社部发〔2022〕11号).
    assert "百万就业见习岗位募集计划（人社部发〔2022〕11号）的就业见习万岗募集计划（吉人社联〔2022〕79号）" in text
    assert "吉林省百万" not in text


@pytest.mark.parametrize("who", ROLES + [None])
def test_every_navigation_link_opens_for_that_role(request, db, client, client_for, who):
    """No dead links: each link the navigation shows a role answers 200 for that role."""
    from django.contrib.auth.models import AnonymousUser

    user = request.getfixturevalue(who) if who else AnonymousUser()
    http = client_for(user) if who else client
    for label, url in nav_items(user):
        assert http.get(url).status_code == 200, f"{label} {url}"


@time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_admin_calendar_page_warns_for_a_year_without_arrangement(client_for, admin_user):
    page = client_for(admin_user).get("/calendar/")
    assert page.status_code == 200
    assert "2027年的国务院节假日安排尚未录入完整" in page.content.decode()


@time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_admin_enters_an_override_and_the_warning_stays_until_the_year_is_complete(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post("/calendar/", {"date": "2027-01-01", "kind": "holiday", "note": "元旦"})
    assert response.status_code == 302
    assert CalendarOverride.objects.get(date=date(2027, 1, 1)).kind == "holiday"
    assert "2027年的国务院节假日安排尚未录入完整" in client.get("/calendar/").content.decode()
    assert CalendarOverride.objects.get(date=date(2027, 1, 1)).history.latest().history_user == admin_user
    client.post("/calendar/2027/complete/", {"complete": "1"})
    assert "2027年的国务院节假日安排尚未录入完整" not in client.get("/calendar/").content.decode()


@pytest.mark.parametrize("who", ["province_user", "city_cc", "employer_a", "youth"])
def test_only_admins_open_the_admin_pages(request, db, client_for, who):
    client = client_for(request.getfixturevalue(who))
    for url in ("/calendar/", "/wages/"):
        assert client.get(url).status_code == 403


def test_admin_adds_a_minimum_wage_version_in_the_browser(client_for, admin_user):
    districts = District.objects.all()
    data = {"effective_from": "2026-12-01", "document": "测试文件", "classes": "2300,23\n2100,21\n1950,19.5"}
    for d in districts:
        data[f"district_{d.pk}"] = "1" if d.region.code == "changchun" and d.kind == "district" else "3"
    response = client_for(admin_user).post("/wages/", data)
    assert response.status_code == 302
    assert MinimumWageVersion.objects.count() == 3
    chaoyang = District.objects.get(name="朝阳区")
    assert minimum_wage(chaoyang, date(2026, 11, 30)) == Decimal("2120")
    assert minimum_wage(chaoyang, date(2026, 12, 1)) == Decimal("2300")
    assert minimum_wage(District.objects.get(name="农安县"), date(2026, 12, 1)) == Decimal("1950")


def test_wage_version_with_an_unmapped_district_is_refused_and_nothing_saved(client_for, admin_user):
    data = {"effective_from": "2026-12-01", "classes": "2300,23"}
    response = client_for(admin_user).post("/wages/", data)
    assert response.status_code == 200
    assert "以下区县未选择档次" in response.content.decode()
    assert MinimumWageVersion.objects.count() == 2


def test_wage_version_with_a_bad_amount_is_refused(client_for, admin_user):
    data = {"effective_from": "2026-12-01", "classes": "abc"}
    for d in District.objects.all():
        data[f"district_{d.pk}"] = "1"
    response = client_for(admin_user).post("/wages/", data)
    assert "第1行格式应为" in response.content.decode()
    assert MinimumWageVersion.objects.count() == 2


def test_no_page_or_stylesheet_loads_anything_from_another_host():
    external = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "static"]
    files = [p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in {".html", ".css", ".js"}]
    offenders = [str(p) for p in files if external.search(p.read_text(encoding="utf-8", errors="ignore"))]
    assert offenders == []


def test_api_docs_use_bundled_assets(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert "cdn" not in page.content.decode().lower()
