"""The public list's rows as `post_rows` writes them (positions/templatetags/post_list.py) are
the rows the template wrote before: the same cells, escaped the same way, with the links of
`reverse` — for titles and names with markup, no majors, no closing date, an also-internship post."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.models import Post
from positions.tests.factories import ApprovedPostFactory
from positions.views import _pk_url
from units.tests.factories import ApprovedUnitFactory

# The row as templates/positions/list.html wrote it before post_rows (one {% url %} per link).
TEMPLATE_ROW = Template(
    "{% for post in page %}<tr>\n"
    "      <td><a href=\"{% url 'post_public' post.pk %}\">{{ post.title }}</a>{% if post.also_internship %} "
    '<span class="status">可实习</span>{% endif %}</td>\n'
    '      <td data-label="见习单位"><a href="{% url \'unit_public\' post.unit_id %}">{{ post.unit.name }}</a></td>\n'
    '      <td data-label="工作地点">{{ post.region.name }} · {{ post.district.name }}</td>\n'
    '      <td data-label="类别">{{ post.category_label }}</td>\n'
    '      <td class="num" data-label="岗位数">{{ post.slots }}</td>\n'
    '      <td class="num" data-label="见习期限">{{ post.duration_months }}个月</td>\n'
    '      <td class="num" data-label="生活补贴（元/月）">{{ post.allowance }}</td>\n'
    '      <td data-label="学历">{{ post.education_label }}</td>\n'
    '      <td data-label="专业要求">{{ post.majors|default:"不限" }}</td>\n'
    '      <td data-label="截止日期">{{ post.closing_date|date:"Y-m-d"|default:"—" }}</td>\n    </tr>\n'
    "{% endfor %}"
)


def test_post_rows_write_what_the_template_wrote(db):
    unit = ApprovedUnitFactory(name='<b>"单位" & 公司</b>')
    ApprovedPostFactory(unit=unit, title="<script>岗位</script>", majors="", closing_date=None, also_internship=True)
    ApprovedPostFactory(
        unit=unit,
        title="会计 & 出纳",
        majors="会计学",
        closing_date=date(2027, 1, 5),
        allowance=Decimal("12345.60"),
        slots=1234,
    )
    posts = list(Post.objects.select_related("unit", "region", "district").order_by("pk"))
    for post in posts:
        post.href, post.unit_href = _pk_url("post_public")(post.pk), _pk_url("unit_public")(post.unit_id)
    ours = Template("{% load post_list %}{% post_rows posts %}").render(Context({"posts": posts}))
    assert ours == TEMPLATE_ROW.render(Context({"page": posts}))
    assert "&lt;script&gt;" in ours and "12345.60" in ours and "—" in ours and "不限" in ours


def test_pk_urls_are_the_reversed_ones():
    for name in ("post_public", "unit_public"):
        assert [_pk_url(name)(pk) for pk in (1, 907, 10**12)] == [reverse(name, args=[pk]) for pk in (1, 907, 10**12)]


def test_the_list_page_renders_its_rows_with_their_links_and_one_query(db):
    unit = ApprovedUnitFactory(name="链接测试单位")
    post = ApprovedPostFactory(unit=unit, title="链接测试岗位")
    Client().get(reverse("post_list"))  # the filter form is kept from here (positions.views._filters_form)
    with CaptureQueriesContext(connection) as ctx:
        html = Client().get(reverse("post_list")).content.decode()
    assert f'<a href="/posts/{post.pk}/">链接测试岗位</a>' in html
    assert f'<a href="/units/{unit.pk}/">链接测试单位</a>' in html
    assert len(ctx.captured_queries) == 1
