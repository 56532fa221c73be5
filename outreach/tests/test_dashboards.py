"""Each role's dashboard rendered with data: every figure equals the count of the list it links to
(the list page's own count, reached through the figure's link), and other regions' or units'
records stay out of a city's or employer's figures."""

import re
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from django.urls import resolve
from django.utils import timezone

from jianxi_portal.core import personal
from jianxi_portal.core.review import ReviewStatus
from outreach import events as event_services
from outreach.dashboards import Figure
from outreach.tests.conftest import TODAY
from positions.tests.factories import ApprovedPostFactory, SubmittedPostFactory
from reports.indicators import Period
from reports.models import MonthlyReport
from reports.services import reports_generate
from subsidies.tests.factories import ApprovedClaimFactory, ClaimFactory
from trainees.models import Application, Placement
from trainees.tests.factories import OnDutyPlacementFactory, PlacementFactory
from units.tests.factories import ApprovedUnitFactory, SubmittedUnitFactory

pytestmark = pytest.mark.django_db


def months_ago(n: int, day: int = 10) -> date:
    year, month = TODAY.year, TODAY.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, day)


@pytest.fixture
def data(unit_a, unit_b, city_cc, make_seeker):
    """Placements over the year in 长春 (unit_a) and 吉林 (unit_b), ended with and without retention,
    reviews (one overdue), last month's reports (长春 submitted), events, applications and claims."""
    post_a = ApprovedPostFactory(unit=unit_a, slots=50)
    post_b = ApprovedPostFactory(unit=unit_b, slots=50)
    for post, started, ended, end, outcome in [
        (post_a, months_ago(1), None, "", ""),
        (post_a, months_ago(2), None, "", ""),
        (post_a, months_ago(3), months_ago(1, 20), "early_retained", ""),
        (post_a, months_ago(4), months_ago(1, 25), "abnormal", ""),
        (post_a, months_ago(5), months_ago(2, 5), "completed", "none"),
        (post_b, months_ago(1), None, "", ""),
        (post_b, months_ago(2), months_ago(1, 15), "completed", "retained"),
    ]:
        status = Placement.Status.ENDED if ended else Placement.Status.ON_DUTY
        PlacementFactory(
            post=post,
            signed_on=started,
            planned_start=started,
            started_on=started,
            ended_on=ended,
            end=end,
            outcome=outcome,
            status=status,
            planned_end=started + timedelta(days=180),
        )
    ending_day = date(TODAY.year, TODAY.month, 28)
    OnDutyPlacementFactory(
        post=post_a,
        signed_on=ending_day - timedelta(days=100),
        planned_start=ending_day - timedelta(days=100),
        planned_end=ending_day,
    )
    SubmittedPostFactory(unit=unit_a)
    SubmittedPostFactory(unit=unit_b)
    overdue = SubmittedUnitFactory(region_code="changchun")
    overdue.review_deadline = TODAY - timedelta(days=3)
    overdue.save()
    reports_generate(period=Period.reported_on(TODAY))
    MonthlyReport.objects.filter(region=unit_a.region).update(
        status="submitted",
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        reporter_name="王经办",
        **personal.field_of(MonthlyReport, "reporter_phone").columns("043188888888"),
    )
    event = event_services.event_create(
        by=city_cc, title="专场招募", kind="special", starts_on=TODAY + timedelta(days=3), place="人力资源市场"
    )
    event_services.event_publish(event_id=event.pk, by=city_cc)
    seeker = make_seeker(major="计算机科学与技术")  # the posts' major (positions' factory)
    Application.objects.create(trainee=seeker.trainee, post=post_a)
    ClaimFactory(unit=unit_a)
    ApprovedClaimFactory(unit=unit_a)
    ClaimFactory(unit=unit_b, status="submitted")
    return {"post_a": post_a, "post_b": post_b, "seeker": seeker}


def figures_in(value):
    """Every Figure anywhere in a dashboard's data (dicts, lists, Figures)."""
    if isinstance(value, Figure):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from figures_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from figures_in(item)


def listed_count(client, figure: Figure, region_code: str | None = None) -> int:
    """The count the linked list page shows for this figure."""
    response = client.get(figure.url)
    assert response.status_code == 200, figure
    ctx = response.context
    name = resolve(urlparse(figure.url).path).view_name
    if name == "outreach:figure_records":
        return ctx["total"]
    if name == "review_queue":
        return {
            "待审核事项": ctx["page"].paginator.count,
            "已超期": ctx["overdue_total"],
            "3个工作日内到期": ctx["due_soon_total"],
        }[figure.label]
    if name == "annex2_summary":
        return sum(1 for row in ctx["rows"] if not row.submitted)
    if name == "annex1":
        row = next(r for r in ctx["rows"] if r.region.code == region_code)
        return row.posts_recruited if figure.label == "岗位" else row.trainees_organised
    if name == "trainees:placement_current":
        return ctx["ending"]
    page = ctx["page"]  # a Django page, or the public lists' keyset page (its own bounded count)
    return getattr(page, "paginator", page).count


def check_every_figure(client, dashboard: dict) -> int:
    checked = 0
    for item in dashboard.get("quota", []):
        for key in ("posts", "trainees"):
            assert listed_count(client, item[key], item["row"].region.code) == item[key].value
            checked += 1
    for figure in figures_in({k: v for k, v in dashboard.items() if k != "quota"}):
        assert listed_count(client, figure) == figure.value, (figure.label, figure.url)
        checked += 1
    return checked


