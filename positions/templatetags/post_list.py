"""The public list's table rows (templates/positions/list.html) in one pass of `format_html` per
row: ~280 template variables a page cost more than the page's query at national scale
(bench/README.md), and each cell is a plain field. Escaped like the template: every value through
`format_html`; numbers as written (no separators), the closing date as YYYY-MM-DD or "—"."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

ROW = (
    '<tr>\n      <td><a href="{}">{}</a>{}</td>\n'
    '      <td data-label="见习单位"><a href="{}">{}</a></td>\n'
    '      <td data-label="工作地点">{} · {}</td>\n'
    '      <td data-label="类别">{}</td>\n'
    '      <td class="num" data-label="岗位数">{}</td>\n'
    '      <td class="num" data-label="见习期限">{}个月</td>\n'
    '      <td class="num" data-label="生活补贴（元/月）">{}</td>\n'
    '      <td data-label="学历">{}</td>\n'
    '      <td data-label="专业要求">{}</td>\n'
    '      <td data-label="截止日期">{}</td>\n    </tr>\n'
)
ALSO_INTERNSHIP = mark_safe(' <span class="status">可实习</span>')


@register.simple_tag
def post_rows(posts) -> str:
    """One `<tr>` per post; each post carries `href` and `unit_href` (positions.views.post_list)."""
    return mark_safe(
        "".join(  # every cell escaped by format_html
            format_html(
                ROW,
                post.href,
                post.title,
                ALSO_INTERNSHIP if post.also_internship else "",
                post.unit_href,
                post.unit.name,
                post.region.name,
                post.district.name,
                post.category_label,
                str(post.slots),
                str(post.duration_months),
                str(post.allowance),
                post.education_label,
                post.majors or "不限",
                post.closing_date.strftime("%Y-%m-%d") if post.closing_date else "—",
            )
            for post in posts
        )
    )
