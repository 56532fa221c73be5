"""The top bar in at most eight groups for every role, every link of the providers still reachable,
the current section marked; each role's home starts with its to-dos."""

import re

import pytest

from jianxi_portal.core.nav_groups import GROUP_OF, MAX_GROUPS, group_items
from jianxi_portal.core.navigation import nav_items

ROLES = ["admin_user", "province_user", "city_cc", "employer_a", "youth"]


@pytest.mark.parametrize("who", ROLES)
def test_every_role_sees_at_most_eight_top_level_entries_and_every_link(who, request):
    user = request.getfixturevalue(who)
    items = nav_items(user)
    groups = group_items(items, "/")
    assert len(groups) <= MAX_GROUPS
    assert sorted(link for g in groups for link in g.links) == sorted(items)


def test_every_staff_link_belongs_to_a_group(admin_user, province_user, city_cc):
    from jianxi_portal.core.nav_groups import _url_name

    for user in (admin_user, province_user, city_cc):
        loose = [label for label, url in nav_items(user) if _url_name(url) not in GROUP_OF]
        assert loose == [], user.username


def test_the_page_being_viewed_marks_its_group(client_for, city_cc):
    page = client_for(city_cc).get("/trainees/").content.decode()
    nav = page[page.index('<nav class="mainnav"') : page.index("</nav>")]
    current = re.findall(r'<li class="nav-group current"><details>\s*<summary class="nav-top">([^<]+)<', nav)
    assert current == ["见习人员"]
    assert '<a href="/trainees/" aria-current="page">见习人员</a>' in nav
    assert nav.count("nav-group current") == 1


def test_a_youth_with_eight_links_sees_them_without_menus(client_for, youth):
    page = client_for(youth).get("/").content.decode()
    nav = page[page.index('<nav class="mainnav"') : page.index("</nav>")]
    assert "<details>" not in nav and nav.count('class="nav-top"') == len(nav_items(youth)) <= MAX_GROUPS


def test_the_city_header_went_from_twenty_one_links_to_eight_groups(city_cc):
    assert len(nav_items(city_cc)) == 21
    assert [g.label for g in group_items(nav_items(city_cc), "/")] == [
        "待办审核",
        "单位与岗位",
        "见习人员",
        "补贴",
        "报表",
        "数据交换",
        "宣传服务",
        "系统管理",
    ]


@pytest.mark.parametrize("who", ["city_cc", "employer_a", "province_user"])
def test_each_roles_home_starts_with_its_to_dos(client_for, who, request):
    body = client_for(request.getfixturevalue(who)).get("/").content.decode()
    main = body[body.index("<main") :]
    assert main.index('<h2 id="todos-title">待办事项</h2>') < main.index("<h2>概况</h2>")


def test_a_young_persons_home_starts_with_their_applications(client_for, youth):
    from positions.tests.factories import ApprovedPostFactory
    from trainees.models import Application
    from trainees.tests.factories import TraineeFactory

    trainee = TraineeFactory(user=youth)
    Application.objects.create(trainee=trainee, post=ApprovedPostFactory())
    body = client_for(youth).get("/").content.decode()
    todos = body[body.index('<h2 id="todos-title">') : body.index("</section>")]
    assert "等待单位答复的申请" in todos and '<div class="card-value">1</div>' in todos


def test_a_young_person_without_a_record_is_asked_for_it_first(client_for, youth):
    body = client_for(youth).get("/").content.decode()
    todos = body[body.index('<h2 id="todos-title">') :]
    assert "个人信息" in todos[:400] and "未登记" in todos[:600]


@pytest.mark.parametrize("who", [None, "youth", "city_cc"])
def test_the_home_page_has_a_post_search_box(client_for, client, who, request):
    browser = client_for(request.getfixturevalue(who)) if who else client
    body = browser.get("/").content.decode()
    form = body[body.index('<form class="home-search"') :]
    form = form[: form.index("</form>")]
    assert 'action="/posts/"' in form and 'name="q"' in form and 'role="search"' in form