def test_province_dashboard_figures_equal_their_lists(client_for, province_user, data):
    client = client_for(province_user)
    page = client.get("/")
    assert "省级工作台" in page.content.decode()
    d = page.context["d"]
    # Two posts, a unit (overdue) and 吉林's claim await review.
    assert d["reviews"]["pending"].value == 4 and d["reviews"]["overdue"].value == 1
    assert d["reports"]["missing"].value == 10  # 11 regions, 长春 submitted
    months = {m["ym"]: m for m in d["months"]["series"]}
    assert months[f"{months_ago(1):%Y-%m}"]["started"].value == 2
    assert months[f"{months_ago(1):%Y-%m}"]["ended"].value == 3
    retention = {r["region"].code: r for r in d["retention"]}
    ended_this_year = sum(1 for m in (1, 1, 2, 1) if months_ago(m).year == TODAY.year)
    assert retention["changchun"]["ended"].value + retention["jilin"]["ended"].value == ended_this_year
    assert check_every_figure(client, d) >= 11 * 2 + 24 + 22 + 5


def test_city_dashboard_figures_equal_their_lists_and_hold_only_its_region(client_for, city_cc, data):
    client = client_for(city_cc)
    page = client.get("/")
    html = page.content.decode()
    assert "市州经办工作台" in html
    d = page.context["d"]
    assert [q["row"].region.code for q in d["quota"]] == ["changchun"]
    assert [r["region"].code for r in d["retention"]] == ["changchun"]
    assert d["reviews"]["pending"].value == 2  # its own post and unit, not 吉林's post
    assert d["reports"]["status"] == "已上报"
    months = {m["ym"]: m for m in d["months"]["series"]}
    assert months[f"{months_ago(1):%Y-%m}"]["started"].value == 1  # 吉林's placement left out
    assert d["followup"].value == 2  # abnormal + completed without work, never contacted
    assert d["events"].value == 1
    assert check_every_figure(client, d) >= 2 + 24 + 2 + 5


def test_city_of_another_region_does_not_see_these_figures(client_for, city_jl, data):
    d = client_for(city_jl).get("/").context["d"]
    assert d["followup"].value == 0 and d["events"].value == 0
    assert d["reviews"]["pending"].value == 2  # its post and its claim


def test_employer_dashboard_figures_equal_their_lists(client_for, employer_a, data):
    client = client_for(employer_a)
    page = client.get("/")
    assert "单位用户工作台" in page.content.decode()
    d = page.context["d"]
    assert (d["posts_open"].value, d["posts_review"].value, d["applications"].value, d["ending"].value) == (1, 1, 1, 1)
    claims = {f.label: f.value for f in d["claims"]}
    assert claims["草稿"] == 1 and claims["已通过"] == 1 and claims["待审核"] == 0  # 吉林's claim left out
    assert f"/manage/posts/{data['post_a'].pk}/candidates/" in page.content.decode()
    assert check_every_figure(client, d) == 4 + 5


def test_youth_dashboard_shows_applications_and_recommended_posts(client_for, data):
    seeker = data["seeker"]
    client = client_for(seeker.user)
    page = client.get("/")
    assert "青年工作台" in page.content.decode()
    d = page.context["d"]
    assert {f.label: f.value for f in d["applications"]}["待处理"] == 1
    # Both posts ask for the person's major; 吉林's is outside their region, so it comes second.
    assert [m.obj for m in d["recommended"]] == [data["post_a"], data["post_b"]]
    assert "所在地区：长春市" in page.content.decode()
    assert check_every_figure(client, d) == 4


def test_public_landing_counts_equal_their_lists(client, data, province_user):
    from outreach import articles

    article = articles.article_create(by=province_user, kind="story", title="见习留用故事", body="<p>x</p>")
    articles.article_publish(article_id=article.pk, by=province_user)
    page = client.get("/")
    html = page.content.decode()
    assert "就业见习万岗募集计划" in html and "见习留用故事" in html and "专场招募" in html
    landing = page.context["landing"]
    assert listed_count(client, landing["posts_open"]) == landing["posts_open"].value == 2
    assert listed_count(client, landing["units"]) == landing["units"].value
    started_this_year = Placement.objects.filter(started_on__year=TODAY.year).count()
    assert landing["placed"].value == started_this_year


def test_dashboard_queries_do_not_grow_with_the_data(client_for, province_user, data, django_assert_max_num_queries):
    client = client_for(province_user)
    with django_assert_max_num_queries(60) as first:
        client.get("/")
    for _ in range(5):
        OnDutyPlacementFactory(post__unit=ApprovedUnitFactory(region_code="jilin"), started_on=months_ago(1))
        SubmittedPostFactory(unit=ApprovedUnitFactory())
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/")


def test_month_chart_is_inline_svg_with_links_and_no_script(client_for, province_user, data):
    html = client_for(province_user).get("/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-label="近12个月到岗与结束见习人数"' in svg and "<script" not in svg
    # the page's only script is the site's own file (CSP script-src 'self'); nothing inline
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/portal.js">']
    assert f'href="/placements/?started={months_ago(1):%Y-%m}"' in html
    assert ReviewStatus.SUBMITTED  # the review workflow's states feed the queue figures
