"""The public post list (见习岗位清单) and unit directory: search, filters, pagination, constant
query counts, and what leaves them (closed posts, suspended and revoked units)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from positions.models import Post
from positions.tests.factories import ApprovedPostFactory
from units.models import Unit
from units.tests.factories import ApprovedUnitFactory


@pytest.fixture(autouse=True)
def _nothing_remembered():
    """The list keeps its filter form and capped counts in the cache; each test starts without."""
    from django.core.cache import cache

    cache.clear()


def next_link(html: str) -> str:
    """The query string of the page's 下一页 link."""
    return html.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0].replace("&amp;", "&")


def listing(params=""):
    html = Client().get(reverse("post_list") + params).content.decode()
    return html.split('<table class="data post-list">')[1].split("</table>")[0]


@pytest.fixture
def catalogue(db):
    """Published posts covering each filter once."""
    factory_unit = ApprovedUnitFactory(
        name="一汽模具制造公司", industry="C", is_state_owned=True, is_famous_manufacturer=True
    )
    web_unit = ApprovedUnitFactory(name="延边云端网络公司", region_code="yanbian", industry="I", is_internet_major=True)
    lab = ApprovedUnitFactory(name="省农科院基地", industry="M", is_practice_base=True)
    return {
        "welder": ApprovedPostFactory(
            unit=factory_unit, title="焊接技能岗", category="skilled", majors="焊接技术", education="secondary"
        ),
        "coder": ApprovedPostFactory(
            unit=web_unit,
            title="后端开发见习",
            category="technical",
            majors="软件工程",
            education="bachelor",
            also_internship=True,
        ),
        "breeder": ApprovedPostFactory(
            unit=lab, title="育种科研助理", category="research", majors="农学", education="master"
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("", {"焊接技能岗", "后端开发见习", "育种科研助理"}),
        ("?q=软件工程", {"后端开发见习"}),  # by major
        ("?q=农科院", {"育种科研助理"}),  # by unit
        ("?q=焊接", {"焊接技能岗"}),  # by title
        ("?region=yanbian", {"后端开发见习"}),
        ("?category=research", {"育种科研助理"}),
        ("?industry=C", {"焊接技能岗"}),
        ("?column=state_owned", {"焊接技能岗"}),
        ("?column=famous_manufacturer", {"焊接技能岗"}),
        ("?column=internet_major", {"后端开发见习"}),
        ("?column=practice_base", {"育种科研助理"}),
        ("?education=master", {"育种科研助理"}),
        ("?also_internship=1", {"后端开发见习"}),
        ("?region=changchun&category=skilled", {"焊接技能岗"}),
        ("?region=nowhere", set()),
    ],
)
def test_search_and_filters(catalogue, params, expected):
    html = listing(params)
    shown = {title for title in ("焊接技能岗", "后端开发见习", "育种科研助理") if title in html}
    assert shown == expected


def test_a_filter_value_the_list_does_not_know_is_a_400_naming_it(catalogue):
    response = Client().get(reverse("post_list") + "?category=bogus")
    assert response.status_code == 400 and "岗位类别：" in response.content.decode()


def test_api_public_list_applies_the_same_filters_without_login(catalogue):
    api = Client()
    body = api.get("/api/v1/public/posts/?column=internet_major&also_internship=true").json()
    assert [row["title"] for row in body["results"]] == ["后端开发见习"]
    row = body["results"][0]
    assert row["region"] == "yanbian" and row["unit_name"] == "延边云端网络公司" and row["allowance"] == "1300.00"
    assert api.get("/api/v1/public/posts/?q=农学").json()["count"] == 1
    assert api.get(f"/api/v1/public/posts/{catalogue['welder'].pk}/").status_code == 200


def test_closed_posts_and_posts_of_suspended_or_revoked_units_leave_the_list(catalogue):
    Post.objects.filter(pk=catalogue["welder"].pk).update(status=Post.Status.CLOSED, closed_on=timezone.localdate())
    Unit.objects.filter(pk=catalogue["coder"].unit_id).update(status=Unit.Status.SUSPENDED)
    Unit.objects.filter(pk=catalogue["breeder"].unit_id).update(status=Unit.Status.REVOKED)
    assert "没有符合条件的岗位" in listing()
    for post in catalogue.values():
        assert Client().get(reverse("post_public", args=[post.pk])).status_code == 404
        assert Client().get(f"/api/v1/public/posts/{post.pk}/").status_code == 404
    directory = Client().get(reverse("unit_directory")).content.decode()
    assert "一汽模具制造公司" in directory
    assert "延边云端网络公司" not in directory and "省农科院基地" not in directory


