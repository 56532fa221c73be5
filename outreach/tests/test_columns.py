"""Special columns: each a fixed filter of the public post list, with its own page and count."""

import pytest

from outreach.columns import BY_SLUG, column_counts
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(make_post):
    soe = ApprovedUnitFactory(is_state_owned=True)
    maker = ApprovedUnitFactory(is_famous_manufacturer=True, industry="C")
    net = ApprovedUnitFactory(is_internet_major=True, region_code="jilin")
    return {
        "soe_mgmt": make_post(unit=soe, category="management"),
        "soe_skill": make_post(unit=soe, category="skilled"),
        "maker_tech": make_post(unit=maker, category="technical"),
        "net_research": make_post(unit=net, category="research"),
        "net_tech": make_post(unit=net, category="technical"),
    }


@pytest.mark.parametrize(
    "slug, expected",
    [
        ("state-owned", {"soe_mgmt", "soe_skill"}),
        ("manufacturing", {"maker_tech"}),
        ("internet", {"net_research", "net_tech"}),
        ("management", {"soe_mgmt"}),
        ("technical", {"maker_tech", "net_tech"}),
        ("research", {"net_research"}),
    ],
)
def test_each_column_lists_its_posts_with_their_count(client, posts, slug, expected):
    page = client.get(f"/columns/{slug}/")
    assert page.status_code == 200
    listed = set(page.context["page"].object_list)
    assert listed == {posts[k] for k in expected}
    assert page.context["page"].paginator.count == len(expected)
    assert f"共 <strong>{len(expected)}</strong> 个在招岗位" in page.content.decode()


def test_a_column_keeps_its_filter_whatever_the_query(client, posts):
    page = client.get("/columns/internet/?column=state_owned&region=jilin&category=technical")
    assert list(page.context["page"].object_list) == [posts["net_tech"]]


def test_counts_on_the_index_and_home_equal_each_page(client, posts):

    counts = {c.slug: n for c, n in column_counts()}
    assert counts == {
        "state-owned": 2,
        "manufacturing": 1,
        "internet": 2,
        "management": 1,
        "technical": 2,
        "research": 1,
    }
    home = client.get("/")
    for column, count in home.context["landing"]["columns"]:
        assert client.get(f"/columns/{column.slug}/").context["page"].paginator.count == count
    assert BY_SLUG["research"].title == "科研岗位"


def test_unknown_column_is_404(client, db):
    assert client.get("/columns/nothing/").status_code == 404