def test_post_past_its_closing_date_is_off_the_list_before_the_task_runs(catalogue):
    yesterday = timezone.localdate() - timedelta(days=1)
    Post.objects.filter(pk=catalogue["welder"].pk).update(closing_date=yesterday)
    assert "焊接技能岗" not in listing()


def test_pagination_keeps_the_filters(db):
    unit = ApprovedUnitFactory()
    for n in range(25):
        ApprovedPostFactory(unit=unit, title=f"分页岗位{n:02d}", category="service")
    ApprovedPostFactory(unit=unit, title="别的类别", category="other")
    html = Client().get(reverse("post_list") + "?category=service&count=1").content.decode()
    assert "共 25 个在招岗位" in html and "第 1 / 2 页" in html
    assert "category=service&amp;after=" in html
    second = Client().get(reverse("post_list") + "?" + next_link(html)).content.decode()
    assert second.count("分页岗位") == 5 and "别的类别" not in second
    assert "?category=service&amp;page=1" in second or '<a href="?category=service">首页</a>' in second


def test_public_list_query_count_is_constant_in_the_number_of_posts(db, monkeypatch):
    # Two pages from the start (a first page holding every row skips the count: one query fewer).
    monkeypatch.setattr("positions.views.PAGE_SIZE", 1)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(reverse("post_list")).status_code == 200
        return len(ctx.captured_queries)

    ApprovedPostFactory()
    ApprovedPostFactory()
    count()  # the filter form is rendered once and kept (positions.views._filters_form)
    few = count()
    for _ in range(3):
        unit = ApprovedUnitFactory()
        for _ in range(8):
            ApprovedPostFactory(unit=unit)
    many = count()
    assert many == few
    # the page (with unit, region, district), the count; on PostgreSQL the count is wrapped in
    # SET/RESET of its parallel workers (jianxi_portal/core/pagination.py)
    assert many <= (5 if connection.vendor == "postgresql" else 3)


def test_public_list_query_count_for_a_signed_in_user_is_constant(employer_a, client_for, monkeypatch):
    monkeypatch.setattr("positions.views.PAGE_SIZE", 1)
    client = client_for(employer_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("post_list"))
        return len(ctx.captured_queries)

    ApprovedPostFactory()
    ApprovedPostFactory()
    count()  # the filter form is rendered once and kept
    few = count()
    for _ in range(20):
        ApprovedPostFactory()
    assert count() == few


def test_unit_directory_query_count_is_constant(db):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            Client().get(reverse("unit_directory"))
        return len(ctx.captured_queries)

    ApprovedPostFactory()
    few = count()
    for _ in range(15):
        ApprovedPostFactory(unit=ApprovedUnitFactory())
    assert count() == few


def test_unit_directory_counts_open_posts(db):
    unit = ApprovedUnitFactory(name="计数单位")
    ApprovedPostFactory(unit=unit)
    ApprovedPostFactory(unit=unit)
    ApprovedPostFactory(unit=unit, status=Post.Status.CLOSED)
    html = Client().get(reverse("unit_directory") + "?q=计数").content.decode()
    assert '<td class="num">2</td>' in html


def test_post_page_shows_its_details_and_unit(catalogue):
    html = Client().get(reverse("post_public", args=[catalogue["coder"].pk])).content.decode()
    assert "后端开发见习" in html and "延边云端网络公司" in html and "1300.00元/月" in html


def test_post_page_offers_young_people_the_application_page(catalogue, youth, employer_a, client_for):
    url = reverse("post_public", args=[catalogue["coder"].pk])
    apply_url = reverse("trainees:application_apply", args=[catalogue["coder"].pk])
    assert apply_url in Client().get(url).content.decode()
    assert apply_url not in client_for(employer_a).get(url).content.decode()


def test_post_form_shows_the_allowance_floor_of_the_units_district(employer_a, client_for):
    # 长春 南关区 since 2024-10-01: 2120 yuan, 60% = 1272.00.
    html = client_for(employer_a).get(reverse("post_create")).content.decode()
    assert "南关区现为2120.00元，即不低于1272.00元" in html


@pytest.fixture
def sortable(db):
    """Three published posts whose publication day, allowance and closing date order differently."""
    today = timezone.localdate()
    unit = ApprovedUnitFactory()
    make = ApprovedPostFactory
    return [
        make(
            unit=unit, title="甲岗位", published_on=today, allowance="1500.00", closing_date=today + timedelta(days=200)
        ),
        make(
            unit=unit,
            title="乙岗位",
            published_on=today - timedelta(days=1),
            allowance="2600.00",
            closing_date=today + timedelta(days=10),
        ),
        make(
            unit=unit,
            title="丙岗位",
            published_on=today - timedelta(days=2),
            allowance="1900.00",
            closing_date=today + timedelta(days=90),
        ),
    ]


def shown_order(params=""):
    html = listing(params)
    return sorted(("甲岗位", "乙岗位", "丙岗位"), key=html.index)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("", ["甲岗位", "乙岗位", "丙岗位"]),  # newest first
        ("?sort=allowance", ["乙岗位", "丙岗位", "甲岗位"]),  # allowance high to low
        ("?sort=closing", ["乙岗位", "丙岗位", "甲岗位"]),  # closing soonest first
    ],
)
def test_the_post_list_sorts_by_the_chosen_key(sortable, params, expected):
    assert shown_order(params) == expected


def test_posts_closing_on_the_same_day_stay_newest_first_and_without_a_closing_date_last(db):
    today = timezone.localdate()
    unit = ApprovedUnitFactory()
    ApprovedPostFactory(unit=unit, title="甲岗位", published_on=today - timedelta(days=3), closing_date=None)
    ApprovedPostFactory(unit=unit, title="乙岗位", published_on=today - timedelta(days=2), closing_date=today)
    ApprovedPostFactory(unit=unit, title="丙岗位", published_on=today, closing_date=today)
    assert shown_order("?sort=closing") == ["丙岗位", "乙岗位", "甲岗位"]


def test_a_sort_key_the_list_does_not_offer_is_a_400_in_chinese(sortable):
    for value in ("title", "-allowance", "unit__name", "allowance;drop"):
        response = Client().get(reverse("post_list"), {"sort": value})
        assert response.status_code == 400
        assert "排序：" in response.content.decode()
    assert Client().get("/api/v1/public/posts/", {"sort": "title"}).json() == {
        "sort": ["选择一个有效的选项。 title 不在可用的选项中。"]
    }


def test_pagination_and_the_filter_form_keep_the_chosen_sort(db):
    unit = ApprovedUnitFactory()
    for n in range(25):
        ApprovedPostFactory(unit=unit, title=f"分页岗位{n:02d}", category="service", allowance=1300 + n)
    html = Client().get(reverse("post_list"), {"category": "service", "sort": "allowance"}).content.decode()
    assert "category=service&amp;sort=allowance&amp;after=" in html
    assert '<input type="hidden" name="sort" value="allowance">' in html
    second = Client().get(reverse("post_list") + "?" + next_link(html))
    titles = [f"分页岗位{n:02d}" for n in range(5)]  # the five lowest allowances come last
    assert all(t in second.content.decode() for t in titles)


def test_the_sort_links_keep_the_filters_and_mark_the_current_sort(sortable):
    html = Client().get(reverse("post_list"), {"q": "岗位", "sort": "closing", "page": 1}).content.decode()
    nav = html.split('<nav class="sort-links"')[1].split("</nav>")[0]
    assert '<a href="?q=%E5%B2%97%E4%BD%8D">最新发布</a>' in nav
    assert '<a href="?q=%E5%B2%97%E4%BD%8D&amp;sort=allowance">生活补贴从高到低</a>' in nav
    assert '<a href="?q=%E5%B2%97%E4%BD%8D&amp;sort=closing" aria-current="true">截止日期最近</a>' in nav


def test_api_public_list_sorts_like_the_page(sortable):
    body = Client().get("/api/v1/public/posts/", {"sort": "allowance"}).json()
    assert [row["title"] for row in body["results"]] == ["乙岗位", "丙岗位", "甲岗位"]


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("youth", False),
        ("employer_a", True),  # the post's unit
        ("employer_b", False),  # another unit
        ("city_cc", True),  # the post's city
        ("city_jl", False),  # another city
        ("province_user", True),
    ],
)
def test_manage_link_on_a_post_page_only_for_those_the_management_page_admits(request, client_for, unit_a, who, shown):
    post = ApprovedPostFactory(unit=unit_a)
    client = client_for(request.getfixturevalue(who))
    html = client.get(reverse("post_public", args=[post.pk])).content.decode()
    manage_url = reverse("post_detail", args=[post.pk])
    assert ("管理该岗位" in html) is shown and (f'href="{manage_url}"' in html) is shown
    # the same check as the management page itself: the link is shown exactly when it opens
    assert (client.get(manage_url).status_code == 200) is shown


def test_no_manage_link_for_visitors(unit_a):
    post = ApprovedPostFactory(unit=unit_a)
    assert "管理该岗位" not in Client().get(reverse("post_public", args=[post.pk])).content.decode()
